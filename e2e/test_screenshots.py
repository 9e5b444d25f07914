"""Screenshots of each main page at a laptop and a phone width, for people to look at:
var/screenshots/<page>-<width>.png (git-ignored). They must also fit: no sideways scrolling."""

from __future__ import annotations

import pytest

from e2e.helpers import SCREENSHOTS, open_page
from e2e.pages import PAGES

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1280, 800), "mobile": (390, 844)}
MAIN_PAGES = [spec for spec in PAGES if spec.main]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("spec", MAIN_PAGES, ids=str)
def test_a_screenshot_of_the_page(page, world, login_as, spec, viewport):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, spec, world, login_as)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{spec.name}-{width}.png"

    page.screenshot(path=str(target), full_page=True)

    assert target.stat().st_size > 0
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{spec.name} scrolls sideways by {overflow}px at {width}px"
