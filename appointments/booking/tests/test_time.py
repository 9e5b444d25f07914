"""The booking pages' time helpers: month grid, local-day windows across DST, slot labels and the
form value that names a slot."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from appointments.availability.selectors import FreeSlot
from appointments.booking.time import (
    MonthDay,
    add_months,
    day_window,
    local_time_label,
    month_grid,
    parse_month,
    parse_slot_value,
    slot_value,
)

NEW_YORK = ZoneInfo("America/New_York")


def test_the_month_grid_runs_monday_to_sunday_and_marks_free_days_and_today():
    grid = month_grid(date(2026, 11, 1), {date(2026, 11, 25): 6}, today=date(2026, 11, 24))

    assert [len(week) for week in grid] == [7] * 6
    assert grid[0][0].day == date(2026, 10, 26) and not grid[0][0].in_month
    wednesday = next(cell for week in grid for cell in week if cell.day == date(2026, 11, 25))
    assert wednesday.label == "Wednesday 25 November 2026, 6 free times"
    assert [c.is_today for week in grid for c in week].count(True) == 1


@pytest.mark.parametrize(
    ("count", "past", "label"),
    [
        (1, False, "Friday 27 November 2026, 1 free time"),
        (0, False, "Friday 27 November 2026, no free times"),
        (3, True, "Friday 27 November 2026, past"),
    ],
)
def test_a_days_accessible_name_says_what_it_offers(count, past, label):
    cell = MonthDay(date(2026, 11, 27), True, count, is_today=False, is_past=past)

    assert cell.label == label


def test_month_arithmetic_and_parsing():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert parse_month("2026-12") == date(2026, 12, 1)
    assert parse_month("December") is None


def test_a_local_day_on_a_dst_change_is_23_or_25_hours_long():
    spring = day_window(date(2026, 3, 8), date(2026, 3, 8), NEW_YORK)
    autumn = day_window(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK)

    assert (spring[1] - spring[0]).total_seconds() == 23 * 3600
    assert (autumn[1] - autumn[0]).total_seconds() == 25 * 3600
    assert spring[0] == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)


def test_the_repeated_autumn_hour_shows_its_offset_and_other_times_do_not():
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    ordinary = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)

    assert local_time_label(first, NEW_YORK) == "01:30 (UTC-04:00)"
    assert local_time_label(second, NEW_YORK) == "01:30 (UTC-05:00)"
    assert local_time_label(ordinary, NEW_YORK) == "10:00"


@pytest.mark.parametrize(
    "slot",
    [
        FreeSlot(
            datetime(2026, 11, 25, 9, tzinfo=UTC), datetime(2026, 11, 25, 9, 30, tzinfo=UTC), 42
        ),
        FreeSlot(
            datetime(2026, 11, 25, 9, tzinfo=NEW_YORK), datetime(2026, 11, 25, 10, tzinfo=NEW_YORK)
        ),
    ],
)
def test_a_slot_value_parses_back_to_what_it_names(slot):
    value = slot_value(slot)
    slot_id, start = parse_slot_value(value)

    if slot.slot_id is not None:
        assert (value, slot_id, start) == ("slot:42", 42, None)
    else:
        assert value == "start:2026-11-25T14:00:00Z"
        assert (slot_id, start) == (None, slot.start)


@pytest.mark.parametrize("value", ["", "slot:abc", "start:2026-11-25 09:00", "other:1"])
def test_a_value_naming_no_slot_is_refused(value):
    with pytest.raises(ValueError):
        parse_slot_value(value)
