"""Due reminders: claimed by exactly one worker, turned into notifications and outbox e-mails in
the same transaction, so a reminder is either still pending or has all its messages queued."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.urls import reverse

from appointments.models import Appointment
from notifications.emails import email_context, render_email
from notifications.models import Notification, OutboundEmail, Reminder
from notifications.outbox import outbox_build

State = Reminder.State


def lead_time_text(minutes: int) -> str:
    """1440 -> "in 1 day", 90 -> "in 90 minutes": the wording of the offset the provider chose."""
    for unit, size in (("day", 1440), ("hour", 60)):
        if minutes % size == 0:
            count = minutes // size
            return f"in {count} {unit}{'' if count == 1 else 's'}"
    return f"in {minutes} minute{'' if minutes == 1 else 's'}"


def reminder_recipients(appointment: Appointment) -> list:
    recipients = [appointment.booker]
    if appointment.calendar.remind_provider:
        recipients.extend(appointment.host_users)
    return recipients


def wants_reminder_emails(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(user.email) and (profile is None or profile.email_reminders)


def reminder_messages(reminder: Reminder, *, now: datetime):
    """The in-app notifications and e-mails of one reminder (unsaved)."""
    appointment = reminder.appointment
    notifications, emails = [], []
    for user in reminder_recipients(appointment):
        lead_time = lead_time_text(reminder.offset_minutes)
        context = email_context(
            appointment, user, lead_time=lead_time, profile_path=reverse("profile")
        )
        message = f"Reminder: {appointment.calendar.name} {lead_time}, {context['when']}."
        if user.pk is not None:  # a guest has no inbox, only the e-mail
            notifications.append(
                Notification(user=user, appointment=appointment, message=message[:255])
            )
        if wants_reminder_emails(user):  # the in-app reminder is kept either way
            rendered = render_email("reminder", context, recipient=user.email)
            emails.append(
                outbox_build(
                    rendered,
                    kind=OutboundEmail.Kind.REMINDER,
                    appointment=appointment,
                    reminder=reminder,
                    now=now,
                )
            )
    return notifications, emails


def due_reminders(now: datetime):
    due = (
        Reminder.objects.filter(
            state=State.PENDING,
            remind_at__lte=now,
            appointment__status=Appointment.Status.CONFIRMED,
        )
        .select_related("appointment__calendar__provider__profile", "appointment__user__profile")
        .prefetch_related("appointment__host_rows__user__profile")
        .order_by("remind_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: concurrent workers take disjoint sets instead of waiting for each other.
        due = due.select_for_update(skip_locked=True, of=("self",))
    return due


def reminders_claim_due(*, now: datetime, limit: int) -> int:
    """Claim up to `limit` due reminders and queue their messages; return how many were claimed.

    On PostgreSQL the rows are locked (FOR UPDATE SKIP LOCKED) and re-checked; on SQLite the
    transaction holds the database's write lock from BEGIN (IMMEDIATE mode), so no other worker can
    claim between our read and our UPDATE. The UPDATE re-checks `pending` in any case.
    """
    with transaction.atomic():
        # A reminder still pending once its appointment has started (the worker was down) would
        # only be noise now: it is voided, not sent.
        Reminder.objects.filter(
            state=State.PENDING, remind_at__lte=now, appointment__start_time__lte=now
        ).update(state=State.VOID)
        reminders = list(due_reminders(now)[:limit])
        if not reminders:
            return 0
        claimed = Reminder.objects.filter(
            pk__in=[r.pk for r in reminders], state=State.PENDING
        ).update(state=State.SENT, claimed_at=now, sent_at=now)
        if claimed != len(reminders):
            raise RuntimeError("Reminders changed under a claim; the transaction is rolled back.")
        notifications, emails = [], []
        for reminder in reminders:
            more_notifications, more_emails = reminder_messages(reminder, now=now)
            notifications += more_notifications
            emails += more_emails
        Notification.objects.bulk_create(notifications)
        OutboundEmail.objects.bulk_create(emails)
    return len(reminders)
