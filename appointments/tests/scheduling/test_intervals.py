from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from appointments.scheduling import Interval, Timeline, expand, merge, overlaps, subtract

from .builders import interval, minutes, utc


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("09:00", "10:00"), ("10:00", "11:00"), False),  # back to back: half-open
        (("09:00", "10:00"), ("09:59", "11:00"), True),
        (("09:00", "12:00"), ("10:00", "11:00"), True),  # containment
        (("10:00", "11:00"), ("09:00", "12:00"), True),
        (("09:00", "10:00"), ("11:00", "12:00"), False),
        (("10:00", "10:00"), ("09:00", "12:00"), False),  # an empty interval holds no instant
    ],
)
def test_overlaps_treats_intervals_as_half_open(
    a: tuple[str, str], b: tuple[str, str], expected: bool
) -> None:
    a_start, a_end, b_start, b_end = (utc(f"2026-06-01 {t}") for t in (*a, *b))
    assert overlaps(a_start, a_end, b_start, b_end) is expected
    assert overlaps(b_start, b_end, a_start, a_end) is expected


def test_an_interval_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        Interval(datetime(2026, 6, 1, 9), datetime(2026, 6, 1, 10))


def test_an_interval_rejects_an_end_before_its_start() -> None:
    with pytest.raises(ValueError, match="ends before"):
        interval("2026-06-01 10:00", "2026-06-01 09:00")


def test_expand_widens_each_side_by_its_own_amount() -> None:
    widened = expand(interval("2026-06-01 10:00", "2026-06-01 11:00"), minutes(15), minutes(30))
    assert widened == interval("2026-06-01 09:45", "2026-06-01 11:30")


def test_merge_joins_overlapping_and_touching_intervals_and_drops_empty_ones() -> None:
    merged = merge(
        [
            interval("2026-06-01 13:00", "2026-06-01 14:00"),
            interval("2026-06-01 09:00", "2026-06-01 10:00"),
            interval("2026-06-01 10:00", "2026-06-01 10:30"),  # touches the first
            interval("2026-06-01 09:15", "2026-06-01 09:45"),  # inside the first
            interval("2026-06-01 12:00", "2026-06-01 12:00"),  # empty
        ]
    )
    assert merged == [
        interval("2026-06-01 09:00", "2026-06-01 10:30"),
        interval("2026-06-01 13:00", "2026-06-01 14:00"),
    ]


def test_merge_returns_utc_whatever_the_input_zone() -> None:
    plus_two = timezone(timedelta(hours=2))
    start = datetime(2026, 6, 1, 11, tzinfo=plus_two)
    [merged] = merge([Interval(start, start + timedelta(hours=1))])
    assert merged.start.tzinfo is UTC
    assert merged.start == utc("2026-06-01 09:00")


def test_subtract_cuts_holes_and_trims_edges() -> None:
    remaining = subtract(
        [interval("2026-06-01 09:00", "2026-06-01 17:00")],
        [
            interval("2026-06-01 08:00", "2026-06-01 10:00"),
            interval("2026-06-01 12:00", "2026-06-01 13:00"),
            interval("2026-06-01 16:30", "2026-06-01 18:00"),
        ],
    )
    assert remaining == [
        interval("2026-06-01 10:00", "2026-06-01 12:00"),
        interval("2026-06-01 13:00", "2026-06-01 16:30"),
    ]


def test_subtract_removing_everything_leaves_nothing() -> None:
    hours = [interval("2026-06-01 09:00", "2026-06-01 17:00")]
    assert subtract(hours, [interval("2026-06-01 00:00", "2026-06-02 00:00")]) == []


@pytest.mark.parametrize(
    ("start", "end", "blocked_until"),
    [
        ("08:00", "09:00", None),  # ends as the first block starts
        ("08:30", "09:30", "10:00"),
        ("10:00", "11:00", None),  # starts as the first block ends
        ("10:30", "12:30", "13:00"),  # reaches into the second block
        ("13:00", "14:00", None),  # after everything
    ],
)
def test_a_timeline_reports_the_end_of_the_block_in_the_way(
    start: str, end: str, blocked_until: str | None
) -> None:
    timeline = Timeline(
        [
            (utc("2026-06-01 12:00"), utc("2026-06-01 13:00")),
            (utc("2026-06-01 09:00"), utc("2026-06-01 10:00")),
        ]
    )
    expected = None if blocked_until is None else utc(f"2026-06-01 {blocked_until}")
    assert timeline.blocked_until(utc(f"2026-06-01 {start}"), utc(f"2026-06-01 {end}")) == expected


def test_a_timeline_merges_overlapping_blocks_before_answering() -> None:
    timeline = Timeline(
        [(utc("2026-06-01 09:00"), utc("2026-06-01 11:00"))],
        [(utc("2026-06-01 10:00"), utc("2026-06-01 12:00"))],
    )
    assert timeline.blocked_until(utc("2026-06-01 11:30"), utc("2026-06-01 13:00")) == utc(
        "2026-06-01 12:00"
    )
    assert timeline.next_obstacle(utc("2026-06-01 08:00")) == (
        utc("2026-06-01 09:00"),
        utc("2026-06-01 12:00"),
    )
