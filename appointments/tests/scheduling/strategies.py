"""Strategies and a brute-force oracle for the properties of teams and of every zone's changes.

Windows open near the actual clock changes of any zone of the tz database (found by scanning
offsets, `transitions.py`). The oracle shares no code with the package: wall times go through
`test_properties.oracle_instant`, and each host's occupancy becomes the set of minutes each kind
of it covers, so "does the candidate meet it" is "is any minute of its reach among them", in
the policies' own words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import product
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from appointments.scheduling import Booked, HostTime, Interval, Occupancy, Rules, WallInterval

from .test_properties import oracle_instant
from .transitions import ACROSS_MIDNIGHT_ZONES, ALL_ZONES, changes_across_midnight, transitions

# Fixed and derandomized like test_properties.py; a smaller budget per property, as each of
# these runs several hosts, or several windows, per example.
EXAMPLES = 200
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

QUIET = datetime(2026, 6, 1, tzinfo=UTC)  # for the zones that never change their offset
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def minutes(low: int, high: int, multiple: int = 5) -> st.SearchStrategy[timedelta]:
    return st.integers(low // multiple, high // multiple).map(
        lambda n: timedelta(minutes=n * multiple)
    )


# Every strategy is built once, here: hypothesis validates each new strategy object, and
# building them inside the composites below cost more than the tests themselves. The
# composites draw raw numbers and turn them into values in plain Python.
wall_times = st.integers(0, 143).map(lambda n: time(n // 6, n % 6 * 10))
hours_lists = st.lists(st.builds(WallInterval, wall_times, wall_times), max_size=3)
weekly_hours = st.dictionaries(st.integers(0, 6), hours_lists, min_size=3, max_size=7)
override_hours = st.dictionaries(st.integers(-3, 4), hours_lists, max_size=3)
# A wall time near the change: (after the change?, tens of minutes from it), or any wall time.
edge_walls = st.tuples(st.booleans(), st.integers(-3, 3)) | wall_times
edge_hours = st.dictionaries(
    st.integers(-1, 1),
    st.lists(st.tuples(edge_walls, edge_walls), min_size=1, max_size=2),
    max_size=2,
)
# Intervals as (5-minute steps from the earliest instant, modulo the range; length in steps).
raw_intervals = st.tuples(st.integers(0, 2**16), st.integers(1, 48))
own_buffer = st.none() | st.integers(0, 12)
raw_appointments = st.lists(
    raw_intervals.map(lambda raw: (raw, None))
    | st.tuples(
        raw_intervals, st.tuples(own_buffer, own_buffer, st.booleans(), st.integers(0, 99))
    ),
    max_size=8,
)
raw_busy = st.lists(raw_intervals, max_size=3)
raw_time_off = st.lists(raw_intervals, max_size=2)
raw_published = st.lists(raw_intervals, max_size=3)
any_zone = st.sampled_from(ALL_ZONES)
midnight_zone = st.sampled_from(ACROSS_MIDNIGHT_ZONES)
change_picks = st.integers(0, 2**16)
half_hours_back = st.integers(0, 72)
window_hours = {days: st.integers(6, days * 24) for days in (1, 2, 3, 4)}
host_counts = {count: st.sampled_from(range(1, count + 1)) for count in (1, 2, 3)}
now_minutes = st.integers(-2 * 24 * 60, 12 * 60)
event_policies = st.fixed_dictionaries(
    {
        "length": minutes(10, 120),
        "step": st.none() | minutes(5, 120),
        "buffer_before": minutes(0, 60),
        "buffer_after": minutes(0, 60),
        "minimum_notice": minutes(0, 24 * 60, 30),
        "horizon": minutes(0, 8 * 24 * 60, 60),
        "max_per_day": st.none() | st.integers(0, 3),
    }
)  # the event type's policies: the same for every host


@dataclass(frozen=True)
class Team:
    hosts: tuple[HostTime, ...]
    published: tuple[Interval, ...]
    window_start: datetime
    window_end: datetime
    now: datetime
    change: datetime  # the clock change (of the first host's zone) the window opens near


def near_a_change(draw: st.DrawFn, across_midnight: bool) -> tuple[str, datetime]:
    """A zone, and one of its clock changes (or a quiet day, for a zone that has none).

    Every other time, or always when asked, a change that carries hours from one date to
    another: any zone drawn uniformly would almost never give one.
    """
    if across_midnight or draw(st.booleans()):
        zone = draw(midnight_zone)
        found = changes_across_midnight(zone)
    else:
        zone = draw(any_zone)
        found = transitions(zone)
    if not found:
        return zone, QUIET
    return zone, found[draw(change_picks) % len(found)].replace(second=0)


def wall_near(edge: tuple[bool, int] | time, change: datetime, zone: ZoneInfo) -> time:
    """A wall time on the 10-minute grid within half an hour of the change, on either side:
    hours that start or end there are the ones a gap moves or a fold repeats."""
    if isinstance(edge, time):
        return edge
    after, tens = edge
    local = (change if after else change - timedelta(seconds=1)).astimezone(zone)
    local = local.replace(tzinfo=None, minute=local.minute // 10 * 10, second=0)
    return (local + timedelta(minutes=10 * tens)).time()


def schedule(draw: st.DrawFn, zone: str, change: datetime, policies: dict) -> Rules:
    """A host's hours in `zone`, often with hours next to the change on the dates around it."""
    tz = ZoneInfo(zone)
    first_day = (change - timedelta(seconds=1)).astimezone(tz).date()
    overrides = {
        first_day + timedelta(days=offset): hours for offset, hours in draw(override_hours).items()
    }
    for offset, walls in draw(edge_hours).items():
        overrides[first_day + timedelta(days=offset)] = [
            WallInterval(wall_near(start, change, tz), wall_near(end, change, tz))
            for start, end in walls
        ]
    return Rules(time_zone=zone, weekly=draw(weekly_hours), overrides=overrides, **policies)


