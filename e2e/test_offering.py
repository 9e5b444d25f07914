"""Anyone can start offering appointments (issue 9, acceptance 2), tried as new users would, with
JavaScript and without: a new user registers, creates an event type from the dashboard and
shares its link; another new user opens it in a second browser, registers and books; then the
first creates a second event type on the same schedule, which does not offer the booked time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appointments.models import Appointment, Calendar
from e2e.conftest import BROWSER_ZONE
from e2e.test_booking_flows import FREE_DAY, register, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_browser(browser, live_server, transactional_db):
    """Opens a fresh browser context (a second person's browser), JavaScript on or off."""
    contexts = []

    def open_one(*, javascript: bool) -> Page:
        context = browser.new_context(
            java_script_enabled=javascript, base_url=live_server.url, timezone_id=BROWSER_ZONE
        )
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()


def open_a_free_day(page: Page, *, javascript: bool) -> None:
    """The month's last day with free times (next month's, late on a month's last day)."""
    days = page.get_by_role("button", name=FREE_DAY)
    if days.count() == 0:
        page.get_by_role("link", name=re.compile(r"^Next month")).click()
        expect(days.first).to_be_visible()
    day = days.last
    label = day.get_attribute("aria-label").split(",")[0]
    day.click()
    if javascript:
        expect(page.locator("#booking-panel .bk-day-title")).to_have_text(label)
    else:
        expect(page).to_have_url(re.compile(r"day=\d{4}-\d{2}-\d{2}$"))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_new_user_offers_appointments_another_books_and_a_second_event_type_respects_it(
    new_browser, live_server, javascript
):
    host = new_browser(javascript=javascript)
    register(host, "hosting")
    host.get_by_role("link", name="Dashboard").click()  # sign-up lands on the profile
    host.get_by_role("link", name="Start offering appointments").click()
    host.get_by_label("Name").fill("Intro call")
    host.get_by_label("Length (minutes)").fill("30")
    for day in ("Sat", "Sun"):  # every day open, so a free time exists whatever today is
        host.get_by_text(day, exact=True).click()
    host.get_by_role("button", name="Create and get my link").click()

    expect(host.get_by_role("heading", name="Intro call")).to_be_visible()
    link = host.get_by_role("textbox", name="Booking link").input_value()
    assert link == f"{live_server.url}/book/hosting-intro-call/"
    if javascript:
        expect(
            host.get_by_role("button", name="Copy the booking link of Intro call")
        ).to_be_visible()
        shoot(host, "event-type-ready")
    else:
        expect(host.get_by_role("button", name=re.compile("^Copy"))).to_be_hidden()

    guest = new_browser(javascript=javascript)
    register(guest, "booking")
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Intro call")).to_be_visible()
    open_a_free_day(guest, javascript=javascript)
    guest.locator(".bk-slot").first.click()
    guest.get_by_role("button", name="Book this time").click()
    if javascript:
        expect(guest.get_by_role("heading", name="You're booked")).to_be_visible()
    else:
        expect(guest.locator(".toast")).to_contain_text("Your appointment is booked.")
    booked = Appointment.objects.get(user__username="booking")
    assert booked.calendar.slug == "hosting-intro-call"

    host.goto("/event-types/")
    host.get_by_role("link", name="New event type").click()
    host.get_by_label("Name").fill("Lesson")
    host.get_by_label("Appointment length (minutes)").fill("60")
    expect(host.get_by_label("Schedule")).to_have_value(str(booked.calendar.schedule_id))
    host.get_by_role("button", name="Create event type").click()
    expect(host.get_by_role("heading", name="Lesson")).to_be_visible()
    lesson = Calendar.objects.get(name="Lesson")
    assert lesson.schedule_id == booked.calendar.schedule_id

    local = booked.start_time.astimezone(booked.calendar.zone)
    guest.goto(f"/book/{lesson.slug}/?month={local:%Y-%m}&day={local:%Y-%m-%d}")
    offered = guest.locator("input[name=slot]")
    expect(offered.first).to_be_attached()
    values = [offered.nth(i).get_attribute("value") for i in range(offered.count())]
    taken = f"start:{booked.start_time:%Y-%m-%dT%H:%M:%SZ}"
    assert taken not in values  # the host is busy then, whichever event type is booked
    assert len(values) >= 2  # the rest of that day is still offered
