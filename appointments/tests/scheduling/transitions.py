"""Every zone's clock changes, found by scanning UTC offsets: windows for the property tests.

A week-by-week scan finds each change of offset, and a bisection pins it to the second. Two
changes less than a week apart that cancel out are missed; nothing relies on finding them all.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

FIRST = datetime(1990, 1, 1, tzinfo=UTC)
LAST = datetime(2040, 1, 1, tzinfo=UTC)
WEEK = timedelta(days=7)
SECOND = timedelta(seconds=1)

ALL_ZONES = sorted(available_timezones())  # sorted: derandomized runs draw the same zones


@cache
def transitions(zone_name: str) -> tuple[datetime, ...]:
    """The first instant of each new UTC offset of the zone between 1990 and 2040."""
    zone = ZoneInfo(zone_name)
    found: list[datetime] = []
    instant, offset = FIRST, FIRST.astimezone(zone).utcoffset()
    while instant < LAST:
        following = instant + WEEK
        if following.astimezone(zone).utcoffset() != offset:
            found.append(_first_change(zone, instant, following))
            offset = following.astimezone(zone).utcoffset()
        instant = following
    return tuple(found)


def _first_change(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first instant in (before, after] whose offset differs from `before`'s."""
    offset = before.astimezone(zone).utcoffset()
    while after - before > SECOND:
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return after


# Zones whose clocks changed across midnight: a gap opening before midnight (Nuuk since 2024:
# 23:00 -02 -> 00:00 -01), a fall-back to the day before
# (Goose Bay until 2010: 00:01 -> 23:01), or a whole day skipped (Apia, 2011-12-30). These are
# the changes that carry working hours from one date into another; few zones have them, so
# the properties draw them on purpose. test_transitions.py checks that each one still does.
ACROSS_MIDNIGHT_ZONES = (
    "America/Goose_Bay",
    "America/Moncton",
    "America/Nuuk",
    "America/Scoresbysund",
    "America/St_Johns",
    "Antarctica/Casey",
    "Asia/Dhaka",
    "Asia/Pyongyang",
    "Pacific/Apia",
    "Pacific/Fakaofo",
    "Pacific/Kanton",
    "Pacific/Kiritimati",
    "Pacific/Kwajalein",
)


@cache
def changes_across_midnight(zone_name: str) -> tuple[datetime, ...]:
    """The zone's changes after which its wall clock shows another date than just before, other
    than by simply passing midnight."""
    zone = ZoneInfo(zone_name)
    found = []
    for change in transitions(zone_name):
        before, after = (change - SECOND).astimezone(zone), change.astimezone(zone)
        passes_midnight = (
            before.time() == time(23, 59, 59)
            and (after.date() - before.date()).days == 1
            and after.time() == time(0)
        )
        if before.date() != after.date() and not passes_midnight:
            found.append(change)
    return tuple(found)
