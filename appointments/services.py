"""Writes. Every change of booking state goes through one of these functions, in one transaction.

How double booking is prevented:
- PostgreSQL: a conditional unique constraint (one active appointment per slot) and two exclusion
  constraints (active appointments of one calendar never overlap; nor do one booker's). Concurrent
  bookings may both pass the re-check below; the database lets exactly one insert commit and the
  others get an IntegrityError, which becomes the friendly "just taken" refusal.
- SQLite: every atomic block starts with BEGIN IMMEDIATE (settings), so writers are serialised and
  the re-check inside the transaction is decisive; waiting writers queue on the busy timeout.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise

from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import selectors
from appointments.errors import BookingError, SlotError
from appointments.models import Appointment, Calendar, TimeSlot
from notifications import services as notifications

DESCRIPTION_MAX = 2000

# Constraint names (see migrations) mapped to the refusal they mean.
CONSTRAINT_CODES = {
    "one_active_appointment_per_slot": "taken",
    "appointment_no_overlap_per_calendar": "taken",
    "appointment_no_overlap_per_booker": "overlap_own",
    "time_slot_no_overlap": "taken",
}


def clean_description(description: str) -> str:
    text = (description or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise BookingError(
            "description_too_long",
            f"The description is {len(text)} characters long; the limit is {DESCRIPTION_MAX}.",
        )
    return text


def taken_error(calendar: Calendar, *, around: datetime, now: datetime) -> BookingError:
    alternatives = selectors.nearest_free_slots(calendar, around=around, now=now)
    return BookingError(
        "taken",
        "Sorry, that time was just taken. Please choose another time.",
        alternatives,
    )


def _check_bookable(*, user, slot: TimeSlot, now: datetime, exclude_pk: int | None = None) -> None:
    calendar = slot.calendar
    if not calendar.is_active:
        raise BookingError("inactive", "This calendar is not taking bookings at the moment.")
    if calendar.provider_id == user.pk:
        raise BookingError("own_calendar", "You cannot book your own calendar.")
    if slot.start_time <= now:
        raise BookingError("past", "That time has already started or passed; choose a future time.")
    if Appointment.objects.active().filter(time_slot=slot).exclude(pk=exclude_pk).exists():
        raise taken_error(calendar, around=slot.start_time, now=now)
    clash = selectors.overlapping_active_appointment(
        user, start=slot.start_time, end=slot.end_time, exclude_pk=exclude_pk
    )
    if clash is not None:
        raise BookingError(
            "overlap_own",
            "You already have an appointment at that time "
            f"({timezone.localtime(clash.start_time):%a %d %b %H:%M}).",
        )


def _constraint_code(error: IntegrityError) -> str | None:
    text = str(error)
    return next((code for name, code in CONSTRAINT_CODES.items() if name in text), None)


def refusal_from_integrity(
    error: IntegrityError, calendar: Calendar, *, around, now
) -> BookingError:
    code = _constraint_code(error)
    if code == "overlap_own":
        return BookingError("overlap_own", "You already have an appointment at that time.")
    if code is None and "UNIQUE" not in str(error).upper():
        raise error
    return taken_error(calendar, around=around, now=now)


def appointment_book(
    *, user, time_slot: TimeSlot, description: str = "", now: datetime | None = None
) -> Appointment:
    """Book `time_slot` for `user`, or raise BookingError naming the rule that refused it."""
    now = now or timezone.now()
    text = clean_description(description)
    try:
        with transaction.atomic():
            slot = TimeSlot.objects.select_related("calendar", "calendar__provider").get(
                pk=time_slot.pk
            )
            _check_bookable(user=user, slot=slot, now=now)
            appointment = Appointment.objects.create(
                user=user,
                time_slot=slot,
                calendar=slot.calendar,
                start_time=slot.start_time,
                end_time=slot.end_time,
                description=text,
            )
            notifications.appointment_booked(appointment, now=now)
    except IntegrityError as error:
        raise refusal_from_integrity(
            error, time_slot.calendar, around=time_slot.start_time, now=now
        ) from None
    return appointment


def appointment_cancel(
    *, appointment: Appointment, by_user, now: datetime | None = None
) -> Appointment:
    """Cancel an active appointment (its booker or its provider). The slot becomes free again;
    the appointment stays, cancelled, in history."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_related(
            "calendar", "calendar__provider", "user"
        ).get(pk=appointment.pk)
        if by_user.pk not in (appointment.user_id, appointment.calendar.provider_id):
            raise BookingError(
                "forbidden", "Only the booker or the provider can cancel this appointment."
            )
        if not appointment.is_active:
            raise BookingError("already_cancelled", "This appointment is already cancelled.")
        if appointment.start_time <= now:
            raise BookingError(
                "past", "This appointment has already started; it can no longer be cancelled."
            )
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.sequence += 1
        appointment.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        notifications.appointment_cancelled(appointment, by_user=by_user, now=now)
    return appointment


