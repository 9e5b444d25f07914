"""Reads of the booking pages: a calendar's free times over a window, the booker's upcoming list,
and the calendars open for booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from appointments.availability import selectors as availability
from appointments.errors import FreeSlot
from appointments.models import Appointment, Calendar


def free_slots(
    calendar: Calendar,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    moving: Appointment | None = None,
) -> list[FreeSlot]:
    """Every bookable time of the calendar starting in [window_start, window_end). When an
    appointment is being moved, its own time and buffers do not count as busy."""
    return availability.available_slots(
        calendar,
        window_start=window_start,
        window_end=window_end,
        now=now,
        exclude_appointment=moving.pk if moving is not None else None,
    )


def bookable_calendars(*, search: str = "") -> QuerySet[Calendar]:
    """Active calendars, optionally filtered by a search over name, description and provider."""
    calendars = Calendar.objects.filter(is_active=True).select_related("provider")
    words = search.split()
    for word in words[:5]:
        calendars = calendars.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__username__icontains=word)
            | Q(provider__first_name__icontains=word)
            | Q(provider__last_name__icontains=word)
        )
    return calendars


def with_next_free_time(
    calendars, *, now: datetime, days: int = 14
) -> list[tuple[Calendar, FreeSlot | None]]:
    """Each calendar with its first free time in the next `days` days (None: fully booked)."""
    window_end = now + timedelta(days=days)
    result = []
    for calendar in calendars:
        slots = availability.available_slots(
            calendar, window_start=now, window_end=window_end, now=now
        )
        result.append((calendar, slots[0] if slots else None))
    return result


def overlapping_active_appointment(
    user, *, start: datetime, end: datetime, exclude_pk: int | None = None
):
    """The booker's own active appointment (any calendar) that overlaps [start, end), if any."""
    return (
        Appointment.objects.active()
        .filter(user=user, start_time__lt=end, end_time__gt=start)
        .exclude(pk=exclude_pk)
        .first()
    )
