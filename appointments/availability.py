"""Availability reads: load a calendar's rules and what occupies a window, hand plain values to
the pure scheduling core. Two queries whatever the size of the history:

1. weekly hours and the window's date overrides (one UNION);
2. the window's active appointments, free published slots, time off and external busy time
   (one UNION), each an indexed range scan bounded on both sides.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import CharField, DateField, Exists, IntegerField, OuterRef, Value

from appointments import scheduling
from appointments.errors import FreeSlot
from appointments.models import Appointment, Calendar, DateOverride, TimeOff, TimeSlot, WorkingHours
from appointments.scheduling import Interval, Occupancy, Reason, Rules, WallInterval
from calendars.models import BusyBlock

# A slot or appointment is at most this long (time_slot_create enforces it), so the appointments
# that can reach into a window start at most this long before it: the range scan has a lower bound.
MAX_LENGTH = timedelta(hours=24)
DAY = timedelta(days=1)


def calendar_rules(calendar: Calendar, first_day: date, last_day: date) -> Rules:
    """The calendar's rules with its weekly hours and the overrides of [first_day, last_day]."""
    weekly = (
        WorkingHours.objects.filter(calendar=calendar)
        .order_by()
        .values_list("weekday", Value(None, output_field=DateField()), "start_time", "end_time")
    )
    overrides = (
        DateOverride.objects.filter(calendar=calendar, date__gte=first_day, date__lte=last_day)
        .order_by()
        .values_list(Value(None, output_field=IntegerField()), "date", "start_time", "end_time")
    )
    hours: dict[int, list[WallInterval]] = {}
    dated: dict[date, list[WallInterval]] = {}
    for weekday, day, start, end in weekly.union(overrides, all=True):
        if day is None:
            hours.setdefault(weekday, []).append(WallInterval(start, end))
        else:
            # A row without times closes the date: it stays in `dated`, with no hours.
            intervals = dated.setdefault(day, [])
            if start is not None:
                intervals.append(WallInterval(start, end))
    return Rules(
        time_zone=calendar.time_zone,
        weekly=hours,
        overrides=dated,
        length=timedelta(minutes=calendar.length_minutes),
        step=timedelta(minutes=calendar.step_minutes) if calendar.step_minutes else None,
        buffer_before=timedelta(minutes=calendar.buffer_before_minutes),
        buffer_after=timedelta(minutes=calendar.buffer_after_minutes),
        minimum_notice=timedelta(minutes=calendar.minimum_notice_minutes),
        horizon=timedelta(days=calendar.horizon_days),
        max_per_day=calendar.max_per_day,
    )


def _kind(name: str) -> Value:
    return Value(name, output_field=CharField())


def window_occupancy(
    calendar: Calendar, start: datetime, end: datetime, *, exclude_appointment: int | None = None
) -> tuple[Occupancy, dict[datetime, int]]:
    """What occupies [start, end) (widened by a day for buffers and daily maxima), and the ids of
    the free published slots by start."""
    reach_start, reach_end = start - DAY - MAX_LENGTH, end + DAY
    fields = ("start_time", "end_time", "pk")
    appointments = (
        Appointment.objects.active()
        .filter(calendar=calendar, start_time__gte=reach_start, start_time__lt=reach_end)
        .exclude(pk=exclude_appointment)
        .order_by()
        .values_list(*fields, _kind("appointment"))
    )
    booked = (
        Appointment.objects.active()
        .filter(time_slot=OuterRef("pk"))
        .exclude(pk=exclude_appointment)
    )
    published = (
        TimeSlot.objects.filter(
            calendar=calendar,
            is_generated=False,
            start_time__gte=reach_start,
            start_time__lt=reach_end,
        )
        .exclude(Exists(booked))
        .order_by()
        .values_list(*fields, _kind("published"))
    )
    time_off = (
        TimeOff.objects.filter(
            calendar=calendar, end_time__gt=reach_start, start_time__lt=reach_end
        )
        .order_by()
        .values_list(*fields, _kind("time_off"))
    )
    busy = (
        BusyBlock.objects.filter(
            calendar=calendar, end_time__gt=reach_start, start_time__lt=reach_end
        )
        .order_by()
        .values_list(*fields, _kind("busy"))
    )
    groups: dict[str, list[Interval]] = {
        "appointment": [],
        "published": [],
        "time_off": [],
        "busy": [],
    }
    slot_ids: dict[datetime, int] = {}
    for begin, finish, pk, kind in appointments.union(published, time_off, busy, all=True):
        begin, finish = _utc(begin), _utc(finish)
        groups[kind].append(Interval(begin, finish))
        if kind == "published":
            slot_ids[begin] = pk
    occupancy = Occupancy(
        appointments=groups["appointment"],
        busy=groups["busy"],
        time_off=groups["time_off"],
        published=groups["published"],
    )
    return occupancy, slot_ids


def _utc(value: datetime) -> datetime:
    # UNION results skip Django's per-field converters on some backends: normalise to aware UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _local_day_range(calendar: Calendar, start: datetime, end: datetime) -> tuple[date, date]:
    zone = ZoneInfo(calendar.time_zone)
    return (start - DAY).astimezone(zone).date(), (end + DAY).astimezone(zone).date()


def available_slots(
    calendar: Calendar,
    *,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    exclude_appointment: int | None = None,
) -> list[FreeSlot]:
    """Bookable times of the calendar starting in [window_start, window_end): published and computed."""
    if not calendar.is_active:
        return []
    rules = calendar_rules(calendar, *_local_day_range(calendar, window_start, window_end))
    occupancy, slot_ids = window_occupancy(
        calendar, window_start, window_end, exclude_appointment=exclude_appointment
    )
    slots = scheduling.available_slots(rules, occupancy, window_start, window_end, now)
    return [FreeSlot(s.start, s.end, slot_ids.get(s.start) if s.published else None) for s in slots]


def days_with_free_time(
    calendar: Calendar, *, first_day: date, last_day: date, zone_name: str, now: datetime
) -> dict[date, int]:
    """For the viewer's local dates [first_day, last_day]: how many free times each date has."""
    zone = ZoneInfo(zone_name)
    start = datetime.combine(first_day, datetime.min.time(), zone)
    end = datetime.combine(last_day + DAY, datetime.min.time(), zone)
    counts: dict[date, int] = {}
    for slot in available_slots(calendar, window_start=start, window_end=end, now=now):
        day = slot.start.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def explain_unavailable(
    calendar: Calendar,
    start: datetime,
    now: datetime,
    *,
    end: datetime | None = None,
    exclude_appointment: int | None = None,
) -> list[Reason]:
    """Why [start, start + length) (or [start, end) for a published slot) cannot be booked."""
    last = end or start + timedelta(minutes=calendar.length_minutes)
    rules = calendar_rules(calendar, *_local_day_range(calendar, start, last))
    occupancy, _ = window_occupancy(calendar, start, last, exclude_appointment=exclude_appointment)
    return scheduling.explain(rules, occupancy, start, now, end)


def nearest_free_slots(
    calendar: Calendar, *, around: datetime, now: datetime, limit: int = 3
) -> list[FreeSlot]:
    """Up to `limit` free times of the calendar nearest to `around`, searching a week either side."""
    window_start = max(around - timedelta(days=7), now)
    free = available_slots(
        calendar, window_start=window_start, window_end=around + timedelta(days=7), now=now
    )
    nearest = sorted(free, key=lambda slot: abs(slot.start - around))[:limit]
    return sorted(nearest, key=lambda slot: slot.start)
