"""The pages of this layout with JavaScript off: plain links, forms, POST/redirect/GET."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def java_script_off(browser, live_server, world):
    from django.conf import settings
    from django.test import Client

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    contexts = []
    yield open_as
    for context in contexts:
        context.close()


def test_cancelling_goes_through_the_confirmation_page(java_script_off, world):
    page = java_script_off(world.booker)
    page.goto(f"/appointments/{world.appointment.pk}/")

    page.get_by_role("link", name="Cancel appointment").click()
    expect(page.get_by_role("heading", name="Cancel this appointment?")).to_be_visible()
    page.get_by_role("button", name="Yes, cancel it").click()

    expect(
        page.get_by_text("The appointment is cancelled; the time is free again.")
    ).to_be_visible()
    world.appointment.refresh_from_db()
    assert not world.appointment.is_active


def test_the_zone_is_a_plain_select_and_the_tabs_are_links(java_script_off, world):
    page = java_script_off(world.booker)
    page.goto("/accounts/profile/")
    expect(page.get_by_label("Search time zones")).to_be_hidden()

    page.get_by_label("Time zone", exact=True).select_option("America/Toronto")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.goto("/appointments/")
    page.get_by_role("link", name="Past").click()

    expect(page).to_have_url(f"{page.url.split('?')[0]}?tab=past")
    expect(page.get_by_role("link", name="Past")).to_have_attribute("aria-current", "page")
    expect(page.locator(".footer-zone")).to_have_text("Times in America/Toronto · change")


def test_every_link_of_the_navigation_is_there_on_a_phone(java_script_off, world):
    page = java_script_off(world.booker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")

    nav = page.get_by_role("navigation", name="Main")
    for name in ("Dashboard", "Book", "Appointments", "Notifications 1 unread", "Profile"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
