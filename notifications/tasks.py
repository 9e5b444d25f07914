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
def scheduler_tick(token: str) -> dict:
    """The periodic job: queue the next tick first, then deliver what is due."""
    if not scheduler.scheduler_continue(token, now=timezone.now()):
        return {"superseded": True}
    return services.deliver_due()