def _check_new_slot(calendar: Calendar, start: datetime, end: datetime, now: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise SlotError("Slot times must carry a time zone.")
    if start >= end:
        raise SlotError("A slot must start before it ends.")
    if start <= now:
        raise SlotError("A slot must start in the future.")


def _overlap_message(calendar: Calendar, start: datetime, end: datetime) -> str | None:
    clash = (
        TimeSlot.objects.filter(calendar=calendar, start_time__lt=end, end_time__gt=start)
        .order_by("start_time")
        .first()
    )
    if clash is None:
        return None
    return (
        f"The slot {timezone.localtime(start):%a %d %b %H:%M}–{timezone.localtime(end):%H:%M} overlaps "
        f"the existing slot {timezone.localtime(clash.start_time):%a %d %b %H:%M}–"
        f"{timezone.localtime(clash.end_time):%H:%M}."
    )


def time_slots_create(
    *, calendar: Calendar, slots: Iterable[tuple[datetime, datetime]], now: datetime | None = None
) -> list[TimeSlot]:
    """Publish several slots at once: all of them, or none if any is invalid or overlaps."""
    now = now or timezone.now()
    wanted = sorted(slots)
    for start, end in wanted:
        _check_new_slot(calendar, start, end, now)
    for (_, previous_end), (start, _) in pairwise(wanted):
        if start < previous_end:
            raise SlotError(
                f"Two of the new slots overlap each other (at {timezone.localtime(start):%a %d %b %H:%M})."
            )
    try:
        with transaction.atomic():
            for start, end in wanted:
                if (message := _overlap_message(calendar, start, end)) is not None:
                    raise SlotError(message)
            return TimeSlot.objects.bulk_create(
                [TimeSlot(calendar=calendar, start_time=s, end_time=e) for s, e in wanted]
            )
    except IntegrityError:
        raise SlotError(
            "Another slot was just published at that time; reload and try again."
        ) from None


def time_slot_create(
    *, calendar: Calendar, start: datetime, end: datetime, now: datetime | None = None
) -> TimeSlot:
    return time_slots_create(calendar=calendar, slots=[(start, end)], now=now)[0]


def appointment_validate(*, user, time_slot: TimeSlot, now: datetime | None = None) -> None:
    """The booking rules without booking (admin forms show the refusal as a form error)."""
    _check_bookable(user=user, slot=time_slot, now=now or timezone.now())


def time_slot_validate(
    *, calendar: Calendar, start: datetime, end: datetime, now: datetime | None = None
) -> None:
    _check_new_slot(calendar, start, end, now or timezone.now())
    if (message := _overlap_message(calendar, start, end)) is not None:
        raise SlotError(message)


def time_slot_delete(*, time_slot: TimeSlot) -> None:
    with transaction.atomic():
        if Appointment.objects.active().filter(time_slot=time_slot).exists():
            raise SlotError("This slot is booked; cancel the appointment before removing the slot.")
        time_slot.delete()
