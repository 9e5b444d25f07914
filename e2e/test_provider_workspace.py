"""The provider workspace in a browser: the week grid ("My schedule"), "why is this time not
available?" and the weekly-hours rows, with JavaScript on and off, with axe over each state and
screenshots at a laptop and a phone width (var/shots/, git-ignored)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import axe_violations, describe, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(settings.VAR_DIR) / "shots"
WIDTHS = ((1280, 800), (390, 844))


def shoot(page: Page, name: str) -> None:
    """Both widths, whole page; and nothing may scroll sideways at either."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size(size)


@pytest.fixture
def busy_week(world):
    """The booked week with working hours Mon-Fri 09:00-17:00, time off, a closed date, custom
    hours on another date and an external busy block; a booking with answers and a phone."""
    from appointments.models import BookingAnswer, DateOverride, TimeOff, WorkingHours
    from calendars.models import BusyBlock, BusySource

    schedule = world.calendar.schedule
    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=schedule, weekday=day, start_time=time(9), end_time=time(17))
        for day in range(5)
    )
    day = world.appointment.start_time.date()
    monday = day - timedelta(days=day.weekday())
    at = lambda d, h, m=0: datetime.combine(monday + timedelta(days=d), time(h, m), tzinfo=UTC)  # noqa: E731
    # London is on GMT in the weeks these tests run in (they run in December)... or BST: the
    # grid draws London wall times either way; the assertions use the labels it draws.
    TimeOff.objects.create(
        schedule=schedule, start_time=at(0, 12), end_time=at(0, 14), reason="Dentist"
    )
    DateOverride.objects.create(schedule=schedule, date=monday + timedelta(days=5))  # closed Sat
    DateOverride.objects.create(
        schedule=schedule, date=monday + timedelta(days=3), start_time=time(10), end_time=time(13)
    )
    source = BusySource.objects.create(
        user=world.provider, kind="ics", name="Work calendar", url="https://example.com/a.ics"
    )
    BusyBlock.objects.create(
        source=source, user=world.provider, start_time=at(1, 15), end_time=at(1, 16)
    )
    appointment = world.appointment
    appointment.contact_phone = "+44 20 7946 0000"
    appointment.save(update_fields=["contact_phone"])
    BookingAnswer.objects.create(
        appointment=appointment, label="Reason for the visit", value="Knee pain"
    )
    return world


@pytest.fixture
def scriptless(browser, live_server):
    """A page with JavaScript off, logged in as `user`."""
    from django.test import Client

    contexts = []

    def open_as(user, **options):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            java_script_enabled=False, base_url=live_server.url, **options
        )
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def week_url(world) -> str:
    return f"/provider/schedule/?week={world.appointment.start_time:%G-W%V}"


def test_the_week_grid_draws_hours_bookings_time_off_busy_and_overrides(
    page: Page, busy_week, login_as
):
    world = busy_week
    login_as(world.provider)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(week_url(world))
    settle(page)

    booking = page.locator(".pv-ev", has_text="client")
    expect(booking).to_contain_text("10:00")
    expect(booking.get_by_role("link").first).to_have_attribute(
        "href", f"/appointments/{world.appointment.pk}/"
    )
    booking.hover()
    expect(booking).to_contain_text("Reason for the visit: Knee pain")
    expect(booking).to_contain_text("+44 20 7946 0000")
    expect(booking).to_contain_text("First visit: a sore knee.")
    expect(page.locator(".pv-time-off")).to_contain_text("Time off: Dentist")
    expect(page.locator(".pv-busy")).to_contain_text("Busy (Work calendar)")
    expect(page.locator(".pv-col").nth(5)).to_contain_text("Closed (override)")
    expect(page.locator(".pv-col").nth(3)).to_contain_text("Custom 10:00–13:00")
    expect(page.locator(".pv-col").nth(0).locator(".pv-col-hours")).to_have_text("09:00–17:00")
    expect(page.locator(".pv-hours")).to_have_count(5)  # Mon-Fri (Thursday: 10-13), not the weekend
    assert not (violations := axe_violations(page)), describe(violations)
    shoot(page, "schedule-grid")


