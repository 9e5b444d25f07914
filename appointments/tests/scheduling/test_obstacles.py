"""explain_obstacles(): each reason with the occupancy interval behind it, refs intact."""

from __future__ import annotations

from appointments.scheduling import (
    Booked,
    Interval,
    Obstacle,
    Occupancy,
    Reason,
    explain,
    explain_obstacles,
)

from .builders import LONG_AGO, make_rules, minutes, utc


def monday(hhmm: str):
    return utc(f"2026-06-01 {hhmm}")


def span(start: str, end: str, ref: object) -> Interval:
    return Interval(monday(start), monday(end), ref=ref)


LESSON = Booked(monday("09:30"), monday("09:45"), ref="lesson-with-a")
INTRO = Booked(monday("08:00"), monday("08:55"), buffer_after=minutes(10), ref="intro-call")
HOLIDAY = span("09:45", "10:30", "holiday")
GOOGLE = span("09:00", "09:15", "google-busy")


def obstacles_at(hhmm: str, occupancy: Occupancy, **rule_options) -> list[Obstacle]:
    return explain_obstacles(make_rules(**rule_options), occupancy, monday(hhmm), LONG_AGO)


def test_each_obstacle_names_the_interval_that_causes_it_in_explains_order() -> None:
    occupancy = Occupancy(appointments=[INTRO, LESSON], busy=[GOOGLE], time_off=[HOLIDAY])
    found = obstacles_at("09:00", occupancy)
    assert found == [
        Obstacle(Reason.TIME_OFF, HOLIDAY),
        Obstacle(Reason.BOOKED, LESSON),
        Obstacle(Reason.BUSY, GOOGLE),
    ]
    assert [obstacle.cause.ref for obstacle in found if obstacle.cause] == [
        "holiday",
        "lesson-with-a",
        "google-busy",
    ]
    # The intro call's buffer reaches 09:00 too, but an overlapped appointment is the sharper
    # reason, as explain() says.
    assert explain(make_rules(), occupancy, monday("09:00"), LONG_AGO) == [
        Reason.TIME_OFF,
        Reason.BOOKED,
        Reason.BUSY,
    ]


def test_a_buffer_obstacle_names_the_appointment_whose_buffer_reaches() -> None:
    found = obstacles_at("09:00", Occupancy(appointments=[INTRO]))
    assert found == [Obstacle(Reason.BUFFER, INTRO)]
    assert found[0].cause.ref == "intro-call"


def test_every_appointment_in_the_way_is_named() -> None:
    second = Booked(monday("09:50"), monday("10:00"), ref="second")
    assert [o.cause for o in obstacles_at("09:00", Occupancy(appointments=[LESSON, second]))] == [
        LESSON,
        second,
    ]


def test_a_published_slot_in_the_way_is_named() -> None:
    published = span("09:30", "10:00", "slot-17")
    assert obstacles_at("09:00", Occupancy(published=[published])) == [
        Obstacle(Reason.PUBLISHED, published)
    ]


def test_policies_that_no_interval_causes_have_no_cause() -> None:
    found = obstacles_at("13:00", Occupancy(), max_per_day=0)
    assert found == [Obstacle(Reason.OUTSIDE_HOURS), Obstacle(Reason.DAILY_MAXIMUM)]
    assert found[0].message == Reason.OUTSIDE_HOURS.message


def test_a_free_time_has_no_obstacles() -> None:
    assert obstacles_at("11:00", Occupancy(appointments=[LESSON], time_off=[HOLIDAY])) == []
