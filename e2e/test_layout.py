"""The layout's behaviour in a real browser: the browser-zone cookie, toasts, the mobile menu,
the zone picker and the cancel dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_an_anonymous_visitor_sees_times_in_the_browsers_zone(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, timezone_id="America/New_York")
    page = context.new_page()

    page.goto("/accounts/login/")
    page.wait_for_function("() => document.cookie.includes('tz=America/New_York')")
    page.goto("/accounts/register/")

    expect(page.locator(".footer-zone")).to_have_text("Times in America/New_York")
    context.close()


def test_the_zone_picker_filters_and_saves_the_zone(page, world, login_as):
    login_as(world.booker)
    page.goto("/accounts/profile/")
    select = page.get_by_label("Time zone", exact=True)
    expect(select).to_have_value("Europe/London")  # the browser's, pre-selected

    page.get_by_label("Search time zones").fill("tokyo")
    expect(select).to_have_value("Asia/Tokyo")
    page.get_by_role("button", name="Save changes").click()

    toast = page.get_by_role("status").filter(has_text="Profile saved.")
    expect(toast).to_be_visible()
    expect(page.locator(".footer-zone")).to_have_text("Times in Asia/Tokyo · change")
    toast.get_by_role("button", name="Dismiss message").click()
    expect(toast).to_be_hidden()
    world.booker.profile.refresh_from_db()
    assert world.booker.profile.time_zone == "Asia/Tokyo"


def test_the_menu_folds_on_a_phone(page, world, login_as):
    login_as(world.booker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    appointments = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Appointments"
    )
    expect(appointments).to_be_hidden()

    page.get_by_role("button", name="Menu").click()

    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    expect(appointments).to_be_visible()


def test_cancelling_from_the_detail_page_asks_in_a_dialog(page, world, login_as):
    login_as(world.booker)
    page.goto(f"/appointments/{world.appointment.pk}/")

    page.get_by_role("link", name="Cancel appointment").click()
    dialog = page.get_by_role("dialog", name="Cancel this appointment?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Cancel appointment").click()
    dialog.get_by_role("button", name="Yes, cancel it").click()

    expect(
        page.get_by_text("The appointment is cancelled; the time is free again.")
    ).to_be_visible()
    world.appointment.refresh_from_db()
    assert not world.appointment.is_active
