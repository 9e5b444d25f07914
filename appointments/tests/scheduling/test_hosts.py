"""Team event types: round-robin offers what any host can take, collective what all can."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from appointments.scheduling import (
    Assignment,
    Booked,
    HostSlot,
    HostTime,
    Interval,
    Obstacle,
    Occupancy,
    Reason,
    hosts_available_slots,
    hosts_explain,
)

from .builders import LONG_AGO, MONDAY, day_window, every_day, make_rules, minutes, utc

ROUND_ROBIN, COLLECTIVE = Assignment.ROUND_ROBIN, Assignment.COLLECTIVE


def monday(hhmm: str):
    return utc(f"2026-06-01 {hhmm}")


def on_monday(start: str, end: str, **options) -> Interval:
    return Interval(monday(start), monday(end), **options)


def host(name: str, working: str, occupancy: Occupancy | None = None, **rule_options) -> HostTime:
    rules = make_rules(weekly=every_day(working), **rule_options)
    return HostTime(name, rules, occupancy or Occupancy())


def offered(hosts, assignment, published=(), day: date = MONDAY) -> list[tuple[str, bool, set]]:
    slots = hosts_available_slots(
        hosts, assignment, *day_window(day), LONG_AGO, published=published
    )
    return [(s.start.strftime("%H:%M"), s.published, set(s.hosts)) for s in slots]


# --- round-robin ----------------------------------------------------------------------------


def test_round_robin_offers_every_hosts_times_with_who_is_free() -> None:
    ann = host("ann", "09:00-12:00", Occupancy(appointments=[on_monday("09:00", "10:00")]))
    bob = host("bob", "10:00-13:00")
    assert offered([ann, bob], ROUND_ROBIN) == [
        ("10:00", False, {"ann", "bob"}),
        ("11:00", False, {"ann", "bob"}),
        ("12:00", False, {"bob"}),
    ]


def test_round_robin_keeps_each_hosts_grid_on_their_own_hours() -> None:
    ann, bob = host("ann", "09:00-11:00"), host("bob", "09:30-11:30")
    assert offered([ann, bob], ROUND_ROBIN) == [
        ("09:00", False, {"ann"}),
        ("09:30", False, {"bob"}),
        ("10:00", False, {"ann"}),
        ("10:30", False, {"bob"}),
    ]


def test_round_robin_offers_a_published_slot_when_some_host_is_free_then() -> None:
    ann = host("ann", "09:00-12:00", Occupancy(busy=[on_monday("15:00", "16:00")]))
    bob = host("bob", "09:00-12:00")
    published = [on_monday("15:00", "15:30"), on_monday("10:15", "10:45")]
    # Grid candidates give way to the published 10:15 for every host (policy 3(d)).
    assert offered([ann, bob], ROUND_ROBIN, published) == [
        ("09:00", False, {"ann", "bob"}),
        ("10:15", True, {"ann", "bob"}),
        ("11:00", False, {"ann", "bob"}),
        ("15:00", True, {"bob"}),
    ]


def test_a_hosts_own_published_slots_are_ignored() -> None:
    ann = host("ann", "09:00-10:00", Occupancy(published=[on_monday("15:00", "16:00")]))
    assert offered([ann], ROUND_ROBIN) == [("09:00", False, {"ann"})]


def test_round_robin_counts_each_hosts_daily_maximum_alone() -> None:
    counted = Occupancy(appointments=[on_monday("13:00", "14:00")])
    other_event_type = Occupancy(
        appointments=[Booked(monday("13:00"), monday("14:00"), counts_toward_daily_maximum=False)]
    )
    ann = host("ann", "09:00-11:00", counted, max_per_day=1)
    bob = host("bob", "09:00-11:00", other_event_type, max_per_day=1)
    assert offered([ann, bob], ROUND_ROBIN) == [
        ("09:00", False, {"bob"}),
        ("10:00", False, {"bob"}),
    ]


# --- collective ------------------------------------------------------------------------------


def test_collective_steps_the_grid_from_where_the_hosts_hours_meet() -> None:
    ann, bob = host("ann", "09:00-17:00"), host("bob", "09:30-12:00")
    assert offered([ann, bob], COLLECTIVE) == [
        ("09:30", False, {"ann", "bob"}),
        ("10:30", False, {"ann", "bob"}),
    ]


def test_collective_needs_every_host_free_each_with_their_own_buffers() -> None:
    # Ann's 11:00-12:00 lesson keeps 30 minutes after it; Bob's busy 09:40 takes 09:00 away.
    lesson = Booked(monday("11:00"), monday("12:00"), buffer_after=minutes(30))
    ann = host("ann", "09:00-15:00", Occupancy(appointments=[lesson]), step=minutes(30))
    bob = host(
        "bob", "09:00-15:00", Occupancy(busy=[on_monday("09:40", "09:50")]), step=minutes(30)
    )
    assert [start for start, _, _ in offered([ann, bob], COLLECTIVE)] == [
        "10:00",
        "12:30",
        "13:00",
        "13:30",
        "14:00",
    ]


def test_collective_meets_in_the_hours_that_the_hosts_zones_share() -> None:
    # Berlin 09:00-17:00 CEST is 07:00Z-15:00Z, New York 09:00-17:00 EDT is 13:00Z-21:00Z.
    ann = host("ann", "09:00-17:00", time_zone="Europe/Berlin")
    bob = host("bob", "09:00-17:00", time_zone="America/New_York")
    assert offered([ann, bob], COLLECTIVE) == [
        ("13:00", False, {"ann", "bob"}),
        ("14:00", False, {"ann", "bob"}),
    ]


def test_collective_offers_a_published_slot_only_when_every_host_is_free() -> None:
    ann = host("ann", "09:00-10:00")
    bob = host("bob", "09:00-10:00", Occupancy(time_off=[on_monday("16:00", "18:00")]))
    published = [on_monday("15:00", "15:30"), on_monday("16:00", "16:30")]
    assert offered([ann, bob], COLLECTIVE, published) == [
        ("09:00", False, {"ann", "bob"}),
        ("15:00", True, {"ann", "bob"}),
    ]


def test_a_full_day_of_one_host_closes_it_for_the_collective() -> None:
    full = Occupancy(appointments=[on_monday("13:00", "14:00")])
    ann = host("ann", "09:00-11:00", full, max_per_day=1)
    bob = host("bob", "09:00-11:00", max_per_day=1)
    assert offered([ann, bob], COLLECTIVE) == []
    assert offered([ann, bob], ROUND_ROBIN) == [
        ("09:00", False, {"bob"}),
        ("10:00", False, {"bob"}),
    ]


# --- the same event type, each host once -------------------------------------------------


def test_with_no_hosts_nothing_is_offered() -> None:
    assert offered([], ROUND_ROBIN) == offered([], COLLECTIVE) == []


@pytest.mark.parametrize(
    "options",
    [{"length": 30}, {"step": minutes(30)}, {"buffer_after": minutes(5)}, {"max_per_day": 2}],
)
def test_hosts_must_share_the_event_types_policies(options: dict) -> None:
    with pytest.raises(ValueError, match="event type"):
        offered([host("ann", "09:00-12:00"), host("bob", "09:00-12:00", **options)], COLLECTIVE)


def test_a_host_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        offered([host("ann", "09:00-12:00"), host("ann", "13:00-14:00")], ROUND_ROBIN)


def test_host_slots_are_sorted_and_in_utc() -> None:
    ann = host("ann", "09:00-10:00", time_zone="Asia/Tokyo")
    bob = host("bob", "09:00-10:00", time_zone="Europe/London")
    window_start, _ = day_window(MONDAY - timedelta(days=1))
    slots = hosts_available_slots(
        [bob, ann], ROUND_ROBIN, window_start, window_start + timedelta(days=3), LONG_AGO
    )
    assert slots[:2] == [
        HostSlot(utc("2026-05-31 00:00"), utc("2026-05-31 01:00"), False, frozenset({"ann"})),
        HostSlot(utc("2026-05-31 08:00"), utc("2026-05-31 09:00"), False, frozenset({"bob"})),
    ]
    assert all(slot.start.tzinfo is utc("2026-06-01 00:00").tzinfo for slot in slots)


# --- hosts_explain ---------------------------------------------------------------------------


def test_round_robin_explains_each_host_and_offers_a_time_any_of_them_is_free() -> None:
    lesson = Booked(monday("10:00"), monday("11:00"), ref="lesson-with-a")
    ann = host("ann", "09:00-12:00", Occupancy(appointments=[lesson]))
    bob = host("bob", "09:00-12:00")
    explanation = hosts_explain([ann, bob], ROUND_ROBIN, monday("10:00"), LONG_AGO)
    assert explanation.offered
    assert explanation.free_hosts == {"bob"}
    assert explanation.obstacles["ann"] == [Obstacle(Reason.BOOKED, lesson)]
    assert explanation.reasons == {"ann": [Reason.BOOKED], "bob": []}


def test_collective_is_offered_only_when_every_host_is_free() -> None:
    ann = host("ann", "09:00-12:00", Occupancy(time_off=[on_monday("10:30", "11:00", ref="off")]))
    bob = host("bob", "09:00-12:00")
    explanation = hosts_explain([ann, bob], COLLECTIVE, monday("10:00"), LONG_AGO)
    assert not explanation.offered
    assert explanation.reasons == {"ann": [Reason.TIME_OFF], "bob": []}
    assert explanation.obstacles["ann"][0].cause.ref == "off"
    assert hosts_explain([ann, bob], COLLECTIVE, monday("09:00"), LONG_AGO).offered


def test_collective_judges_the_grid_on_the_hours_the_hosts_share() -> None:
    ann, bob = host("ann", "09:00-17:00"), host("bob", "09:30-12:00")
    on_anns_grid = hosts_explain([ann, bob], COLLECTIVE, monday("10:00"), LONG_AGO)
    # Each of them could attend at 10:00, but the shared hours start at 09:30.
    assert on_anns_grid.free_hosts == {"ann", "bob"}
    assert on_anns_grid.shared == [Obstacle(Reason.OUTSIDE_HOURS)]
    assert not on_anns_grid.offered
    assert hosts_explain([ann, bob], COLLECTIVE, monday("10:30"), LONG_AGO).offered
    outside_bobs = hosts_explain([ann, bob], COLLECTIVE, monday("12:30"), LONG_AGO)
    assert outside_bobs.reasons == {"ann": [], "bob": [Reason.OUTSIDE_HOURS]}
    assert outside_bobs.shared == []


def test_a_published_slot_is_explained_as_itself_for_every_host() -> None:
    ann = host("ann", "09:00-10:00", Occupancy(busy=[on_monday("15:10", "15:20", ref="gcal")]))
    bob = host("bob", "09:00-10:00")
    published = [on_monday("15:00", "15:30")]
    for assignment in Assignment:
        explanation = hosts_explain(
            [ann, bob], assignment, monday("15:00"), LONG_AGO, published=published
        )
        assert explanation.reasons == {"ann": [Reason.BUSY], "bob": []}
        assert explanation.offered == (assignment is ROUND_ROBIN)


def test_explaining_for_no_hosts_offers_nothing() -> None:
    for assignment in Assignment:
        assert not hosts_explain([], assignment, monday("09:00"), LONG_AGO).offered
