"""The core is total: any aware input gives an answer, never an exception. Year 1 and year 9999
with any offset, windows running backwards, huge horizons and steps, time off over all time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from appointments.scheduling import (
    Interval,
    Occupancy,
    Rules,
    WallInterval,
    available_slots,
    explain,
    group_by_local_date,
    local_dates,
)
from appointments.scheduling.intervals import shift, to_utc
from appointments.scheduling.slots import grid_point_at_or_after

OFFSETS = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=14)),
        timezone(-timedelta(hours=12)),
        timezone(timedelta(hours=23, minutes=59)),
    ]
)
INSTANTS = st.one_of(
    st.datetimes(timezones=OFFSETS),
    st.sampled_from(
        [
            datetime.min.replace(tzinfo=timezone(timedelta(hours=14))),
            datetime.max.replace(tzinfo=timezone(-timedelta(hours=12))),
            datetime.max.replace(tzinfo=UTC),
            datetime.min.replace(tzinfo=UTC),
        ]
    ),
)
ZONES = st.sampled_from(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"])
DURATIONS = st.sampled_from(
    [timedelta(minutes=5), timedelta(hours=24), timedelta(days=730), timedelta(days=999_999_999)]
)


def rules(zone: str, length: timedelta, step: timedelta, horizon: timedelta) -> Rules:
    every_day = {
        day: (WallInterval(time(22), time(2)), WallInterval(time(0), time(0))) for day in range(7)
    }
    return Rules(
        time_zone=zone,
        weekly=every_day,
        overrides={},
        length=length,
        step=step,
        buffer_before=length,
        buffer_after=length,
        minimum_notice=horizon,
        horizon=horizon,
        max_per_day=3,
    )


@settings(max_examples=150, deadline=None)
@given(
    zone=ZONES,
    length=DURATIONS,
    step=DURATIONS,
    horizon=DURATIONS,
    start=INSTANTS,
    end=INSTANTS,
    now=INSTANTS,
    busy=st.lists(st.tuples(INSTANTS, INSTANTS), max_size=3),
)
def test_available_slots_and_explain_answer_for_any_aware_input(
    zone, length, step, horizon, start, end, now, busy
):
    the_rules = rules(zone, length, step, horizon)
    spans = [Interval(min(a, b), max(a, b)) for a, b in busy]
    occupancy = Occupancy(appointments=spans, busy=spans, time_off=spans, published=spans)

    # The work is bounded by the window (the edges allow at most 31 days); keep it short.
    window_end = min(to_utc(end), shift(to_utc(start), timedelta(days=3)))
    slots = available_slots(the_rules, occupancy, start, window_end, now)
    reasons = explain(the_rules, occupancy, start, now)

    assert isinstance(slots, list) and isinstance(reasons, list)
    assert isinstance(group_by_local_date(slots, zone), dict)
    assert isinstance(local_dates(start, window_end, zone), list)


def test_time_off_over_all_time_leaves_nothing_and_raises_nothing():
    all_time = Interval(datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    now = datetime(2026, 11, 24, tzinfo=UTC)
    the_rules = rules(
        "Europe/London", timedelta(minutes=30), timedelta(minutes=30), timedelta(days=60)
    )

    slots = available_slots(
        the_rules, Occupancy(time_off=[all_time]), now, now + timedelta(days=7), now
    )

    assert slots == []
    assert explain(the_rules, Occupancy(time_off=[all_time]), now + timedelta(days=2), now)


def test_the_grid_point_after_the_end_of_time_is_past_every_search():
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)

    assert grid_point_at_or_after(origin, timedelta(days=365 * 3000), late) == datetime.max.replace(
        tzinfo=UTC
    )
