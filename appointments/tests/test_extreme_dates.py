"""No date gives a 500: the edges (forms, query strings, slot values) accept 1900-2199 only, and
whatever is already stored (a time off from year 1 to 9999) cannot break a page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.models import Appointment, TimeOff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

EXTREMES = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2200-01-01T00:00:00Z"]


@pytest.mark.parametrize("value", EXTREMES)
def test_booking_an_extreme_time_is_a_refusal(client, client_user, calendar, value):
    client.force_login(client_user)

    page = client.post(reverse("book_calendar", args=[calendar.slug]), {"slot": f"start:{value}"})
    plain = client.post(
        reverse("appointment_create"),
        {"calendar": calendar.slug, "start": value.replace("Z", "+00:00")},
    )

    assert page.status_code == 200
    assert "correct the marked fields" in page.text
    assert plain.status_code == 200
    assert "between 1900 and 2199" in plain.text
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("value", EXTREMES)
def test_rescheduling_to_an_extreme_time_is_a_refusal(client, client_user, slot, value):
    appointment = services.appointment_book(user=client_user, time_slot=slot)
    client.force_login(client_user)

    response = client.post(
        reverse("appointment_reschedule", args=[appointment.pk]), {"slot": f"start:{value}"}
    )

    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.start_time == slot.start_time


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2200-01-01", "1899-12-31"])
def test_the_slots_json_refuses_an_extreme_from(client, calendar, value):
    response = client.get(reverse("calendar_slots", args=[calendar.slug]), {"from": value})

    assert response.status_code == 400
    assert "1900 to 2199" in response.json()["error"]


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-01T00:00", "9999-12-31T23:59"), ("2026-12-01T00:00", "9999-12-31T23:59")],
)
def test_time_off_over_all_time_is_refused_by_the_form(client, provider, calendar, start, end):
    client.force_login(provider)

    response = client.post(
        reverse("time_off_add"), {"calendar": calendar.slug, "start": start, "end": end}
    )

    assert response.status_code == 200
    assert "between 1900 and 2199" in response.text
    assert not TimeOff.objects.exists()


def test_a_stored_time_off_over_all_time_leaves_the_booking_pages_working(
    client, client_user, calendar
):
    TimeOff.objects.create(
        schedule=calendar.schedule,
        start_time=datetime(1, 1, 1, tzinfo=UTC),
        end_time=datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    )
    client.force_login(client_user)

    page = client.get(reverse("book_calendar", args=[calendar.slug]))
    slots = client.get(reverse("calendar_slots", args=[calendar.slug]))
    booking = client.post(
        reverse("book_calendar", args=[calendar.slug]), {"slot": "start:2026-11-25T10:00:00Z"}
    )

    assert page.status_code == slots.status_code == booking.status_code == 200
    assert slots.json()["slots"] == []
    assert not Appointment.objects.exists()
