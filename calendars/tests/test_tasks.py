"""The calendar jobs ride on the notifications scheduler: every tick queues the sync pass."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from calendars import services
from calendars.models import BusySource
from calendars.tasks import sync_due_sources
from config.settings.base import TASK_QUEUES
from notifications import scheduler
from notifications.tasks import scheduler_tick

pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_backend(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def test_every_scheduler_tick_queues_the_calendar_sync_pass(
    dummy_backend, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.scheduler_ensure()
    token = scheduler.SchedulerChain.objects.get().token
    dummy_backend.clear()

    scheduler_tick.call(token, 0)

    queued = [result.task.name for result in dummy_backend.results]
    assert sync_due_sources.name in queued


def test_a_source_claimed_by_another_pass_is_left_to_it(calendar, frozen_now):
    source = BusySource.objects.create(
        user=calendar.provider, kind="ics", name="Work", url="https://example.com/a.ics"
    )
    assert services._claim(source.pk, frozen_now) is True

    assert services.sources_sync_due(now=frozen_now) == {"synced": 0, "failed": 0}
    source.refresh_from_db()
    assert source.last_synced_at is None
