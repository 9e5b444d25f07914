"""A person confirms their e-mail address with a signed link (opened while signed in, then
confirmed by POST); guest bookings made with a confirmed address show in their list and are
theirs to manage. Another account's link is a 404; an expired or outdated link says why."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts import verification
from appointments.booking import services
from appointments.models import Appointment, Guest
from conftest import NOW
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+(/accounts/email/confirm/[^/\s]+/)")


@pytest.fixture
def guest_booking(provider, make_calendar, frozen_now):
    all_week = {weekday: [(time(0), time(0))] for weekday in range(7)}
    calendar = make_calendar(provider, slug="open", hours=all_week)
    guest = Guest(name="Grace", email="grace@example.org")
    return services.appointment_book(
        guest=guest, calendar=calendar, start=NOW + timedelta(days=1), now=frozen_now
    )


@pytest.fixture
def grace(make_user):
    return make_user("grace", email="Grace@Example.org")


def emailed_link(recipient: str) -> str:
    email = OutboundEmail.objects.filter(recipient__iexact=recipient).latest("pk")
    return LINK.search(email.body_text).group(1)


def test_registering_sends_a_link_that_confirms_the_address(client, frozen_now):
    data = {
        "username": "newbie",
        "email": "newbie@example.org",
        "password1": "pw-12345-long",
        "password2": "pw-12345-long",
    }
    client.post(reverse("register"), data)
    link = emailed_link("newbie@example.org")

    asked = client.get(link)
    assert asked.status_code == 200
    assert "Is newbie@example.org yours?" in asked.text
    user = Appointment._meta.get_field("user").related_model.objects.get(username="newbie")
    assert verification.verified_email(user) == ""  # opening the link changes nothing

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    user.profile.refresh_from_db()
    assert verification.verified_email(user) == "newbie@example.org"


def test_a_guest_booking_shows_in_the_list_once_its_address_is_confirmed(
    client, grace, guest_booking
):
    client.force_login(grace)
    detail = reverse("appointment_detail", args=[guest_booking.pk])
    assert "Consultations" not in client.get(reverse("appointment_list")).text
    assert client.get(detail).status_code == 404

    client.post(reverse("email_verify_send"))
    client.post(emailed_link("Grace@Example.org"))

    assert "Consultations" in client.get(reverse("appointment_list")).text
    page = client.get(detail)
    assert page.status_code == 200
    assert "Cancel" in page.text
    client.post(reverse("appointment_cancel", args=[guest_booking.pk]))
    guest_booking.refresh_from_db()
    assert guest_booking.status == Appointment.Status.CANCELLED


def test_changing_the_address_undoes_the_confirmation(client, grace, guest_booking):
    client.force_login(grace)
    client.post(reverse("email_verify_send"))
    link = emailed_link("Grace@Example.org")
    client.post(link)

    grace.email = "grace@elsewhere.example"
    grace.save()

    assert verification.verified_email(grace) == ""
    assert "Consultations" not in client.get(reverse("appointment_list")).text
    stale = client.get(link)
    assert stale.status_code == 400
    assert "no longer uses" in stale.text


def test_another_accounts_link_is_a_404_and_an_expired_one_says_so(
    client, grace, make_user, frozen_now
):
    client.force_login(grace)
    client.post(reverse("email_verify_send"))
    link = emailed_link("Grace@Example.org")

    client.force_login(make_user("mallory", email="grace@example.org"))
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert client.get("/accounts/email/confirm/not-a-token/").status_code == 404

    client.force_login(grace)
    with time_machine.travel(NOW + timedelta(days=verification.MAX_AGE_DAYS, hours=1)):
        expired = client.post(link)
    assert expired.status_code == 400
    assert "expired" in expired.text
    grace.profile.refresh_from_db()
    assert grace.profile.verified_email == ""


def test_asking_for_links_is_rate_limited(client, grace):
    client.force_login(grace)
    for _ in range(5):
        client.post(reverse("email_verify_send"))

    limited = client.post(reverse("email_verify_send"), follow=True)

    assert "try again in an hour" in limited.text
    assert OutboundEmail.objects.filter(recipient__iexact="grace@example.org").count() == 5
