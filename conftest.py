"""Fixtures shared by every test package: the fixed cast (owner, other user, anonymous) and a
provider's calendar with published slots."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

# Frozen "now" for service and view tests: a Tuesday.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: rate-limit counters (django-ratelimit counts in the
    cache) never carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


def pytest_collection_modifyitems(items):
    """schemathesis names its cases `test_…[GET /api/v1/me]` but, on pytest 9, leaves them one
    node id; pytest-xdist keys its work by node id and would run one case of each. Give each
    case the id pytest gives any parametrised test."""
    for item in items:
        if (
            type(item).__name__ == "SchemathesisFunction"
            and item.nodeid.rsplit("::")[-1] != item.name
        ):
            item._id = item.parent.id.child(item.name)


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="PostgreSQL-only: set DATABASE_URL=postgres://... (the exclusion constraints exist there only)",
)


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, **extra):
        extra.setdefault("email", f"{username}@example.com")
        return django_user_model.objects.create_user(
            username=username, password="pw-12345-long", **extra
        )

    return make


@pytest.fixture
def provider(make_user):
    user = make_user("provider")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    return user


@pytest.fixture
def client_user(make_user):
    return make_user("client")


@pytest.fixture
def other_user(make_user):
    return make_user("other")


@pytest.fixture
def make_calendar():
    """A personal event type of `provider` on a schedule of its own in `time_zone` (no weekly
    hours unless `hours` gives them: weekday -> [(start, end)])."""
    from appointments.event_types.services import event_type_create, schedule_create

    def make(
        provider,
        *,
        name="Consultations",
        slug=None,
        time_zone="Europe/London",
        hours=None,
        schedule=None,
        **settings,
    ):
        schedule = schedule or schedule_create(owner=provider, time_zone=time_zone, hours=hours)
        return event_type_create(
            owner=provider, name=name, slug=slug, schedule=schedule, **settings
        )

    return make


@pytest.fixture
def calendar(provider, make_calendar):
    return make_calendar(provider, slug="consultations")


@pytest.fixture
def make_slot(calendar):
    from appointments.models import TimeSlot

    def make(start: datetime, minutes: int = 30, on=None):
        return TimeSlot.objects.create(
            calendar=on or calendar, start_time=start, end_time=start + timedelta(minutes=minutes)
        )

    return make


@pytest.fixture
def slot(make_slot):
    return make_slot(NOW + timedelta(days=1))


@pytest.fixture
def frozen_now():
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def queue_only(settings):
    """A task backend that keeps what is queued without running it (like a busy worker)."""
    from django_tasks import default_task_backend

    from config.settings.base import TASK_QUEUES

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()
