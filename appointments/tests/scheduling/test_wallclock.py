from __future__ import annotations

from datetime import date, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from appointments.scheduling import Interval, local_dates, wall_to_instant, working_intervals

from .builders import MONDAY, at, day_window, every_day, hours, interval, make_rules, utc

NEW_YORK = ZoneInfo("America/New_York")
SPRING_FORWARD = date(2026, 3, 8)  # New York: 02:00 EST -> 03:00 EDT
FALL_BACK = date(2026, 11, 1)  # New York: 02:00 EDT -> 01:00 EST


@pytest.mark.parametrize(
    ("day", "wall", "expected"),
    [
        (SPRING_FORWARD, time(1, 59), "2026-03-08 06:59"),  # EST, just before the gap
        (SPRING_FORWARD, time(2, 30), "2026-03-08 07:30"),  # in the gap: 03:30 EDT
        (SPRING_FORWARD, time(3, 0), "2026-03-08 07:00"),  # EDT, the gap's end
        (FALL_BACK, time(1, 30), "2026-11-01 05:30"),  # repeated: the first, EDT, occurrence
        (FALL_BACK, time(2, 0), "2026-11-01 07:00"),  # EST
    ],
)
def test_wall_time_in_a_gap_moves_forward_and_a_repeated_one_means_its_first_occurrence(
    day: date, wall: time, expected: str
) -> None:
    assert wall_to_instant(day, wall, NEW_YORK) == utc(expected)


def test_a_wall_time_asking_for_the_second_occurrence_still_gets_the_first() -> None:
    assert wall_to_instant(FALL_BACK, time(1, 30, fold=1), NEW_YORK) == utc("2026-11-01 05:30")


def test_local_dates_are_the_dates_the_window_touches_in_that_zone() -> None:
    # 2026-06-01 00:00Z .. 2026-06-03 00:00Z is 2026-05-31 20:00 .. 2026-06-02 20:00 in New York.
    window = day_window(MONDAY, days=2)
    assert local_dates(*window, "America/New_York") == [
        date(2026, 5, 31),
        date(2026, 6, 1),
        date(2026, 6, 2),
    ]
    assert local_dates(*window, "UTC") == [date(2026, 6, 1), date(2026, 6, 2)]


def test_local_dates_of_an_empty_window_are_none() -> None:
    start, _ = day_window()
    assert local_dates(start, start, "UTC") == []


def test_local_dates_accept_a_tzinfo_as_well_as_a_name() -> None:
    window = day_window(MONDAY)
    assert local_dates(*window, timezone(timedelta(hours=-1))) == [date(2026, 5, 31), MONDAY]


def test_working_intervals_follow_the_weekday() -> None:
    rules = make_rules(weekly={0: hours("09:00-12:00", "13:00-17:00")})
    assert working_intervals(rules, *day_window(MONDAY, days=7)) == [
        interval("2026-06-01 09:00", "2026-06-01 12:00"),
        interval("2026-06-01 13:00", "2026-06-01 17:00"),
    ]


def test_an_override_replaces_the_weekday_hours_and_an_empty_one_closes_the_date() -> None:
    tuesday = MONDAY + timedelta(days=1)
    rules = make_rules(
        weekly=every_day("09:00-12:00"),
        overrides={MONDAY: hours("14:00-15:00"), tuesday: ()},
    )
    assert working_intervals(rules, *day_window(MONDAY, days=3)) == [
        interval("2026-06-01 14:00", "2026-06-01 15:00"),
        interval("2026-06-03 09:00", "2026-06-03 12:00"),
    ]


def test_hours_ending_at_or_before_they_start_run_into_the_next_day() -> None:
    rules = make_rules(weekly={0: hours("22:00-02:00"), 1: hours("08:00-08:00")})
    assert working_intervals(rules, *day_window(MONDAY, days=2)) == [
        interval("2026-06-01 22:00", "2026-06-02 02:00"),
        interval("2026-06-02 08:00", "2026-06-03 08:00"),  # start == end: a whole day
    ]


def test_hours_from_the_day_before_the_window_reach_into_it_unclipped() -> None:
    rules = make_rules(weekly={6: hours("22:00-02:00")})  # Sunday night
    assert working_intervals(rules, *day_window(MONDAY)) == [
        interval("2026-05-31 22:00", "2026-06-01 02:00"),
    ]


def test_working_intervals_are_in_utc() -> None:
    rules = make_rules(time_zone="Asia/Kolkata", weekly={0: hours("09:00-17:00")})
    [working] = working_intervals(rules, *day_window(MONDAY))
    assert working == Interval(at("2026-06-01 09:00", "Asia/Kolkata"), utc("2026-06-01 11:30"))
    assert working.start == utc("2026-06-01 03:30")
    assert working.start.tzinfo is utc("2026-06-01 00:00").tzinfo


def test_hours_wholly_inside_a_gap_move_forward_with_it_and_keep_their_length() -> None:
    # Both ends move forward by the gap, so 02:10-02:50 becomes 03:10-03:50 EDT: we keep
    # the 40 minutes rather than let the hours vanish, as a wall time in a gap always moves.
    rules = make_rules(
        time_zone="America/New_York", overrides={SPRING_FORWARD: hours("02:10-02:50")}
    )
    assert working_intervals(rules, *day_window(SPRING_FORWARD)) == [
        interval("2026-03-08 07:10", "2026-03-08 07:50"),
    ]


def test_hours_the_gap_turns_backwards_do_not_exist_that_day() -> None:
    # 02:30 moves to 03:30 EDT, after 03:00 EDT: the hours would end before they start.
    rules = make_rules(
        time_zone="America/New_York",
        overrides={SPRING_FORWARD: hours("02:30-03:00", "02:00-03:00")},
    )
    assert working_intervals(rules, *day_window(SPRING_FORWARD)) == []


def test_identical_hours_listed_twice_give_one_working_interval() -> None:
    rules = make_rules(weekly={0: hours("09:00-12:00", "09:00-12:00")})
    assert working_intervals(rules, *day_window(MONDAY)) == [
        interval("2026-06-01 09:00", "2026-06-01 12:00"),
    ]
