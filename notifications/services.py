"""Notifications and reminders for appointment events. Called by the appointment services
inside their transaction, so an appointment never exists without its notifications and reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from appointments.models import Appointment
from notifications.models import Notification, Reminder


def _when(appointment: Appointment, user) -> str:
    profile = getattr(user, "profile", None)
    zone_name = (profile.time_zone if profile else "") or appointment.calendar.time_zone
    local = timezone.localtime(appointment.start_time, timezone=_zone(zone_name))
    return f"{local:%a %d %b %Y, %H:%M} ({zone_name})"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def notification_create(
    *, user, message: str, appointment: Appointment | None = None
) -> Notification:
    return Notification.objects.create(user=user, message=message[:255], appointment=appointment)


def appointment_booked(appointment: Appointment, *, now: datetime) -> None:
    """Inside the booking transaction: notifications for both parties and the reminders."""
    notify_booked(appointment)
    reminders_schedule(appointment, now=now)


def appointment_cancelled(appointment: Appointment, *, by_user, now: datetime) -> None:
    notify_cancelled(appointment, by_user=by_user)
    reminders_void(appointment)


def appointment_rescheduled(
    appointment: Appointment, *, by_user, previous_start: datetime, now: datetime
) -> None:
    """Inside the reschedule transaction: tell both parties, move the reminders."""
    calendar, booker = appointment.calendar, appointment.user
    for user in (booker, calendar.provider):
        notification_create(
            user=user,
            appointment=appointment,
            message=f"Moved: {calendar.name} is now on {_when(appointment, user)}.",
        )
    reminders_void(appointment)
    reminders_schedule(appointment, now=now)


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


def reminders_schedule(appointment: Appointment, *, now: datetime) -> list[Reminder]:
    """One reminder per offset of the calendar; offsets already past at booking time are skipped."""
    reminders = []
    for minutes in sorted(set(appointment.calendar.reminder_offsets or []), reverse=True):
        remind_at = appointment.start_time - timedelta(minutes=minutes)
        if remind_at > now:
            reminders.append(
                Reminder(appointment=appointment, remind_at=remind_at, offset_minutes=minutes)
            )
    return Reminder.objects.bulk_create(reminders)


def reminders_void(appointment: Appointment) -> int:
    return appointment.reminders.filter(state=Reminder.State.PENDING).update(
        state=Reminder.State.VOID
    )


def notification_mark_read(*, notification: Notification) -> None:
    if not notification.is_read:
        notification.is_read = True
        notification.save(update_fields=["is_read"])


def notifications_mark_all_read(*, user) -> int:
    return user.notifications.filter(is_read=False).update(is_read=True)
