"""Acceptance: an anonymous visitor books as a guest, answering a required choice question and
an optional text question; the host sees the answers; the guest moves and then cancels the
booking from the private link of the e-mail a real SMTP server (aiosmtpd) received, and the
calendar updates (same UID, rising SEQUENCE, then CANCEL) arrive. With JavaScript and without."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from appointments.models import Appointment, BookingQuestion
from e2e.helpers import open_every_day
from notifications.tests.conftest import calendar_part, only_event, smtp, smtp_down  # noqa: F401

pytestmark = pytest.mark.e2e

FREE_DAY = re.compile(r", \d+ free times?$")
GUEST = "grace@example.org"
LINK = re.compile(r"https?://[^\s\"<>]+/booking/[0-9a-f-]+/[A-Za-z0-9_-]+/")


@pytest.fixture
def guest_world(world, settings, live_server):
    open_every_day(world.calendar)
    BookingQuestion.objects.create(
        calendar=world.calendar,
        position=1,
        kind=BookingQuestion.Kind.SINGLE_CHOICE,
        label="Kind of visit",
        required=True,
        choices=["First visit", "Follow-up"],
    )
    BookingQuestion.objects.create(calendar=world.calendar, position=2, label="Who referred you?")
    settings.SITE_URL = live_server.url  # the links in the e-mails lead to this server
    return world


def wait_for_mail(inbox, address: str, count: int, timeout: float = 20.0) -> list:
    deadline = time.monotonic() + timeout
    while len(inbox.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    found = inbox.to(address)
    assert len(found) >= count, [m["Subject"] for m in found]
    return found


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def choose_a_free_day_and_time(page: Page, *, java_script: bool, nth: int = 0) -> None:
    page.get_by_role("button", name=FREE_DAY).last.click()
    if java_script:
        # The day's panel replaces the one shown first: wait for that swap, or the click below
        # lands on a time of the old panel (seen on a loaded machine: no time chosen).
        page.wait_for_load_state("networkidle")
        expect(page.locator("#booking-panel .bk-slot").first).to_be_visible()
    page.locator(".bk-slot").nth(nth).click()


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_guest_books_answers_moves_and_cancels_from_the_emailed_link(
    browser,
    live_server,
    guest_world,
    smtp,  # noqa: F811 (the fixture imported above)
    java_script,
):
    world = guest_world
    context = browser.new_context(
        java_script_enabled=java_script, base_url=live_server.url, timezone_id="Europe/London"
    )
    page = context.new_page()
    page.goto(f"/book/{world.calendar.slug}/")
    choose_a_free_day_and_time(page, java_script=java_script)
    page.get_by_label("Your name").fill("Grace Guest")
    page.get_by_label("E-mail").fill(GUEST)
    page.get_by_label("Follow-up").check()
    page.get_by_label("Who referred you?").fill("Dr Who")
    page.get_by_role("button", name="Book this time").click()

    if java_script:
        expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    else:
        expect(page.locator(".toast")).to_contain_text("Your appointment is booked.")
    appointment = Appointment.objects.get(contact_email=GUEST)
    assert appointment.user is None
    assert [a.value for a in appointment.answers.all()] == ["Follow-up", "Dr Who"]

    # The host sees the answers: in their e-mail and on the appointment page.
    (to_host,) = wait_for_mail(smtp, world.provider.email, 1)
    assert "Kind of visit: Follow-up" in text_of(to_host)
    host = browser.new_context(base_url=live_server.url)
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world.provider)
    host.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    host_page = host.new_page()
    host_page.goto(f"/appointments/{appointment.pk}/")
    expect(host_page.locator("main")).to_contain_text("Follow-up")
    expect(host_page.locator("main")).to_contain_text("Dr Who")
    host.close()

    # The guest's e-mail: the invitation and the private link.
    (booked,) = wait_for_mail(smtp, GUEST, 1)
    method, parsed = calendar_part(booked)
    event = only_event(parsed)
    assert method == "REQUEST"
    assert str(event["UID"]) == appointment.ical_uid and int(event["SEQUENCE"]) == 0
    assert "Follow-up" not in text_of(booked)  # answers are for the hosts only
    link = LINK.search(text_of(booked)).group(0)

    page.goto(link)
    page.get_by_role("link", name="Move to another time").click()
    choose_a_free_day_and_time(page, java_script=java_script, nth=1)
    page.get_by_role("button", name="Move to this time").click()
    if java_script:
        expect(page.get_by_role("heading", name="Your appointment has moved")).to_be_visible()
    else:
        expect(page.locator(".toast")).to_contain_text("Your appointment has been moved.")
    moved = wait_for_mail(smtp, GUEST, 2)[-1]
    method, parsed = calendar_part(moved)
    event = only_event(parsed)
    appointment.refresh_from_db()
    assert method == "REQUEST"
    assert str(event["UID"]) == appointment.ical_uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == appointment.start_time

    page.goto(LINK.search(text_of(moved)).group(0))
    page.get_by_label("Reason").fill("I feel better.")
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.locator("main")).to_contain_text("This appointment is cancelled")
    cancelled = wait_for_mail(smtp, GUEST, 3)[-1]
    method, parsed = calendar_part(cancelled)
    event = only_event(parsed)
    assert method == "CANCEL"
    assert str(event["UID"]) == appointment.ical_uid and int(event["SEQUENCE"]) == 2
    to_host = wait_for_mail(smtp, world.provider.email, 3)[-1]
    assert "Reason given: I feel better." in text_of(to_host)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    context.close()
