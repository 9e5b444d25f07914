"""Team event types: the time of several hosts, assigned round-robin or collectively.

Each host brings their own schedule (zone, weekly hours, overrides) in a `Rules` that also
carries the event type's policies, and their own occupancy: every appointment they are part of
(`Booked`, with its own buffers), their busy time and time off. The published slots belong to
the event type, not to a host, so they are passed once.

- Round-robin offers a time when at least one host is free then: the union of what each host
  would offer on their own, each slot naming the hosts free for it.
- Collective offers a time only when every host is free: the grid runs over the hours the hosts
  share (each intersection of one working interval of every host, anchored at its start, just
  as one host's grid is anchored at the start of their working interval), clear of every host's
  obstacles and of every host's daily maximum.

With a single host both are exactly `available_slots` and `explain`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from .blocking import DailyMaxima, DailyMaximum, plain_spans, taken_spans
from .explain import (
    Obstacle,
    Reason,
    daily_obstacles,
    explain_obstacles,
    hours_obstacles,
    judged_time,
    occupancy_obstacles,
    published_obstacles,
    sort_obstacles,
    timing_obstacles,
)
from .intervals import Interval, Span, require_aware, shift, to_utc
from .rules import Occupancy, Rules
from .slots import Offer, grid_offers, offers, published_offers, search_for
from .wallclock import RESOLUTION, working_spans


class Assignment(StrEnum):
    """How a team event type assigns its hosts."""

    ROUND_ROBIN = "round_robin"  # one free host takes it
    COLLECTIVE = "collective"  # every host attends


@dataclass(frozen=True)
class HostTime:
    """One host: their schedule with the event type's policies, and what occupies them.

    `occupancy.published` is ignored: published slots are the event type's, passed separately.
    """

    host: Hashable
    rules: Rules
    occupancy: Occupancy


@dataclass(frozen=True)
class HostSlot:
    """A bookable [start, end) in UTC and the hosts free for it (collective: all of them)."""

    start: datetime
    end: datetime
    published: bool
    hosts: frozenset[Hashable]


@dataclass(frozen=True)
class HostsExplanation:
    """Why each host can or cannot take a time, and whether the event type offers it.

    `obstacles` has every host, in the order given; a host with none is free then. `shared` is
    for a collective event type only: the time fits in every host's hours, but not on the grid
    of the hours they share (which starts where the last of them starts working).
    """

    assignment: Assignment
    obstacles: Mapping[Hashable, list[Obstacle]]
    shared: list[Obstacle] = field(default_factory=list)

    @property
    def reasons(self) -> dict[Hashable, list[Reason]]:
        """Each host's reasons, as `explain` lists them: empty for a free host."""
        return {
            host: list(dict.fromkeys(obstacle.reason for obstacle in obstacles))
            for host, obstacles in self.obstacles.items()
        }

    @property
    def free_hosts(self) -> frozenset[Hashable]:
        return frozenset(host for host, obstacles in self.obstacles.items() if not obstacles)

    @property
    def offered(self) -> bool:
        """Round-robin: some host is free. Collective: every host is, on the shared grid."""
        if self.shared or not self.obstacles:
            return False
        if self.assignment is Assignment.COLLECTIVE:
            return len(self.free_hosts) == len(self.obstacles)
        return bool(self.free_hosts)


def hosts_available_slots(
    hosts: Sequence[HostTime],
    assignment: Assignment,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    *,
    published: Sequence[Interval] = (),
) -> list[HostSlot]:
    """Bookable slots of a team event type starting in [window_start, window_end), sorted, UTC.

    Every host's rules must carry the same policies (length, step, buffers, notice, horizon,
    daily maximum): they are the event type's. No hosts, no slots.
    """
    require_aware(window_start, window_end, now)
    _require_one_event_type(hosts)
    if not hosts:
        return []
    window = (to_utc(window_start), to_utc(window_end))
    published_spans = plain_spans(published)
    if assignment is Assignment.COLLECTIVE:
        return _collective_slots(hosts, published_spans, window, to_utc(now))
    return _round_robin_slots(hosts, published_spans, window, to_utc(now))


def _round_robin_slots(
    hosts: Sequence[HostTime], published: list[Span], window: Span, now: datetime
) -> list[HostSlot]:
    free: dict[Offer, set[Hashable]] = {}
    for host in hosts:
        rules, occupancy = host.rules, host.occupancy
        daily = DailyMaximum(rules, occupancy)
        search = search_for(rules, taken_spans(rules, occupancy), published, daily, window, now)
        for offer in offers(rules, published, search):
            free.setdefault(offer, set()).add(host.host)
    return [HostSlot(*offer, frozenset(free[offer])) for offer in sorted(free)]


def _collective_slots(
    hosts: Sequence[HostTime], published: list[Span], window: Span, now: datetime
) -> list[HostSlot]:
    rules = hosts[0].rules  # the event type's policies, the same in every host's rules
    obstacles = [span for host in hosts for span in taken_spans(host.rules, host.occupancy)]
    daily = DailyMaxima(DailyMaximum(host.rules, host.occupancy) for host in hosts)
    search = search_for(rules, obstacles, published, daily, window, now)
    shared = shared_working_spans(hosts, search.earliest, search.stop, rules.length)
    found = set(published_offers(published, search))
    found.update(grid_offers(shared, rules.length, rules.slot_step, search))
    everyone = frozenset(host.host for host in hosts)
    return [HostSlot(*offer, everyone) for offer in sorted(found)]


