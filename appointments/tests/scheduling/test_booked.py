"""Appointments that carry their own event type's buffers (`Booked`), on a UTC calendar.

A candidate [s, e) with buffers (before, after) must not overlap an appointment [a, b) with own
buffers (own_before, own_after) widened to [a - max(after, own_before), b + max(before,
own_after)): neither side's buffers may reach the other.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from appointments.scheduling import Booked, Interval, Occupancy, Reason, explain

from .builders import LONG_AGO, every_day, make_rules, minutes, slots_on, starts, utc


def monday(hhmm: str):
    return utc(f"2026-06-01 {hhmm}")


def booked(start: str, end: str, **options) -> Booked:
    return Booked(monday(start), monday(end), **options)


def nearest(rules, appointment) -> list[str]:
    """The two offered starts either side of an appointment at 10:00-11:00."""
    offered = starts(slots_on(rules, Occupancy(appointments=[appointment])))
    return [s for s in offered if s < "10:00"][-2:] + [s for s in offered if s > "10:00"][:2]


def quarter_hourly(before: int = 0, after: int = 0):
    return make_rules(
        weekly=every_day("08:00-14:00"),
        step=minutes(15),
        buffer_before=minutes(before),
        buffer_after=minutes(after),
    )


@pytest.mark.parametrize(
    ("rule_buffers", "own_buffers", "expected"),
    [
        # 60-minute slots every 15 minutes in 08:00-14:00, an appointment at 10:00-11:00.
        ((0, 0), (None, None), ["08:45", "09:00", "11:00", "11:15"]),
        ((0, 0), (None, 30), ["08:45", "09:00", "11:30", "11:45"]),  # its after-buffer
        ((0, 0), (30, None), ["08:15", "08:30", "11:00", "11:15"]),  # its before-buffer
        # The candidate's before-buffer guards the time after the appointment, and its
        # after-buffer the time before it; the larger of the two sides' buffers wins.
        ((15, 0), (0, 0), ["08:45", "09:00", "11:15", "11:30"]),
        ((0, 15), (0, 0), ["08:30", "08:45", "11:00", "11:15"]),
        ((15, 15), (0, 45), ["08:30", "08:45", "11:45", "12:00"]),
        ((30, 30), (15, 15), ["08:15", "08:30", "11:30", "11:45"]),
    ],
)
def test_each_side_keeps_its_own_buffers_clear_of_the_other(
    rule_buffers: tuple[int, int], own_buffers: tuple[int | None, int | None], expected: list[str]
) -> None:
    own_before, own_after = (None if b is None else minutes(b) for b in own_buffers)
    appointment = booked("10:00", "11:00", buffer_before=own_before, buffer_after=own_after)
    assert nearest(quarter_hourly(*rule_buffers), appointment) == expected


@pytest.mark.parametrize(("before", "after"), [(0, 0), (15, 0), (0, 30), (30, 15)])
def test_a_booked_appointment_without_own_buffers_is_a_plain_interval(
    before: int, after: int
) -> None:
    rules = quarter_hourly(before, after)
    plain = Interval(monday("10:00"), monday("11:00"))
    assert nearest(rules, booked("10:00", "11:00")) == nearest(rules, plain)


def test_a_booking_as_a_client_has_no_buffers_of_its_own() -> None:
    # The candidate's buffers still keep it 15 minutes away on the side they guard.
    client = booked("10:00", "11:00", buffer_before=timedelta(0), buffer_after=timedelta(0))
    assert nearest(quarter_hourly(0, 15), client) == ["08:30", "08:45", "11:00", "11:15"]


def test_only_appointments_that_count_fill_the_daily_maximum() -> None:
    rules = make_rules(max_per_day=1)
    other_event_type = booked("13:00", "14:00", counts_toward_daily_maximum=False)
    assert starts(slots_on(rules, Occupancy(appointments=[other_event_type]))) == [
        "09:00",
        "10:00",
        "11:00",
    ]
    this_event_type = booked("13:00", "14:00")
    assert slots_on(rules, Occupancy(appointments=[this_event_type])) == []


def test_explain_sees_an_appointments_own_buffer() -> None:
    occupancy = Occupancy(appointments=[booked("08:00", "09:00", buffer_after=minutes(10))])
    assert explain(make_rules(), occupancy, monday("09:00"), LONG_AGO) == [Reason.BUFFER]
    assert explain(make_rules(), occupancy, monday("10:00"), LONG_AGO) == []


def test_a_reference_does_not_change_what_an_interval_is() -> None:
    assert Interval(monday("10:00"), monday("11:00"), ref=7) == Interval(
        monday("10:00"), monday("11:00"), ref=8
    )
    assert booked("10:00", "11:00", ref="a").ref == "a"
    assert Booked(monday("10:00"), monday("11:00")) != Interval(monday("10:00"), monday("11:00"))


def test_negative_own_buffers_are_refused() -> None:
    with pytest.raises(ValueError, match="buffers"):
        booked("10:00", "11:00", buffer_after=minutes(-5))
