"""Property tests of team event types, near the clock changes of every zone.

Round-robin against the hosts' own `available_slots`; collective, and one host with each
appointment's own buffers, against the minute-level oracle of `strategies.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from appointments.scheduling import (
    Assignment,
    HostSlot,
    available_slots,
    hosts_available_slots,
    hosts_explain,
)

from .strategies import (
    PROPERTY_SETTINGS,
    HostOracle,
    Team,
    collective_offers,
    grid,
    teams,
    with_published,
)

ASSIGNMENTS = st.sampled_from(list(Assignment))


def team_slots(team: Team, assignment: Assignment, window=None) -> list[HostSlot]:
    window_start, window_end = window or (team.window_start, team.window_end)
    return hosts_available_slots(
        team.hosts, assignment, window_start, window_end, team.now, published=team.published
    )


def as_offers(slots) -> set[tuple[datetime, datetime, bool]]:
    return {(slot.start, slot.end, slot.published) for slot in slots}


@PROPERTY_SETTINGS
@given(teams())
def test_round_robin_offers_the_union_of_each_hosts_own_slots(team: Team) -> None:
    expected: dict[tuple, set] = {}
    for host in team.hosts:
        own = available_slots(
            host.rules, with_published(team, host), team.window_start, team.window_end, team.now
        )
        for offer in as_offers(own):
            expected.setdefault(offer, set()).add(host.host)
    slots = team_slots(team, Assignment.ROUND_ROBIN)
    assert {(s.start, s.end, s.published): set(s.hosts) for s in slots} == expected
    assert len(slots) == len(expected)
    assert [slot.start for slot in slots] == sorted(slot.start for slot in slots)


@PROPERTY_SETTINGS
@given(teams())
def test_collective_offers_exactly_the_brute_force_free_times_of_the_shared_hours(
    team: Team,
) -> None:
    slots = team_slots(team, Assignment.COLLECTIVE)
    # Every offered slot is free for every host, and every free point of the shared grid is
    # offered: the two sets are equal.
    assert as_offers(slots) == collective_offers(team)
    assert all(slot.hosts == {host.host for host in team.hosts} for slot in slots)
    assert len(slots) == len(as_offers(slots))


@PROPERTY_SETTINGS
@given(teams(max_hosts=1, max_days=4))
def test_one_host_offers_exactly_the_brute_force_free_times_with_own_buffers(team: Team) -> None:
    [host] = team.hosts
    slots = available_slots(
        host.rules, with_published(team, host), team.window_start, team.window_end, team.now
    )
    assert as_offers(slots) == collective_offers(team)


@PROPERTY_SETTINGS
@given(teams(max_hosts=1, max_days=4), ASSIGNMENTS)
def test_with_one_host_both_assignments_are_that_hosts_available_slots(
    team: Team, assignment: Assignment
) -> None:
    [host] = team.hosts
    alone = available_slots(
        host.rules, with_published(team, host), team.window_start, team.window_end, team.now
    )
    assert team_slots(team, assignment) == [
        HostSlot(slot.start, slot.end, slot.published, frozenset({host.host})) for slot in alone
    ]


@PROPERTY_SETTINGS
@given(teams(), ASSIGNMENTS, st.lists(st.integers(min_value=0), max_size=6))
def test_hosts_explain_offers_exactly_the_offered_slots_and_their_hosts(
    team: Team, assignment: Assignment, picks: list[int]
) -> None:
    slots = {(s.start, s.end, s.published): s.hosts for s in team_slots(team, assignment)}
    published_starts = {p.start for p in team.published}
    length = team.hosts[0].rules.length
    candidates = set()
    for host in team.hosts:  # every host's grid points, offered or not
        candidates |= {start for start, _ in grid(HostOracle(host, team).working, team, host.rules)}
    points = int((team.window_end - team.window_start) / timedelta(minutes=5))
    candidates |= {team.window_start + timedelta(minutes=5 * (p % points)) for p in picks}
    for start in sorted(candidates - published_starts):
        explanation = hosts_explain(
            team.hosts, assignment, start, team.now, published=team.published
        )
        offered = slots.get((start, start + length, False))
        assert explanation.offered == (offered is not None)
        if offered is not None:
            assert explanation.free_hosts == offered
    for published in team.published:
        if team.window_start <= published.start < team.window_end:
            explanation = hosts_explain(
                team.hosts,
                assignment,
                published.start,
                team.now,
                end=published.end,
                published=team.published,
            )
            offered = slots.get((published.start, published.end, True))
            assert explanation.offered == (offered is not None)
            if offered is not None:
                assert explanation.free_hosts == offered


@PROPERTY_SETTINGS
@given(teams(), ASSIGNMENTS, st.integers(0, 47), st.integers(1, 48))
def test_host_slots_do_not_depend_on_the_window(
    team: Team, assignment: Assignment, skip: int, keep: int
) -> None:
    # A window inside the team's, on the half hour: its slots are the wider window's there.
    start = min(team.window_start + timedelta(minutes=30 * skip), team.window_end)
    end = min(start + timedelta(minutes=30 * keep), team.window_end)
    inner = team_slots(team, assignment, (start, end))
    assert inner == [s for s in team_slots(team, assignment) if start <= s.start < end]
