"""Available slots: working hours stepped out on a grid, minus everything in the way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .blocking import DailyMaxima, DailyMaximum, plain_spans, taken_spans
from .intervals import Span, Timeline, require_aware, shift, to_utc
from .rules import Occupancy, Rules
from .wallclock import RESOLUTION, TimeZone, as_zone, working_spans

Offer = tuple[datetime, datetime, bool]  # start, end, published: sorts like the Slots it becomes


@dataclass(frozen=True)
class Slot:
    """A bookable [start, end) in UTC; `published` when the provider published it explicitly."""

    start: datetime
    end: datetime
    published: bool


@dataclass(frozen=True)
class Search:
    """One search's limits and obstacles, shared by the grid and the published slots."""

    earliest: datetime  # first allowed start: window start and minimum notice
    stop: datetime  # starts must come before it: window end and horizon
    taken: Timeline  # appointments with buffers, busy time, time off (policy 3 a-c)
    grid_taken: Timeline  # the same plus the published slots, which candidates give way to (3 d)
    daily: DailyMaximum | DailyMaxima


def available_slots(
    rules: Rules,
    occupancy: Occupancy,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
) -> list[Slot]:
    """Bookable slots starting in [window_start, window_end), sorted by start, in UTC."""
    require_aware(window_start, window_end, now)
    search = _prepare(rules, occupancy, to_utc(window_start), to_utc(window_end), to_utc(now))
    return _distinct_slots(offers(rules, plain_spans(occupancy.published), search))


def offers(rules: Rules, published: list[Span], search: Search) -> list[Offer]:
    """The free published slots and the free grid points of the rules' working hours."""
    found = list(published_offers(published, search))
    spans = working_spans(rules, search.earliest, search.stop)
    found.extend(grid_offers(spans, rules.length, rules.slot_step, search))
    return found


def _distinct_slots(offers: list[Offer]) -> list[Slot]:
    """Sorted slots, each once: overlapping working intervals can offer the same start twice."""
    offers.sort()  # nearly always sorted already: working spans come in order
    slots: list[Slot] = []
    previous: Offer | None = None
    for offer in offers:
        if offer != previous:
            slots.append(Slot(*offer))
            previous = offer
    return slots


def _prepare(
    rules: Rules, occupancy: Occupancy, window_start: datetime, window_end: datetime, now: datetime
) -> Search:
    return search_for(
        rules,
        taken_spans(rules, occupancy),
        plain_spans(occupancy.published),
        DailyMaximum(rules, occupancy),
        (window_start, window_end),
        now,
    )


def search_for(
    rules: Rules,
    obstacles: list[Span],
    published: list[Span],
    daily: DailyMaximum | DailyMaxima,
    window: Span,
    now: datetime,
) -> Search:
    """A search of the window (UTC) with the policies of `rules`, clear of the obstacles."""
    window_start, window_end = window
    taken = Timeline(obstacles)
    return Search(
        earliest=max(window_start, shift(now, rules.minimum_notice)),
        # The horizon is inclusive (start <= now + horizon), the window end is not.
        stop=min(window_end, shift(shift(now, rules.horizon), RESOLUTION)),
        taken=taken,
        grid_taken=Timeline(obstacles, published) if published else taken,
        daily=daily,
    )


def published_offers(published: Iterable[Span], search: Search) -> Iterator[Offer]:
    """Policy 6: published slots stand on their own, with no grid and no working hours."""
    for start, end in published:
        if (
            start < end
            and search.earliest <= start < search.stop
            and not search.taken.hits(start, end)
            and not search.daily.is_full(start)
        ):
            yield start, end, True


def grid_offers(
    spans: Iterable[Span], length: timedelta, step: timedelta, search: Search
) -> Iterator[Offer]:
    for span_start, span_end in spans:
        yield from _grid_offers_in_span(span_start, span_end, length, step, search)


def _grid_offers_in_span(
    span_start: datetime, span_end: datetime, length: timedelta, step: timedelta, search: Search
) -> Iterator[Offer]:
    """Policy 2: the grid runs in absolute time from the span's start; obstacles only remove.

    One bisection per obstacle or clear run, not per candidate: after an obstacle the search
    jumps to the first grid point past it, and every grid point that ends by the next
    obstacle's start is free without looking again.
    """
    last_start = min(shift(span_end, -length), shift(search.stop, -RESOLUTION))
    start = grid_point_at_or_after(span_start, step, search.earliest)
    while start <= last_start:
        obstacle = search.grid_taken.next_obstacle(start)
        if obstacle is not None and obstacle[0] < shift(start, length):
            start = grid_point_at_or_after(span_start, step, obstacle[1])
            continue
        run_last = last_start if obstacle is None else min(last_start, shift(obstacle[0], -length))
        try:
            while start <= run_last:
                if not search.daily.is_full(start):
                    yield start, start + length, False
                start += step
        except OverflowError:  # the grid ran past what a datetime holds: nothing later exists
            return


def grid_point_at_or_after(origin: datetime, step: timedelta, instant: datetime) -> datetime:
    """The first point of the grid origin + k * step (k >= 0) that is not before `instant`;
    datetime.max when that point lies past what a datetime can hold."""
    if instant <= origin:
        return origin
    try:
        # The floor of a negative count is its ceiling.
        return origin - ((origin - instant) // step) * step
    except OverflowError:
        return _PAST_THE_END


# Later than any start the search can consider (it stops at LATEST at the latest).
_PAST_THE_END = datetime.max.replace(tzinfo=UTC)


def group_by_local_date(slots: Iterable[Slot], tz_name: TimeZone) -> dict[date, list[Slot]]:
    """Slots grouped by the date on which they start in `tz_name` (the booker's zone, say)."""
    zone = as_zone(tz_name)
    groups: dict[date, list[Slot]] = {}
    for slot in slots:
        groups.setdefault(to_utc(slot.start).astimezone(zone).date(), []).append(slot)
    return groups


def free_dates(slots: Iterable[Slot], tz: TimeZone) -> set[date]:
    """The local dates in `tz` on which at least one of the slots starts."""
    return set(group_by_local_date(slots, tz))
