"""Canonical zone names only (not `localtime`, `Factory` or old aliases), for calendars and
profiles; a publish is capped and written in batches instead of one long write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.validators import time_zone_names
from appointments.event_types.services import schedule_create
from appointments.models import Schedule, TimeSlot
from appointments.provider.services import MAX_SLOTS_PER_PUBLISH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

NOT_PLACES = ["localtime", "Factory", "US/Eastern", "Etc/GMT+5", "posixrules"]


@pytest.mark.parametrize("zone", NOT_PLACES)
def test_a_schedule_refuses_a_zone_that_is_not_a_place(provider, calendar, zone):
    with pytest.raises(ValidationError):
        schedule_create(owner=provider, name="Elsewhere", time_zone=zone)
    calendar.schedule.time_zone = zone
    with pytest.raises(ValidationError):
        calendar.schedule.full_clean()

    assert Schedule.objects.get().time_zone == "Europe/London"


@pytest.mark.parametrize("zone", NOT_PLACES)
def test_a_profile_refuses_a_zone_that_is_not_a_place(client, client_user, zone):
    client.force_login(client_user)

    client.post(
        reverse("profile"),
        {"user-email": "client@example.com", "profile-time_zone": zone, "profile-phone_number": ""},
    )

    client_user.profile.refresh_from_db()
    assert client_user.profile.time_zone != zone
    assert zone not in time_zone_names()


def test_places_and_utc_are_offered():
    assert {"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"} <= time_zone_names()


def publish(client, calendar, **changes):
    data = {
        "calendar": calendar.slug,
        "first_date": "2026-11-25",
        "last_date": "2027-02-24",
        "weekdays": [str(day) for day in range(7)],
        "from_time": "00:00",
        "until_time": "23:55",
        "every_minutes": "5",
        "length_minutes": "5",
        **changes,
    }
    return client.post(reverse("publish_slots"), data)


def test_publishing_92_days_of_5_minute_slots_is_refused_and_writes_nothing(
    client, provider, calendar
):
    client.force_login(provider)

    response = publish(client, calendar)

    assert f"at most {MAX_SLOTS_PER_PUBLISH:,} at a time" in response.text
    assert not TimeSlot.objects.exists()


def test_a_large_publish_is_checked_in_one_query_and_written_in_batches(client, provider, calendar):
    client.force_login(provider)

    with CaptureQueriesContext(connection) as queries:
        publish(client, calendar, last_date="2026-12-04", from_time="09:00", until_time="21:30")

    count = TimeSlot.objects.count()
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    overlap_checks = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "appointments_timeslot" in q["sql"]
    ]
    assert 1000 < count <= MAX_SLOTS_PER_PUBLISH
    # Batches of at most 500 rows (fewer on SQLite, whose statements take at most 999 values).
    assert -(-count // 500) <= len(inserts) < count / 100
    assert len(overlap_checks) < 10  # not one per slot
