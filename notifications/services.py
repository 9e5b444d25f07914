"""Notifications, e-mails and reminders for appointment events.

Called by the appointment services INSIDE their transaction: an appointment is never committed
without its in-app notifications, its reminder rows and its outbox e-mails. Delivery is queued
with `transaction.on_commit`, so the worker never looks for rows that do not exist yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment
from calendars.events import appointment_provider
from notifications import ics, outbox, reminders, scheduler
from notifications.emails import email_context, recipient_zone_name, render_email
from notifications.models import Notification, OutboundEmail, Reminder

Kind = OutboundEmail.Kind


def _when(appointment: Appointment, user) -> str:
    zone_name = recipient_zone_name(user, appointment)
    local = timezone.localtime(appointment.start_time, timezone=ZoneInfo(zone_name))
    return f"{local:%a %d %b %Y, %H:%M} ({zone_name})"


def notification_create(
    *, user, message: str, appointment: Appointment | None = None
) -> Notification:
    return Notification.objects.create(user=user, message=message[:255], appointment=appointment)


def appointment_booked(appointment: Appointment, *, now: datetime) -> None:
    """Inside the booking transaction: notifications and e-mails for both parties, the reminders."""
    notify_booked(appointment)
    reminders_schedule(appointment, now=now)
    emails_queue(appointment, kind=Kind.BOOKED, method=ics.REQUEST, now=now)


def appointment_cancelled(appointment: Appointment, *, by_user, now: datetime) -> None:
    notify_cancelled(appointment, by_user=by_user)
    reminders_void(appointment)
    emails_queue(appointment, kind=Kind.CANCELLED, method=ics.CANCEL, now=now, by_user=by_user)


def appointment_rescheduled(
    appointment: Appointment, *, by_user, previous_start: datetime, now: datetime
) -> None:
    """Inside the reschedule transaction (the appointment already moved, its SEQUENCE bumped):
    tell both parties, move the reminders, send the updated invitation."""
    notify_rescheduled(appointment, by_user=by_user, previous_start=previous_start)
    reminders_void(appointment)
    reminders_schedule(appointment, now=now)
    emails_queue(
        appointment,
        kind=Kind.RESCHEDULED,
        method=ics.REQUEST,
        now=now,
        by_user=by_user,
        previous_start=previous_start,
    )


def notify_booked(appointment: Appointment) -> None:
    calendar, booker = appointment.calendar, appointment.user
    notification_create(
        user=booker,
        appointment=appointment,
        message=f"Booked: {calendar.name} on {_when(appointment, booker)}.",
    )
    notification_create(
        user=calendar.provider,
        appointment=appointment,
        message=f"New booking by {booker.get_username()} on {_when(appointment, calendar.provider)}.",
    )


def notify_cancelled(appointment: Appointment, *, by_user) -> None:
    calendar, booker = appointment.calendar, appointment.user
    who = "you" if by_user == booker else by_user.get_username()
    notification_create(
        user=booker,
        appointment=appointment,
        message=f"Cancelled by {who}: {calendar.name} on {_when(appointment, booker)}.",
    )
    who = "you" if by_user == calendar.provider else by_user.get_username()
    notification_create(
        user=calendar.provider,
        appointment=appointment,
        message=f"Cancelled by {who}: {booker.get_username()} on {_when(appointment, calendar.provider)}.",
    )


def notify_rescheduled(appointment: Appointment, *, by_user, previous_start: datetime) -> None:
    calendar, booker = appointment.calendar, appointment.user
    for user, what in ((booker, calendar.name), (calendar.provider, booker.get_username())):
        who = "you" if by_user == user else by_user.get_username()
        was = timezone.localtime(previous_start, ZoneInfo(recipient_zone_name(user, appointment)))
        notification_create(
            user=user,
            appointment=appointment,
            message=f"Moved by {who}: {what} is now on {_when(appointment, user)} (was {was:%a %d %b %H:%M}).",
        )


def emails_queue(appointment: Appointment, *, kind: str, method: str, now: datetime, **extra):
    """One e-mail per party with its calendar file (the booker's invitation, the provider's
    published copy); delivered by the worker after commit."""
    provider = appointment_provider(appointment)
    files = {
        appointment.user.pk: (ics.appointment_ics(appointment, method=method), method),
        provider.pk: (ics.organizer_ics(appointment), ics.PUBLISH),
    }
    emails = []
    for user in (appointment.user, provider):
        if not user.email:
            continue
        rendered = render_email(
            kind, email_context(appointment, user, **extra), recipient=user.email
        )
        calendar_file, file_method = files[user.pk]
        emails.append(
            outbox.outbox_build(
                rendered,
                kind=kind,
                appointment=appointment,
                ics=calendar_file,
                ics_method=file_method,
                now=now,
            )
        )
    ids = [email.pk for email in OutboundEmail.objects.bulk_create(emails)]
    transaction.on_commit(lambda: delivery_enqueue(ids))
    return ids


def delivery_enqueue(ids: list[int]) -> None:
    from notifications.tasks import deliver_emails

    if ids:
        deliver_emails.enqueue(ids)
    scheduler.scheduler_ensure()


def reminders_schedule(appointment: Appointment, *, now: datetime) -> list[Reminder]:
    """One reminder per offset of the calendar; offsets already past at booking time are skipped."""
    wanted = []
    for minutes in sorted(set(appointment.calendar.reminder_offsets or []), reverse=True):
        remind_at = appointment.start_time - timedelta(minutes=minutes)
        if remind_at > now:
            wanted.append(
                Reminder(appointment=appointment, remind_at=remind_at, offset_minutes=minutes)
            )
    return Reminder.objects.bulk_create(wanted)


def reminders_void(appointment: Appointment) -> int:
    return appointment.reminders.filter(state=Reminder.State.PENDING).update(
        state=Reminder.State.VOID
    )


def deliver_due(*, now: datetime | None = None, batch_size: int | None = None) -> dict:
    """Everything that is due, until nothing is: claim due reminders (queueing their e-mails) and
    deliver due e-mails, batch by batch. Safe to run in any number of processes at once."""
    batch_size = batch_size or settings.NOTIFY_BATCH_SIZE
    claimed, report = 0, outbox.DeliveryReport()
    while True:
        just_claimed = reminders.reminders_claim_due(now=now or timezone.now(), limit=batch_size)
        claimed += just_claimed
        delivered = outbox.outbox_drain()
        report += delivered
        if just_claimed == 0 or (delivered.failed and not delivered.sent):
            break
    return {"reminders": claimed, "sent": report.sent, "failed": report.failed}


def notification_mark_read(*, notification: Notification) -> None:
    if not notification.is_read:
        notification.is_read = True
        notification.save(update_fields=["is_read"])


def notifications_mark_all_read(*, user) -> int:
    return user.notifications.filter(is_read=False).update(is_read=True)
