"""Published slots described on the wall clock: dates, weekdays, from/until, length, step."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from .intervals import Span
from .wallclock import TimeZone, as_zone, wall_to_instant


def slot_times(
    first_day: date,
    last_day: date,
    weekdays: Collection[int],
    from_time: time,
    until_time: time,
    length: timedelta,
    every: timedelta,
    zone: TimeZone,
) -> list[Span]:
    """The slots a provider publishes, in UTC: on each date of [first_day, last_day] whose
    weekday (0=Monday) is listed, a slot of `length` every `every` from `from_time` while it
    ends by `until_time`.

    From and until are wall times of that date, turned into instants by `wall_to_instant`'s rule
    (a time in a spring-forward gap moves forward by the gap, a repeated one means its first
    occurrence), as the working hours are; the slots are then stepped in absolute time, so a
    clock-change day has as many slots as it has real hours.
    """
    if length <= timedelta(0) or every <= timedelta(0):
        raise ValueError("length and step must be positive")
    tz = as_zone(zone)
    slots: list[Span] = []
    # Counted, not incremented: date.max + one day would overflow after the last date.
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() in weekdays:
            start, until = wall_to_instant(day, from_time, tz), wall_to_instant(day, until_time, tz)
            slots.extend(_stepped(start, until, length, every))
    return slots


def _stepped(start: datetime, until: datetime, length: timedelta, every: timedelta) -> list[Span]:
    slots: list[Span] = []
    while start + length <= until:
        slots.append((start, start + length))
        start += every
    return slots
