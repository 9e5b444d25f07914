"""Notifications, e-mails and reminders for appointment events.

Called by the appointment services INSIDE their transaction: an appointment is never committed
without its in-app notifications, its reminder rows and its outbox e-mails. Delivery is queued
with `transaction.on_commit`, so the worker never looks for rows that do not exist yet.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from calendars.events import appointment_hosts
from notifications import ics, outbox, reminders, scheduler
from notifications.emails import email_context, recipient_zone_name, render_email
from notifications.models import Notification, OutboundEmail, Reminder

Kind = OutboundEmail.Kind


def _when(appointment: Appointment, user) -> str:
    return _when_at(appointment.start_time, appointment, user)


def _when_at(instant: datetime, appointment: Appointment, user) -> str:
    zone_name = recipient_zone_name(user, appointment)
    local = timezone.localtime(instant, timezone=ZoneInfo(zone_name))
    return f"{local:%a %d %b %Y, %H:%M} ({zone_name})"


def notification_create(
    *, user, message: str, appointment: Appointment | None = None
) -> Notification | None:
    """An in-app message; a guest (no account) has no inbox and gets the e-mail only."""
    if user.pk is None:
        return None
    return Notification.objects.create(user=user, message=message[:255], appointment=appointment)


def appointment_booked(appointment: Appointment, *, now: datetime, by_user=None) -> None:
    """Inside the booking transaction (or the one of a host accepting a request, `by_user`):
    notifications and e-mails for the booker and every host, the reminders."""
    notify_booked(appointment, hosts=appointment.host_users)
    reminders_schedule(appointment, now=now)
    extra = {"by_user": by_user} if by_user is not None else {}
    emails_queue(appointment, kind=Kind.BOOKED, method=ics.REQUEST, now=now, **extra)


def appointment_requested(appointment: Appointment, *, now: datetime) -> None:
    """Inside the booking transaction of a request: the hosts are asked to accept or decline,
    the booker told that the host will answer. No calendar file and no reminders until a host
    accepts (then `appointment_booked` sends the usual confirmation)."""
    calendar, booker = appointment.calendar, appointment.booker
    notification_create(
        user=booker,
        appointment=appointment,
        message=f"Requested: {calendar.name} on {_when(appointment, booker)}; "
        "waiting for the host.",
    )
    for host in appointment.host_users:
        notification_create(
            user=host,
            appointment=appointment,
            message=f"Booking request by {booker.get_username()} for "
            f"{_when(appointment, host)}: accept or decline it.",
        )
    emails_queue(appointment, kind=Kind.REQUESTED, method="", now=now, **answer_links(appointment))


def appointment_declined(appointment: Appointment, *, by_user, now: datetime) -> None:
    """Inside the decline transaction: by a host, or by the worker (`by_user` None) when nobody
    answered in time. The booker never had a calendar file, so none is sent."""
    calendar, booker = appointment.calendar, appointment.booker
    who = by_user.get_username() if by_user is not None else "nobody answered in time"
    notification_create(
        user=booker,
        appointment=appointment,
        message=f"Declined ({who}): {calendar.name} on {_when(appointment, booker)}.",
    )
    for host in appointment.host_users:
        notification_create(
            user=host,
            appointment=appointment,
            message=f"Request declined ({who}): {booker.get_username()} on "
            f"{_when(appointment, host)}.",
        )
    emails_queue(
        appointment,
        kind=Kind.DECLINED,
        method="",
        now=now,
        automatic=by_user is None,
        book_url=settings.SITE_URL + reverse("book_calendar", args=[calendar.slug]),
        **({"by_user": by_user} if by_user is not None else {}),
    )


def answer_links(appointment: Appointment) -> dict:
    """The hosts' links to the accept and decline pages (they sign in; the pages ask before
    changing anything)."""
    return {
        "accept_url": settings.SITE_URL + reverse("appointment_accept", args=[appointment.pk]),
        "decline_url": settings.SITE_URL + reverse("appointment_decline", args=[appointment.pk]),
    }


def appointment_cancelled(
    appointment: Appointment, *, by_user, now: datetime, calendar_file: bool = True
) -> None:
    """`calendar_file` False: a request withdrawn before it was accepted (no invitation went out,
    so there is nothing to remove from anyone's calendar)."""
    notify_cancelled(appointment, by_user=by_user, hosts=appointment.host_users)
    reminders_void(appointment)
    method = ics.CANCEL if calendar_file else ""
    emails_queue(appointment, kind=Kind.CANCELLED, method=method, now=now, by_user=by_user)


def appointment_rescheduled(
    appointment: Appointment,
    *,
    by_user,
    previous_start: datetime,
    now: datetime,
    previous_hosts: Sequence = (),
) -> None:
    """Inside the reschedule transaction (the appointment already moved, its SEQUENCE bumped):
    tell everyone, move the reminders, send the updated invitation. A round-robin appointment
    that moved to another host is a cancellation for the host who lost it and a new booking
    for the one who took it."""
    hosts = appointment.host_users
    kept = [host for host in hosts if host in previous_hosts] if previous_hosts else hosts
    dropped = [host for host in previous_hosts if host not in hosts]
    added = [host for host in hosts if host not in kept]
    notify_rescheduled(appointment, by_user=by_user, previous_start=previous_start, hosts=kept)
    reminders_void(appointment)
    reminders_schedule(appointment, now=now)
    emails_queue(
        appointment,
        kind=Kind.RESCHEDULED,
        method=ics.REQUEST,
        now=now,
        recipients=[appointment.booker, *kept],
        by_user=by_user,
        previous_start=previous_start,
    )
    for host in dropped:
        notification_create(
            user=host,
            appointment=appointment,
            message=f"Now with another host: {appointment.calendar.name} that was on "
            f"{_when_at(previous_start, appointment, host)}.",
        )
    if dropped:
        # For them the appointment is over: their copy of the event is a cancelled one.
        theirs = copy.copy(appointment)
        theirs.status = Appointment.Status.CANCELLED
        emails_queue(
            theirs,
            kind=Kind.CANCELLED,
            method=ics.CANCEL,
            now=now,
            recipients=dropped,
            organizer_copies=True,
            by_user=by_user,
        )
    if added:
        notify_booked(appointment, hosts=added, booker_too=False)
        emails_queue(appointment, kind=Kind.BOOKED, method=ics.REQUEST, now=now, recipients=added)


def notify_booked(appointment: Appointment, *, hosts: Sequence, booker_too: bool = True) -> None:
    calendar, booker = appointment.calendar, appointment.booker
    if booker_too:
        notification_create(
            user=booker,
            appointment=appointment,
            message=f"Booked: {calendar.name} on {_when(appointment, booker)}.",
        )
    for host in hosts:
        notification_create(
            user=host,
            appointment=appointment,
            message=f"New booking by {booker.get_username()} on {_when(appointment, host)}.",
        )


def notify_cancelled(appointment: Appointment, *, by_user, hosts: Sequence) -> None:
    calendar, booker = appointment.calendar, appointment.booker
    who = "you" if by_user == booker else by_user.get_username()
    notification_create(
        user=booker,
        appointment=appointment,
        message=f"Cancelled by {who}: {calendar.name} on {_when(appointment, booker)}.",
    )
    for host in hosts:
        who = "you" if by_user == host else by_user.get_username()
        notification_create(
            user=host,
            appointment=appointment,
            message=f"Cancelled by {who}: {booker.get_username()} on {_when(appointment, host)}.",
        )


def notify_rescheduled(
    appointment: Appointment, *, by_user, previous_start: datetime, hosts: Sequence
) -> None:
    calendar, booker = appointment.calendar, appointment.booker
    people = [(booker, calendar.name)] + [(host, booker.get_username()) for host in hosts]
    for user, what in people:
        who = "you" if by_user == user else by_user.get_username()
        was = timezone.localtime(previous_start, ZoneInfo(recipient_zone_name(user, appointment)))
        notification_create(
            user=user,
            appointment=appointment,
            message=f"Moved by {who}: {what} is now on {_when(appointment, user)} (was {was:%a %d %b %H:%M}).",
        )


def emails_queue(
    appointment: Appointment,
    *,
    kind: str,
    method: str,
    now: datetime,
    recipients: Sequence | None = None,
    organizer_copies: bool = False,
    **extra,
):
    """One e-mail per person (the booker and every host, unless `recipients` says whom) with
    their calendar file: the invitation (`method`) for the booker and the other hosts of a
    collective booking, a published copy for the organizer (or for every recipient, with
    `organizer_copies`: hosts whose own copy this is); delivered by the worker after commit."""
    hosts = appointment_hosts(appointment)
    # No `method`: an e-mail without a calendar file (a request, a declined request).
    invitation = (ics.appointment_ics(appointment, method=method), method) if method else ("", "")
    own_copy = (ics.organizer_ics(appointment), ics.PUBLISH) if method else ("", "")
    emails = []
    people = recipients if recipients is not None else [appointment.booker, *hosts]
    for user in people:
        if not user.email:
            continue
        context = email_context(appointment, user, has_calendar_file=bool(method), **extra)
        rendered = render_email(kind, context, recipient=user.email)
        is_organizer = organizer_copies or user.pk == hosts[0].pk
        calendar_file, file_method = own_copy if is_organizer else invitation
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
