"""Changes made in the admin go through the same rules as the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.models import Appointment, TimeSlot
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def admin_client_logged(client, make_user):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def form_datetime(prefix: str, instant) -> dict:
    return {
        f"{prefix}_0": instant.strftime("%Y-%m-%d"),
        f"{prefix}_1": instant.strftime("%H:%M:%S"),
    }


def test_the_admin_refuses_an_appointment_on_a_taken_slot(
    admin_client_logged, client_user, other_user, slot
):
    services.appointment_book(user=other_user, time_slot=slot, now=NOW)

    response = admin_client_logged.post(
        reverse("admin:appointments_appointment_add"),
        {"user": client_user.pk, "time_slot": slot.pk, "description": ""},
    )

    assert response.status_code == 200
    assert "just taken" in response.text
    assert Appointment.objects.count() == 1


def test_the_admin_books_through_the_service(admin_client_logged, client_user, slot):
    response = admin_client_logged.post(
        reverse("admin:appointments_appointment_add"),
        {"user": client_user.pk, "time_slot": slot.pk, "description": " by phone "},
    )

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.description == "by phone"
    assert appointment.reminders.exists()


def test_the_admin_refuses_an_overlapping_time_slot(admin_client_logged, calendar, slot):
    start = slot.start_time + timedelta(minutes=10)

    response = admin_client_logged.post(
        reverse("admin:appointments_timeslot_add"),
        {
            "calendar": calendar.pk,
            **form_datetime("start_time", start),
            **form_datetime("end_time", start + timedelta(minutes=30)),
        },
    )

    assert response.status_code == 200
    assert "overlaps the existing slot" in response.text
    assert TimeSlot.objects.count() == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:appointments_calendar_changelist",
        "admin:appointments_timeslot_changelist",
        "admin:appointments_appointment_changelist",
        "admin:notifications_notification_changelist",
        "admin:notifications_reminder_changelist",
        "admin:accounts_profile_changelist",
    ],
)
def test_every_model_has_a_searchable_admin_list(admin_client_logged, client_user, slot, url_name):
    services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    response = admin_client_logged.get(reverse(url_name) + "?q=client")

    assert response.status_code == 200


def test_the_schedule_admin_edits_hours_overrides_and_time_off_inline(
    admin_client_logged, calendar
):
    response = admin_client_logged.get(
        reverse("admin:appointments_schedule_change", args=[calendar.schedule.pk])
    )
    event_type = admin_client_logged.get(
        reverse("admin:appointments_calendar_change", args=[calendar.pk])
    )

    assert response.status_code == 200
    for inline in ("working_hours", "date_overrides", "time_off"):
        assert f'id="{inline}-group"' in response.text
    assert 'id="host_rows-group"' in event_type.text


def test_the_admin_explains_why_a_time_is_not_available(admin_client_logged, calendar):
    from datetime import time

    from appointments.models import WorkingHours

    WorkingHours.objects.create(
        schedule=calendar.schedule, weekday=2, start_time=time(9), end_time=time(17)
    )
    url = reverse("admin:appointments_calendar_explain", args=[calendar.pk])

    closed = admin_client_logged.get(url, {"when": "2026-11-25T07:00"})
    open_ = admin_client_logged.get(url, {"when": "2026-11-25T10:00"})

    assert 'data-reason="outside_hours"' in closed.text
    assert "Outside working hours" in closed.text
    assert 'data-reason="available"' in open_.text
    change = admin_client_logged.get(
        reverse("admin:appointments_calendar_change", args=[calendar.pk])
    )
    assert url in change.text
