"""Worker task of host confirmation, queued on every scheduler tick
(settings.SCHEDULER_PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task

from appointments.confirmation import services


@task()
def expire_requests() -> dict:
    """Decline the booking requests that nobody answered in time."""
    return {"declined": services.requests_expire()}