def shared_working_spans(
    hosts: Sequence[HostTime], window_start: datetime, window_end: datetime, length: timedelta
) -> list[Span]:
    """Where every host works at once, as sorted, distinct UTC spans of at least `length`.

    Each span is the intersection of one working span of every host, not a merged union, so it
    anchors its own grid, as each of one host's working spans does. Shorter intersections are
    dropped as they are found: they hold no slot, and intersecting further only shrinks them.
    """
    first = working_spans(hosts[0].rules, window_start, window_end)
    shared = [(start, end) for start, end in first if end - start >= length]
    for host in hosts[1:]:
        if not shared:
            break
        shared = _intersections(shared, working_spans(host.rules, window_start, window_end), length)
    return shared


def _intersections(ours: list[Span], theirs: list[Span], length: timedelta) -> list[Span]:
    found: set[Span] = set()
    for our_start, our_end in ours:
        for their_start, their_end in theirs:  # sorted by start
            if their_start >= our_end:
                break
            start, end = max(our_start, their_start), min(our_end, their_end)
            if end - start >= length:
                found.add((start, end))
    return sorted(found)


def hosts_explain(
    hosts: Sequence[HostTime],
    assignment: Assignment,
    start: datetime,
    now: datetime,
    *,
    end: datetime | None = None,
    published: Sequence[Interval] = (),
) -> HostsExplanation:
    """Why each host cannot take [start, start + length) -- or [start, end) --, and whether the
    team event type offers it: exactly when `hosts_available_slots` would.

    A published slot starting at `start` (and ending at `end`, if given) is judged as that
    published slot, for every host. Round-robin judges each host as `explain_obstacles` does.
    Collective judges each host's hours by whether the time fits inside one of their working
    intervals, and the grid on the hours the hosts share (`shared`).
    """
    require_aware(start, now, end)
    _require_one_event_type(hosts)
    if assignment is Assignment.COLLECTIVE and hosts:
        return _collective_explanation(hosts, start, now, end, published)
    event_published = tuple(published)
    obstacles = {
        host.host: explain_obstacles(
            host.rules, replace(host.occupancy, published=event_published), start, now, end
        )
        for host in hosts
    }
    return HostsExplanation(assignment, obstacles)


def _collective_explanation(
    hosts: Sequence[HostTime],
    start: datetime,
    now: datetime,
    end: datetime | None,
    published: Sequence[Interval],
) -> HostsExplanation:
    start, end, is_published = judged_time(hosts[0].rules, published, start, end)
    now = to_utc(now)
    obstacles: dict[Hashable, list[Obstacle]] = {}
    fitting: list[list[Span]] = []  # per host: their working spans that [start, end) fits in
    for host in hosts:
        rules, occupancy = host.rules, host.occupancy
        found = [
            *timing_obstacles(rules, now, start),
            *occupancy_obstacles(rules, occupancy, start, end),
            *daily_obstacles(DailyMaximum(rules, occupancy), start),
        ]
        if not is_published:
            containing = working_spans(rules, start, shift(start, RESOLUTION))
            found.extend(hours_obstacles(rules, containing, start, end))
            found.extend(published_obstacles(published, start, end))
            fitting.append([(a, b) for a, b in containing if a <= start and end <= b])
        obstacles[host.host] = sort_obstacles(found)
    shared: list[Obstacle] = []
    if fitting and all(fitting) and not _on_shared_grid(fitting, start, hosts[0].rules):
        shared.append(Obstacle(Reason.OUTSIDE_HOURS))
    return HostsExplanation(Assignment.COLLECTIVE, obstacles, shared)


def _on_shared_grid(fitting: list[list[Span]], start: datetime, rules: Rules) -> bool:
    """Whether `start` is on the grid of some intersection of one fitting span of every host.

    An intersection starts where the last of its spans starts; only those starts matter, and
    there are never more of them than there are distinct span starts.
    """
    anchors = {span_start for span_start, _ in fitting[0]}
    for spans in fitting[1:]:
        anchors = {max(anchor, span_start) for anchor in anchors for span_start, _ in spans}
    return any((start - anchor) % rules.slot_step == timedelta(0) for anchor in anchors)


def _require_one_event_type(hosts: Iterable[HostTime]) -> None:
    """Hosts differ in their schedules, never in the event type's policies."""
    seen: set[Hashable] = set()
    policies = set()
    for host in hosts:
        if host.host in seen:
            raise ValueError(f"host {host.host!r} is listed twice")
        seen.add(host.host)
        rules = host.rules
        policies.add(
            (
                rules.length,
                rules.slot_step,
                rules.buffer_before,
                rules.buffer_after,
                rules.minimum_notice,
                rules.horizon,
                rules.max_per_day,
            )
        )
    if len(policies) > 1:
        raise ValueError(
            "every host's rules must carry the event type's length, step, buffers, notice, "
            "horizon and daily maximum"
        )
