"""axe-core over every page of e2e/pages.py, logged in and out: no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

from e2e.helpers import axe_violations, describe, open_page
from e2e.pages import PAGES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_the_page_has_no_accessibility_violations(page, world, login_as, spec):
    open_page(page, spec, world, login_as)

    violations = axe_violations(page)

    assert not violations, f"{spec.name} ({page.url}):\n{describe(violations)}"


def test_the_mobile_menu_and_an_open_dialog_have_no_violations(page, world, login_as):
    login_as(world.booker)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/appointments/{world.appointment.pk}/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Cancel appointment").click()

    violations = axe_violations(page)

    assert not violations, describe(violations)
