"""Worker tasks of the calendar integration. They take ids, re-read rows and call services."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from calendars import push, services
from calendars.models import BusySource

# Everything that talks to calendar servers runs on its own queue, with its own worker
# (`manage.py db_worker --queue-name calendars`): a slow server then delays other calendars,
# never the e-mails and reminders of the default queue.
QUEUE = "calendars"


@task(queue_name=QUEUE)
def push_appointment(appointment_id: int) -> str:
    """Write one appointment's current state to its calendar's CalDAV target."""
    done = push.push_run(appointment_id, now=timezone.now())
    return done.state if done is not None else "nothing to push"


@task(queue_name=QUEUE)
def sync_source(source_id: int) -> str:
    """ "Sync now", and the first read of a new source."""
    source = BusySource.objects.select_related("user").filter(pk=source_id).first()
    if source is None:
        return "gone"
    return "synced" if services.source_sync(source, now=timezone.now()) else "failed"


@task(queue_name=QUEUE)
def sync_due_sources() -> dict[str, int]:
    """The periodic job: sync every source whose interval has passed, retry due pushes."""
    now = timezone.now()
    return {**services.sources_sync_due(now=now), **push.pushes_retry_due(now=now)}
