"""Reads of the booking pages: an event type's free times over a window, the event types open
for booking, and the booker's own clashes."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from appointments.availability import selectors as availability
from appointments.availability.selectors import FreeSlot
from appointments.models import Appointment, Calendar, Occupation


def free_slots(
    calendar: Calendar,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    moving: Appointment | None = None,
) -> list[FreeSlot]:
    """Every bookable time of the event type starting in [window_start, window_end). When an
    appointment is being moved, its own time and buffers do not count as busy."""
    return availability.available_slots(
        calendar,
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_appointment=moving.pk if moving is not None else None,
    )


def bookable_calendars(*, search: str = "") -> QuerySet[Calendar]:
    """Active event types, optionally filtered by a search over name, description, owner and
    team."""
    calendars = Calendar.objects.filter(is_active=True, archived_at=None).select_related(
        "provider", "team"
    )
    words = search.split()
    for word in words[:5]:
        calendars = calendars.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__username__icontains=word)
            | Q(provider__first_name__icontains=word)
            | Q(provider__last_name__icontains=word)
            | Q(team__name__icontains=word)
        )
    return calendars


def with_next_free_time(
    calendars, *, now: datetime, days: int = 14
) -> list[tuple[Calendar, FreeSlot | None]]:
    """Each event type with its first free time in the next `days` days (None: fully booked),
    in a fixed number of queries for all of them."""
    calendars = list(calendars)
    first = availability.first_free_slots(calendars, now=now, days=days)
    return [(calendar, first[calendar.pk]) for calendar in calendars]


def overlapping_active_appointment(
    user, *, start: datetime, end: datetime, exclude_pk: int | None = None
) -> Appointment | None:
    """The person's own active appointment (any event type, as booker or host) that overlaps
    [start, end), if any. A guest (no account) is their e-mail address."""
    whose = {"person": user} if user.pk is not None else {"guest_email": user.email.lower()}
    held = (
        # Bounded on both sides (an appointment lasts at most MAX_LENGTH): an index range scan
        # whatever the person's history.
        Occupation.objects.filter(
            **whose,
            start_time__gte=start - availability.MAX_LENGTH,
            start_time__lt=end,
            end_time__gt=start,
        )
        .exclude(appointment_id=exclude_pk)
        .select_related("appointment")
        .order_by("start_time")
        .first()
    )
    return held.appointment if held is not None else None
