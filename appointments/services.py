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
from django.db.models import Exists, OuterRef
from django.utils import timezone

from appointments import availability, selectors
from appointments.errors import BookingError, SlotError
from appointments.models import Appointment, Calendar, TimeSlot
from appointments.scheduling import Reason
from calendars import push as calendar_push
from notifications import services as notifications

DESCRIPTION_MAX = 2000
# One publish writes at most this many slots, in batches: 92 days of 5-minute slots (26,000
# rows) held the SQLite write lock for 11 s, stalling every booking meanwhile.
MAX_SLOTS_PER_PUBLISH = 2000
PUBLISH_BATCH = 500

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
    alternatives = availability.nearest_free_slots(calendar, around=around, now=now)
    return BookingError(
        "taken",
        "Sorry, that time was just taken. Please choose another time.",
        alternatives,
    )


def _check_basics(*, user, calendar: Calendar, start: datetime, now: datetime) -> None:
    if not calendar.is_active:
        raise BookingError("inactive", "This calendar is not taking bookings at the moment.")
    if calendar.provider_id == user.pk:
        raise BookingError("own_calendar", "You cannot book your own calendar.")
    # Same boundary as the scheduling core (offered when start >= now + notice): a time starting
    # this very instant is still bookable; one that started before is not.
    if start < now:
        raise BookingError("past", "That time has already started or passed; choose a future time.")


def _check_rules(
    calendar: Calendar,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    exclude: int | None,
    published: bool,
) -> None:
    """Every availability rule, re-checked inside the booking transaction."""
    reasons = availability.explain_unavailable(
        calendar, start, now, end=end if published else None, exclude_appointment=exclude
    )
    if not reasons:
        return
    if Reason.BOOKED in reasons:
        raise taken_error(calendar, around=start, now=now)
    explanation = " ".join(reason.message for reason in reasons)
    raise BookingError(reasons[0].value, f"That time cannot be booked. {explanation}")


def _check_own_overlap(user, start: datetime, end: datetime, *, exclude: int | None) -> None:
    clash = selectors.overlapping_active_appointment(user, start=start, end=end, exclude_pk=exclude)
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


def _published_slot(time_slot: TimeSlot, calendar: Calendar | None = None) -> TimeSlot:
    slot = TimeSlot.objects.select_related("calendar", "calendar__provider").get(pk=time_slot.pk)
    if calendar is not None and slot.calendar_id != calendar.pk:
        raise BookingError("other_calendar", "That time belongs to another calendar.")
    return slot


def _computed_slot(calendar: Calendar, start: datetime) -> TimeSlot:
    """The TimeSlot row for a computed time, created inside the booking transaction.

    A cancelled booking leaves its generated slot behind: reuse it when the times match; drop
    generated slots that merely overlap (their cancelled appointments keep their own times)."""
    end = start + calendar.length
    existing = TimeSlot.objects.filter(calendar=calendar, start_time=start, end_time=end).first()
    if existing is not None:
        return existing
    booked = Appointment.objects.active().filter(time_slot=OuterRef("pk"))
    TimeSlot.objects.filter(
        calendar=calendar, is_generated=True, start_time__lt=end, end_time__gt=start
    ).exclude(Exists(booked)).delete()
    return TimeSlot.objects.create(
        calendar=calendar, start_time=start, end_time=end, is_generated=True
    )


def _target(
    *, time_slot: TimeSlot | None, calendar: Calendar | None, start: datetime | None
) -> tuple[Calendar, datetime, datetime, TimeSlot | None]:
    """What is being booked: a published slot, or a computed time of a calendar."""
    if time_slot is not None:
        slot = _published_slot(time_slot, calendar)
        return slot.calendar, slot.start_time, slot.end_time, slot
    if calendar is None or start is None:
        raise BookingError("no_time", "Choose a time to book.")
    if timezone.is_naive(start):
        raise BookingError("no_time", "The chosen time has no time zone.")
    calendar = Calendar.objects.select_related("provider").get(pk=calendar.pk)
    return calendar, start, start + calendar.length, None


