"""Abuse of booking without an account: rate limits by client address and by e-mail address (a
limited request changes nothing and says why), and the honeypot field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache

from appointments.guests.tests.conftest import WED_9
from appointments.guests.tests.test_guest_booking import guest_data, page_url
from appointments.models import Appointment, ManageLink
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def low_limits(settings):
    cache.clear()
    settings.RATE_GUEST_BOOKING_ADDRESS = "3/h"
    settings.RATE_GUEST_BOOKING_EMAIL = "2/h"
    yield
    cache.clear()


def at(hours: int) -> str:
    return f"start:{WED_9 + timedelta(minutes=30 * hours):%Y-%m-%dT%H:%M:%SZ}"


def test_one_email_address_is_limited_and_the_limited_request_changes_nothing(client, questions):
    url = page_url(questions[0].calendar)
    for n in range(2):
        client.post(url, guest_data(questions, slot=at(n)))
    assert Appointment.objects.count() == 2
    before = (OutboundEmail.objects.count(), ManageLink.objects.count())

    response = client.post(url, guest_data(questions, slot=at(3)))

    assert response.status_code == 429
    assert "Too many booking attempts" in response.text
    assert "nothing was booked" in response.text
    assert Appointment.objects.count() == 2
    assert (OutboundEmail.objects.count(), ManageLink.objects.count()) == before


def test_one_client_address_is_limited_whatever_the_email(client, questions):
    url = page_url(questions[0].calendar)
    for n in range(3):
        client.post(url, guest_data(questions, slot=at(n), email=f"g{n}@example.org"))

    response = client.post(
        url, guest_data(questions, slot=at(4), email="new@example.org"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200  # htmx swaps the panel with the message
    assert "Too many booking attempts" in response.text
    assert Appointment.objects.count() == 3


def test_signed_in_bookers_are_not_counted(client, questions, client_user):
    client.force_login(client_user)
    for n in range(4):
        client.post(page_url(questions[0].calendar), guest_data(questions, slot=at(n)))
    # One account cannot hold overlapping times, but each of these is a different time.
    assert Appointment.objects.filter(user=client_user).count() == 4


def test_the_honeypot_refuses_quietly_and_changes_nothing(client, questions):
    response = client.post(
        page_url(questions[0].calendar), guest_data(questions, website="http://spam.example")
    )

    assert response.status_code == 200
    assert "This booking could not be taken." in response.text
    assert not Appointment.objects.exists()
