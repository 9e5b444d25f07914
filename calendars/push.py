"""Write-back: copies of a calendar's bookings in one chosen CalDAV calendar.

The booking services call `appointment_changed` inside their transaction; it marks the
appointment's push row pending and, once the booking has committed, queues `push_appointment`.
The task re-reads the appointment and writes what it is *now* (an event keyed by its UID, or
no event once cancelled), so retries and repeated pushes never duplicate. A failure is recorded
on the row and retried with growing delays by the periodic job; it never touches the booking.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction

from appointments.models import Appointment, Calendar
from calendars.caldav.client import CalDavWriter
from calendars.crypto import DecryptError
from calendars.events import appointment_ics
from calendars.models import AppointmentPush, PushTarget
from calendars.services import PASSWORD_UNREADABLE, caldav_calendars, fetch_limits
from calendars.sources import RemoteCalendar, SourceError

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=6)
MAX_ATTEMPTS = 10  # about a day of retries with the delays above


def appointment_changed(appointment: Appointment) -> None:
    """Called by the booking services inside their transaction. One query when the calendar
    does not push; otherwise the push row is marked pending and queued after commit."""
    if not PushTarget.objects.filter(calendar_id=appointment.calendar_id, enabled=True).exists():
        return
    AppointmentPush.objects.update_or_create(
        appointment=appointment,
        defaults={
            "calendar_id": appointment.calendar_id,
            "remote_uid": appointment.ical_uid,
            "state": AppointmentPush.State.PENDING,
            "attempts": 0,
            "next_attempt_at": None,
        },
    )
    transaction.on_commit(lambda: _enqueue(appointment.pk))


def _enqueue(appointment_id: int) -> None:
    from calendars.tasks import push_appointment

    try:
        push_appointment.enqueue(appointment_id)
    except Exception:
        # The booking is committed; the row stays pending and the periodic job sends it.
        logger.exception("Could not queue the calendar push of appointment %s", appointment_id)


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def push_run(appointment_id: int, *, now: datetime) -> AppointmentPush | None:
    """Make the remote calendar match the appointment as it is now; record the outcome."""
    push = (
        AppointmentPush.objects.select_related("appointment__calendar__provider")
        .select_related("appointment__user")
        .filter(appointment_id=appointment_id)
        .first()
    )
    if push is None or push.state == AppointmentPush.State.DONE:
        return push  # nothing asked for, or an earlier task already did it
    appointment = push.appointment
    try:
        _write(appointment, _writer_for(appointment.calendar))
    except SourceError as error:
        _record(push, now=now, error=str(error))
    else:
        _record(push, now=now, sequence=appointment.sequence)
    return push


def _writer_for(calendar: Calendar) -> CalDavWriter:
    target = PushTarget.objects.filter(calendar=calendar).first()
    if target is None or not target.ready:
        raise SourceError("Write-back is switched off for this calendar.")
    try:
        password = target.password()
    except DecryptError as error:
        raise SourceError(PASSWORD_UNREADABLE) from error
    return CalDavWriter(
        target.url, target.username, password, target.calendar_url, **fetch_limits()
    )


def _write(appointment: Appointment, writer: CalDavWriter) -> None:
    if appointment.is_active:
        writer.put(appointment.ical_uid, appointment_ics(appointment))
    else:
        writer.delete(appointment.ical_uid)


def _record(
    push: AppointmentPush, *, now: datetime, error: str = "", sequence: int | None = None
) -> None:
    push.attempts += 1
    push.last_attempt_at = now
    push.last_error = error
    if not error:
        push.state, push.next_attempt_at = AppointmentPush.State.DONE, None
        push.pushed_sequence = sequence
    elif push.attempts >= MAX_ATTEMPTS:
        push.state, push.next_attempt_at = AppointmentPush.State.GAVE_UP, None
    else:
        push.state = AppointmentPush.State.FAILED
        push.next_attempt_at = now + retry_delay(push.attempts)
    # Only if no newer change re-queued it meanwhile (which reset the row to pending).
    AppointmentPush.objects.filter(pk=push.pk, updated_at=push.updated_at).update(
        attempts=push.attempts,
        last_attempt_at=now,
        last_error=error,
        state=push.state,
        next_attempt_at=push.next_attempt_at,
        pushed_sequence=push.pushed_sequence,
        updated_at=now,
    )


def pushes_due(now: datetime) -> list[int]:
    """Appointments whose push failed and whose retry time has come, or that were never sent
    (their task was lost)."""
    failed = AppointmentPush.objects.filter(
        state=AppointmentPush.State.FAILED, next_attempt_at__lte=now
    )
    lost = AppointmentPush.objects.filter(
        state=AppointmentPush.State.PENDING, updated_at__lte=now - RETRY_BASE
    )
    return list((failed | lost).values_list("appointment_id", flat=True))


def pushes_retry_due(*, now: datetime) -> dict[str, int]:
    report = {"pushed": 0, "failed": 0}
    for appointment_id in pushes_due(now):
        push = push_run(appointment_id, now=now)
        ok = push is not None and push.state == AppointmentPush.State.DONE
        report["pushed" if ok else "failed"] += 1
    return report


def push_target_connect(
    *, calendar: Calendar, url: str, username: str, password: str
) -> tuple[PushTarget, list[RemoteCalendar]]:
    """Check the account and keep it, switched off until a calendar is chosen."""
    found = caldav_calendars(url, username, password, zone=calendar.zone.key)
    target, _ = PushTarget.objects.update_or_create(
        calendar=calendar,
        defaults={"url": url.strip(), "username": username, "calendar_url": "", "enabled": False},
    )
    target.set_password(password)
    target.save(update_fields=["encrypted_password"])
    return target, found


def push_target_remote_calendars(target: PushTarget) -> list[RemoteCalendar]:
    try:
        password = target.password()
    except DecryptError as error:
        raise SourceError(PASSWORD_UNREADABLE) from error
    return caldav_calendars(target.url, target.username, password, zone=target.calendar.zone.key)


def push_target_choose(
    *, target: PushTarget, remote: RemoteCalendar, enabled: bool = True
) -> PushTarget:
    """Bookings from now on are written to `remote` (earlier ones are not copied)."""
    target.calendar_url, target.calendar_name, target.enabled = remote.url, remote.name, enabled
    target.save(update_fields=["calendar_url", "calendar_name", "enabled"])
    return target


def push_target_delete(*, target: PushTarget) -> None:
    """Stop writing back. Events already written stay in the remote calendar."""
    AppointmentPush.objects.filter(calendar_id=target.calendar_id).delete()
    target.delete()
