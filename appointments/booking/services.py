"""Writes of booking state: book, reschedule, cancel. Each runs in one transaction.

How double booking of a person is prevented: every person an active appointment involves (each
host, and the booker) holds one `Occupation` row with its times.
- PostgreSQL: an exclusion constraint forbids two overlapping occupation rows of one person, on
  any event type, as host or as booker (migration 0005); a conditional unique constraint allows
  one active appointment per published slot. Concurrent bookings may both pass the re-check
  below; the database lets exactly one insert commit and the others get an IntegrityError, which
  becomes the friendly "just taken" refusal.
- SQLite: every atomic block starts with BEGIN IMMEDIATE (settings), so writers are serialised
  and the re-check of every person's occupation inside the transaction is decisive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from appointments.access import appointment_rights
from appointments.availability import selectors as availability
from appointments.booking import hosts as booking_hosts
from appointments.booking import selectors
from appointments.errors import BookingError
from appointments.guests.services import Answer, answers_record, manage_link_issue
from appointments.models import Appointment, Calendar, Guest, TimeSlot
from appointments.scheduling import Reason
from calendars import push as calendar_push
from calendars.text import calendar_text
from notifications import services as notifications
from webhooks import services as webhooks

DESCRIPTION_MAX = 2000
REASON_MAX = 500

# Constraint names (see migrations) mapped to the refusal they mean; the per-person one depends
# on whose time it was (the booker's own: "overlap_own"; a host's: "taken").
CONSTRAINT_CODES = {
    "one_active_appointment_per_slot": "taken",
    "occupation_no_overlap_per_person": "person",
    "occupation_no_overlap_per_guest": "person",
    "published_slot_no_overlap": "taken",
}


def clean_description(description: str) -> str:
    text = calendar_text(description).strip()  # it goes into calendar files
    if len(text) > DESCRIPTION_MAX:
        raise BookingError(
            "description_too_long",
            f"The description is {len(text)} characters long; the limit is {DESCRIPTION_MAX}.",
        )
    return text


def clean_reason(reason: str) -> str:
    """A cancel or decline reason, as it goes into e-mails and calendar files."""
    text = calendar_text(reason).strip()
    if len(text) > REASON_MAX:
        raise BookingError(
            "reason_too_long",
            f"The reason is {len(text)} characters long; the limit is {REASON_MAX}.",
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
    if calendar.provider_id == user.pk and not calendar.is_team:
        raise BookingError("own_calendar", "You cannot book your own calendar.")
    # Same boundary as the scheduling core (offered when start >= now + notice): a time starting
    # this very instant is still bookable; one that started before is not.
    if start < now:
        raise BookingError("past", "That time has already started or passed; choose a future time.")


def _free_hosts(
    calendar: Calendar,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    booker,
    exclude: int | None,
    published: bool,
) -> list[int]:
    """Every availability rule, re-checked inside the booking transaction for each host; the
    hosts free to take [start, end), or the refusal. The people involved are locked first, so
    that the re-check is decisive (see `booking_hosts.lock_people`)."""
    booking_hosts.lock_people(calendar, booker)
    check = availability.check_hosts(
        calendar, start, now, end=end if published else None, exclude_appointment=exclude
    )
    free = [host for host in check.free if host != booker.pk]
    needed = len(check.reasons) if calendar.assignment == Calendar.Assignment.COLLECTIVE else 1
    if check.offered:
        if len(free) >= needed:
            return free
        raise BookingError("own_calendar", "You host this event type; you cannot book it.")
    reasons = check.all_reasons or [Reason.OUTSIDE_HOURS]
    if Reason.BOOKED in reasons:
        raise taken_error(calendar, around=start, now=now)
    explanation = " ".join(reason.message for reason in reasons)
    raise BookingError(reasons[0].value, f"That time cannot be booked. {explanation}")


def _check_own_overlap(user, start: datetime, end: datetime, *, exclude: int | None) -> None:
    clash = selectors.overlapping_active_appointment(user, start=start, end=end, exclude_pk=exclude)
    if clash is not None:
        whose = "You already have" if user.pk is not None else "This e-mail address already has"
        raise BookingError(
            "overlap_own",
            f"{whose} an appointment at that time "
            f"({timezone.localtime(clash.start_time):%a %d %b %H:%M}).",
        )


def refusal_from_integrity(
    error: IntegrityError,
    calendar: Calendar,
    *,
    around: datetime,
    now: datetime,
    booker,
    exclude: int | None = None,
) -> BookingError:
    """The refusal a constraint violation means. A person's time was taken: the booker's own
    (they hold another appointment then, as booker or host) or a host's ("just taken"). The
    transaction is over, so whoever won is committed and visible here."""
    text = str(error)
    code = next((code for name, code in CONSTRAINT_CODES.items() if name in text), None)
    if code is None and "UNIQUE" not in text.upper():
        raise error
    if code == "person" and around is not None:
        end = around + calendar.length
        if selectors.overlapping_active_appointment(
            booker, start=around, end=end, exclude_pk=exclude
        ):
            return BookingError("overlap_own", "You already have an appointment at that time.")
    return taken_error(calendar, around=around, now=now)


def _published_slot(time_slot: TimeSlot, calendar: Calendar | None = None) -> TimeSlot:
    slot = TimeSlot.objects.select_related("calendar", "calendar__provider").get(pk=time_slot.pk)
    if calendar is not None and slot.calendar_id != calendar.pk:
        raise BookingError("other_calendar", "That time belongs to another calendar.")
    return slot


def _computed_slot(calendar: Calendar, start: datetime, hosts: list[int]) -> TimeSlot:
    """The TimeSlot row for a computed time, created inside the booking transaction, for its
    host (none for a collective booking, whose hosts the appointment names).

    A cancelled booking leaves its generated slot behind: reuse it when the times match; drop
    generated slots of that host that merely overlap (their cancelled appointments keep their
    own times)."""
    end = start + calendar.length
    host = hosts[0] if calendar.assignment != Calendar.Assignment.COLLECTIVE else None
    mine = TimeSlot.objects.filter(calendar=calendar, host_id=host, is_generated=True)
    existing = mine.filter(start_time=start, end_time=end).first()
    if existing is not None:
        return existing
    booked = Appointment.objects.active().filter(time_slot=OuterRef("pk"))
    mine.filter(start_time__lt=end, end_time__gt=start).exclude(Exists(booked)).delete()
    return TimeSlot.objects.create(
        calendar=calendar, host_id=host, start_time=start, end_time=end, is_generated=True
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


def _contact(booker) -> dict:
    """The contact record of a booking, from the booker's account or the guest's details."""
    if booker.pk is None:
        name, phone, zone = booker.name, booker.phone, booker.zone
    else:
        profile = getattr(booker, "profile", None)
        name = booker.get_full_name() or booker.get_username()
        phone = profile.phone_number if profile else ""
        zone = profile.time_zone if profile else ""
    return {
        "contact_name": calendar_text(name, single_line=True).strip()[:150],
        "contact_email": booker.email.strip().lower(),
        "contact_phone": phone,
        "contact_time_zone": zone,
    }


def appointment_book(
    *,
    user=None,
    guest: Guest | None = None,
    time_slot: TimeSlot | None = None,
    calendar: Calendar | None = None,
    start: datetime | None = None,
    description: str = "",
    answers: Sequence[Answer] = (),
    phone: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a published `time_slot`, or the computed time `start` of `calendar`, for `user`
    (an account) or `guest` (a contact without one), with the answers to the event type's
    questions; or raise BookingError naming the rule that refused it. Nothing changes on a
    refusal. `phone` replaces the account's phone in the contact record. The new appointment
    carries `manage_token`, its first manage link's token."""
    now = now or timezone.now()
    text = clean_description(description)
    booker = user if user is not None else guest
    if booker is None or (guest is not None and not guest.email):
        raise BookingError("no_booker", "Say who is booking: a name and an e-mail address.")
    around, where = start, calendar
    try:
        with transaction.atomic():
            where, around, end, slot = _target(time_slot=time_slot, calendar=calendar, start=start)
            _check_basics(user=booker, calendar=where, start=around, now=now)
            free = _free_hosts(
                where, around, end, now, booker=booker, exclude=None, published=slot is not None
            )
            _check_own_overlap(booker, around, end, exclude=None)
            hosts = booking_hosts.choose_hosts(where, free, now=now)
            appointment = Appointment.objects.create(
                user=user,
                time_slot=slot or _computed_slot(where, around, hosts),
                calendar=where,
                start_time=around,
                end_time=end,
                description=text,
                **_request_fields(where, around, now),
                **{**_contact(booker), **({"contact_phone": phone} if phone is not None else {})},
            )
            # A request holds its time exactly like a confirmed booking: same occupation rows.
            booking_hosts.hold(appointment, hosts)
            answers_record(appointment, answers)
            appointment.manage_token = manage_link_issue(appointment)
            if appointment.is_requested:
                notifications.appointment_requested(appointment, now=now)
                webhooks.booking_event(appointment, "booking.requested", now=now)
            else:
                booking_confirmed(appointment, now=now)
    except IntegrityError as error:
        raise refusal_from_integrity(error, where, around=around, now=now, booker=booker) from None
    return appointment


