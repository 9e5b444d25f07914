"""The availability editor's services: each refusal names the rule and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from appointments.models import DateOverride, TimeOff, WorkingHours
from appointments.provider import services as editor

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def hours_of(calendar) -> list[tuple[int, time, time]]:
    return list(calendar.schedule.working_hours.values_list("weekday", "start_time", "end_time"))


def test_working_hours_replace_the_week_with_split_shifts(calendar):
    WorkingHours.objects.create(
        schedule=calendar.schedule, weekday=6, start_time=time(8), end_time=time(9)
    )

    editor.working_hours_set(
        schedule=calendar.schedule, intervals={0: [(time(13), time(17)), (time(9), time(12))]}
    )

    assert hours_of(calendar) == [(0, time(9), time(12)), (0, time(13), time(17))]


@pytest.mark.parametrize(
    ("intervals", "message"),
    [
        ({0: [(time(9), time(9))]}, "must not start and end at the same time"),
        ({0: [(time(9), time(12)), (time(11), time(13))]}, "09:00–12:00 overlaps 11:00–13:00"),
        (
            {0: [(time(22), time(2))], 1: [(time(1), time(5))]},
            "22:00–02:00 overlaps 01:00–05:00 on Tuesday",
        ),
        ({6: [(time(23), time(1))], 0: [(time(0), time(4))]}, "overlaps"),
    ],
)
def test_bad_working_hours_are_refused_and_nothing_changes(calendar, intervals, message):
    WorkingHours.objects.create(
        schedule=calendar.schedule, weekday=2, start_time=time(8), end_time=time(9)
    )

    with pytest.raises(ValidationError) as refusal:
        editor.working_hours_set(schedule=calendar.schedule, intervals=intervals)

    assert message in " ".join(refusal.value.messages)
    assert hours_of(calendar) == [(2, time(8), time(9))]


def test_back_to_back_intervals_are_fine(calendar):
    editor.working_hours_set(
        schedule=calendar.schedule, intervals={0: [(time(9), time(12)), (time(12), time(14))]}
    )

    assert len(hours_of(calendar)) == 2


def test_a_date_override_adds_other_hours_or_closes_the_date(calendar):
    editor.date_override_add(
        schedule=calendar.schedule, day=date(2026, 12, 1), start=time(10), end=time(12), today=TODAY
    )
    editor.date_override_add(
        schedule=calendar.schedule, day=date(2026, 12, 2), start=None, end=None, today=TODAY
    )

    assert [(o.date, o.is_closed) for o in calendar.schedule.date_overrides.all()] == [
        (date(2026, 12, 1), False),
        (date(2026, 12, 2), True),
    ]


@pytest.mark.parametrize(
    ("day", "start", "end", "message"),
    [
        (date(2026, 11, 23), None, None, "That date has passed"),
        (date(2026, 12, 1), time(10), None, "Give both a start and an end"),
        (date(2026, 12, 1), time(10), time(10), "The end must differ from the start"),
        (date(2026, 12, 3), time(9), time(10), "already has an override"),
        (date(2026, 12, 4), time(11), time(13), "Overlaps the hours 10:00–12:00"),
    ],
)
def test_bad_date_overrides_are_refused(calendar, day, start, end, message):
    DateOverride.objects.create(schedule=calendar.schedule, date=date(2026, 12, 3))
    DateOverride.objects.create(
        schedule=calendar.schedule, date=date(2026, 12, 4), start_time=time(10), end_time=time(12)
    )

    with pytest.raises(ValidationError) as refusal:
        editor.date_override_add(
            schedule=calendar.schedule, day=day, start=start, end=end, today=TODAY
        )

    assert message in " ".join(refusal.value.messages)
    assert DateOverride.objects.count() == 2


def test_time_off_must_end_after_it_starts(calendar):
    start = datetime(2026, 12, 24, tzinfo=UTC)

    with pytest.raises(ValidationError, match="must end after it starts"):
        editor.time_off_add(schedule=calendar.schedule, start=start, end=start)
    editor.time_off_add(
        schedule=calendar.schedule, start=start, end=start.replace(day=27), reason="Xmas"
    )

    assert TimeOff.objects.get().reason == "Xmas"


def test_removing_only_touches_the_schedules_own_rows(calendar, provider, make_calendar):
    other = make_calendar(provider, name="Other", slug="other")
    foreign = DateOverride.objects.create(schedule=other.schedule, date=date(2026, 12, 1))

    with pytest.raises(ValidationError):
        editor.date_override_remove(schedule=calendar.schedule, override_id=foreign.pk)

    assert DateOverride.objects.filter(pk=foreign.pk).exists()


def test_settings_are_validated_by_the_model(calendar):
    with pytest.raises(ValidationError):
        editor.calendar_settings_update(calendar=calendar, length_minutes=2)
    with pytest.raises(ValidationError, match="Not a calendar setting: time_zone"):
        editor.calendar_settings_update(calendar=calendar, time_zone="Europe/Paris")
    editor.calendar_settings_update(calendar=calendar, length_minutes=45, buffer_after_minutes=10)

    calendar.refresh_from_db()
    assert (calendar.length_minutes, calendar.buffer_after_minutes) == (45, 10)
