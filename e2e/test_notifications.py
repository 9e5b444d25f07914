"""Marking notifications read in the browser: the list and the navigation badge change in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from notifications.models import Notification

pytestmark = pytest.mark.e2e


def test_marking_read_refreshes_the_badge_without_a_reload(page, world, login_as):
    Notification.objects.create(user=world.booker, message="Your provider added a note.")
    login_as(world.booker)
    page.goto("/notifications/")
    badge = page.locator("#nav-notifications .badge")
    expect(badge).to_have_text("2 unread")
    page.evaluate("() => { window.notReloaded = true; }")

    page.get_by_role("button", name="Mark read: Your provider added a note.").click()

    expect(badge).to_have_text("1 unread")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#nav-notifications")).to_have_text("Notifications")
    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()
    assert page.evaluate("() => window.notReloaded") is True
    assert not world.booker.notifications.filter(is_read=False).exists()


def test_without_javascript_marking_read_still_works(browser, live_server, world):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world.booker)
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
    page = context.new_page()
    page.goto("/notifications/")

    page.get_by_role("button", name="Mark all read").click()

    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()
    assert not world.booker.notifications.filter(is_read=False).exists()
    context.close()