def appointment_book(
    *,
    user,
    time_slot: TimeSlot | None = None,
    calendar: Calendar | None = None,
    start: datetime | None = None,
    description: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book a published `time_slot`, or the computed time `start` of `calendar`, for `user`;
    or raise BookingError naming the rule that refused it. Nothing changes on a refusal."""
    now = now or timezone.now()
    text = clean_description(description)
    around, where = start, calendar
    try:
        with transaction.atomic():
            where, around, end, slot = _target(time_slot=time_slot, calendar=calendar, start=start)
            _check_basics(user=user, calendar=where, start=around, now=now)
            _check_rules(where, around, end, now, exclude=None, published=slot is not None)
            _check_own_overlap(user, around, end, exclude=None)
            slot = slot or _computed_slot(where, around)
            appointment = Appointment.objects.create(
                user=user,
                time_slot=slot,
                calendar=where,
                start_time=around,
                end_time=end,
                description=text,
            )
            notifications.appointment_booked(appointment, now=now)
            calendar_push.appointment_changed(appointment)
    except IntegrityError as error:
        raise refusal_from_integrity(error, where, around=around, now=now) from None
    return appointment


def appointment_reschedule(
    *,
    appointment: Appointment,
    by_user,
    time_slot: TimeSlot | None = None,
    start: datetime | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move an active appointment to another time of the same calendar. The row is updated in
    place in one transaction, so the old time is released only when the new one is secured."""
    now = now or timezone.now()
    around = start
    try:
        with transaction.atomic():
            current = _locked(appointment)
            _check_can_change(current, by_user=by_user, now=now)
            calendar, around, end, slot = _target(
                time_slot=time_slot, calendar=current.calendar, start=start
            )
            _check_basics(user=current.user, calendar=calendar, start=around, now=now)
            _check_rules(calendar, around, end, now, exclude=current.pk, published=slot is not None)
            _check_own_overlap(current.user, around, end, exclude=current.pk)
            previous_start = current.start_time
            current.time_slot = slot or _computed_slot(calendar, around)
            current.start_time, current.end_time = around, end
            current.sequence += 1
            current.save(
                update_fields=["time_slot", "start_time", "end_time", "sequence", "updated_at"]
            )
            notifications.appointment_rescheduled(
                current, by_user=by_user, previous_start=previous_start, now=now
            )
            calendar_push.appointment_changed(current)
    except IntegrityError as error:
        raise refusal_from_integrity(error, appointment.calendar, around=around, now=now) from None
    return current


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("calendar", "calendar__provider", "user")
        .get(pk=appointment.pk)
    )


def _check_can_change(appointment: Appointment, *, by_user, now: datetime) -> None:
    if by_user.pk not in (appointment.user_id, appointment.calendar.provider_id):
        raise BookingError(
            "forbidden", "Only the booker or the provider can change this appointment."
        )
    if not appointment.is_active:
        raise BookingError("already_cancelled", "This appointment is cancelled.")
    if appointment.start_time <= now:
        raise BookingError(
            "past", "This appointment has already started; it can no longer be changed."
        )


def appointment_cancel(
    *, appointment: Appointment, by_user, now: datetime | None = None
) -> Appointment:
    """Cancel an active appointment (its booker or its provider). The slot becomes free again;
    the appointment stays, cancelled, in history."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _locked(appointment)
        _check_can_change(appointment, by_user=by_user, now=now)
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.sequence += 1
        appointment.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        notifications.appointment_cancelled(appointment, by_user=by_user, now=now)
        calendar_push.appointment_changed(appointment)
    return appointment


def _check_new_slot(calendar: Calendar, start: datetime, end: datetime, now: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise SlotError("Slot times must carry a time zone.")
    if start >= end:
        raise SlotError("A slot must start before it ends.")
    if start <= now:
        raise SlotError("A slot must start in the future.")
    if end - start > availability.MAX_LENGTH:
        raise SlotError("A slot can be at most 24 hours long.")


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


def _first_clash(
    calendar: Calendar, wanted: list[tuple[datetime, datetime]]
) -> tuple[datetime, datetime] | None:
    """The first new slot (sorted, disjoint) that overlaps an existing one: one query for all."""
    if not wanted:
        return None
    existing = list(
        TimeSlot.objects.filter(
            calendar=calendar, start_time__lt=wanted[-1][1], end_time__gt=wanted[0][0]
        )
        .order_by("start_time")
        .values_list("start_time", "end_time")
    )
    index = 0
    for start, end in wanted:
        while index < len(existing) and existing[index][1] <= start:
            index += 1
        if index < len(existing) and existing[index][0] < end:
            return start, end
    return None


def time_slots_create(
    *, calendar: Calendar, slots: Iterable[tuple[datetime, datetime]], now: datetime | None = None
) -> list[TimeSlot]:
    """Publish several slots at once: all of them, or none if any is invalid or overlaps."""
    now = now or timezone.now()
    wanted = sorted(slots)
    if len(wanted) > MAX_SLOTS_PER_PUBLISH:
        raise SlotError(
            f"That would publish {len(wanted):,} slots; at most {MAX_SLOTS_PER_PUBLISH:,} at a"
            " time. Choose fewer dates or hours, or a longer step."
        )
    for start, end in wanted:
        _check_new_slot(calendar, start, end, now)
    for (_, previous_end), (start, _) in pairwise(wanted):
        if start < previous_end:
            raise SlotError(
                f"Two of the new slots overlap each other (at {timezone.localtime(start):%a %d %b %H:%M})."
            )
    try:
        with transaction.atomic():
            clash = _first_clash(calendar, wanted)
            if clash is not None and (message := _overlap_message(calendar, *clash)) is not None:
                raise SlotError(message)
            return TimeSlot.objects.bulk_create(
                [TimeSlot(calendar=calendar, start_time=s, end_time=e) for s, e in wanted],
                batch_size=PUBLISH_BATCH,
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
    now = now or timezone.now()
    slot = _published_slot(time_slot)
    _check_basics(user=user, calendar=slot.calendar, start=slot.start_time, now=now)
    _check_rules(slot.calendar, slot.start_time, slot.end_time, now, exclude=None, published=True)
    _check_own_overlap(user, slot.start_time, slot.end_time, exclude=None)


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
