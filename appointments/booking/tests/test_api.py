from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from appointments.models import WorkingHours

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def hours(calendar):
    WorkingHours.objects.create(
        schedule=calendar.schedule, weekday=2, start_time=time(9), end_time=time(11)
    )
    return calendar


def test_anyone_can_read_a_calendars_free_times_in_their_zone(client, hours):
    url = reverse("calendar_slots", args=[hours.slug])

    response = client.get(url, {"from": "2026-11-25", "days": "1", "tz": "Asia/Kolkata"})

    assert response.status_code == 200
    body = response.json()
    assert body["time_zone"] == "Asia/Kolkata"
    assert [s["local_start"] for s in body["slots"]][:2] == [
        "2026-11-25T14:30:00+05:30",
        "2026-11-25T15:00:00+05:30",
    ]
    assert body["slots"][0]["start"] == "2026-11-25T09:00:00+00:00"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tz": "Mars/Base"}, "Unknown time zone"),
        ({"from": "25/11"}, "YYYY-MM-DD"),
        ({"days": "90"}, "between 1 and 31"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, hours, params, message):
    response = client.get(reverse("calendar_slots", args=[hours.slug]), params)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_an_unknown_or_inactive_calendar_is_a_404(client, hours):
    hours.is_active = False
    hours.save()

    assert client.get(reverse("calendar_slots", args=[hours.slug])).status_code == 404
    assert client.get(reverse("calendar_slots", args=["nope"])).status_code == 404
