"""Why a time is not available: the policies of `available_slots`, one reason at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from .blocking import DailyMaximum, appointment_reach_spans, busy_spans, plain_spans
from .intervals import Span, Timeline, require_aware, shift, to_utc
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
    require_aware(start, now, end)
    start, now = to_utc(start), to_utc(now)
    published = _published_at(occupancy, start, end)
    if published is not None:
        end = published[1]
    # Saturated at the end of time, a length still leaves [start, start + 1 µs) to judge.
    end = max(shift(start, rules.length), start + RESOLUTION) if end is None else to_utc(end)
    if end <= start:
        raise ValueError("the time asked about must end after it starts")
    reasons = _timing_reasons(rules, start, now) | _occupancy_reasons(rules, occupancy, start, end)
    if published is None:
        reasons |= _hours_reasons(rules, start, end)
        if Timeline(plain_spans(occupancy.published)).hits(start, end):
            reasons.add(Reason.PUBLISHED)
    if DailyMaximum(rules, occupancy).is_full(start):
        reasons.add(Reason.DAILY_MAXIMUM)
    return [reason for reason in Reason if reason in reasons]


def _published_at(occupancy: Occupancy, start: datetime, end: datetime | None) -> Span | None:
    for published_start, published_end in sorted(plain_spans(occupancy.published)):
        matches_end = end is None or published_end == end
        if published_start == start and matches_end and published_start < published_end:
            return published_start, published_end
    return None


def _timing_reasons(rules: Rules, start: datetime, now: datetime) -> set[Reason]:
    reasons: set[Reason] = set()
    # PAST is the sharper form of NOTICE (the notice is never negative), so it replaces it.
    if start < now:
        reasons.add(Reason.PAST)
    elif start < shift(now, rules.minimum_notice):
        reasons.add(Reason.NOTICE)
    if start > shift(now, rules.horizon):
        reasons.add(Reason.HORIZON)
    return reasons


def _occupancy_reasons(
    rules: Rules, occupancy: Occupancy, start: datetime, end: datetime
) -> set[Reason]:
    reasons: set[Reason] = set()
    if Timeline(plain_spans(occupancy.time_off)).hits(start, end):
        reasons.add(Reason.TIME_OFF)
    if Timeline(plain_spans(occupancy.appointments)).hits(start, end):
        reasons.add(Reason.BOOKED)
    elif Timeline(appointment_reach_spans(rules, occupancy)).hits(start, end):
        reasons.add(Reason.BUFFER)  # only a buffer touches it, not an appointment itself
    if Timeline(busy_spans(rules, occupancy)).hits(start, end):
        reasons.add(Reason.BUSY)
    return reasons


def _hours_reasons(rules: Rules, start: datetime, end: datetime) -> set[Reason]:
    """Policies 1 and 2: is `start` on the grid of a working interval that [start, end) fits in?"""
    containing = working_spans(rules, start, shift(start, RESOLUTION))
    if any(_fits_grid(span, start, end, rules.slot_step) for span in containing):
        return set()
    if not containing and start.astimezone(rules.zone).date() in rules.overrides:
        return {Reason.OVERRIDE}
    # Inside hours but off the grid or running past their end, or simply outside them.
    return {Reason.OUTSIDE_HOURS}


def _fits_grid(span: Span, start: datetime, end: datetime, step: timedelta) -> bool:
    span_start, span_end = span
    return span_start <= start and end <= span_end and (start - span_start) % step == timedelta(0)
