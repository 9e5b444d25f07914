"""Host confirmation: a booking of an event type that `requires_confirmation` is a request. It
holds its time (its occupation rows exist, under the same exclusion constraint as any booking)
until a host accepts it, a host declines it, or the worker declines it because nobody answered
by `request_expires_at` (the event type's `confirmation_hours` after booking, never later than
the start). Each answer runs in one transaction on the locked row, so two answers (two hosts, a
host and the worker) cannot both apply: the second sees the request already answered."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from appointments.booking.hosts import release
from appointments.booking.services import booking_confirmed, clean_reason, locked_appointment
from appointments.errors import BookingError
from appointments.models import Appointment
from notifications import services as notifications
from webhooks import services as webhooks

# How many expired requests one worker pass declines (the next tick takes the rest).
EXPIRY_BATCH = 200


def _check_can_answer(appointment: Appointment, *, by_user) -> None:
    if not appointment.is_hosted_by(by_user):
        raise BookingError("forbidden", "Only a host of this appointment can answer its request.")
    if not appointment.is_requested:
        raise BookingError(
            "not_requested",
            f"This booking is not waiting for an answer: it is "
            f"{appointment.get_status_display().lower()}.",
        )


def appointment_accept(
    *, appointment: Appointment, by_user, now: datetime | None = None
) -> Appointment:
    """A host accepts a request before it expires: it becomes a confirmed booking, and everyone
    gets the usual confirmation (the booker's with the calendar invitation), with reminders."""
    now = now or timezone.now()
    with transaction.atomic():
        current = locked_appointment(appointment)
        _check_can_answer(current, by_user=by_user)
        if current.request_expires_at is not None and current.request_expires_at <= now:
            raise BookingError(
                "expired",
                "This request was not answered in time, so it can no longer be accepted; "
                "it is declined automatically.",
            )
        current.status = Appointment.Status.CONFIRMED
        current.save(update_fields=["status", "updated_at"])
        booking_confirmed(current, now=now, by_user=by_user, event="booking.accepted")
    return current


def appointment_decline(
    *, appointment: Appointment, by_user, reason: str = "", now: datetime | None = None
) -> Appointment:
    """A host declines a request (with an optional `reason` for the booker), or the worker
    (`by_user` None) declines an expired one. The time becomes free; the booker is told."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    with transaction.atomic():
        current = locked_appointment(appointment)
        if by_user is not None:
            _check_can_answer(current, by_user=by_user)
        elif not (current.is_requested and current.request_expires_at <= now):
            return current  # answered meanwhile: nothing for the worker to do
        current.status = Appointment.Status.DECLINED
        current.cancelled_at = now
        current.decline_reason = reason
        current.save(update_fields=["status", "cancelled_at", "decline_reason", "updated_at"])
        release(current)
        notifications.appointment_declined(current, by_user=by_user, now=now)
        webhooks.booking_event(current, "booking.declined", now=now)
    return current


def requests_expire(*, now: datetime | None = None) -> int:
    """The worker's pass: decline every request nobody answered in time; how many it declined."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=Appointment.Status.REQUESTED, request_expires_at__lte=now
    ).order_by("request_expires_at")[:EXPIRY_BATCH]
    declined = 0
    for appointment in list(due):
        answered = appointment_decline(appointment=appointment, by_user=None, now=now)
        declined += answered.status == Appointment.Status.DECLINED
    return declined
