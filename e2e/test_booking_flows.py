"""Booking in a real browser: sign up to cancelled with and without JavaScript, a provider's hours
and week view, and two people racing for one time."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from appointments.models import Appointment, WorkingHours

WEEKDAY_NAMES = [label for _, label in WorkingHours.Weekday.choices]

pytestmark = pytest.mark.e2e

PASSWORD = "a-Long-and-unusual-pw-42"
FREE_DAY = re.compile(r", \d+ free times?$")
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture
def open_every_day(world):
    """The world's calendar works 09:00-17:00 every day, so computed times exist whatever today is."""
    WorkingHours.objects.bulk_create(
        WorkingHours(
            schedule=world.calendar.schedule, weekday=day, start_time=time(9), end_time=time(17)
        )
        for day in range(7)
    )
    return world.calendar


def shoot(page: Page, name: str) -> None:
    """A screenshot of a state only reachable by interaction, at both widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def register(page: Page, username: str) -> None:
    page.goto("/accounts/register/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def set_zone(page: Page, zone: str) -> None:
    page.goto("/accounts/profile/")
    page.get_by_label("Time zone", exact=True).select_option(zone)
    page.get_by_role("button", name="Save changes").click()


def open_calendar_page(page: Page, calendar_name: str) -> None:
    page.goto("/book/")
    page.get_by_role("link", name=calendar_name).click()


def choose_last_free_day(page: Page) -> None:
    """Click the month's last day with free times and wait until its times replaced the panel."""
    day = page.get_by_role("button", name=FREE_DAY).last
    full_date = day.get_attribute("aria-label").split(",")[0]
    day.click()
    expect(page.locator("#booking-panel .bk-day-title")).to_have_text(full_date)


