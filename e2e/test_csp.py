"""Every page runs under the Content-Security-Policy that production sends (script-src 'self', no
inline style): the accessibility pass over every page (test_accessibility.py) also asserts that
the browser reported no violation; here, the headers and Alpine and htmx under them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_the_policy_header_is_sent_and_htmx_and_alpine_work_under_it(page, world, login_as):
    violations = watch_csp(page)
    login_as(world.booker)

    response = page.goto(f"/book/{world.calendar.slug}/")
    page.wait_for_function("() => window.Alpine !== undefined && window.htmx !== undefined")

    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    expect(page.locator("#booking-panel")).to_be_visible()
    assert violations == []
