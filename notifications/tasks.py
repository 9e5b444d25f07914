"""Worker tasks. They take ids, re-read the rows and call the notification services."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from notifications import outbox, scheduler, services


@task()
def deliver_emails(email_ids: list[int]) -> dict:
    """Deliver these outbox messages now (the booking's confirmation e-mails)."""
    report = outbox.outbox_deliver(ids=list(email_ids))
    scheduler.scheduler_ensure()
    return {"sent": report.sent, "failed": report.failed}


@task()
def deliver_due_now() -> dict:
    """One delivery pass: due reminders become e-mails, due e-mails are sent, until none is due."""
    return services.deliver_due()


@task()
def scheduler_tick(token: str, tick: int) -> dict:
    """The periodic job: queue the next tick and one delivery pass."""
    if not scheduler.scheduler_continue(token, tick, now=timezone.now()):
        return {"superseded": True}
    deliver_due_now.enqueue()
    for periodic in scheduler.periodic_tasks():
        periodic.enqueue()
    return {"tick": tick}