def test_a_new_user_registers_sets_a_zone_books_downloads_the_ics_and_cancels(
    page: Page, world, open_every_day
):
    register(page, "newbie")
    set_zone(page, "America/New_York")
    open_calendar_page(page, world.calendar.name)
    expect(page.get_by_text("Times in America/New_York").first).to_be_visible()

    choose_last_free_day(page)
    book = page.get_by_role("button", name="Book this time")
    expect(book).to_be_disabled()
    page.locator(".bk-slot").first.click()
    expect(book).to_be_enabled()
    page.get_by_label("What would you like to discuss?").fill("A sore knee")
    expect(page.locator("#description-count")).to_have_text("1989 of 2000 characters left")
    book.click()

    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator("#upcoming-appointments")).to_contain_text(world.calendar.name)
    expect(page.locator("#nav-notifications .badge")).to_contain_text("1")
    shoot(page, "book-confirmed")
    appointment = Appointment.objects.get(user__username="newbie")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    ics = Path(download.value.path()).read_text()
    assert f"UID:{appointment.ical_uid}" in ics and "METHOD:PUBLISH" in ics

    page.goto("/")
    expect(page.locator("main")).to_contain_text(world.calendar.name)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(f"Booked: {world.calendar.name}")
    page.goto(f"/appointments/{appointment.pk}/")
    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel it").click()

    expect(page.locator("main")).to_contain_text("This appointment is cancelled")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_the_same_flow_works_without_javascript(browser, live_server, world, open_every_day):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    register(page, "nojs")
    set_zone(page, "Asia/Kolkata")
    open_calendar_page(page, world.calendar.name)

    page.get_by_role("button", name=FREE_DAY).last.click()
    expect(page).to_have_url(re.compile(r"\?month=\d{4}-\d{2}&day=\d{4}-\d{2}-\d{2}$"))
    expect(page.get_by_text("Times in Asia/Kolkata (IST)").first).to_be_visible()
    page.locator(".bk-slot").first.click()
    page.get_by_label("What would you like to discuss?").fill("No script needed")
    page.get_by_role("button", name="Book this time").click()

    appointment = Appointment.objects.get(user__username="nojs")
    expect(page).to_have_url(re.compile(rf"/appointments/{appointment.pk}/$"))
    expect(page.locator(".toast")).to_contain_text("Your appointment is booked.")
    page.goto("/")
    expect(page.locator("main")).to_contain_text(world.calendar.name)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(f"Booked: {world.calendar.name}")
    page.goto(f"/appointments/{appointment.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    assert f"UID:{appointment.ical_uid}" in Path(download.value.path()).read_text()
    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_role("button", name="Yes, cancel it").click()

    expect(page.locator("main")).to_contain_text("This appointment is cancelled")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    context.close()


def test_a_provider_edits_working_hours_and_sees_a_new_booking_in_the_week_view(
    page: Page, world, login_as
):
    from appointments.availability import selectors as availability
    from appointments.booking import services

    login_as(world.provider)
    page.goto("/provider/availability/")
    for day, label in enumerate(WEEKDAY_NAMES):
        page.get_by_role("button", name=f"Add hours on {label}").click()
        page.locator(f'input[name="hours-{day}-start"]').first.fill("09:00")
        page.locator(f'input[name="hours-{day}-end"]').first.fill("12:00")
    page.get_by_role("button", name="Add hours on Monday").click()
    page.locator('input[name="hours-0-start"]').nth(1).fill("13:00")
    page.locator('input[name="hours-0-end"]').nth(1).fill("17:00")
    page.get_by_role("button", name="Save weekly hours").click()

    expect(page.get_by_role("status").filter(has_text="Working hours saved.")).to_be_visible()
    assert world.calendar.schedule.working_hours.filter(weekday=0).count() == 2
    assert world.calendar.schedule.working_hours.count() == 8

    now = timezone.now()
    free = availability.available_slots(
        world.calendar, window_start=now, window_end=now + timedelta(days=7), now=now
    )
    computed = next(slot for slot in free if slot.slot_id is None)
    booking = services.appointment_book(
        user=world.other, calendar=world.calendar, start=computed.start, description="Check-up"
    )
    page.goto("/provider/schedule/")
    if not page.locator(".pv-ev", has_text="Check-up").count():
        page.get_by_role("link", name="Next week").click()

    item = page.locator(".pv-ev", has_text="Check-up")
    expect(item).to_contain_text("other")
    expect(item).to_contain_text("Confirmed")
    expect(item.get_by_role("link").first).to_have_attribute("href", f"/appointments/{booking.pk}/")


def logged_in_context(browser, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/London")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def test_two_people_race_for_one_slot_and_the_loser_books_an_alternative(
    browser, live_server, world
):
    first = logged_in_context(browser, live_server, world.booker).new_page()
    second = logged_in_context(browser, live_server, world.other).new_page()
    day = world.appointment.start_time.date()
    contested = world.calendar.time_slots.exclude(appointments__isnull=False).order_by(
        "start_time"
    )[0]
    for page in (first, second):
        page.goto(f"/book/{world.calendar.slug}/?day={day:%Y-%m-%d}")
        page.locator(f'.bk-slot:has(input[value="slot:{contested.pk}"])').click()
    second.get_by_label("What would you like to discuss?").fill("Racing")

    first.get_by_role("button", name="Book this time").click()
    expect(first.get_by_role("heading", name="You're booked")).to_be_visible()
    second.get_by_role("button", name="Book this time").click()

    refusal = second.locator("#booking-refusal")
    expect(refusal).to_contain_text("just taken")
    alternatives = refusal.locator("button.bk-alt")
    expect(alternatives).to_have_count(3)
    shoot(second, "book-taken")
    alternatives.first.click()

    expect(second.get_by_role("heading", name="You're booked")).to_be_visible()
    won = Appointment.objects.get(user=world.booker, time_slot=contested)
    consolation = Appointment.objects.get(user=world.other)
    assert won.is_active and consolation.time_slot != contested
    assert consolation.description == "Racing"


def focused_date(page: Page) -> str:
    return page.evaluate("() => document.activeElement.dataset.date || ''")


def test_the_month_calendar_is_driven_by_the_keyboard(page: Page, world, open_every_day):
    today = timezone.localdate()
    page.goto(f"/book/{world.calendar.slug}/")
    page.wait_for_function("() => window.Alpine !== undefined")
    days = page.locator("#month-calendar button.bk-day")
    expect(days.and_(page.locator('[tabindex="0"]'))).to_have_count(1)
    middle = today.replace(day=15)
    page.locator(f'button.bk-day[data-date="{middle:%Y-%m-%d}"]').focus()

    for key, expected in [
        ("ArrowRight", middle + timedelta(days=1)),
        ("ArrowLeft", middle),
        ("ArrowDown", middle + timedelta(days=7)),
        ("ArrowUp", middle),
        ("Home", middle - timedelta(days=middle.weekday())),
        ("End", middle + timedelta(days=6 - middle.weekday())),
    ]:
        page.keyboard.press(key)
        assert focused_date(page) == f"{expected:%Y-%m-%d}", key
    expect(days.and_(page.locator('[tabindex="0"]'))).to_have_count(1)

    last_of_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    page.locator(f'button.bk-day[data-date="{last_of_month:%Y-%m-%d}"]').focus()
    page.keyboard.press("ArrowRight")

    next_first = last_of_month + timedelta(days=1)
    expect(page.locator("#month-calendar .bk-month-label")).to_have_text(f"{next_first:%B %Y}")
    page.wait_for_function(f"() => document.activeElement.dataset.date === '{next_first:%Y-%m-%d}'")
    page.keyboard.press("Enter")
    expect(page.locator("#booking-panel .bk-day-title")).to_contain_text(
        f"{next_first:%A} {next_first.day} {next_first:%B %Y}"
    )


def test_the_calendar_search_filters_as_you_type_without_a_reload(page: Page, world):
    page.goto("/book/")
    page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_label("Search by name, topic or provider").fill("nothing-like-this")

    expect(page.locator("#calendar-results")).to_contain_text("No calendar matches")
    expect(page).to_have_url(re.compile(r"\?q=nothing-like-this$"))
    page.get_by_label("Search by name, topic or provider").fill("demo")
    expect(page.get_by_role("link", name=world.calendar.name)).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True
