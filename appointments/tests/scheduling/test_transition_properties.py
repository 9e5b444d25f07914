"""Offered is bookable, whatever the window, near the clock changes of every zone.

test_properties.py checks eight hand-picked zones in 2026; these draw any zone of the tz
database and one of its actual changes between 1990 and 2040 (gaps and folds across midnight,
half-hour and whole-day changes included), for one host.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from appointments.scheduling import available_slots, explain

from .strategies import PROPERTY_SETTINGS, HostOracle, Team, grid, teams, with_published
from .test_properties import oracle_instant

one_host = teams(max_hosts=1, max_days=4)


def offered(team: Team, window=None):
    [host] = team.hosts
    window_start, window_end = window or (team.window_start, team.window_end)
    occupancy = with_published(team, host)
    return available_slots(host.rules, occupancy, window_start, window_end, team.now)


@PROPERTY_SETTINGS
@given(one_host)
def test_every_offered_slot_passes_the_booking_check_and_no_other_grid_point_does(
    team: Team,
) -> None:
    [host] = team.hosts
    occupancy = with_published(team, host)
    slots = offered(team)
    for slot in slots:
        end = slot.end if slot.published else None
        assert explain(host.rules, occupancy, slot.start, team.now, end) == []
    published_starts = {p.start for p in team.published}
    computed = {slot.start for slot in slots if not slot.published}
    for start, _ in grid(HostOracle(host, team).working, team, host.rules):
        if start not in published_starts and start not in computed:
            assert explain(host.rules, occupancy, start, team.now) != []


@PROPERTY_SETTINGS
@given(one_host, st.integers(-1, 2), st.integers(0, 48), st.integers(0, 48))
def test_a_local_days_slots_are_the_wider_windows_slots_on_that_day(
    team: Team, day_offset: int, hours_before: int, hours_after: int
) -> None:
    # The local day the way a booking page asks for it, from one midnight to the next, on or
    # around the date of the change, against a window reaching further on both sides.
    [host] = team.hosts
    zone = ZoneInfo(host.rules.time_zone)
    day = team.change.astimezone(zone).date() + timedelta(days=day_offset)
    start = oracle_instant(day, time(0), zone)
    end = oracle_instant(day + timedelta(days=1), time(0), zone)
    wide = (start - timedelta(hours=hours_before), end + timedelta(hours=hours_after))
    assert offered(team, (start, end)) == [s for s in offered(team, wide) if start <= s.start < end]
