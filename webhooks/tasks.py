"""Worker tasks: send webhook deliveries now (after a booking commits) and retry due ones (on
every scheduler tick, settings.SCHEDULER_PERIODIC_TASKS)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from webhooks import services


@task()
def deliver(delivery_ids: list[int]) -> dict:
    sent = [services.delivery_attempt(pk) for pk in delivery_ids]
    return {"attempted": sum(1 for delivery in sent if delivery is not None)}


@task()
def deliver_due() -> dict:
    due = services.due_deliveries(timezone.now())
    sent = [services.delivery_attempt(pk) for pk in due]
    return {"attempted": sum(1 for delivery in sent if delivery is not None)}