def test_the_grid_marks_today_and_now(page: Page, world, login_as):
    login_as(world.provider)
    page.goto("/provider/schedule/")

    today = page.locator(".pv-col.is-today")
    expect(today).to_have_count(1)
    expect(today.locator(".pv-col-head")).to_contain_text("(today)")
    expect(page.locator(".pv-now")).to_have_count(1)


def test_on_a_phone_the_grid_is_a_day_view_with_a_day_strip_without_javascript(
    scriptless, busy_week
):
    world = busy_week
    page = scriptless(world.provider, viewport={"width": 390, "height": 844})
    page.goto(week_url(world))
    expect(page.locator(".pv-col:visible")).to_have_count(1)

    booked_day = world.appointment.start_time.date()
    page.get_by_role("navigation", name="Day").get_by_role(
        "link", name=re.compile(rf"\b{booked_day.day}\b")
    ).click()

    expect(page).to_have_url(re.compile(rf"day={booked_day.isoformat()}"))
    visible = page.locator(".pv-col:visible")
    expect(visible).to_have_count(1)
    expect(visible.locator(".pv-ev")).to_contain_text("client")
    shoot(page, "schedule-day-nojs")


def test_clicking_an_empty_time_says_why_it_is_not_offered(page: Page, busy_week, login_as):
    world = busy_week
    login_as(world.provider)
    page.goto(week_url(world))
    settle(page)
    monday = page.locator(".pv-col").nth(0)

    monday.locator('a.pv-cell[href$="time=12:30"]').click()

    answer = page.locator("#why-panel")
    expect(answer).to_contain_text("Bookers cannot book this time.")
    expect(answer).to_contain_text("Dentist")
    assert page.url.endswith(week_url(world))  # answered in place (htmx), the week stays
    assert not (violations := axe_violations(page)), describe(violations)
    shoot(page, "schedule-why-panel")


def test_the_date_and_time_form_explains_without_javascript(scriptless, busy_week):
    world = busy_week
    page = scriptless(world.provider)
    page.goto(week_url(world))
    saturday = world.appointment.start_time.date()
    saturday += timedelta(days=5 - saturday.weekday())

    page.get_by_label("Date", exact=True).fill(saturday.isoformat())
    page.get_by_label("Time", exact=True).fill("10:00")
    page.get_by_role("button", name="Explain").click()

    expect(page).to_have_url(re.compile(r"/provider/schedule/why/\?"))
    expect(
        page.get_by_role("heading", level=1, name="Why is a time not available?")
    ).to_be_visible()
    expect(page.locator("#why-panel")).to_contain_text("That date has other hours, or is closed.")
    shoot(page, "why-page-nojs")

    # An empty cell of the grid is a plain link to the same page.
    page.goto(week_url(world))
    page.locator(".pv-col").nth(0).locator('a.pv-cell[href$="time=12:30"]').click()
    expect(page.locator("#why-panel")).to_contain_text("Dentist")


