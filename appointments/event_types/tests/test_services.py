"""The writes behind offering appointments: each refusal names the rule and changes nothing."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from appointments.event_types import services
from appointments.models import Calendar, Schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_first_event_type_gets_a_default_schedule_from_the_template(client_user):
    calendar = services.first_event_type_create(
        owner=client_user,
        name="Lesson",
        length_minutes=45,
        time_zone="America/New_York",
        weekdays=[1, 3],
        start=time(10),
        end=time(14),
    )

    schedule = calendar.schedule
    assert (schedule.is_default, schedule.time_zone) == (True, "America/New_York")
    assert list(schedule.working_hours.values_list("weekday", "start_time", "end_time")) == [
        (1, time(10), time(14)),
        (3, time(10), time(14)),
    ]
    assert list(calendar.hosts.all()) == [client_user]


def test_an_update_refuses_another_persons_schedule(calendar, other_user, make_calendar):
    foreign = make_calendar(other_user, name="Theirs", slug="theirs").schedule

    with pytest.raises(ValidationError, match="one of your own schedules"):
        services.event_type_update(calendar=calendar, schedule=foreign)

    calendar.refresh_from_db()
    assert calendar.schedule.owner_id == calendar.provider_id


def test_an_update_refuses_fields_that_are_not_settings(calendar):
    with pytest.raises(ValidationError, match="Not an event type setting: slug"):
        services.event_type_update(calendar=calendar, slug="elsewhere")


def test_an_invalid_update_leaves_the_callers_object_as_saved(calendar):
    with pytest.raises(ValidationError):
        services.event_type_update(calendar=calendar, name="New", horizon_days=0)

    assert (calendar.name, calendar.horizon_days) == ("Consultations", 60)


def test_a_duplicate_is_a_separate_event_type_with_the_same_settings(calendar):
    Calendar.objects.filter(pk=calendar.pk).update(max_per_day=3, is_active=False)
    calendar.refresh_from_db()

    copy = services.event_type_duplicate(calendar=calendar)

    assert copy.pk != calendar.pk and copy.slug == "provider-consultations-copy"
    assert (copy.max_per_day, copy.is_active, copy.schedule_id) == (3, False, calendar.schedule_id)


def test_the_default_schedule_moves(provider, calendar):
    other = services.schedule_create(owner=provider, name="Evenings")

    services.schedule_set_default(schedule=other)

    assert list(Schedule.objects.filter(owner=provider, is_default=True)) == [other]


def test_the_default_schedule_cannot_be_deleted_while_there_are_others(provider, calendar):
    spare = services.schedule_create(owner=provider, name="Spare")
    services.schedule_set_default(schedule=spare)

    with pytest.raises(ValidationError, match="your default schedule"):
        services.schedule_delete(schedule=Schedule.objects.get(pk=spare.pk))

    assert Schedule.objects.filter(pk=spare.pk).exists()


def test_a_schedule_kept_for_a_deleted_event_types_history_is_not_deleted(provider, calendar):
    spare = services.schedule_create(owner=provider, name="Spare")
    Calendar.objects.filter(pk=calendar.pk).update(archived_at=calendar.created_at)
    services.schedule_set_default(schedule=spare)

    with pytest.raises(ValidationError, match="kept for their history"):
        services.schedule_delete(schedule=Schedule.objects.get(pk=calendar.schedule_id))


def test_renaming_needs_a_name_and_a_known_zone(provider, calendar):
    schedule = calendar.schedule

    with pytest.raises(ValidationError):
        services.schedule_rename(schedule=schedule, name="  ", time_zone="UTC")
    with pytest.raises(ValidationError):
        services.schedule_rename(schedule=schedule, name="Fine", time_zone="Mars/Base")

    schedule.refresh_from_db()
    assert (schedule.name, schedule.time_zone) == ("Working hours", "Europe/London")
