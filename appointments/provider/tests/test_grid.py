"""The week grid's geometry: wall-clock rows (the same height on days the clocks change) and
lanes for overlapping bookings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from appointments.provider import grid

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def test_ten_oclock_is_the_same_row_before_on_and_after_the_november_change():
    # 2026-11-01: New York falls back from EDT (UTC-4) to EST (UTC-5) at 02:00.
    saturday = datetime(2026, 10, 31, 14, tzinfo=UTC)  # 10:00 EDT
    sunday = datetime(2026, 11, 1, 15, tzinfo=UTC)  # 10:00 EST
    half = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)

    before = grid.wall_minutes(saturday, saturday.replace(minute=30), date(2026, 10, 31), NEW_YORK)
    on = grid.wall_minutes(sunday, half, date(2026, 11, 1), NEW_YORK)

    assert before == on == (600, 630)
    assert grid.place(on, first_hour=8) == grid.Place(row=9, span=2)


def test_a_span_over_the_repeated_hour_ends_at_its_wall_time():
    # 00:30 EDT to 03:00 EST is three and a half hours, drawn from 00:30 to 03:00.
    start = datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
    end = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

    assert grid.wall_minutes(start, end, date(2026, 11, 1), NEW_YORK) == (30, 180)


def test_an_end_the_fall_back_puts_before_its_start_keeps_a_quarter_hour():
    # 01:45 EDT to 01:15 EST (30 minutes of real time).
    start = datetime(2026, 11, 1, 5, 45, tzinfo=UTC)
    end = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)

    assert grid.wall_minutes(start, end, date(2026, 11, 1), NEW_YORK) == (105, 120)


def test_a_span_past_midnight_is_clipped_to_each_day():
    start = datetime(2026, 10, 24, 22, tzinfo=UTC)  # 23:00 BST
    end = datetime(2026, 10, 25, 2, tzinfo=UTC)  # 02:00 GMT, after London's October change

    assert grid.wall_minutes(start, end, date(2026, 10, 24), LONDON) == (1380, 1440)
    assert grid.wall_minutes(start, end, date(2026, 10, 25), LONDON) == (0, 120)
    assert grid.covers_day(start, end, date(2026, 10, 24), LONDON) is False


def test_overlapping_bookings_share_the_width_and_others_keep_it():
    places = [grid.Place(1, 4), grid.Place(3, 4), grid.Place(9, 2)]

    assert [(p.lane, p.lanes) for p in grid.lanes(places)] == [(0, 2), (1, 2), (0, 1)]


def test_the_hours_shown_widen_to_what_is_drawn():
    assert grid.hour_range([]) == (8, 18)
    assert grid.hour_range([(7 * 60 + 30, 9 * 60), (20 * 60, 20 * 60 + 15)]) == (7, 21)
