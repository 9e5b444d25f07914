"""One table per policy of `available_slots`; a UTC calendar unless a test says otherwise."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments.scheduling import Occupancy, Slot, available_slots

from .builders import (
    MONDAY,
    at,
    day_window,
    every_day,
    hours,
    instants,
    interval,
    make_rules,
    minutes,
    slots_on,
    starts,
    utc,
)

TUESDAY = MONDAY + timedelta(days=1)


def monday(hhmm: str) -> str:
    return f"2026-06-01 {hhmm}"


def booked(*ranges: str) -> Occupancy:
    """booked('10:00-11:00') on Monday."""
    return Occupancy(appointments=[interval(*map(monday, r.split("-"))) for r in ranges])


# --- Policy 2: the grid ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("working", "length", "step", "expected"),
    [
        ("09:00-12:00", 60, None, ["09:00", "10:00", "11:00"]),
        ("09:00-12:00", 60, 30, ["09:00", "09:30", "10:00", "10:30", "11:00"]),
        ("09:00-13:00", 60, 90, ["09:00", "10:30", "12:00"]),
        ("09:00-11:45", 60, None, ["09:00", "10:00"]),  # 11:00 would end after 11:45
        ("09:00-09:45", 60, None, []),  # shorter than one slot
        ("09:10-10:40", 30, None, ["09:10", "09:40", "10:10"]),  # the grid starts with the hours
    ],
)
def test_the_grid_starts_with_the_hours_and_every_slot_ends_by_their_end(
    working: str, length: int, step: int | None, expected: list[str]
) -> None:
    rules = make_rules(
        weekly=every_day(working), length=length, step=None if step is None else minutes(step)
    )
    assert starts(slots_on(rules)) == expected


@pytest.mark.parametrize(
    ("step", "occupancy", "expected"),
    [
        (60, booked("09:15-09:45"), ["10:00", "11:00"]),
        (30, booked("09:15-09:45"), ["10:00", "10:30", "11:00"]),
        (60, Occupancy(busy=[interval(monday("09:15"), monday("09:45"))]), ["10:00", "11:00"]),
    ],
)
def test_bookings_and_busy_time_remove_slots_without_shifting_the_grid(
    step: int, occupancy: Occupancy, expected: list[str]
) -> None:
    rules = make_rules(step=minutes(step))
    assert starts(slots_on(rules, occupancy)) == expected


def test_back_to_back_appointments_do_not_conflict() -> None:
    assert starts(slots_on(make_rules(), booked("10:00-11:00"))) == ["09:00", "11:00"]


def test_an_empty_appointment_holds_no_instant_and_blocks_nothing() -> None:
    rules = make_rules(buffer_before=minutes(30), buffer_after=minutes(30), max_per_day=1)
    assert starts(slots_on(rules, booked("10:30-10:30"))) == ["09:00", "10:00", "11:00"]


def test_overlapping_working_intervals_offer_each_slot_once() -> None:
    rules = make_rules(weekly=every_day("09:00-12:00", "10:00-13:00", "09:30-11:30"))
    assert starts(slots_on(rules)) == ["09:00", "09:30", "10:00", "10:30", "11:00", "12:00"]


def test_hours_crossing_midnight_offer_slots_on_both_dates() -> None:
    rules = make_rules(weekly={0: hours("22:00-02:00")})
    assert instants(slots_on(rules, days=2)) == [
        "2026-06-01 22:00Z",
        "2026-06-01 23:00Z",
        "2026-06-02 00:00Z",
        "2026-06-02 01:00Z",
    ]


def test_a_window_starting_after_midnight_still_sees_the_previous_nights_hours() -> None:
    rules = make_rules(weekly={0: hours("22:00-02:00")})
    assert instants(slots_on(rules, day=TUESDAY)) == ["2026-06-02 00:00Z", "2026-06-02 01:00Z"]


def test_hours_starting_and_ending_at_the_same_time_last_a_whole_day() -> None:
    rules = make_rules(weekly={}, overrides={MONDAY: hours("09:00-09:00")}, length=120)
    slots = slots_on(rules, days=2)
    assert len(slots) == 12
    assert (slots[0].start, slots[-1].end) == (utc(monday("09:00")), utc("2026-06-02 09:00"))


# --- Policy 1: overrides ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ["09:00", "10:00", "11:00"]),
        ({MONDAY: hours("14:00-16:00")}, ["14:00", "15:00"]),
        ({MONDAY: hours("08:00-09:00", "15:00-16:00")}, ["08:00", "15:00"]),
        ({MONDAY: ()}, []),  # closed
        ({TUESDAY: ()}, ["09:00", "10:00", "11:00"]),  # another date's override
    ],
)
def test_an_override_replaces_the_weekday_hours_of_its_date(
    overrides: dict[date, tuple], expected: list[str]
) -> None:
    assert starts(slots_on(make_rules(overrides=overrides))) == expected


# --- Policy 3: what is free -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("buffer_before", "buffer_after", "expected"),
    [
        # Appointment 10:00-11:00; 60-minute slots every 15 minutes in 08:00-14:00. A slot
        # must keep the larger buffer away from the appointment on either side.
        (0, 0, ["08:45", "09:00", "11:00", "11:15"]),
        (15, 0, ["08:30", "08:45", "11:15", "11:30"]),
        (0, 15, ["08:30", "08:45", "11:15", "11:30"]),
        (30, 15, ["08:15", "08:30", "11:30", "11:45"]),
        (15, 30, ["08:15", "08:30", "11:30", "11:45"]),
    ],
)
def test_buffers_keep_slots_away_from_appointments_in_both_directions(
    buffer_before: int, buffer_after: int, expected: list[str]
) -> None:
    rules = make_rules(
        weekly=every_day("08:00-14:00"),
        step=minutes(15),
        buffer_before=minutes(buffer_before),
        buffer_after=minutes(buffer_after),
    )
    offered = starts(slots_on(rules, booked("10:00-11:00")))
    nearest_before = [start for start in offered if start < "10:00"][-2:]
    nearest_after = [start for start in offered if start > "10:00"][:2]
    assert nearest_before + nearest_after == expected


def test_buffers_may_overlap_each_other() -> None:
    # The 11:30 slot's before-buffer and the appointment's after-buffer share 11:00-11:30.
    rules = make_rules(
        weekly=every_day("09:00-14:00"),
        step=minutes(30),
        buffer_before=minutes(30),
        buffer_after=minutes(30),
    )
    assert "11:30" in starts(slots_on(rules, booked("10:00-11:00")))
    assert "11:00" not in starts(slots_on(rules, booked("10:00-11:00")))


@pytest.mark.parametrize(
    ("buffer_before", "buffer_after", "expected"),
    [
        # Busy 10:00-11:00, 60-minute slots every 15 minutes. Only the slot's own buffers
        # count: busy time has none, so each buffer guards one side only.
        (0, 0, ["08:45", "09:00", "11:00", "11:15"]),
        (30, 0, ["08:45", "09:00", "11:30", "11:45"]),  # before-buffer: distance after busy
        (0, 30, ["08:15", "08:30", "11:00", "11:15"]),  # after-buffer: distance before busy
    ],
)
def test_busy_time_is_kept_clear_of_the_slots_own_buffers(
    buffer_before: int, buffer_after: int, expected: list[str]
) -> None:
    rules = make_rules(
        weekly=every_day("08:00-14:00"),
        step=minutes(15),
        buffer_before=minutes(buffer_before),
        buffer_after=minutes(buffer_after),
    )
    busy = Occupancy(busy=[interval(monday("10:00"), monday("11:00"))])
    offered = starts(slots_on(rules, busy))
    assert [s for s in offered if s < "10:00"][-2:] + [s for s in offered if s > "10:00"][:2] == (
        expected
    )


def test_time_off_removes_overlapping_slots_but_has_no_buffers() -> None:
    rules = make_rules(buffer_before=minutes(30), buffer_after=minutes(30))
    time_off = Occupancy(time_off=[interval(monday("10:00"), monday("10:30"))])
    assert starts(slots_on(rules, time_off)) == ["09:00", "11:00"]


def test_time_off_spanning_days_closes_them() -> None:
    time_off = Occupancy(time_off=[interval("2026-05-30 00:00", "2026-06-02 00:00")])
    assert instants(slots_on(make_rules(), time_off, days=2))[0] == "2026-06-02 09:00Z"


# --- Policies 3(d) and 6: published slots ---------------------------------------------------


def published(*ranges: str, appointments: tuple[str, ...] = ()) -> Occupancy:
    return Occupancy(
        published=[interval(*map(monday, r.split("-"))) for r in ranges],
        appointments=booked(*appointments).appointments,
    )


def test_a_published_slot_is_offered_as_it_is_even_outside_hours_and_off_the_grid() -> None:
    slots = slots_on(make_rules(), published("14:10-14:55"))
    assert slots[-1] == Slot(utc(monday("14:10")), utc(monday("14:55")), published=True)
    assert [slot.published for slot in slots] == [False, False, False, True]


def test_computed_candidates_give_way_to_an_overlapping_published_slot() -> None:
    slots = slots_on(make_rules(step=minutes(30)), published("10:15-10:45"))
    assert [(s.start.strftime("%H:%M"), s.published) for s in slots] == [
        ("09:00", False),
        ("10:15", True),
        ("11:00", False),
    ]


def test_a_published_slot_keeps_the_buffers_away_from_appointments() -> None:
    rules = make_rules(buffer_after=minutes(15))
    slots = slots_on(rules, published("14:00-15:00", "15:10-16:00", appointments=("13:00-14:00",)))
    assert [(s.start.strftime("%H:%M"), s.published) for s in slots] == [
        ("09:00", False),
        ("10:00", False),
        ("11:00", False),
        ("15:10", True),
    ]


def test_published_slots_respect_time_off_busy_notice_and_horizon() -> None:
    occupancy = Occupancy(
        published=[
            interval(monday("13:00"), monday("14:00")),  # time off
            interval(monday("14:00"), monday("15:00")),  # busy
            interval(monday("07:00"), monday("08:00")),  # before the notice
            interval("2026-06-03 13:00", "2026-06-03 14:00"),  # beyond the horizon
            interval(monday("16:00"), monday("17:00")),  # fine
        ],
        time_off=[interval(monday("13:30"), monday("13:45"))],
        busy=[interval(monday("14:30"), monday("14:45"))],
    )
    rules = make_rules(weekly={}, minimum_notice=minutes(60), horizon=timedelta(days=1))
    slots = slots_on(rules, occupancy, now=utc(monday("07:00")), days=3)
    assert instants(slots) == ["2026-06-01 16:00Z"]


def test_identical_published_slots_are_offered_once() -> None:
    assert len(slots_on(make_rules(weekly={}), published("14:00-15:00", "14:00-15:00"))) == 1


# --- Policy 4: notice and horizon -----------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "notice", "expected"),
    [
        ("08:00", 60, ["09:00", "10:00", "11:00"]),  # exactly the notice is enough
        ("08:00", 61, ["10:00", "11:00"]),
        ("09:30", 0, ["10:00", "11:00"]),  # the 09:00 slot has started
        ("10:00", 0, ["10:00", "11:00"]),
        ("11:00", 120, []),
    ],
)
def test_minimum_notice_removes_slots_starting_too_soon(
    now: str, notice: int, expected: list[str]
) -> None:
    rules = make_rules(minimum_notice=minutes(notice))
    assert starts(slots_on(rules, now=utc(monday(now)))) == expected


@pytest.mark.parametrize(
    ("horizon_hours", "expected"),
    [
        (24, ["09:00"]),  # a start exactly at the horizon is still offered
        (25, ["09:00", "10:00"]),
        (23, []),
    ],
)
def test_the_horizon_removes_slots_starting_too_far_ahead(
    horizon_hours: int, expected: list[str]
) -> None:
    rules = make_rules(horizon=timedelta(hours=horizon_hours))
    assert starts(slots_on(rules, now=utc("2026-05-31 09:00"))) == expected


# --- Policy 5: daily maximum ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_per_day", "expected_dates"),
    [
        (None, {MONDAY, TUESDAY}),
        (3, {MONDAY, TUESDAY}),
        (2, {TUESDAY}),  # Monday already holds two appointments
        (0, set()),
    ],
)
def test_a_date_holding_the_daily_maximum_offers_nothing(
    max_per_day: int | None, expected_dates: set[date]
) -> None:
    rules = make_rules(weekly=every_day("09:00-17:00"), max_per_day=max_per_day)
    slots = slots_on(rules, booked("09:00-10:00", "15:00-16:00"), days=2)
    assert {slot.start.date() for slot in slots} == expected_dates


def test_the_daily_maximum_counts_by_local_date_in_the_calendars_zone() -> None:
    # 2026-06-01 20:00Z is 05:00 on Tuesday in Tokyo: the appointment fills Tuesday there.
    rules = make_rules(time_zone="Asia/Tokyo", weekly=every_day("09:00-11:00"), max_per_day=1)
    occupancy = Occupancy(appointments=[interval("2026-06-01 20:00", "2026-06-01 20:30")])
    slots = slots_on(rules, occupancy, day=date(2026, 5, 31), days=3)
    local = {slot.start.astimezone(ZoneInfo("Asia/Tokyo")).date() for slot in slots}
    # Counting by UTC date instead would close Monday (its slots start on 2026-06-01 UTC).
    assert local == {date(2026, 5, 31), MONDAY}


def test_the_daily_maximum_also_stops_published_slots() -> None:
    rules = make_rules(weekly={}, max_per_day=1)
    assert slots_on(rules, published("14:00-15:00", appointments=("09:00-10:00",))) == []


# --- Policy 7: output ---------------------------------------------------------------------


def test_only_slots_starting_inside_the_window_are_offered() -> None:
    rules = make_rules(weekly=every_day("09:00-12:00"), length=90, step=minutes(30))
    slots = available_slots(
        rules, Occupancy(), utc(monday("09:30")), utc(monday("10:30")), utc("2026-05-01 00:00")
    )
    assert starts(slots) == ["09:30", "10:00"]  # 09:00 overlaps the window but starts before


def test_slots_are_sorted_and_in_utc_whatever_the_zones_of_the_inputs() -> None:
    rules = make_rules(time_zone="Europe/Berlin", weekly=every_day("09:00-11:00"))
    window_start = at("2026-06-01 00:00", "America/New_York")
    slots = available_slots(
        rules,
        published("06:00-06:30"),
        window_start,
        window_start + timedelta(days=1),
        at("2026-05-01 00:00", "Asia/Kolkata"),
    )
    # Berlin 09:00-11:00 CEST is 07:00Z-09:00Z; the published slot comes first.
    assert instants(slots) == ["2026-06-01 06:00Z", "2026-06-01 07:00Z", "2026-06-01 08:00Z"]
    assert all(slot.start.tzinfo is UTC and slot.end.tzinfo is UTC for slot in slots)
    assert [slot.start for slot in slots] == sorted(slot.start for slot in slots)


def test_naive_datetimes_are_refused() -> None:
    window_start, window_end = day_window()
    with pytest.raises(ValueError, match="time-zone-aware"):
        available_slots(
            make_rules(), Occupancy(), window_start, window_end, window_start.replace(tzinfo=None)
        )
