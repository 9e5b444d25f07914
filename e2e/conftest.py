"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Playwright cannot download its own browser here, so the launch is pointed at /usr/bin/chromium
(`make test` installs it). A machine without it FAILS these tests: a silently skipped browser
suite would hide a broken product."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from accounts.middleware import BROWSER_ZONE_COOKIE

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse the
# ORM calls our fixtures make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "pw-12345-long"
BROWSER_ZONE = "Europe/London"  # the browser's zone in every context (timezone_id)


def pytest_collection_modifyitems(items) -> None:
    # Every test under e2e/ is a browser test, whether or not its module says so.
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make chromium` (or `apt-get install chromium`).",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args: dict, live_server) -> dict:
    return {**browser_context_args, "base_url": live_server.url, "timezone_id": BROWSER_ZONE}


@pytest.fixture
def login_as(context, live_server) -> Callable:
    """Logs the browser context in as `user` by handing it a real session cookie, and the
    browser-zone cookie app.js would have set on an earlier visit (the login page)."""
    from django.conf import settings
    from django.test import Client

    def login(user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                {"name": BROWSER_ZONE_COOKIE, "value": BROWSER_ZONE, "url": live_server.url},
            ]
        )

    return login


@dataclass
class World:
    """A small, believable data set the pages are rendered with."""

    provider: object
    booker: object
    other: object
    calendar: object
    appointment: object
    past_appointment: object
    notification: object


@pytest.fixture
def world(transactional_db, make_user) -> World:
    from django.utils import timezone

    from appointments.booking import services
    from appointments.booking.hosts import hold
    from appointments.event_types.services import event_type_create, schedule_create
    from appointments.models import Appointment, TimeSlot

    provider = make_user("provider", first_name="Dana", last_name="Demo")
    provider.profile.time_zone = "Europe/London"
    provider.profile.save()
    booker = make_user("client")
    other = make_user("other")
    calendar = event_type_create(
        owner=provider,
        name="Dr Demo's consultations",
        slug="dr-demo",
        schedule=schedule_create(owner=provider, time_zone="Europe/London"),
        description="Thirty-minute consultations, in person or by phone.",
    )
    now = timezone.now()
    start = (now + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    slots = [
        TimeSlot.objects.create(
            calendar=calendar,
            start_time=start + timedelta(minutes=30 * i),
            end_time=start + timedelta(minutes=30 * (i + 1)),
        )
        for i in range(6)
    ]
    appointment = services.appointment_book(
        user=booker, time_slot=slots[0], description="First visit: a sore knee."
    )
    # History cannot be booked through the service (it refuses the past), so it is written directly.
    past_start = (now - timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
    past_appointment = Appointment.objects.create(
        user=booker,
        calendar=calendar,
        start_time=past_start,
        end_time=past_start + timedelta(minutes=30),
        description="Follow-up.",
    )
    hold(past_appointment, [provider.pk])
    return World(
        provider=provider,
        booker=booker,
        other=other,
        calendar=calendar,
        appointment=appointment,
        past_appointment=past_appointment,
        notification=booker.notifications.first(),
    )
