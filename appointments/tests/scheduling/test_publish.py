"""slot_times(): published slots from wall times, across clock changes; local_date()."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from appointments.scheduling import local_date, slot_times

from .builders import minutes, utc

NEW_YORK = "America/New_York"
SPRING_FORWARD = date(2026, 3, 8)  # a Sunday: 02:00 EST -> 03:00 EDT
FALL_BACK = date(2026, 11, 1)  # a Sunday: 02:00 EDT -> 01:00 EST
EVERY_DAY = range(7)


def published(
    first: date,
    last: date,
    from_to: str,
    every: int = 30,
    length: int = 30,
    weekdays=EVERY_DAY,
    zone: str = NEW_YORK,
) -> list[str]:
    start, until = (time.fromisoformat(t) for t in from_to.split("-"))
    slots = slot_times(first, last, weekdays, start, until, minutes(length), minutes(every), zone)
    return [f"{a:%Y-%m-%d %H:%MZ}-{b:%H:%MZ}" for a, b in slots]


def test_slots_every_step_on_the_chosen_weekdays_only() -> None:
    # 2026-06-01 is a Monday; Tuesday and Wednesday are asked for. EDT is UTC-4.
    assert published(date(2026, 6, 1), date(2026, 6, 7), "09:00-10:00", weekdays={1, 2}) == [
        "2026-06-02 13:00Z-13:30Z",
        "2026-06-02 13:30Z-14:00Z",
        "2026-06-03 13:00Z-13:30Z",
        "2026-06-03 13:30Z-14:00Z",
    ]


def test_a_slot_must_end_by_until_and_the_step_may_differ_from_the_length() -> None:
    assert published(date(2026, 6, 1), date(2026, 6, 1), "09:00-10:10", every=20, length=30) == [
        "2026-06-01 13:00Z-13:30Z",
        "2026-06-01 13:20Z-13:50Z",
        "2026-06-01 13:40Z-14:10Z",
    ]


@pytest.mark.parametrize(
    ("day", "from_to", "expected"),
    [
        # 01:00 EST is 06:00Z, 04:00 EDT is 08:00Z: two real hours, stepped in absolute time.
        (SPRING_FORWARD, "01:00-04:00",
         ["2026-03-08 06:00Z-06:30Z", "2026-03-08 06:30Z-07:00Z", "2026-03-08 07:00Z-07:30Z",
          "2026-03-08 07:30Z-08:00Z"]),
        # 02:30 does not exist: it moves forward by the gap to 03:30 EDT, 07:30Z.
        (SPRING_FORWARD, "02:30-04:00", ["2026-03-08 07:30Z-08:00Z"]),
        # 02:30 -> 03:30 EDT is after 03:00 EDT: those times do not exist that day.
        (SPRING_FORWARD, "02:30-03:00", []),
        # 01:00 repeats: its first occurrence (EDT, 05:00Z) up to 02:00 EST (07:00Z).
        (FALL_BACK, "01:00-02:00",
         ["2026-11-01 05:00Z-05:30Z", "2026-11-01 05:30Z-06:00Z", "2026-11-01 06:00Z-06:30Z",
          "2026-11-01 06:30Z-07:00Z"]),
        (FALL_BACK, "09:00-10:00", ["2026-11-01 14:00Z-14:30Z", "2026-11-01 14:30Z-15:00Z"]),
    ],
)  # fmt: skip
def test_wall_times_on_clock_change_days_follow_the_gap_and_fold_rule(
    day: date, from_to: str, expected: list[str]
) -> None:
    assert published(day, day, from_to) == expected


def test_the_zone_may_be_a_tzinfo() -> None:
    day = date(2026, 6, 1)
    assert published(day, day, "09:00-09:30", zone=ZoneInfo(NEW_YORK)) == published(
        day, day, "09:00-09:30"
    )


def test_the_last_representable_date_does_not_overflow() -> None:
    assert published(date.max, date.max, "09:00-09:30", zone="UTC") == ["9999-12-31 09:00Z-09:30Z"]


def test_a_range_ending_before_it_starts_publishes_nothing() -> None:
    assert published(date(2026, 6, 2), date(2026, 6, 1), "09:00-10:00") == []


def test_a_step_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        published(date(2026, 6, 1), date(2026, 6, 1), "09:00-10:00", every=0)


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        ("2026-06-01 23:30", "Asia/Tokyo", date(2026, 6, 2)),  # 08:30 the next morning
        ("2026-06-01 03:30", "America/Los_Angeles", date(2026, 5, 31)),  # 20:30 the evening before
        ("2026-06-01 12:00", "UTC", date(2026, 6, 1)),
    ],
)
def test_local_date_is_the_date_on_the_zones_wall_clock(
    instant: str, zone: str, expected: date
) -> None:
    assert local_date(utc(instant), zone) == expected


def test_local_date_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        local_date(datetime(2026, 6, 1, 12), "UTC")
