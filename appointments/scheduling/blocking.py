"""What stands in the way of a slot: occupancy turned into spans a candidate must not overlap.

Both `available_slots` and `explain` build on these functions so that they can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime

from .intervals import Interval, Span, overlaps, shift, to_utc
from .rules import Booked, Occupancy, Rules


def plain_spans(intervals: Iterable[Interval]) -> list[Span]:
    """The intervals as UTC spans, leaving out empty ones: [a, a) holds no instant to block."""
    return [interval.span for interval in intervals if interval.start < interval.end]


def appointment_reach_spans(rules: Rules, appointments: Iterable[Interval]) -> list[Span]:
    """Each non-empty appointment widened so that a candidate overlapping it breaks policy 3(a)
    or 3(b), in order.

    3(a): the candidate's buffers must not reach an appointment [a, b), i.e. the candidate must
    not overlap [a - buffer_after, b + buffer_before). 3(b): the appointment's buffers must not
    reach the candidate, i.e. it must not overlap [a - own_before, b + own_after), where the
    appointment's own buffers are those of its event type (`Booked`), by default the rules'.
    Both contain [a, b), so their union is one span widened by the larger buffer on each side:
    the gap between two appointments is the larger buffer, as buffers may overlap each other.
    With the rules' own buffers that is the larger of the two on both sides.

    The one place this rule is written; unrolled, because it runs for every appointment of every
    host on every availability read (a team of ten hosts: a thousand).
    """
    candidate_before, candidate_after = rules.buffer_before, rules.buffer_after
    plain = max(candidate_before, candidate_after)
    spans: list[Span] = []
    append = spans.append
    for appointment in appointments:
        start, end = appointment.start, appointment.end
        if start >= end:
            continue
        if start.tzinfo is not UTC:
            start = to_utc(start)
        if end.tzinfo is not UTC:
            end = to_utc(end)
        kind = type(appointment)
        if kind is Interval:
            try:
                append((start - plain, end + plain))
            except OverflowError:
                append((shift(start, -plain), shift(end, plain)))
            continue
        if kind is Booked:
            own_before, own_after = appointment.buffer_before, appointment.buffer_after
        else:  # some other subclass: it may or may not carry buffers
            own_before = getattr(appointment, "buffer_before", None)
            own_after = getattr(appointment, "buffer_after", None)
        if own_before is None:
            own_before = candidate_before
        if own_after is None:
            own_after = candidate_after
        before = candidate_after if candidate_after > own_before else own_before
        after = candidate_before if candidate_before > own_after else own_after
        try:
            append((start - before, end + after))
        except OverflowError:  # at the ends of time: saturate (the core is total)
            append((shift(start, -before), shift(end, after)))
    return spans


def busy_spans(rules: Rules, occupancy: Occupancy) -> list[Span]:
    """External busy time widened so that a candidate overlapping it breaks policy 3(a)."""
    return [busy_reach(rules, start, end) for start, end in plain_spans(occupancy.busy)]


def busy_reach(rules: Rules, start: datetime, end: datetime) -> Span:
    """Busy [start, end) widened by the candidate's buffers, swapped.

    The candidate's buffers reach out to [s - buffer_before, e + buffer_after); that overlaps
    busy [a, b) exactly when [s, e) overlaps [a - buffer_after, b + buffer_before). The swap of
    before and after is deliberate. Busy time has no buffers of its own.
    """
    return shift(start, -rules.buffer_after), shift(end, rules.buffer_before)


def taken_spans(rules: Rules, occupancy: Occupancy) -> list[Span]:
    """Everything a candidate must not overlap by policy 3(a)-(c), published slots aside."""
    return [
        *appointment_reach_spans(rules, occupancy.appointments),
        *busy_spans(rules, occupancy),
        *plain_spans(occupancy.time_off),
    ]


def appointments_in_the_way(
    rules: Rules, occupancy: Occupancy, start: datetime, end: datetime
) -> tuple[list[Interval], list[Interval]]:
    """The appointments that [start, end) overlaps, and those that only a buffer keeps it from."""
    booked: list[Interval] = []
    buffered: list[Interval] = []
    appointments = [a for a in occupancy.appointments if a.start < a.end]
    for appointment, reach in zip(
        appointments, appointment_reach_spans(rules, appointments), strict=True
    ):
        if overlaps(*appointment.span, start, end):
            booked.append(appointment)
        elif overlaps(*reach, start, end):
            buffered.append(appointment)
    return booked, buffered


def busy_in_the_way(
    rules: Rules, occupancy: Occupancy, start: datetime, end: datetime
) -> list[Interval]:
    return [
        busy
        for busy in occupancy.busy
        if busy.start < busy.end and overlaps(*busy_reach(rules, *busy.span), start, end)
    ]


def overlapping(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The intervals that share an instant with [start, end): time off, published slots."""
    return [interval for interval in intervals if overlaps(*interval.span, start, end)]


def counts_toward_daily_maximum(appointment: Interval) -> bool:
    return getattr(appointment, "counts_toward_daily_maximum", True)


class DailyMaximum:
    """Policy 5: a local date holding `max_per_day` appointments, counted by start, offers nothing.

    Only the appointments that count toward this event type's maximum are counted, on the local
    dates of the rules' zone: a host's other event types, or their bookings as a client, do not.
    """

    __slots__ = ("_counts", "_maximum", "_zone", "binds")

    def __init__(self, rules: Rules, occupancy: Occupancy) -> None:
        self._zone = rules.zone
        self._maximum = rules.max_per_day or 0
        self._counts: Counter[date] = Counter()
        if rules.max_per_day is not None:
            self._counts.update(
                to_utc(appointment.start).astimezone(self._zone).date()
                for appointment in occupancy.appointments
                if appointment.start < appointment.end and counts_toward_daily_maximum(appointment)
            )
        # Checked first on the hot path: most calendars have no maximum, or no full date.
        self.binds = rules.max_per_day is not None and (
            self._maximum == 0 or max(self._counts.values(), default=0) >= self._maximum
        )

    def is_full(self, start: datetime) -> bool:
        """Whether the local date on which `start` falls has reached the maximum."""
        if not self.binds:
            return False
        return self._counts[to_utc(start).astimezone(self._zone).date()] >= self._maximum


class DailyMaxima:
    """Several hosts' daily maxima at once: a start is out when any of them is full that day."""

    __slots__ = ("_binding", "binds")

    def __init__(self, maxima: Iterable[DailyMaximum]) -> None:
        self._binding = [maximum for maximum in maxima if maximum.binds]
        self.binds = bool(self._binding)

    def is_full(self, start: datetime) -> bool:
        return any(maximum.is_full(start) for maximum in self._binding)
