"""Acceptance 5: the booking widget on another site. A static page served from another port (so
another site: http://localhost:<port> around http://127.0.0.1:<live port>) pastes embed.js; a
guest books through the inline frame and the page hears of it; the pop-up opens and closes; the
frame follows its content's height."""

from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from appointments.models import Appointment
from e2e.helpers import axe_violations, describe, open_every_day
from e2e.test_csp import watch_csp

pytestmark = pytest.mark.e2e

FREE_DAY = re.compile(r", \d+ free times?$")
GUEST = "grace@example.org"

HOST_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>A clinic's own site</title>
<script src="{live}/static/js/embed.js" async></script>
<script src="host.js"></script></head>
<body>
<h1>Book with us</h1>
<div id="inline" data-slotwise-embed="{embed}"></div>
<button type="button" id="popup" data-slotwise-popup="{embed}">Book in a pop-up</button>
<p id="booked"></p>
</body>
</html>
"""
# The host site's own reaction to a booking: what a clinic's page would write.
HOST_SCRIPT = """
window.bookedMessages = [];
window.addEventListener("slotwise:booked", function (event) {
  window.bookedMessages.push({ on: event.target.id, detail: event.detail });
  document.getElementById("booked").textContent = "Booked: " + event.detail.event_type;
});
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def host_site(tmp_path, live_server, world):
    """The other site: a static page on http://localhost:<free port>, with the embed pasted."""
    open_every_day(world.calendar)
    embed = live_server.url + reverse("embed_calendar", args=[world.calendar.slug])
    (tmp_path / "index.html").write_text(HOST_PAGE.format(live=live_server.url, embed=embed))
    (tmp_path / "host.js").write_text(HOST_SCRIPT)
    server = ThreadingHTTPServer(("localhost", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def frame_of(page: Page, selector: str):
    handle = page.locator(selector).element_handle()
    return handle.content_frame()


def expect_frame_fits_its_content(page: Page, selector: str) -> None:
    """The iframe's height is the height of the page inside it (which embed-frame.js reports)."""
    frame = frame_of(page, selector)
    frame.wait_for_load_state("networkidle")
    content = frame.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
    expect(page.locator(selector)).to_have_css("height", f"{content}px")


def test_a_guest_books_through_the_inline_embed_and_the_host_page_hears_of_it(
    page: Page, host_site, world, live_server
):
    refused = watch_csp(page)
    page.goto(host_site)
    assert not live_server.url.startswith(host_site.rstrip("/"))  # genuinely another site
    frame = page.frame_locator("#inline iframe")
    expect(frame.get_by_role("heading", name=world.calendar.name)).to_be_visible()
    expect(frame.locator(".site-header")).to_have_count(0)
    expect_frame_fits_its_content(page, "#inline iframe")
    before = page.locator("#inline iframe").evaluate("f => f.getBoundingClientRect().height")

    frame.get_by_role("button", name=FREE_DAY).last.click()
    frame_of(page, "#inline iframe").wait_for_load_state("networkidle")
    expect(frame.locator("#booking-panel .bk-slot").first).to_be_visible()
    frame.locator(".bk-slot").first.click()
    frame.get_by_label("Your name").fill("Grace Guest")
    frame.get_by_label("E-mail").fill(GUEST)
    frame.get_by_role("button", name="Book this time").click()

    expect(frame.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator("#booked")).to_have_text(f"Booked: {world.calendar.name}")
    appointment = Appointment.objects.get(contact_email=GUEST)
    assert appointment.user is None
    (message,) = page.evaluate("window.bookedMessages")
    assert message["on"] == "inline"
    assert message["detail"] == {
        "event_type": world.calendar.name,
        "event_type_slug": world.calendar.slug,
        "status": "confirmed",
        "start": appointment.start_time.isoformat(),
        "end": appointment.end_time.isoformat(),
        "time_zone": "Europe/London",  # the host browser's zone, handed to the frame
    }
    # The private manage link opens outside the frame, and never reaches the host page.
    manage = frame.get_by_role("link", name=re.compile("View, move or cancel"))
    expect(manage).to_have_attribute("target", "_blank")
    assert str(appointment.uid) not in json.dumps(message)
    expect_frame_fits_its_content(page, "#inline iframe")
    after = page.locator("#inline iframe").evaluate("f => f.getBoundingClientRect().height")
    assert after != before  # the confirmation is not as tall as the times and the form
    violations = axe_violations(frame_of(page, "#inline iframe"))
    assert not violations, describe(violations)
    assert refused == []


def test_the_popup_opens_the_booking_page_and_closes(page: Page, host_site, world):
    page.goto(host_site)
    page.get_by_role("button", name="Book in a pop-up").click()

    dialog = page.get_by_role("dialog", name="Book an appointment")
    expect(dialog).to_be_visible()
    frame = page.frame_locator("dialog iframe")
    expect(frame.get_by_role("heading", name=world.calendar.name)).to_be_visible()
    expect_frame_fits_its_content(page, "dialog iframe")

    dialog.get_by_role("button", name="Close").click()
    expect(page.locator("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="Book in a pop-up")).to_be_focused()

    page.get_by_role("button", name="Book in a pop-up").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)


def test_the_rest_of_the_site_refuses_to_be_framed(page: Page, host_site, world, live_server):
    page.goto(host_site)
    expect(page.frame_locator("#inline iframe").locator("main")).to_be_visible()
    booking_page = live_server.url + reverse("book_calendar", args=[world.calendar.slug])

    with page.expect_console_message(lambda message: "frame-ancestors" in message.text) as refusal:
        page.evaluate(
            "(src) => { const frame = document.createElement('iframe'); frame.id = 'site';"
            " frame.src = src; document.body.appendChild(frame); }",
            booking_page,
        )

    assert "frame-ancestors 'none'" in refusal.value.text
    expect(page.frame_locator("#site").locator(".site-header")).to_have_count(0)