def _request_fields(calendar: Calendar, start: datetime, now: datetime) -> dict:
    """Host confirmation: a request, answered by a host within the event type's time, and
    never later than its start."""
    if not calendar.requires_confirmation:
        return {"status": Appointment.Status.CONFIRMED}
    expires = min(now + calendar.confirmation_time, start)
    return {"status": Appointment.Status.REQUESTED, "request_expires_at": expires}


def booking_confirmed(
    appointment: Appointment, *, now: datetime, by_user=None, event: str = "booking.created"
) -> None:
    """The side effects of a confirmed booking: at booking, or when a host accepts a request
    (then the webhook `event` is "booking.accepted")."""
    notifications.appointment_booked(appointment, now=now, by_user=by_user)
    webhooks.booking_event(appointment, event, now=now)
    calendar_push.appointment_changed(appointment)


def appointment_reschedule(
    *,
    appointment: Appointment,
    by_user,
    time_slot: TimeSlot | None = None,
    start: datetime | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move an active appointment to another time of the same event type. The row is updated in
    place in one transaction, so the old time is released only when the new one is secured. A
    round-robin appointment keeps its host if that host is free at the new time."""
    now = now or timezone.now()
    around = start
    try:
        with transaction.atomic():
            current = locked_appointment(appointment)
            _check_can_change(current, by_user=by_user, now=now)
            if current.is_requested:
                # Its invitation has not been sent yet; a new request is the simple way.
                raise BookingError(
                    "requested",
                    "This booking is waiting for the host's answer and cannot be moved; "
                    "cancel it and request another time instead.",
                )
            calendar, around, end, slot = _target(
                time_slot=time_slot, calendar=current.calendar, start=start
            )
            _check_basics(user=current.booker, calendar=calendar, start=around, now=now)
            free = _free_hosts(
                calendar,
                around,
                end,
                now,
                booker=current.booker,
                exclude=current.pk,
                published=slot is not None,
            )
            _check_own_overlap(current.booker, around, end, exclude=current.pk)
            previous_hosts = [row.user for row in current.host_rows.all()]
            hosts = booking_hosts.choose_hosts(
                calendar, free, now=now, keep=[host.pk for host in previous_hosts]
            )
            previous_start = current.start_time
            current.time_slot = slot or _computed_slot(calendar, around, hosts)
            current.start_time, current.end_time = around, end
            current.sequence += 1
            current.save(
                update_fields=["time_slot", "start_time", "end_time", "sequence", "updated_at"]
            )
            booking_hosts.reassign(current, hosts)
            notifications.appointment_rescheduled(
                current,
                by_user=by_user,
                previous_start=previous_start,
                previous_hosts=previous_hosts,
                now=now,
            )
            webhooks.booking_event(current, "booking.rescheduled", now=now)
            calendar_push.appointment_changed(current)
    except IntegrityError as error:
        raise refusal_from_integrity(
            error,
            appointment.calendar,
            around=around,
            now=now,
            booker=appointment.booker,
            exclude=appointment.pk,
        ) from None
    return current


def locked_appointment(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("calendar", "calendar__provider", "user", "user__profile")
        .prefetch_related("host_rows__user")
        .get(pk=appointment.pk)
    )


def _check_can_change(appointment: Appointment, *, by_user, now: datetime) -> None:
    rights = appointment_rights(appointment, by_user, now=now)
    if not rights.can_view:
        raise BookingError("forbidden", "Only the booker or a host can change this appointment.")
    if not appointment.is_active:
        raise BookingError("already_cancelled", rights.why_not)
    if not rights.can_cancel:
        raise BookingError("past", rights.why_not)


def appointment_cancel(
    *, appointment: Appointment, by_user, reason: str = "", now: datetime | None = None
) -> Appointment:
    """Cancel an active appointment (its booker, through their account or the manage link, or
    a host), with the booker's optional `reason` for the hosts. Every person's time becomes
    free again; the appointment stays, cancelled, in history."""
    now = now or timezone.now()
    reason = clean_reason(reason)
    with transaction.atomic():
        appointment = locked_appointment(appointment)
        _check_can_change(appointment, by_user=by_user, now=now)
        # A request withdrawn before any answer: nobody had its invitation yet (its webhooks
        # had booking.requested, so they hear of the withdrawal).
        was_requested = appointment.is_requested
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancel_reason = reason
        appointment.sequence += 1
        appointment.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
        )
        booking_hosts.release(appointment)
        notifications.appointment_cancelled(
            appointment, by_user=by_user, now=now, calendar_file=not was_requested
        )
        webhooks.booking_event(appointment, "booking.cancelled", now=now)
        if not was_requested:
            calendar_push.appointment_changed(appointment)
    return appointment


def appointment_validate(*, user, time_slot: TimeSlot, now: datetime | None = None) -> None:
    """The booking rules without booking (admin forms show the refusal as a form error)."""
    now = now or timezone.now()
    slot = _published_slot(time_slot)
    _check_basics(user=user, calendar=slot.calendar, start=slot.start_time, now=now)
    _free_hosts(
        slot.calendar,
        slot.start_time,
        slot.end_time,
        now,
        booker=user,
        exclude=None,
        published=True,
    )
    _check_own_overlap(user, slot.start_time, slot.end_time, exclude=None)