def as_interval(raw: tuple[int, int], earliest: datetime, steps: int) -> Interval:
    offset, length = raw
    start = earliest + timedelta(minutes=5 * (offset % steps))
    return Interval(start, start + timedelta(minutes=5 * length))


def as_appointment(raw, earliest: datetime, steps: int) -> Interval:
    """A plain interval (the rules' buffers), or a `Booked` one with buffers of its own."""
    interval_raw, own = raw
    interval = as_interval(interval_raw, earliest, steps)
    if own is None:
        return interval
    before, after, counts, ref = own
    return Booked(
        interval.start,
        interval.end,
        buffer_before=None if before is None else timedelta(minutes=5 * before),
        buffer_after=None if after is None else timedelta(minutes=5 * after),
        counts_toward_daily_maximum=counts,
        ref=ref,
    )


def occupancy(draw: st.DrawFn, earliest: datetime, steps: int) -> Occupancy:
    return Occupancy(
        appointments=[as_appointment(raw, earliest, steps) for raw in draw(raw_appointments)],
        busy=[as_interval(raw, earliest, steps) for raw in draw(raw_busy)],
        time_off=[as_interval(raw, earliest, steps) for raw in draw(raw_time_off)],
    )


@st.composite
def teams(
    draw: st.DrawFn, max_hosts: int = 3, max_days: int = 2, across_midnight: bool = False
) -> Team:
    """Up to `max_hosts` hosts of one event type, and a window of up to `max_days` days that
    opens at most a day and a half before a clock change of the first host's zone."""
    zone, change = near_a_change(draw, across_midnight)
    window_start = change - timedelta(minutes=30 * draw(half_hours_back))
    window_end = window_start + timedelta(hours=draw(window_hours[max_days]))
    policies = draw(event_policies)
    earliest = window_start - DAY
    steps = int((window_end + DAY - earliest) / timedelta(minutes=5)) + 1
    hosts = []
    for index in range(draw(host_counts[max_hosts])):
        # Half the hosts share the first one's zone; the others may live anywhere.
        host_zone = zone if index == 0 or draw(st.booleans()) else draw(any_zone)
        rules = schedule(draw, host_zone, change, policies)
        hosts.append(HostTime(f"host-{index}", rules, occupancy(draw, earliest, steps)))
    published = tuple(as_interval(raw, earliest, steps) for raw in draw(raw_published))
    now = window_start + timedelta(minutes=draw(now_minutes))
    return Team(tuple(hosts), published, window_start, window_end, now, change)


def with_published(team: Team, host: HostTime) -> Occupancy:
    """One host's occupancy with the event type's published slots, as `available_slots` takes."""
    occupancy = host.occupancy
    return Occupancy(occupancy.appointments, occupancy.busy, occupancy.time_off, team.published)


# --- the oracle ------------------------------------------------------------------------------


def minute_of(instant: datetime) -> int:
    return (instant - EPOCH) // MINUTE


def covered(spans: Iterable[tuple[datetime, datetime]]) -> list[int]:
    """Every minute some span covers (all the instants drawn here fall on whole minutes)."""
    found: set[int] = set()
    for start, end in spans:
        assert (start - EPOCH) % MINUTE == timedelta(0) == (end - EPOCH) % MINUTE
        found.update(range(minute_of(start), minute_of(end)))
    return sorted(found)