def test_weekly_hours_rows_are_added_on_demand_and_errors_sit_by_the_day_and_the_button(
    page: Page, world, login_as
):
    login_as(world.provider)
    page.goto("/provider/availability/")
    settle(page)
    monday = page.locator("#hours-day-0")
    expect(monday.locator('input[type="time"]')).to_have_count(0)
    expect(monday).to_contain_text("Closed")

    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, interval 1, from").fill("09:00")
    page.get_by_label("Monday, interval 1, until").fill("12:00")
    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, interval 2, from").fill("11:00")
    page.get_by_label("Monday, interval 2, until").fill("13:00")
    page.get_by_role("button", name="Save weekly hours").click()

    expect(monday.locator(".errorlist")).to_contain_text("overlaps")
    alert = page.locator(".pv-save-row [role=alert]")
    expect(alert).to_contain_text("Not saved.")
    expect(alert.get_by_role("link", name="Monday")).to_have_attribute("href", "#hours-day-0")
    assert not (violations := axe_violations(page)), describe(violations)
    shoot(page, "availability-errors")

    page.get_by_role("button", name="Remove these Monday hours").nth(1).click()
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_role("status").filter(has_text="Working hours saved.")).to_be_visible()
    assert list(world.calendar.schedule.working_hours.values_list("weekday", "end_time")) == [
        (0, time(12))
    ]
    expect(page.locator("#hours-day-1 input")).to_have_count(0)
    assert not (violations := axe_violations(page)), describe(violations)
    shoot(page, "availability-saved")


def test_adding_weekly_hours_without_javascript_is_a_server_round_trip(scriptless, world):
    page = scriptless(world.provider)
    page.goto("/provider/availability/")

    page.get_by_role("button", name="Add hours on Tuesday").click()
    page.get_by_label("Tuesday, interval 1, from").fill("10:00")
    page.get_by_label("Tuesday, interval 1, until").fill("16:00")
    page.get_by_role("button", name="Save weekly hours").click()

    expect(page.get_by_text("Working hours saved.")).to_be_visible()
    assert list(world.calendar.schedule.working_hours.values_list("weekday", "start_time")) == [
        (1, time(10))
    ]


def test_an_edit_that_leaves_a_booking_outside_the_hours_warns_and_the_grid_marks_it(
    page: Page, world, login_as
):
    from appointments.models import WorkingHours

    WorkingHours.objects.bulk_create(
        WorkingHours(
            schedule=world.calendar.schedule, weekday=d, start_time=time(9), end_time=time(17)
        )
        for d in range(7)
    )
    from appointments.availability import selectors as availability
    from appointments.booking import services

    now = timezone.now()
    free = availability.available_slots(
        world.calendar, window_start=now, window_end=now + timedelta(days=7), now=now
    )
    # A booking of the weekly hours (a published slot is outside them on purpose), at 10:00.
    start = next(s.start for s in free if s.slot_id is None and s.start.hour == 10)
    services.appointment_book(user=world.other, calendar=world.calendar, start=start)
    login_as(world.provider)
    page.goto("/provider/availability/")
    settle(page)
    booked = start.date().weekday()
    fieldset = page.locator(f"#hours-day-{booked}")
    fieldset.locator('input[name$="-start"]').fill("14:00")
    page.get_by_role("button", name="Save weekly hours").click()

    warning = page.locator("#hours-section .pv-outside")
    expect(warning).to_contain_text("1 coming booking now falls outside these hours.")
    expect(warning).to_contain_text("other")
    shoot(page, "availability-outside-warning")

    page.goto(f"/provider/schedule/?week={start:%G-W%V}")
    expect(page.locator(".pv-ev.is-outside")).to_contain_text("Outside your hours")
    expect(page.locator(".pv-warning")).to_contain_text("1 booking outside your hours")


def test_on_a_phone_the_day_strip_switches_days_in_place_with_javascript(
    page: Page, busy_week, login_as
):
    world = busy_week
    login_as(world.provider)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(week_url(world))
    settle(page)
    booked_day = world.appointment.start_time.date()

    page.get_by_role("navigation", name="Day").get_by_role(
        "link", name=re.compile(rf"\b{booked_day.day}\b")
    ).click()

    expect(page).to_have_url(re.compile(rf"day={booked_day.isoformat()}"))
    visible = page.locator(".pv-col:visible")
    expect(visible).to_have_count(1)
    expect(visible.locator(".pv-ev")).to_contain_text("client")
    assert not (violations := axe_violations(page)), describe(violations)
    shoot(page, "schedule-day-js")
