"""Reads of the booking pages: a calendar's free times over a window, the booker's upcoming list,
and the calendars open for booking."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from appointments import selectors
from appointments.errors import FreeSlot
from appointments.models import Appointment, Calendar


def free_slots(
    calendar: Calendar, *, window_start: datetime, window_end: datetime, now: datetime
) -> list[FreeSlot]:
    """Every bookable time of the calendar starting in [window_start, window_end)."""
    if hasattr(selectors, "available_slots"):
        return list(
            selectors.available_slots(
                calendar, window_start=window_start, window_end=window_end, now=now
            )
        )
    # Published slots only, until computed availability (issue 3) is merged.
    published = selectors.free_published_slots(calendar, now=now).filter(
        start_time__gte=window_start, start_time__lt=window_end
    )
    return [FreeSlot(s.start_time, s.end_time, s.pk) for s in published]


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
    return calendars.annotate(working_days=Count("working_hours__weekday", distinct=True))


def upcoming_for_user(user, *, now: datetime, limit: int = 5) -> list[Appointment]:
    if not user.is_authenticated:
        return []
    return list(
        Appointment.objects.active()
        .filter(user=user, end_time__gt=now)
        .select_related("calendar", "calendar__provider")
        .order_by("start_time")[:limit]
    )