def meets(covered_minutes: list[int], start: datetime, end: datetime) -> bool:
    """Whether some minute of [start, end) is covered: the first covered minute from `start` on
    comes before `end`."""
    index = bisect_left(covered_minutes, minute_of(start))
    return index < len(covered_minutes) and covered_minutes[index] < minute_of(end)


def _own(value: timedelta | None, default: timedelta) -> timedelta:
    return default if value is None else value


class HostOracle:
    """One host's policies, read minute by minute."""

    def __init__(self, host: HostTime, team: Team) -> None:
        rules, occupancy = host.rules, host.occupancy
        self.rules, self.zone = rules, ZoneInfo(rules.time_zone)
        booked = list(occupancy.appointments)
        self.appointed = covered((a.start, a.end) for a in booked)
        self.reached_by_appointments = covered(
            (
                a.start - _own(getattr(a, "buffer_before", None), rules.buffer_before),
                a.end + _own(getattr(a, "buffer_after", None), rules.buffer_after),
            )
            for a in booked
        )
        self.busy = covered((b.start, b.end) for b in occupancy.busy)
        self.time_off = covered((t.start, t.end) for t in occupancy.time_off)
        self.counted = Counter(
            a.start.astimezone(self.zone).date()
            for a in booked
            if getattr(a, "counts_toward_daily_maximum", True)
        )
        self.working = oracle_working(rules, team.window_start, team.window_end)

    def free(self, start: datetime, end: datetime, now: datetime, published: list[int]) -> bool:
        """Policies 3 to 5 for [start, end); pass no published minutes for a published slot."""
        r = self.rules
        reach = (start - r.buffer_before, end + r.buffer_after)  # the candidate's own buffers
        return (
            not meets(self.appointed, *reach)  # 3(a)
            and not meets(self.busy, *reach)
            and not meets(self.reached_by_appointments, start, end)  # 3(b)
            and not meets(self.time_off, start, end)  # 3(c)
            and not meets(published, start, end)  # 3(d)
            and now + r.minimum_notice <= start <= now + r.horizon  # 4
            and (
                r.max_per_day is None
                or self.counted[start.astimezone(self.zone).date()] < r.max_per_day
            )  # 5
        )


def oracle_working(rules: Rules, window_start: datetime, window_end: datetime) -> set:
    """Every working interval of the dates from three days before the window to three after."""
    zone = ZoneInfo(rules.time_zone)
    first = window_start.date() - timedelta(days=3)
    spans = set()
    for offset in range((window_end.date() - first).days + 4):
        day = first + timedelta(days=offset)
        day_hours = rules.overrides.get(day, rules.weekly.get(day.weekday(), ()))
        for wall in day_hours:
            end_day = day + DAY if wall.end <= wall.start else day
            start, end = (
                oracle_instant(day, wall.start, zone),
                oracle_instant(end_day, wall.end, zone),
            )
            if start < end:
                spans.add((start, end))
    return spans


def grid(spans: Iterable[tuple[datetime, datetime]], team: Team, rules: Rules) -> set:
    """The grid points of the spans that start in the window, as (start, end)."""
    step = rules.step or rules.length
    points = set()
    for span_start, span_end in spans:
        start = span_start
        while start + rules.length <= span_end:
            if team.window_start <= start < team.window_end:
                points.add((start, start + rules.length))
            start += step
    return points


def shared_hours(oracles: list[HostOracle], team: Team, length: timedelta) -> set:
    """Each intersection of one working interval of every host that could hold a slot of the
    window, found by trying every combination."""
    reach = (team.window_start, team.window_end + length)
    relevant = [
        [(a, b) for a, b in oracle.working if a < reach[1] and b > reach[0]] for oracle in oracles
    ]
    shared = set()
    for combination in product(*relevant):
        start, end = max(a for a, _ in combination), min(b for _, b in combination)
        if start < end:
            shared.add((start, end))
    return shared


def collective_offers(team: Team) -> set[tuple[datetime, datetime, bool]]:
    """What a collective event type must offer: the free grid points of the shared hours and
    the free published slots, free meaning free for every host."""
    oracles = [HostOracle(host, team) for host in team.hosts]
    rules = team.hosts[0].rules
    published = covered((p.start, p.end) for p in team.published)
    computed = {
        (start, end, False)
        for start, end in grid(shared_hours(oracles, team, rules.length), team, rules)
        if all(oracle.free(start, end, team.now, published) for oracle in oracles)
    }
    published_free = {
        (p.start, p.end, True)
        for p in team.published
        if team.window_start <= p.start < team.window_end
        and all(oracle.free(p.start, p.end, team.now, []) for oracle in oracles)
    }
    return computed | published_free
