"""axe-core over every page of e2e/pages.py, logged in and out: no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.helpers import axe_violations, describe, open_page
from e2e.pages import PAGES
from e2e.test_csp import watch_csp

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_the_page_has_no_accessibility_violations(page, world, login_as, spec):
    refused = watch_csp(page)
    open_page(page, spec, world, login_as)

    violations = axe_violations(page)

    assert not violations, f"{spec.name} ({page.url}):\n{describe(violations)}"
    assert refused == [], f"{spec.name}: the Content-Security-Policy refused {refused}"


def test_the_mobile_menu_and_an_open_dialog_have_no_violations(page, world, login_as):
    login_as(world.booker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/appointments/{world.appointment.pk}/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Cancel appointment").click()

    violations = axe_violations(page)

    assert not violations, describe(violations)


def test_forms_showing_errors_and_a_toast_have_no_violations(page, world, login_as):
    page.goto("/accounts/register/")
    page.get_by_label("Username").fill("client")
    page.get_by_label("E-mail").fill("client@example.com")
    page.get_by_label("Password", exact=True).fill("123")
    page.get_by_label("Password confirmation").fill("1234")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("A user with that username already exists.")).to_be_visible()
    assert not (violations := axe_violations(page)), describe(violations)

    login_as(world.booker)
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Profile saved.")).to_be_visible()
    assert not (violations := axe_violations(page)), describe(violations)
