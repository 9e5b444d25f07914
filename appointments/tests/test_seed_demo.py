"""`make run`'s demo data: a provider with two event types on one schedule, a client, an admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from appointments.models import Calendar, Schedule

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_event_types_sharing_one_schedule_and_runs_twice_unchanged():
    call_command("seed_demo", stdout=StringIO())
    first = list(Calendar.objects.values_list("slug", "schedule_id", "length_minutes"))
    call_command("seed_demo", stdout=StringIO())

    assert list(Calendar.objects.values_list("slug", "schedule_id", "length_minutes")) == first
    assert sorted((slug, length) for slug, _, length in first) == [
        ("dr-demo", 30),
        ("dr-demo-session", 60),
    ]
    schedule = Schedule.objects.get()
    assert {schedule_id for _, schedule_id, _ in first} == {schedule.pk}
    assert (schedule.owner.username, schedule.time_zone, schedule.is_default) == (
        "provider",
        "Europe/London",
        True,
    )
    assert schedule.working_hours.count() == 5
