"""Deliver what is due now, once: for cron, or to drain the outbox by hand. The worker's scheduler
does the same every NOTIFY_TICK_SECONDS; running both at once is safe (everything is claimed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.services import deliver_due


class Command(BaseCommand):
    help = "Turn due reminders into e-mails and send every due e-mail in the outbox, then exit."

    def handle(self, *args, **options) -> None:
        report = deliver_due()
        self.stdout.write(
            f"Reminders claimed: {report['reminders']}; e-mails sent: {report['sent']}, "
            f"failed attempts: {report['failed']}."
        )
