"""The pages a visitor sees when something goes wrong: 500 and CSRF failure are rendered by Django
outside normal routing, so the browser is handed the real responses through request interception."""

from __future__ import annotations

import pytest
from django.test import Client
from django.views.defaults import server_error
from playwright.sync_api import expect

from e2e.helpers import SCREENSHOTS, axe_violations, describe

pytestmark = pytest.mark.e2e


def serve(page, path: str, response) -> None:
    page.route(
        f"**{path}",
        lambda route: route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type=response["Content-Type"],
        ),
    )
    page.goto(path)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_500_page_is_styled_and_accessible(page, world, rf, width):
    page.set_viewport_size({"width": width, "height": 800})

    serve(page, "/broken/", server_error(rf.get("/broken/")))

    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("ui-sans-serif")
    assert not (violations := axe_violations(page)), describe(violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"error-500-{width}.png"), full_page=True)


def test_the_csrf_failure_page_is_styled_and_accessible(page, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.booker)
    refused = browser.post("/accounts/logout/")

    serve(page, "/accounts/logout/", refused)

    expect(page.get_by_role("heading", name="That form had expired")).to_be_visible()
    assert not (violations := axe_violations(page)), describe(violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "error-csrf-1280.png"), full_page=True)


def test_the_403_page_is_styled_and_accessible(page, world, rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/forbidden/")
    request.user = world.booker

    serve(page, "/forbidden/", permission_denied(request, PermissionDenied()))

    expect(page.get_by_role("heading", name="You can't do that here")).to_be_visible()
    assert not (violations := axe_violations(page)), describe(violations)
