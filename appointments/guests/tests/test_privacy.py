"""Privacy: a host exports a booking's data and erases a past booker's personal data; a person
deletes their own account and their hosts' history stays, anonymised."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from appointments.booking import services
from appointments.guests.services import Answer
from appointments.guests.tests.conftest import WED_9
from appointments.models import Appointment, Guest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def booked(questions):
    appointment = services.appointment_book(
        guest=Guest(name="Grace", email="grace@example.org", phone="+44 20 7946 0958"),
        calendar=questions[0].calendar,
        start=WED_9,
        description="Knee",
        answers=[Answer(questions[0], "Follow-up")],
    )
    return appointment


def test_a_host_exports_the_bookings_data_and_nobody_else_can(client, booked, provider, other_user):
    client.force_login(provider)
    response = client.get(reverse("appointment_export", args=[booked.pk]))

    data = json.loads(response.content)
    assert data["booker"] == {
        "name": "Grace",
        "email": "grace@example.org",
        "phone": "+44 20 7946 0958",
        "time_zone": "",
        "has_account": False,
    }
    assert data["answers"] == [{"question": "Kind of visit", "answer": "Follow-up"}]
    client.force_login(other_user)
    assert client.get(reverse("appointment_export", args=[booked.pk])).status_code == 404


def test_a_host_erases_a_past_bookers_data_and_the_time_stays(client, booked, provider):
    client.force_login(provider)
    url = reverse("appointment_erase", args=[booked.pk])
    early = client.post(url, follow=True)
    assert "Only a past or cancelled booking can be erased" in early.text
    booked.refresh_from_db()
    assert booked.contact_email == "grace@example.org"

    with time_machine.travel(WED_9 + timedelta(hours=1), tick=False):
        client.post(url)

    booked.refresh_from_db()
    assert (booked.contact_name, booked.contact_email, booked.contact_phone) == (
        "Erased booker",
        "",
        "",
    )
    assert booked.description == "" and not booked.answers.exists()
    assert not booked.manage_links.exists()
    assert booked.start_time == WED_9 and booked.host_users == [provider]
    assert not booked.outbound_emails.exclude(sent_at=None).exists()


def test_a_person_deletes_their_account_and_the_hosts_history_is_anonymised(
    client, open_calendar, client_user, provider
):
    past = services.appointment_book(user=client_user, calendar=open_calendar, start=WED_9)
    coming = services.appointment_book(
        user=client_user, calendar=open_calendar, start=WED_9 + timedelta(days=1)
    )
    client.force_login(client_user)

    wrong = client.post(reverse("account_delete"), {"password": "nope"})
    assert "That is not your password" in wrong.text
    with time_machine.travel(WED_9 + timedelta(hours=1), tick=False):
        response = client.post(reverse("account_delete"), {"password": "pw-12345-long"})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="client").exists()
    past.refresh_from_db()
    coming.refresh_from_db()
    assert past.user is None and past.contact_name == "Erased booker" and past.contact_email == ""
    assert coming.status == Appointment.Status.CANCELLED
    assert past.host_users == [provider]
