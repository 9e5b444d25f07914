"""The pages of host confirmation: the booker's confirmation and manage pages, the host's
appointment page and week view, and the accept and decline pages (hosts only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appointments.booking.tests.test_views import HTMX, WED_9
from appointments.guests.services import manage_path
from appointments.models import Appointment
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

GUEST = {
    "slot": f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}",
    "day": "2026-11-25",
    "name": "Grace Guest",
    "email": "grace@example.org",
    "website": "",
}


def status_of(appointment) -> str:
    appointment.refresh_from_db()
    return appointment.status


def test_a_guest_who_requests_a_time_is_told_it_waits_for_the_host(client, confirming):
    page = reverse("book_calendar", args=[confirming.slug])

    response = client.post(page, GUEST, follow=True)

    request = Appointment.objects.get()
    assert request.status == Appointment.Status.REQUESTED
    assert "Requested, waiting for the host" in response.text
    assert "Add to calendar (.ics)" not in response.text
    assert "Move to another time" not in response.text


def test_the_htmx_confirmation_of_a_request_says_it_waits_for_the_host(client, confirming):
    page = reverse("book_calendar", args=[confirming.slug])

    response = client.post(page, GUEST, **HTMX)

    assert "Requested, waiting for the host" in response.text
    assert "The time is held for you" in response.text


def test_a_requests_calendar_file_waits_for_the_answer(client, requested):
    response = client.get(manage_path(requested, requested.manage_token) + "ics/")

    assert response.status_code == 404


def test_the_host_sees_accept_and_decline_on_the_appointment_page_and_a_marker_in_the_week(
    client, requested, provider
):
    client.force_login(provider)

    detail = client.get(reverse("appointment_detail", args=[requested.pk])).text
    week = client.get(reverse("provider_schedule"), {"week": "2026-W48"}).text

    assert reverse("appointment_accept", args=[requested.pk]) in detail
    assert reverse("appointment_decline", args=[requested.pk]) in detail
    assert "status-requested" in week and "Answer the request" in week


def test_the_accept_page_asks_first_and_the_post_accepts(client, requested, provider):
    client.force_login(provider)
    url = reverse("appointment_accept", args=[requested.pk])

    asked = client.get(url)
    assert asked.status_code == 200 and "Yes, accept it" in asked.text
    assert status_of(requested) == Appointment.Status.REQUESTED

    response = client.post(url, follow=True)

    assert status_of(requested) == Appointment.Status.CONFIRMED
    assert "Accepted: the booking is confirmed" in response.text
    assert OutboundEmail.objects.filter(recipient="grace@example.org", kind="booked").exists()


def test_the_decline_page_sends_the_reason_to_the_booker(client, requested, provider):
    client.force_login(provider)
    url = reverse("appointment_decline", args=[requested.pk])
    assert "Yes, decline it" in client.get(url).text

    response = client.post(url, {"reason": "Fully booked that week."}, follow=True)

    assert status_of(requested) == Appointment.Status.DECLINED
    assert "Declined: the time is free again" in response.text
    told = OutboundEmail.objects.get(recipient="grace@example.org", kind="declined")
    assert "Fully booked that week." in told.body_text
    manage = client.get(manage_path(requested, requested.manage_token)).text
    assert "This booking request was declined." in manage and "Fully booked that week." in manage


def test_answering_an_answered_request_says_why_and_changes_nothing(client, requested, provider):
    client.force_login(provider)
    client.post(reverse("appointment_accept", args=[requested.pk]))

    response = client.post(reverse("appointment_decline", args=[requested.pk]), follow=True)

    assert "not waiting for an answer: it is confirmed" in response.text
    assert status_of(requested) == Appointment.Status.CONFIRMED


@pytest.mark.parametrize("name", ["appointment_accept", "appointment_decline"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_host_gets_a_404_and_changes_nothing(
    client, confirming, client_user, other_user, name, method
):
    from appointments.booking import services

    request = services.appointment_book(user=client_user, calendar=confirming, start=WED_9)
    for someone in (client_user, other_user):  # its booker, and another user
        client.force_login(someone)
        response = getattr(client, method)(reverse(name, args=[request.pk]))
        assert response.status_code == 404
    assert status_of(request) == Appointment.Status.REQUESTED


@pytest.mark.parametrize("name", ["appointment_accept", "appointment_decline"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, requested, name):
    response = client.post(reverse(name, args=[requested.pk]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert status_of(requested) == Appointment.Status.REQUESTED


def test_the_owner_turns_on_host_confirmation_on_the_booking_form_page(
    client, provider, open_calendar
):
    client.force_login(provider)

    client.post(
        reverse("event_type_policy", args=[open_calendar.pk]),
        {"change_notice_minutes": "0", "requires_confirmation": "on", "confirmation_hours": "12"},
    )

    open_calendar.refresh_from_db()
    assert open_calendar.requires_confirmation and open_calendar.confirmation_hours == 12


def test_a_signed_in_booker_sees_the_request_waiting_on_their_appointment_page(
    client, confirming, client_user
):
    client.force_login(client_user)
    client.post(reverse("book_calendar", args=[confirming.slug]), {**GUEST}, follow=True)
    request = Appointment.objects.get()

    page = client.get(reverse("appointment_detail", args=[request.pk])).text

    assert "Requested, waiting for the host" in page
    assert reverse("appointment_accept", args=[request.pk]) not in page


def test_the_reschedule_page_of_a_request_says_it_cannot_be_moved(client, requested):
    response = client.get(manage_path(requested, requested.manage_token) + "reschedule/")

    assert response.status_code == 200
    assert "waiting for the host's answer and cannot be moved" in response.text
