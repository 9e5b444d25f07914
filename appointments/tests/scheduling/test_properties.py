"""Property tests: `available_slots` against a slow oracle written straight from the policies.

The oracle shares no code with the package: it converts wall times by trying every offset the
zone uses around that date, walks each working interval's grid one step at a time and checks
each candidate against every interval of the occupancy with the policy's own words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments.scheduling import (
    Interval,
    Occupancy,
    Rules,
    Slot,
    WallInterval,
    available_slots,
    explain,
)

# One place for the example budget. Fixed and derandomized, so every run checks the same
# 500 cases per property; database=None keeps .hypothesis/ out of the working tree.
EXAMPLES = 500
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Havana",
    "Pacific/Auckland",
    "Pacific/Chatham",
]
# Windows open a day before the 2026 clock changes of the zones above, and on a quiet day.
FIRST_DAYS = [
    date(2026, 3, 7),
    date(2026, 3, 28),
    date(2026, 4, 4),
    date(2026, 9, 26),
    date(2026, 10, 3),
    date(2026, 10, 24),
    date(2026, 10, 31),
    date(2026, 6, 1),
]


@dataclass(frozen=True)
class Scenario:
    rules: Rules
    occupancy: Occupancy
    window_start: datetime
    window_end: datetime
    now: datetime


def _minutes(low: int, high: int, multiple: int = 5) -> st.SearchStrategy[timedelta]:
    return st.integers(low // multiple, high // multiple).map(
        lambda n: timedelta(minutes=n * multiple)
    )


wall_times = st.integers(0, 143).map(lambda n: time(n // 6, n % 6 * 10))
wall_intervals = st.builds(WallInterval, wall_times, wall_times)
hours_lists = st.lists(wall_intervals, max_size=3)


@st.composite
def rules_around(draw: st.DrawFn, first_day: date) -> Rules:
    override_dates = st.integers(-1, 5).map(lambda n: first_day + timedelta(days=n))
    return Rules(
        time_zone=draw(st.sampled_from(ZONES)),
        weekly=draw(st.dictionaries(st.integers(0, 6), hours_lists, min_size=3, max_size=7)),
        overrides=draw(st.dictionaries(override_dates, hours_lists, max_size=3)),
        length=draw(_minutes(10, 120)),
        step=draw(st.none() | _minutes(5, 120)),
        buffer_before=draw(_minutes(0, 60)),
        buffer_after=draw(_minutes(0, 60)),
        minimum_notice=draw(_minutes(0, 24 * 60, 30)),
        horizon=draw(_minutes(0, 8 * 24 * 60, 60)),
        max_per_day=draw(st.none() | st.integers(0, 3)),
    )


@st.composite
def occupancies(draw: st.DrawFn, earliest: datetime, latest: datetime) -> Occupancy:
    intervals = _intervals(earliest, latest)
    return Occupancy(
        appointments=draw(st.lists(intervals, max_size=10)),
        busy=draw(st.lists(intervals, max_size=4)),
        time_off=draw(st.lists(intervals, max_size=3)),
        published=draw(st.lists(intervals, max_size=3)),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    first_day = draw(st.sampled_from(FIRST_DAYS))
    window_start = datetime.combine(first_day, time(0), UTC) + draw(_minutes(0, 23 * 60, 30))
    window_end = window_start + draw(_minutes(6 * 60, 4 * 24 * 60, 60))
    rules = draw(rules_around(first_day))
    day = timedelta(days=1)
    occupancy = draw(occupancies(window_start - day, window_end + day))
    # Mostly before the window, sometimes inside it; any minute, so notice can be off-grid.
    now = window_start + draw(_minutes(-2 * 24 * 60, 12 * 60, 1))
    return Scenario(rules, occupancy, window_start, window_end, now)


def _intervals(earliest: datetime, latest: datetime) -> st.SearchStrategy[Interval]:
    span_minutes = int((latest - earliest) / timedelta(minutes=5))
    starts = st.integers(0, span_minutes).map(lambda n: earliest + timedelta(minutes=5 * n))
    return st.builds(
        lambda start, length: Interval(start, start + length), starts, _minutes(5, 240)
    )


# --- the oracle -----------------------------------------------------------------------------


def oracle_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """Try every offset the zone uses within two days; keep those that show `wall` on `day`."""
    naive = datetime.combine(day, wall)
    noon = datetime.combine(day, time(12), UTC)
    offsets = {
        (noon + timedelta(hours=h)).astimezone(zone).utcoffset() or timedelta(0)
        for h in range(-48, 49, 2)
    }
    shows_wall = [
        (naive - offset).replace(tzinfo=UTC)
        for offset in offsets
        if (naive - offset).replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) == naive
    ]
    if shows_wall:
        return min(shows_wall)  # a repeated wall time: the first occurrence
    # In a spring-forward gap: the offset before the gap, the smaller one, moves it forward.
    return (naive - min(offsets)).replace(tzinfo=UTC)


def oracle_working(s: Scenario) -> list[tuple[datetime, datetime]]:
    zone = ZoneInfo(s.rules.time_zone)
    spans = []
    first = s.window_start.date() - timedelta(days=2)
    for offset in range((s.window_end.date() - first).days + 3):
        day = first + timedelta(days=offset)
        if day in s.rules.overrides:
            day_hours = s.rules.overrides[day]
        else:
            day_hours = s.rules.weekly.get(day.weekday(), [])
        for wall in day_hours:
            end_day = day + timedelta(days=1) if wall.end <= wall.start else day
            start, end = (
                oracle_instant(day, wall.start, zone),
                oracle_instant(end_day, wall.end, zone),
            )
            if start < end:
                spans.append((start, end))
    return spans


def oracle_grid(s: Scenario) -> set[tuple[datetime, datetime]]:
    step = s.rules.step or s.rules.length
    grid = set()
    for span_start, span_end in oracle_working(s):
        start = span_start
        while start + s.rules.length <= span_end:
            grid.add((start, start + s.rules.length))
            start += step
    return grid


def meets(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def pairs(intervals: Iterable[Interval]) -> list[tuple[datetime, datetime]]:
    return [(i.start, i.end) for i in intervals]


def oracle_free(s: Scenario, slot: tuple[datetime, datetime], published: bool) -> bool:
    r, o = s.rules, s.occupancy
    start, end = slot
    own_buffers = (start - r.buffer_before, end + r.buffer_after)
    zone = ZoneInfo(r.time_zone)
    starts_on_day = [a.start.astimezone(zone).date() for a in o.appointments]
    return (
        all(not meets(a, own_buffers) for a in pairs(o.appointments) + pairs(o.busy))
        and all(
            not meets((a - r.buffer_before, b + r.buffer_after), slot)
            for a, b in pairs(o.appointments)
        )
        and all(not meets(t, slot) for t in pairs(o.time_off))
        and (published or all(not meets(p, slot) for p in pairs(o.published)))
        and s.now + r.minimum_notice <= start <= s.now + r.horizon
        and s.window_start <= start < s.window_end
        and (
            r.max_per_day is None
            or starts_on_day.count(start.astimezone(zone).date()) < r.max_per_day
        )
    )


def expected_offers(s: Scenario) -> set[tuple[datetime, datetime, bool]]:
    computed = {(a, b, False) for a, b in oracle_grid(s) if oracle_free(s, (a, b), False)}
    published = {
        (a, b, True) for a, b in pairs(s.occupancy.published) if oracle_free(s, (a, b), True)
    }
    return computed | published


def offered(s: Scenario) -> list[Slot]:
    return available_slots(s.rules, s.occupancy, s.window_start, s.window_end, s.now)


# --- properties -----------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(scenarios())
def test_slots_are_exactly_the_free_grid_points_and_free_published_slots(s: Scenario) -> None:
    slots = offered(s)
    assert {(slot.start, slot.end, slot.published) for slot in slots} == expected_offers(s)
    assert len(slots) == len(set(slots))  # each once
    assert [slot.start for slot in slots] == sorted(slot.start for slot in slots)


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_slot_meets_an_appointment_or_busy_time_with_buffers(s: Scenario) -> None:
    r = s.rules
    for slot in offered(s):
        with_buffers = (slot.start - r.buffer_before, slot.end + r.buffer_after)
        for a, b in pairs(s.occupancy.appointments):
            assert not meets((a, b), with_buffers)
            assert not meets((a - r.buffer_before, b + r.buffer_after), (slot.start, slot.end))
        for busy in pairs(s.occupancy.busy):
            assert not meets(busy, with_buffers)


@PROPERTY_SETTINGS
@given(scenarios())
def test_computed_slots_lie_inside_working_hours_on_their_grid(s: Scenario) -> None:
    step = s.rules.step or s.rules.length
    working = oracle_working(s)
    for slot in offered(s):
        if not slot.published:
            assert any(
                a <= slot.start and slot.end <= b and (slot.start - a) % step == timedelta(0)
                for a, b in working
            )


@PROPERTY_SETTINGS
@given(scenarios())
def test_no_slot_breaks_notice_horizon_or_window(s: Scenario) -> None:
    for slot in offered(s):
        assert slot.start >= s.now + s.rules.minimum_notice
        assert slot.start <= s.now + s.rules.horizon
        assert s.window_start <= slot.start < s.window_end
        assert slot.start.tzinfo is UTC


def explained_available(s: Scenario, start: datetime, end: datetime | None = None) -> bool:
    return explain(s.rules, s.occupancy, start, s.now, end) == []


@PROPERTY_SETTINGS
@given(scenarios(), st.lists(st.integers(min_value=0), max_size=10))
def test_explain_finds_no_reason_exactly_for_offered_slots(s: Scenario, picks: list[int]) -> None:
    slots = {(slot.start, slot.end, slot.published) for slot in offered(s)}
    published_starts = {i.start for i in s.occupancy.published}
    # Every grid point, plus a few arbitrary 5-minute points that are mostly off the grid.
    points = int((s.window_end - s.window_start) / timedelta(minutes=5))
    arbitrary = {s.window_start + timedelta(minutes=5 * (pick % points)) for pick in picks}
    for start in {start for start, _ in oracle_grid(s)} | arbitrary:
        if s.window_start <= start < s.window_end and start not in published_starts:
            is_offered = (start, start + s.rules.length, False) in slots
            assert explained_available(s, start) == is_offered
    for published in s.occupancy.published:
        if s.window_start <= published.start < s.window_end:
            is_offered = (published.start, published.end, True) in slots
            assert explained_available(s, published.start, published.end) == is_offered
