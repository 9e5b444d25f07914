"""Terse builders for scheduling tests: times as text, rules with sensible defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from appointments.scheduling import (
    Interval,
    Occupancy,
    Rules,
    Slot,
    WallInterval,
    available_slots,
)

MONDAY = date(2026, 6, 1)  # a quiet week, far from any clock change
LONG_AGO = datetime(2026, 5, 1, tzinfo=UTC)  # a `now` before everything, within the horizon


def at(text: str, zone: str = "UTC") -> datetime:
    """'2026-06-01 09:00' on the wall clock of `zone` (first occurrence if repeated)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def hours(*texts: str) -> tuple[WallInterval, ...]:
    """hours('09:00-12:00', '13:00-17:00')"""
    return tuple(
        WallInterval(time.fromisoformat(start), time.fromisoformat(end))
        for start, end in (text.split("-") for text in texts)
    )


def every_day(*texts: str) -> dict[int, tuple[WallInterval, ...]]:
    return dict.fromkeys(range(7), hours(*texts))


def interval(start: str, end: str) -> Interval:
    return Interval(utc(start), utc(end))


def make_rules(
    weekly: Mapping[int, Sequence[WallInterval]] | None = None,
    length: int = 60,
    **options: Any,
) -> Rules:
    """UTC calendar open 09:00-12:00 every day with 60-minute slots unless told otherwise."""
    options.setdefault("time_zone", "UTC")
    options.setdefault("overrides", {})
    return Rules(
        weekly=every_day("09:00-12:00") if weekly is None else weekly,
        length=minutes(length),
        **options,
    )


def day_window(day: date = MONDAY, days: int = 1) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), UTC)
    return start, start + timedelta(days=days)


def slots_on(
    rules: Rules,
    occupancy: Occupancy | None = None,
    day: date = MONDAY,
    now: datetime = LONG_AGO,
    days: int = 1,
) -> list[Slot]:
    window_start, window_end = day_window(day, days)
    return available_slots(rules, occupancy or Occupancy(), window_start, window_end, now)


def starts(slots: Iterable[Slot]) -> list[str]:
    """Slot starts as 'HH:MM' in UTC: enough within one day."""
    return [slot.start.strftime("%H:%M") for slot in slots]


def instants(slots: Iterable[Slot]) -> list[str]:
    """Slot starts as 'YYYY-MM-DD HH:MMZ': for tests that cross dates."""
    return [slot.start.strftime("%Y-%m-%d %H:%MZ") for slot in slots]
