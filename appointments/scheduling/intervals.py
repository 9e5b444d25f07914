"""Half-open time intervals [start, end) over time-zone-aware instants.

Two representations live here: `Interval`, the validated public value, and `Span`, a bare
(start, end) tuple of UTC datetimes used on the hot path of slot computation, where building
a validated dataclass per appointment would cost more than the whole search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain

Span = tuple[datetime, datetime]

# The core is total: any aware input gives an answer, never an OverflowError. Instants are
# clamped into [EARLIEST, LATEST], which leaves room for a zone's offset and a few days of
# local-date arithmetic on either side, and `shift` saturates at the ends of that range.
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=7)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=7)


@dataclass(frozen=True)
class Interval:
    """Half-open [start, end) between two time-zone-aware instants.

    `ref` is the caller's opaque handle on what the interval stands for (an appointment's id, a
    time-off row): the core never reads it, but hands it back when it names an obstacle. It takes
    no part in equality, so an interval is the same time whoever refers to it.
    """

    start: datetime
    end: datetime
    ref: Hashable | None = field(default=None, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        require_aware(self.start, self.end)
        if self.end < self.start:
            raise ValueError(f"interval ends before it starts: {self.start} > {self.end}")

    @property
    def span(self) -> Span:
        return to_utc(self.start), to_utc(self.end)


def require_aware(*instants: datetime | None) -> None:
    """Reject naive datetimes: a naive value would silently mean the server's local time."""
    for instant in instants:
        if instant is not None and instant.utcoffset() is None:
            raise ValueError(f"expected a time-zone-aware datetime, got {instant!r}")


def to_utc(instant: datetime) -> datetime:
    # One shared tzinfo object makes every later comparison a plain field comparison
    # instead of a utcoffset() call per operand.
    try:
        utc = instant if instant.tzinfo is UTC else instant.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset that leaves the datetime range
        return EARLIEST if instant.year < 5000 else LATEST
    if utc < EARLIEST:
        return EARLIEST
    return LATEST if utc > LATEST else utc


def shift(instant: datetime, delta: timedelta) -> datetime:
    """`instant + delta`, saturating at EARLIEST and LATEST instead of overflowing."""
    if delta >= timedelta(0):
        return LATEST if delta >= LATEST - instant else instant + delta
    return EARLIEST if -delta >= instant - EARLIEST else instant + delta


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether [a_start, a_end) and [b_start, b_end) share an instant; empty intervals share none."""
    return a_start < a_end and b_start < b_end and a_start < b_end and b_start < a_end


def expand(interval: Interval, before: timedelta, after: timedelta) -> Interval:
    """The interval widened by `before` at its start and `after` at its end."""
    return Interval(interval.start - before, interval.end + after)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint union of the intervals, in UTC; touching intervals join, empty ones vanish."""
    return [Interval(start, end) for start, end in merge_spans(i.span for i in intervals)]


def subtract(intervals: Iterable[Interval], removals: Iterable[Interval]) -> list[Interval]:
    """What remains of the union of `intervals` once the union of `removals` is taken out."""
    removed = merge_spans(r.span for r in removals)
    remaining: list[Interval] = []
    for start, end in merge_spans(i.span for i in intervals):
        remaining.extend(Interval(s, e) for s, e in _span_minus(start, end, removed))
    return remaining


def _span_minus(start: datetime, end: datetime, removed: list[Span]) -> list[Span]:
    pieces: list[Span] = []
    for cut_start, cut_end in removed:
        if cut_end <= start or cut_start >= end:
            continue
        if cut_start > start:
            pieces.append((start, cut_start))
        start = max(start, cut_end)
    if start < end:
        pieces.append((start, end))
    return pieces


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint union of spans; touching spans join, empty ones vanish."""
    merged: list[Span] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class Timeline:
    """Blocked time as sorted, disjoint spans, answering "does [start, end) hit it?" in O(log n)."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, *spans: Iterable[Span]) -> None:
        # merge_spans, writing the two columns at once: a team's read builds one per host.
        starts: list[datetime] = []
        ends: list[datetime] = []
        for start, end in sorted(chain(*spans)):
            if start >= end:
                continue
            if ends and start <= ends[-1]:
                if end > ends[-1]:
                    ends[-1] = end
            else:
                starts.append(start)
                ends.append(end)
        self._starts, self._ends = starts, ends

    def blocked_until(self, start: datetime, end: datetime) -> datetime | None:
        """End of the blocked span overlapping [start, end), or None when [start, end) is clear."""
        obstacle = self.next_obstacle(start)
        if obstacle is not None and obstacle[0] < end:
            return obstacle[1]
        return None

    def hits(self, start: datetime, end: datetime) -> bool:
        return self.blocked_until(start, end) is not None

    def next_obstacle(self, instant: datetime) -> Span | None:
        """The first blocked span that ends after `instant`: it either holds `instant` or is the
        next one to come. Ends of disjoint sorted spans are sorted too, hence the bisection.
        """
        index = bisect_right(self._ends, instant)
        if index < len(self._starts):
            return self._starts[index], self._ends[index]
        return None
