"""Why a time is not available: the policies of `available_slots`, one reason at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .blocking import (
    DailyMaximum,
    appointments_in_the_way,
    busy_in_the_way,
    overlapping,
    plain_spans,
)
from .intervals import Interval, Span, require_aware, shift, to_utc
from .rules import Occupancy, Rules
from .wallclock import RESOLUTION, working_spans


class Reason(StrEnum):
    """Why a time is not offered. Members are listed, and reported, in this order."""

    OUTSIDE_HOURS = "outside_hours"
    OVERRIDE = "override"
    TIME_OFF = "time_off"
    BOOKED = "booked"
    BUFFER = "buffer"
    BUSY = "busy"
    PUBLISHED = "published"
    NOTICE = "notice"
    HORIZON = "horizon"
    PAST = "past"
    DAILY_MAXIMUM = "daily_maximum"

    @property
    def message(self) -> str:
        return REASON_MESSAGES[self]


REASON_MESSAGES: dict[Reason, str] = {
    Reason.OUTSIDE_HOURS: "Outside working hours, or not on the slot grid.",
    Reason.OVERRIDE: "That date has other hours, or is closed.",
    Reason.TIME_OFF: "The provider is away then.",
    Reason.BOOKED: "Another appointment is booked then.",
    Reason.BUFFER: "Too close to another appointment.",
    Reason.BUSY: "The provider is busy then.",
    Reason.PUBLISHED: "A separately published slot covers that time.",
    Reason.NOTICE: "Too short notice.",
    Reason.HORIZON: "Too far ahead to book yet.",
    Reason.PAST: "That time has passed.",
    Reason.DAILY_MAXIMUM: "That day is fully booked.",
}


@dataclass(frozen=True)
class Obstacle:
    """A reason a time is not offered, and the occupancy interval behind it, if one is.

    `cause` is the very object passed in (an appointment, a busy block, a time off, a published
    slot), so its `ref` says which row to name; it is None for the policies that no interval
    causes: hours, overrides, notice, horizon, the past and the daily maximum.
    """

    reason: Reason
    cause: Interval | None = None

    @property
    def message(self) -> str:
        return self.reason.message


_ORDER = {reason: index for index, reason in enumerate(Reason)}


def explain(
    rules: Rules,
    occupancy: Occupancy,
    start: datetime,
    now: datetime,
    end: datetime | None = None,
) -> list[Reason]:
    """Why [start, start + length) -- or [start, end) -- is not offered; empty when it is.

    A published slot starting at `start` (and ending at `end`, if given) is judged as that
    published slot: working hours, the grid and policy 3(d) do not apply to it.
    """
    obstacles = explain_obstacles(rules, occupancy, start, now, end)
    return list(dict.fromkeys(obstacle.reason for obstacle in obstacles))


def explain_obstacles(
    rules: Rules,
    occupancy: Occupancy,
    start: datetime,
    now: datetime,
    end: datetime | None = None,
) -> list[Obstacle]:
    """`explain`, with every interval that causes each reason: one obstacle per interval.

    Sorted by reason as `explain` lists them, then in the occupancy's order. An appointment the
    time overlaps is BOOKED; one that only a buffer keeps away is BUFFER, listed only when no
    appointment overlaps the time itself (the sharper reason), exactly as `explain` says.
    """
    require_aware(start, now, end)
    start, end, published = judged_time(rules, occupancy.published, start, end)
    obstacles = [
        *timing_obstacles(rules, to_utc(now), start),
        *occupancy_obstacles(rules, occupancy, start, end),
        *daily_obstacles(DailyMaximum(rules, occupancy), start),
    ]
    if not published:
        obstacles.extend(_hours_obstacles(rules, start, end))
        obstacles.extend(published_obstacles(occupancy.published, start, end))
    return sort_obstacles(obstacles)


def sort_obstacles(obstacles: list[Obstacle]) -> list[Obstacle]:
    return sorted(obstacles, key=lambda obstacle: _ORDER[obstacle.reason])  # stable


def judged_time(
    rules: Rules, published: Sequence[Interval], start: datetime, end: datetime | None
) -> tuple[datetime, datetime, bool]:
    """The UTC [start, end) asked about, and whether it is a published slot (judged as itself)."""
    start = to_utc(start)
    published_span = _published_at(published, start, end)
    if published_span is not None:
        end = published_span[1]
    # Saturated at the end of time, a length still leaves [start, start + 1 µs) to judge.
    end = max(shift(start, rules.length), start + RESOLUTION) if end is None else to_utc(end)
    if end <= start:
        raise ValueError("the time asked about must end after it starts")
    return start, end, published_span is not None


def _published_at(
    published: Sequence[Interval], start: datetime, end: datetime | None
) -> Span | None:
    for published_start, published_end in sorted(plain_spans(published)):
        matches_end = end is None or published_end == end
        if published_start == start and matches_end and published_start < published_end:
            return published_start, published_end
    return None


def timing_obstacles(rules: Rules, now: datetime, start: datetime) -> list[Obstacle]:
    """Policy 4: notice and horizon, and the past."""
    obstacles: list[Obstacle] = []
    # PAST is the sharper form of NOTICE (the notice is never negative), so it replaces it.
    if start < now:
        obstacles.append(Obstacle(Reason.PAST))
    elif start < shift(now, rules.minimum_notice):
        obstacles.append(Obstacle(Reason.NOTICE))
    if start > shift(now, rules.horizon):
        obstacles.append(Obstacle(Reason.HORIZON))
    return obstacles


def occupancy_obstacles(
    rules: Rules, occupancy: Occupancy, start: datetime, end: datetime
) -> list[Obstacle]:
    """Policy 3(a)-(c), through the same reach spans that `available_slots` steps around."""
    obstacles = [
        Obstacle(Reason.TIME_OFF, time_off)
        for time_off in overlapping(occupancy.time_off, start, end)
    ]
    booked, buffered = appointments_in_the_way(rules, occupancy, start, end)
    obstacles.extend(Obstacle(Reason.BOOKED, appointment) for appointment in booked)
    if not booked:  # only a buffer touches it, not an appointment itself
        obstacles.extend(Obstacle(Reason.BUFFER, appointment) for appointment in buffered)
    obstacles.extend(
        Obstacle(Reason.BUSY, busy) for busy in busy_in_the_way(rules, occupancy, start, end)
    )
    return obstacles


def published_obstacles(
    published: Sequence[Interval], start: datetime, end: datetime
) -> list[Obstacle]:
    """Policy 3(d): a grid time gives way to every published slot it overlaps."""
    return [Obstacle(Reason.PUBLISHED, slot) for slot in overlapping(published, start, end)]


def daily_obstacles(daily: DailyMaximum, start: datetime) -> list[Obstacle]:
    return [Obstacle(Reason.DAILY_MAXIMUM)] if daily.is_full(start) else []


def _hours_obstacles(rules: Rules, start: datetime, end: datetime) -> list[Obstacle]:
    """Policies 1 and 2: is `start` on the grid of a working interval that [start, end) fits in?"""
    containing = working_spans(rules, start, shift(start, RESOLUTION))
    if any(_fits_grid(span, start, end, rules.slot_step) for span in containing):
        return []
    return hours_obstacles(rules, containing, start, end) or [Obstacle(Reason.OUTSIDE_HOURS)]


def hours_obstacles(
    rules: Rules, containing: list[Span], start: datetime, end: datetime
) -> list[Obstacle]:
    """Policy 1 alone: [start, end) must lie inside one of the working spans holding `start`."""
    if any(span_start <= start and end <= span_end for span_start, span_end in containing):
        return []
    if not containing and start.astimezone(rules.zone).date() in rules.overrides:
        return [Obstacle(Reason.OVERRIDE)]
    # Inside hours but running past their end, or simply outside them.
    return [Obstacle(Reason.OUTSIDE_HOURS)]


def _fits_grid(span: Span, start: datetime, end: datetime, step: timedelta) -> bool:
    span_start, span_end = span
    return span_start <= start and end <= span_end and (start - span_start) % step == timedelta(0)
