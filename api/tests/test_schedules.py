"""Schedules through the API: the owner reads them and changes hours, overrides and time off;
another token gets a 404, no token a 401; a refused change changes nothing."""

from __future__ import annotations

from datetime import time

import pytest

from appointments.models import DateOverride, TimeOff, WorkingHours
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
WEEKDAYS = {day: [(time(9), time(17))] for day in range(5)}


@pytest.fixture
def schedule(provider, make_calendar):
    return make_calendar(
        provider, slug="hours", hours=WEEKDAYS, time_zone="America/New_York"
    ).schedule


def test_the_owner_reads_their_schedules(api_as, provider, schedule):
    listed = api_as(provider).get("/schedules").json()
    read = api_as(provider).get(f"/schedules/{schedule.pk}").json()

    assert schedule.pk in [item["id"] for item in listed]
    assert read["time_zone"] == "America/New_York"
    assert read["hours"][0] == {"weekday": 0, "start": "09:00", "end": "17:00"}
    assert len(read["hours"]) == 5


def test_another_token_gets_a_404_and_no_token_a_401(api_as, anonymous_api, other_user, schedule):
    path = f"/schedules/{schedule.pk}"
    assert api_as(other_user).get(path).status_code == 404
    assert api_as(other_user).put(f"{path}/hours", {"hours": []}).status_code == 404
    assert anonymous_api.get(path).status_code == 401
    assert anonymous_api.put(f"{path}/hours", {"hours": []}).status_code == 401
    assert schedule.pk not in [item["id"] for item in api_as(other_user).get("/schedules").json()]
    assert WorkingHours.objects.filter(schedule=schedule).count() == 5


def test_the_owner_replaces_the_weekly_hours_and_the_slots_follow(
    api_as, anonymous_api, provider, schedule
):
    hours = [
        {"weekday": 2, "start": "08:00", "end": "12:00"},
        {"weekday": 2, "start": "13:00", "end": "15:00"},
    ]

    response = api_as(provider).put(f"/schedules/{schedule.pk}/hours", {"hours": hours})

    assert response.status_code == 200, response.json()
    assert [(h["weekday"], h["start"]) for h in response.json()["hours"]] == [
        (2, "08:00"),
        (2, "13:00"),
    ]
    event_type = schedule.event_types.get()
    slots = anonymous_api.get(
        f"/event-types/{event_type.pk}/slots", {"start": "2026-11-25", "end": "2026-11-25"}
    ).json()["days"][0]["slots"]
    assert slots[0]["start"] == "2026-11-25T08:00:00-05:00"


def test_overlapping_hours_are_refused_and_change_nothing(api_as, provider, schedule):
    hours = [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "11:00", "end": "13:00"},
    ]

    response = api_as(provider).put(f"/schedules/{schedule.pk}/hours", {"hours": hours})

    assert response.status_code == 422
    assert "overlaps" in response.json()["detail"]
    assert WorkingHours.objects.filter(schedule=schedule).count() == 5


def test_overrides_are_added_and_removed(api_as, provider, other_user, schedule):
    api = api_as(provider)

    closed = api.post(f"/schedules/{schedule.pk}/overrides", {"date": "2026-11-26"})
    other = api.post(
        f"/schedules/{schedule.pk}/overrides",
        {"date": "2026-11-27", "start": "10:00", "end": "12:00"},
    )

    assert closed.status_code == other.status_code == 201
    overrides = other.json()["overrides"]
    assert [(o["date"], o["closed"]) for o in overrides] == [
        ("2026-11-26", True),
        ("2026-11-27", False),
    ]
    first = overrides[0]["id"]
    assert (
        api_as(other_user).delete(f"/schedules/{schedule.pk}/overrides/{first}").status_code == 404
    )
    assert api.delete(f"/schedules/{schedule.pk}/overrides/{first}").status_code == 204
    assert DateOverride.objects.filter(schedule=schedule).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2026-11-01"},  # passed
        {"date": "2026-11-26", "start": "10:00"},  # no end
        {"date": "9999-12-31"},  # out of range
    ],
)
def test_a_bad_override_is_refused(api_as, provider, schedule, body):
    response = api_as(provider).post(f"/schedules/{schedule.pk}/overrides", body)

    assert response.status_code == 422
    assert not DateOverride.objects.exists()


def test_time_off_is_added_and_removed(api_as, provider, schedule):
    api = api_as(provider)

    response = api.post(
        f"/schedules/{schedule.pk}/time-off",
        {
            "start": "2026-12-21T00:00:00-05:00",
            "end": "2027-01-04T00:00:00-05:00",
            "reason": "Holiday",
        },
    )

    assert response.status_code == 201, response.json()
    (shown,) = response.json()["time_off"]
    assert (shown["start"], shown["reason"]) == ("2026-12-21T05:00:00Z", "Holiday")
    assert api.delete(f"/schedules/{schedule.pk}/time-off/{shown['id']}").status_code == 204
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"start": "2026-12-22T00:00:00Z", "end": "2026-12-21T00:00:00Z"},  # ends first
        {"start": "2026-12-21T00:00:00", "end": "2026-12-22T00:00:00Z"},  # no offset
        {"start": "2026-12-21T00:00:00Z", "end": "9999-12-31T23:00:00-05:00"},
    ],
)
def test_bad_time_off_is_refused(api_as, provider, schedule, body):
    response = api_as(provider).post(f"/schedules/{schedule.pk}/time-off", body)

    assert response.status_code == 422
    assert not TimeOff.objects.exists()


def test_the_read_is_bounded_to_what_is_still_ahead(api_as, provider, schedule):
    DateOverride.objects.create(schedule=schedule, date=NOW.date().replace(year=2020))
    TimeOff.objects.create(
        schedule=schedule, start_time=NOW.replace(year=2020), end_time=NOW.replace(year=2021)
    )

    read = api_as(provider).get(f"/schedules/{schedule.pk}").json()

    assert read["overrides"] == [] and read["time_off"] == []
