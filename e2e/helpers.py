"""Shared steps of the browser tests."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"  # git-ignored (var/)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_page(page: Page, spec, world, login_as) -> None:
    """Logs in as the page's user (if any), opens it and waits until htmx and Alpine settled."""
    if spec.login:
        login_as(getattr(world, spec.login))
    page.goto(spec.path(world))
    settle(page)


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !window.Alpine || document.querySelectorAll('.htmx-request').length === 0"
    )


def open_every_day(calendar) -> None:
    """Weekly hours 09:00-17:00 on all seven days, so that the month shows free days whatever
    the date the tests run on."""
    from datetime import time

    from appointments.models import WorkingHours

    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=calendar.schedule, weekday=day, start_time=time(9), end_time=time(17))
        for day in range(7)
    )


def axe_violations(page: Page) -> list[dict]:
    # Evaluated, not added as a <script>: the pages' CSP (script-src 'self') refuses inline
    # scripts, and the tests run under the CSP production sends.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        WCAG_AA,
    )


def describe(violations: list[dict]) -> str:
    """One readable paragraph per rule, with every failing element."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines) or json.dumps(violations)
