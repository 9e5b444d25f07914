"""What stands in the way of a slot: occupancy turned into spans a candidate must not overlap.

Both `available_slots` and `explain` build on these functions so that they can never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

from .intervals import Interval, Span, shift, to_utc
from .rules import Occupancy, Rules


def plain_spans(intervals: Iterable[Interval]) -> list[Span]:
    """The intervals as UTC spans, leaving out empty ones: [a, a) holds no instant to block."""
    return [interval.span for interval in intervals if interval.start < interval.end]


def appointment_reach_spans(rules: Rules, occupancy: Occupancy) -> list[Span]:
    """Appointments widened so that a candidate overlapping one breaks policy 3(a) or 3(b).

    3(a): the candidate's buffers must not reach an appointment [a, b), i.e. the candidate must
    not overlap [a - buffer_after, b + buffer_before). 3(b): the appointment's buffers must not
    reach the candidate, i.e. it must not overlap [a - buffer_before, b + buffer_after). Both
    contain [a, b), so their union is one span widened by the larger buffer on each side: the
    gap between two appointments is the larger buffer, as buffers may overlap each other.
    """
    reach = max(rules.buffer_before, rules.buffer_after)
    return [
        (shift(start, -reach), shift(end, reach))
        for start, end in plain_spans(occupancy.appointments)
    ]


def busy_spans(rules: Rules, occupancy: Occupancy) -> list[Span]:
    """External busy time widened so that a candidate overlapping it breaks policy 3(a).

    The candidate's buffers reach out to [s - buffer_before, e + buffer_after); that overlaps
    busy [a, b) exactly when [s, e) overlaps [a - buffer_after, b + buffer_before). The swap of
    before and after is deliberate. Busy time has no buffers of its own.
    """
    before, after = rules.buffer_after, rules.buffer_before
    return [
        (shift(start, -before), shift(end, after)) for start, end in plain_spans(occupancy.busy)
    ]


class DailyMaximum:
    """Policy 5: a local date holding `max_per_day` appointments, counted by start, offers nothing."""

    __slots__ = ("_counts", "_maximum", "_zone", "binds")

    def __init__(self, rules: Rules, occupancy: Occupancy) -> None:
        self._zone = rules.zone
        self._maximum = rules.max_per_day or 0
        self._counts: Counter[date] = Counter()
        if rules.max_per_day is not None:
            self._counts.update(
                start.astimezone(self._zone).date()
                for start, _ in plain_spans(occupancy.appointments)
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
