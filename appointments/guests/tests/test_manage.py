"""A booking's private manage link: view, move, cancel with a reason; 404 for a wrong, revoked
or mismatched token; nothing changes once the appointment has started."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.booking import services
from appointments.guests.services import manage_link_issue, manage_links_revoke, manage_path
from appointments.guests.tests.conftest import WED_9
from appointments.models import Appointment, Guest
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
GRACE = Guest(name="Grace Guest", email="grace@example.org", zone="Europe/London")


@pytest.fixture
def booked(open_calendar):
    return services.appointment_book(guest=GRACE, calendar=open_calendar, start=WED_9)


def test_the_link_shows_the_booking(client, booked):
    response = client.get(manage_path(booked, booked.manage_token))

    assert response.status_code == 200
    assert "Grace Guest" in response.text
    assert "Cancel appointment" in response.text
    assert "Move to another time" in response.text


def test_only_the_hash_of_the_token_is_stored(booked):
    link = booked.manage_links.get()
    assert booked.manage_token not in link.token_hash
    assert len(link.token_hash) == 64


@pytest.mark.parametrize("suffix", ["", "cancel/", "reschedule/", "ics/"])
def test_a_wrong_revoked_or_another_bookings_token_is_a_404(client, booked, open_calendar, suffix):
    other = services.appointment_book(
        guest=Guest(name="Ann", email="ann@example.org"),
        calendar=open_calendar,
        start=WED_9 + timedelta(hours=1),
    )
    wrong = reverse("booking_manage", args=[booked.uid, "x" * 43])
    crossed = reverse("booking_manage", args=[booked.uid, other.manage_token])
    method = client.post if suffix == "cancel/" else client.get
    assert method(wrong + suffix).status_code == 404
    assert method(crossed + suffix).status_code == 404

    manage_links_revoke(booked)
    assert method(manage_path(booked, booked.manage_token) + suffix).status_code == 404
    booked.refresh_from_db()
    assert booked.is_active


def test_cancelling_through_the_link_keeps_the_reason_for_the_host(client, booked, provider):
    OutboundEmail.objects.all().delete()
    url = manage_path(booked, booked.manage_token)

    response = client.post(url + "cancel/", {"reason": "I feel better."})

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED
    assert booked.cancel_reason == "I feel better."
    assert not booked.occupations.exists()
    to_host = OutboundEmail.objects.get(recipient=provider.email)
    assert "Reason given: I feel better." in to_host.body_text
    assert "Grace Guest" in to_host.body_text
    to_guest = OutboundEmail.objects.get(recipient="grace@example.org")
    assert to_guest.ics_method == "CANCEL"
    assert "I feel better" not in to_guest.body_text
    # The link still shows what happened.
    assert "cancelled" in client.get(url).text


def test_a_too_long_reason_changes_nothing(client, booked):
    url = manage_path(booked, booked.manage_token)

    response = client.post(url + "cancel/", {"reason": "x" * 501}, follow=True)

    assert "at most 500 characters" in response.text
    booked.refresh_from_db()
    assert booked.is_active


def test_moving_through_the_link_sends_the_update(client, booked, provider):
    OutboundEmail.objects.all().delete()
    url = manage_path(booked, booked.manage_token) + "reschedule/"
    new_start = WED_9 + timedelta(hours=2)
    assert client.get(url + "?day=2026-11-25").status_code == 200

    response = client.post(
        url, {"slot": f"start:{new_start:%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-25"}
    )

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.start_time == new_start
    assert booked.sequence == 1
    to_guest = OutboundEmail.objects.get(recipient="grace@example.org")
    assert to_guest.kind == OutboundEmail.Kind.RESCHEDULED
    assert to_guest.ics_method == "REQUEST"
    assert OutboundEmail.objects.filter(recipient=provider.email).exists()
    # Every e-mail brings a link of its own; the first one keeps working.
    assert client.get(manage_path(booked, booked.manage_token)).status_code == 200


def test_nothing_changes_through_the_link_once_the_appointment_has_started(client, booked):
    token = booked.manage_token
    with time_machine.travel(WED_9 + timedelta(minutes=5), tick=False):
        page = client.get(manage_path(booked, token))
        cancel = client.post(manage_path(booked, token) + "cancel/", follow=True)
        move = client.post(
            manage_path(booked, token) + "reschedule/",
            {"slot": f"start:{WED_9 + timedelta(days=1):%Y-%m-%dT%H:%M:%SZ}"},
        )

    assert "already started" in page.text
    assert "Cancel appointment" not in page.text
    assert "already started" in cancel.text
    assert "already started" in move.text or move.status_code == 200
    booked.refresh_from_db()
    assert booked.is_active and booked.start_time == WED_9


def test_a_signed_in_bookers_email_carries_a_link_too(open_calendar, client_user, client):
    appointment = services.appointment_book(user=client_user, calendar=open_calendar, start=WED_9)
    email = OutboundEmail.objects.get(recipient=client_user.email)
    assert f"/booking/{appointment.uid}/" in email.body_text
    token = manage_link_issue(appointment)
    assert client.get(manage_path(appointment, token)).status_code == 200
