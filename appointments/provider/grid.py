"""The geometry of the week grid: which rows of a day column a span of time covers, and side by
side lanes for bookings that overlap. Pure Python (no Django): instants in, row numbers out.

A day column is drawn on the wall clock of the viewer's zone in quarter hours, like a paper
diary: 09:00 is the same height on every day, also on the day clocks change. On an autumn
fall-back day the repeated hour is drawn once (what happens in it overlaps); on a spring-forward
day the skipped hour stays empty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUARTER = 15  # minutes per grid row
DAY_MINUTES = 24 * 60
MAX_LANES = 4  # more overlapping bookings than this share the last lane


@dataclass(frozen=True)
class Place:
    """Where a span is drawn in one day column: CSS grid rows (1-based) and a lane."""

    row: int
    span: int
    lane: int = 0
    lanes: int = 1

    @property
    def css(self) -> str:
        return f"pv-at-{self.row} pv-span-{self.span} pv-lane-{self.lanes}-{self.lane}"


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local date (a midnight in a DST gap moves forward)."""
    return datetime.combine(day, time(0), tzinfo=zone)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return midnight(day, zone), midnight(day + timedelta(days=1), zone)


def wall_minutes(start: datetime, end: datetime, day: date, zone: ZoneInfo) -> tuple[int, int]:
    """The wall-clock minutes from local midnight of `day` that [start, end) covers on it,
    clipped to the day. Computed from the wall clock, not from elapsed time, so that hours sit at
    the same height on a 23- or 25-hour day; an end that the fall-back puts before its start
    (01:45 EDT to 01:15 EST) keeps at least a quarter hour."""
    first, after = day_bounds(day, zone)
    local_start = max(start, first).astimezone(zone)
    begin = local_start.hour * 60 + local_start.minute
    if end >= after:
        finish = DAY_MINUTES
    else:
        local_end = end.astimezone(zone)
        finish = local_end.hour * 60 + local_end.minute + (local_end.second > 0)
    return begin, max(finish, begin + QUARTER)


def covers_day(start: datetime, end: datetime, day: date, zone: ZoneInfo) -> bool:
    first, after = day_bounds(day, zone)
    return start <= first and end >= after


def place(minutes: tuple[int, int], first_hour: int) -> Place:
    """Grid rows of wall minutes, in a column starting at `first_hour`: the start rounded down
    and the end rounded up to a quarter hour, so nothing short disappears."""
    begin, finish = minutes
    offset = first_hour * 60
    row = max(begin - offset, 0) // QUARTER
    last = -(-(finish - offset) // QUARTER)  # ceiling
    return Place(row=row + 1, span=max(last - row, 1))


def hour_range(
    spans: list[tuple[int, int]], *, default: tuple[int, int] = (8, 18)
) -> tuple[int, int]:
    """The hours the grid shows: the default working day, widened to whatever is drawn."""
    first, last = default
    for begin, finish in spans:
        first = min(first, begin // 60)
        last = max(last, -(-finish // 60))
    return first, min(last, 24)


def lanes(places: list[Place]) -> list[Place]:
    """Side-by-side lanes for overlapping places (in start order): each cluster of overlapping
    bookings is split into as many lanes as it needs at most at once, up to MAX_LANES."""
    order = sorted(range(len(places)), key=lambda i: (places[i].row, -places[i].span))
    result: list[Place | None] = [None] * len(places)
    cluster: list[int] = []
    lane_ends: list[int] = []
    cluster_end = 0

    def close() -> None:
        count = min(len(lane_ends), MAX_LANES)
        for index in cluster:
            result[index] = Place(places[index].row, places[index].span, result[index].lane, count)

    for index in order:
        item = places[index]
        if cluster and item.row >= cluster_end:
            close()
            cluster, lane_ends = [], []
        lane = next((n for n, end in enumerate(lane_ends) if end <= item.row), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(0)
        lane_ends[lane] = item.row + item.span
        cluster.append(index)
        cluster_end = max(cluster_end if len(cluster) > 1 else 0, item.row + item.span)
        result[index] = Place(item.row, item.span, min(lane, MAX_LANES - 1), 1)
    if cluster:
        close()
    return [item for item in result if item is not None]
