"""Clock changes: wall-clock hours, UTC slots.

Every expected instant below is written out by hand from the offsets in force that day, so
a mistake in the code cannot hide behind the same mistake in the test. The first test pins
the 2026 transitions those hand computations rely on, found by scanning the tz database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments.scheduling import (
    Occupancy,
    Slot,
    available_slots,
    free_dates,
    group_by_local_date,
)

from .builders import day_window, hours, instants, make_rules, minutes, utc

# zone -> [(first instant of the new offset, offset before, offset after)], hours from UTC
TRANSITIONS_2026 = {
    "America/New_York": [("2026-03-08 07:00", -5, -4), ("2026-11-01 06:00", -4, -5)],
    "Europe/London": [("2026-03-29 01:00", 0, 1), ("2026-10-25 01:00", 1, 0)],
    # A 30-minute change: 02:00 -> 01:30 on 5 April, 02:00 -> 02:30 on 4 October.
    "Australia/Lord_Howe": [("2026-04-04 15:00", 11, 10.5), ("2026-10-03 15:30", 10.5, 11)],
    "Asia/Kolkata": [],  # +05:30 all year
    # Changes at midnight: 00:00 -> 01:00 on 8 March, 01:00 -> 00:00 on 1 November.
    "America/Havana": [("2026-03-08 05:00", -5, -4), ("2026-11-01 05:00", -4, -5)],
}


def scanned_transitions(zone_name: str) -> list[tuple[str, float, float]]:
    """Every change of UTC offset in 2026, looking every 15 minutes (all known changes fall on
    a quarter hour)."""
    zone, found = ZoneInfo(zone_name), []
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    offset = offset_hours(instant, zone)
    while instant.year == 2026:
        instant += timedelta(minutes=15)
        if offset_hours(instant, zone) != offset:
            found.append((instant.strftime("%Y-%m-%d %H:%M"), offset, offset_hours(instant, zone)))
            offset = offset_hours(instant, zone)
    return found


def offset_hours(instant: datetime, zone: ZoneInfo) -> float:
    return instant.astimezone(zone).utcoffset() / timedelta(hours=1)  # type: ignore[operator]


@pytest.mark.parametrize("zone_name", TRANSITIONS_2026)
def test_the_tz_database_has_the_2026_changes_these_tests_expect(zone_name: str) -> None:
    assert scanned_transitions(zone_name) == TRANSITIONS_2026[zone_name]


def hourly(first: str, count: int) -> list[str]:
    start = utc(first)
    return [(start + timedelta(hours=n)).strftime("%Y-%m-%d %H:%MZ") for n in range(count)]


def slots_for(
    zone: str, day: date, working: str, length: int = 60, step: int | None = None
) -> list[Slot]:
    rules = make_rules(
        time_zone=zone,
        weekly={},
        overrides={day: hours(working)},
        length=length,
        step=None if step is None else minutes(step),
    )
    window_start, _ = day_window(day - timedelta(days=1))
    return available_slots(
        rules, Occupancy(), window_start, window_start + timedelta(days=3), window_start
    )


CASES = [
    # New York, spring forward: 02:00 EST -> 03:00 EDT
    ("America/New_York", date(2026, 3, 8), "09:00-17:00", hourly("2026-03-08 13:00", 8)),
    ("America/New_York", date(2026, 3, 8), "00:00-04:00",
     ["2026-03-08 05:00Z", "2026-03-08 06:00Z", "2026-03-08 07:00Z"]),  # 3 real hours
    ("America/New_York", date(2026, 3, 8), "01:00-03:00", ["2026-03-08 06:00Z"]),
    # New York, fall back: 02:00 EDT -> 01:00 EST; 01:00 means 01:00 EDT
    ("America/New_York", date(2026, 11, 1), "09:00-17:00", hourly("2026-11-01 14:00", 8)),
    ("America/New_York", date(2026, 11, 1), "00:00-04:00",
     ["2026-11-01 04:00Z", "2026-11-01 05:00Z", "2026-11-01 06:00Z", "2026-11-01 07:00Z",
      "2026-11-01 08:00Z"]),  # 5 real hours
    ("America/New_York", date(2026, 11, 1), "01:00-03:00",
     ["2026-11-01 05:00Z", "2026-11-01 06:00Z", "2026-11-01 07:00Z"]),
    # London: 01:00 GMT -> 02:00 BST, then 02:00 BST -> 01:00 GMT
    ("Europe/London", date(2026, 3, 29), "09:00-17:00", hourly("2026-03-29 08:00", 8)),
    ("Europe/London", date(2026, 3, 29), "00:00-04:00",
     ["2026-03-29 00:00Z", "2026-03-29 01:00Z", "2026-03-29 02:00Z"]),
    ("Europe/London", date(2026, 3, 29), "01:00-03:00", ["2026-03-29 01:00Z"]),  # 01:00 -> 02:00
    ("Europe/London", date(2026, 10, 25), "09:00-17:00", hourly("2026-10-25 09:00", 8)),
    ("Europe/London", date(2026, 10, 25), "00:00-04:00",
     ["2026-10-24 23:00Z", "2026-10-25 00:00Z", "2026-10-25 01:00Z", "2026-10-25 02:00Z",
      "2026-10-25 03:00Z"]),
    ("Europe/London", date(2026, 10, 25), "01:00-03:00",
     ["2026-10-25 00:00Z", "2026-10-25 01:00Z", "2026-10-25 02:00Z"]),
    # Lord Howe: +11 -> +10:30 (01:30-02:00 repeats), then +10:30 -> +11 (02:00-02:30 missing)
    ("Australia/Lord_Howe", date(2026, 4, 5), "09:00-17:00", hourly("2026-04-04 22:30", 8)),
    ("Australia/Lord_Howe", date(2026, 4, 5), "00:00-04:00",
     ["2026-04-04 13:00Z", "2026-04-04 14:00Z", "2026-04-04 15:00Z", "2026-04-04 16:00Z"]),
    ("Australia/Lord_Howe", date(2026, 4, 5), "01:00-03:00",
     ["2026-04-04 14:00Z", "2026-04-04 15:00Z"]),  # 14:00Z-16:30Z: 2.5 real hours
    ("Australia/Lord_Howe", date(2026, 10, 4), "09:00-17:00", hourly("2026-10-03 22:00", 8)),
    ("Australia/Lord_Howe", date(2026, 10, 4), "00:00-04:00",
     ["2026-10-03 13:30Z", "2026-10-03 14:30Z", "2026-10-03 15:30Z"]),  # 3.5 real hours
    ("Australia/Lord_Howe", date(2026, 10, 4), "01:00-03:00", ["2026-10-03 14:30Z"]),
    # Kolkata: a half-hour offset, no change
    ("Asia/Kolkata", date(2026, 3, 8), "09:00-17:00", hourly("2026-03-08 03:30", 8)),
    ("Asia/Kolkata", date(2026, 3, 8), "00:00-04:00", hourly("2026-03-07 18:30", 4)),
    ("Asia/Kolkata", date(2026, 3, 8), "01:00-03:00", hourly("2026-03-07 19:30", 2)),
    # Havana: midnight does not exist on 8 March (00:00 CST -> 01:00 CDT)...
    ("America/Havana", date(2026, 3, 8), "09:00-17:00", hourly("2026-03-08 13:00", 8)),
    ("America/Havana", date(2026, 3, 8), "00:00-04:00",
     ["2026-03-08 05:00Z", "2026-03-08 06:00Z", "2026-03-08 07:00Z"]),  # opens at 01:00 CDT
    ("America/Havana", date(2026, 3, 8), "01:00-03:00", ["2026-03-08 05:00Z", "2026-03-08 06:00Z"]),
    # ...and happens twice on 1 November (01:00 CDT -> 00:00 CST): the first one counts.
    ("America/Havana", date(2026, 11, 1), "09:00-17:00", hourly("2026-11-01 14:00", 8)),
    ("America/Havana", date(2026, 11, 1), "00:00-04:00",
     ["2026-11-01 04:00Z", "2026-11-01 05:00Z", "2026-11-01 06:00Z", "2026-11-01 07:00Z",
      "2026-11-01 08:00Z"]),
    ("America/Havana", date(2026, 11, 1), "01:00-03:00", ["2026-11-01 06:00Z", "2026-11-01 07:00Z"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("zone", "day", "working", "expected"),
    CASES,
    ids=[f"{zone}-{day}-{working}" for zone, day, working, _ in CASES],
)
def test_hours_on_a_clock_change_day_give_these_exact_utc_slots(
    zone: str, day: date, working: str, expected: list[str]
) -> None:
    assert instants(slots_for(zone, day, working)) == expected


def wall_clock(slots: list[Slot], zone: str) -> list[str]:
    return [slot.start.astimezone(ZoneInfo(zone)).strftime("%H:%M%z") for slot in slots]


def test_the_grid_steps_through_a_repeated_half_hour_in_absolute_time() -> None:
    slots = slots_for("Australia/Lord_Howe", date(2026, 4, 5), "01:00-03:00", length=30)
    assert wall_clock(slots, "Australia/Lord_Howe") == [
        "01:00+1100",
        "01:30+1100",
        "01:30+1030",  # the same wall time again, half an hour later
        "02:00+1030",
        "02:30+1030",
    ]


def test_the_grid_steps_over_a_gap_in_absolute_time() -> None:
    slots = slots_for("America/New_York", date(2026, 3, 8), "01:00-04:00", length=30)
    assert wall_clock(slots, "America/New_York") == [
        "01:00-0500",
        "01:30-0500",
        "03:00-0400",
        "03:30-0400",
    ]


def test_the_grid_keeps_its_absolute_step_as_the_wall_clock_falls_back() -> None:
    slots = slots_for("America/New_York", date(2026, 11, 1), "00:00-06:00", step=90)
    assert instants(slots) == [
        "2026-11-01 04:00Z",
        "2026-11-01 05:30Z",
        "2026-11-01 07:00Z",
        "2026-11-01 08:30Z",
        "2026-11-01 10:00Z",  # ends 11:00Z, 06:00 EST: the hours' end
    ]
    assert wall_clock(slots, "America/New_York") == [
        "00:00-0400",
        "01:30-0400",
        "02:00-0500",
        "03:30-0500",
        "05:00-0500",
    ]


def test_weekly_hours_keep_their_wall_times_on_both_sides_of_a_change() -> None:
    rules = make_rules(time_zone="America/New_York", weekly={6: hours("09:00-10:00")})
    window_start, _ = day_window(date(2026, 3, 1))
    slots = available_slots(
        rules, Occupancy(), window_start, window_start + timedelta(days=14), window_start
    )
    assert instants(slots) == ["2026-03-01 14:00Z", "2026-03-08 13:00Z"]


def test_a_booker_sees_slots_on_their_own_local_dates() -> None:
    # Auckland, Monday 15:00-20:00 NZST (+12) is 03:00Z-08:00Z on Monday, which in Los Angeles
    # (PDT, -7) is Sunday 20:00 to Monday 01:00.
    rules = make_rules(time_zone="Pacific/Auckland", weekly={0: hours("15:00-20:00")})
    window_start, _ = day_window(date(2026, 5, 31))
    slots = available_slots(
        rules, Occupancy(), window_start, window_start + timedelta(days=3), window_start
    )
    by_booker_date = group_by_local_date(slots, "America/Los_Angeles")
    assert {day: instants(group) for day, group in by_booker_date.items()} == {
        date(2026, 5, 31): hourly("2026-06-01 03:00", 4),
        date(2026, 6, 1): ["2026-06-01 07:00Z"],
    }
    assert free_dates(slots, "America/Los_Angeles") == {date(2026, 5, 31), date(2026, 6, 1)}
    assert free_dates(slots, "Pacific/Auckland") == {date(2026, 6, 1)}
