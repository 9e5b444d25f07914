"""Wall-clock working hours turned into instants, one local date at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from .intervals import Interval, Span, require_aware, to_utc
from .rules import Rules, WallInterval

ONE_DAY = timedelta(days=1)
# datetime's resolution: "s <= limit" is "s < limit + RESOLUTION", and the last instant of a
# half-open window [start, end) is end - RESOLUTION.
RESOLUTION = timedelta(microseconds=1)

TimeZone = str | tzinfo


def as_zone(tz: TimeZone) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def wall_to_instant(day: date, wall: time, zone: tzinfo) -> datetime:
    """The UTC instant at which the wall clock of `zone` shows `wall` on `day`.

    A repeated wall time (autumn fall-back) means its first occurrence: fold=0. A wall time in a
    spring-forward gap moves forward by the gap: with fold=0 zoneinfo applies the offset in force
    before the gap, so converting to UTC lands the gap's length later (02:30 in New York on
    2026-03-08 becomes 03:30 EDT). This is RFC 5545's rule, so ICS feeds agree with us.
    """
    local = datetime.combine(day, wall, zone)  # the zone given here replaces wall.tzinfo
    if local.fold:
        local = local.replace(fold=0)
    return local.astimezone(UTC)


def span_on(day: date, hours: WallInterval, zone: tzinfo) -> Span:
    """The instants of one working interval on a local date (may be empty, see working_spans)."""
    end_day = day + ONE_DAY if hours.crosses_midnight else day
    return wall_to_instant(day, hours.start, zone), wall_to_instant(end_day, hours.end, zone)


def local_date(instant: datetime, tz: TimeZone) -> date:
    """The date the wall clock of `tz` shows at `instant`: today there, when `instant` is now."""
    require_aware(instant)
    return instant.astimezone(as_zone(tz)).date()


def local_dates(window_start: datetime, window_end: datetime, tz: TimeZone) -> list[date]:
    """Every local date in `tz` that some instant of [window_start, window_end) falls on."""
    require_aware(window_start, window_end)
    window_start, window_end = to_utc(window_start), to_utc(window_end)  # clamped: total
    if window_end <= window_start:
        return []
    zone = as_zone(tz)
    # sorted(): a fall-back across midnight can make the last instant's date the earlier one.
    first, last = sorted(
        (window_start.astimezone(zone).date(), (window_end - RESOLUTION).astimezone(zone).date())
    )
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def working_spans(rules: Rules, window_start: datetime, window_end: datetime) -> list[Span]:
    """Working intervals overlapping the window, as sorted, distinct UTC spans.

    Spans are neither clipped to the window nor merged: each one anchors its own slot grid.
    Hours that the clock change turns empty or backwards vanish: on New York's 2026-03-08,
    02:30-03:00 would run from 03:30 EDT back to 03:00 EDT, so those hours do not exist that day.
    """
    zone = rules.zone
    days = local_dates(window_start, window_end, zone)
    if not days:
        return []
    spans: set[Span] = set()
    for day, hours in _hours_that_may_reach(rules, days):
        start, end = span_on(day, hours, zone)
        if start < end and start < window_end and end > window_start:
            spans.add((start, end))
    return sorted(spans)


def working_intervals(rules: Rules, window_start: datetime, window_end: datetime) -> list[Interval]:
    """Public face of `working_spans`: the working intervals overlapping the window, in UTC."""
    spans = working_spans(rules, to_utc(window_start), to_utc(window_end))
    return [Interval(start, end) for start, end in spans]


def _hours_that_may_reach(rules: Rules, days: list[date]) -> list[tuple[date, WallInterval]]:
    """The hours of the window's local dates, and of the dates around them whose instants a
    clock change can carry into the window; `working_spans` keeps those that do reach it.

    Hours of the day before run into the window past midnight by their wall times, or because a
    gap carries their end past it: Nuuk jumps from 23:00 -02 to 00:00 -01 on 2026-03-28, so
    20:00-23:45 ends at 00:45 on the 29th. A gap of a whole day (Apia, 2011-12-30) carries the
    hours that run past midnight two days on. Symmetrically, when clocks fall back across
    midnight (Goose Bay, 00:01 -> 23:01 until 2010) the next date begins before the window's
    last date has ended, and its hours can start inside the window. No gap or fall-back is a day
    longer, so the day after and the two days before are enough.
    """
    # Ordinals, clamped: the dates around the first and last representable ones do not exist.
    first, last = days[0].toordinal(), days[-1].toordinal()
    around = range(max(first - 2, 1), min(last + 1, date.max.toordinal()) + 1)
    candidates = []
    for ordinal in around:
        day = date.fromordinal(ordinal)
        two_days_before = ordinal == first - 2
        candidates.extend(
            (day, hours)
            for hours in rules.hours_on(day)
            if hours.crosses_midnight or not two_days_before
        )
    return candidates
