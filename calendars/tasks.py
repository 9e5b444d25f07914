"""Worker tasks of the calendar integration. They take ids, re-read rows and call services."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from calendars import push, services


@task()
def push_appointment(appointment_id: int) -> str:
    """Write one appointment's current state to its calendar's CalDAV target."""
    done = push.push_run(appointment_id, now=timezone.now())
    return done.state if done is not None else "nothing to push"


@task()
def sync_due_sources() -> dict[str, int]:
    """The periodic job: sync every source whose interval has passed, retry due pushes."""
    now = timezone.now()
    return {**services.sources_sync_due(now=now), **push.pushes_retry_due(now=now)}
