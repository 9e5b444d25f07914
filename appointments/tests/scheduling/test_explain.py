"""explain(): one test per Reason, on a UTC calendar open 09:00-12:00 with 60-minute slots."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from appointments.scheduling import REASON_MESSAGES, Occupancy, Reason, explain

from .builders import LONG_AGO, MONDAY, at, hours, interval, make_rules, minutes, utc


def monday(hhmm: str) -> datetime:
    return utc(f"2026-06-01 {hhmm}")


def on_monday(start: str, end: str) -> list:
    return [interval(f"2026-06-01 {start}", f"2026-06-01 {end}")]


def why(
    start: str,
    occupancy: Occupancy | None = None,
    now: datetime = LONG_AGO,
    end: str | None = None,
    **rule_options: Any,
) -> list[Reason]:
    return explain(
        make_rules(**rule_options),
        occupancy or Occupancy(),
        monday(start),
        now,
        None if end is None else monday(end),
    )


def test_an_available_slot_has_no_reasons() -> None:
    assert why("09:00") == []


def test_every_reason_has_a_message() -> None:
    assert set(REASON_MESSAGES) == set(Reason)
    assert all(reason.message for reason in Reason)
    assert "not on the slot grid" in Reason.OUTSIDE_HOURS.message


@pytest.mark.parametrize(
    ("start", "rule_options"),
    [
        ("13:00", {}),  # outside the hours
        ("08:00", {}),
        ("09:30", {}),  # inside the hours, off the grid
        ("11:30", {"step": minutes(30)}),  # on the grid, but would end after 12:00
    ],
)
def test_outside_hours_or_off_the_grid(start: str, rule_options: dict[str, Any]) -> None:
    assert why(start, **rule_options) == [Reason.OUTSIDE_HOURS]


@pytest.mark.parametrize("override", [(), hours("14:00-15:00")])
def test_a_date_with_other_hours_or_closed(override: tuple) -> None:
    assert why("09:00", overrides={MONDAY: override}) == [Reason.OVERRIDE]


def test_off_the_grid_inside_an_overrides_hours_is_outside_hours() -> None:
    assert why("14:30", overrides={MONDAY: hours("14:00-16:00")}) == [Reason.OUTSIDE_HOURS]


def test_time_off() -> None:
    assert why("10:00", Occupancy(time_off=on_monday("10:45", "11:00"))) == [Reason.TIME_OFF]


@pytest.mark.parametrize(
    "appointment", [("09:30", "10:30"), ("10:00", "11:00"), ("09:00", "12:00")]
)
def test_booked(appointment: tuple[str, str]) -> None:
    occupancy = Occupancy(appointments=on_monday(*appointment))
    assert why("10:00", occupancy, buffer_before=minutes(15)) == [Reason.BOOKED]


@pytest.mark.parametrize(
    ("start", "buffer_before", "buffer_after"),
    [
        ("11:00", 0, 15),  # the appointment's after-buffer reaches the slot
        ("11:00", 15, 0),  # the slot's before-buffer reaches the appointment
        ("09:00", 15, 0),
        ("09:00", 0, 15),
    ],
)
def test_buffer(start: str, buffer_before: int, buffer_after: int) -> None:
    occupancy = Occupancy(appointments=on_monday("10:00", "11:00"))
    reasons = why(
        start,
        occupancy,
        buffer_before=minutes(buffer_before),
        buffer_after=minutes(buffer_after),
    )
    assert reasons == [Reason.BUFFER]


def test_back_to_back_without_buffers_is_fine() -> None:
    assert why("11:00", Occupancy(appointments=on_monday("10:00", "11:00"))) == []


@pytest.mark.parametrize(
    ("busy", "buffer_after"),
    [
        (("09:15", "09:30"), 0),
        (("10:00", "10:30"), 15),  # only the slot's after-buffer reaches it
    ],
)
def test_busy(busy: tuple[str, str], buffer_after: int) -> None:
    occupancy = Occupancy(busy=on_monday(*busy))
    assert why("09:00", occupancy, buffer_after=minutes(buffer_after)) == [Reason.BUSY]


def test_a_grid_slot_overlapping_a_published_slot_gives_way_to_it() -> None:
    occupancy = Occupancy(published=on_monday("09:30", "10:00"))
    assert why("09:00", occupancy) == [Reason.PUBLISHED]


def test_a_published_slot_is_judged_as_itself_off_grid_and_outside_hours() -> None:
    occupancy = Occupancy(published=on_monday("14:10", "14:55"))
    assert why("14:10", occupancy) == []
    assert why("14:10", occupancy, end="14:55") == []
    # A different end is not that slot: it is an ordinary time that overlaps it.
    assert why("14:10", occupancy, end="15:10") == [Reason.OUTSIDE_HOURS, Reason.PUBLISHED]


def test_a_published_slot_can_be_booked_out() -> None:
    occupancy = Occupancy(
        published=on_monday("14:00", "15:00"), appointments=on_monday("14:30", "15:30")
    )
    assert why("14:00", occupancy) == [Reason.BOOKED]


@pytest.mark.parametrize(("now", "notice"), [("08:30", 60), ("09:00", 1)])
def test_notice(now: str, notice: int) -> None:
    assert why("09:00", now=monday(now), minimum_notice=minutes(notice)) == [Reason.NOTICE]


def test_past_replaces_notice() -> None:
    assert why("09:00", now=monday("09:01"), minimum_notice=minutes(60)) == [Reason.PAST]


def test_horizon() -> None:
    now = monday("09:00") - timedelta(days=2)
    assert why("10:00", now=now, horizon=timedelta(days=2)) == [Reason.HORIZON]
    assert why("09:00", now=now, horizon=timedelta(days=2)) == []  # the horizon is inclusive


def test_daily_maximum() -> None:
    occupancy = Occupancy(appointments=on_monday("11:00", "12:00"))
    assert why("09:00", occupancy, max_per_day=1) == [Reason.DAILY_MAXIMUM]
    assert why("09:00", occupancy, max_per_day=2) == []


def test_every_applicable_reason_is_given_in_a_stable_order() -> None:
    occupancy = Occupancy(
        appointments=on_monday("09:30", "09:45"),
        busy=on_monday("09:00", "09:15"),
        time_off=on_monday("09:45", "10:30"),
    )
    reasons = why("09:00", occupancy, now=monday("08:30"), minimum_notice=minutes(60))
    assert reasons == [Reason.TIME_OFF, Reason.BOOKED, Reason.BUSY, Reason.NOTICE]
    assert why("13:15", occupancy, now=monday("14:00")) == [Reason.OUTSIDE_HOURS, Reason.PAST]


def test_an_explicit_end_is_judged_against_the_hours_not_the_length() -> None:
    assert why("09:00", end="11:00") == []
    assert why("10:00", end="12:30") == [Reason.OUTSIDE_HOURS]


def test_explain_accepts_any_zone_for_its_instants() -> None:
    start = at("2026-06-01 11:00", "Europe/Berlin")  # 09:00Z
    assert explain(make_rules(), Occupancy(), start, LONG_AGO) == []


def test_explain_refuses_an_end_that_is_not_after_the_start() -> None:
    with pytest.raises(ValueError, match="end after"):
        why("10:00", end="10:00")
