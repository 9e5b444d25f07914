"""Booking without an account on an event type's public page: the contact record, the answers,
the per-e-mail guarantee, the manage link; signed-in booking pre-fills and keeps working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.middleware import BROWSER_ZONE_COOKIE
from appointments.booking import services
from appointments.errors import BookingError
from appointments.guests.tests.conftest import WED_9
from appointments.models import Appointment, BookingAnswer, Guest, ManageLink, Occupation
from notifications.models import Notification, OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "booking-panel"}


def page_url(calendar) -> str:
    return reverse("book_calendar", args=[calendar.slug])


def guest_data(questions, **extra) -> dict:
    visit, referral = questions
    data = {
        "slot": f"start:{WED_9:%Y-%m-%dT%H:%M:%SZ}",
        "day": "2026-11-25",
        "name": "Grace Guest",
        "email": "Grace@Example.org",
        "phone": "+44 20 7946 0958",
        f"q{visit.pk}": "Follow-up",
        f"q{referral.pk}": "Dr Who",
        "description": "Knee",
        "website": "",
    }
    return {**data, **extra}


def test_an_anonymous_visitor_sees_the_guest_form_with_the_questions(client, questions):
    response = client.get(page_url(questions[0].calendar) + "?day=2026-11-25")

    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert "Kind of visit" in response.text
    assert "Who referred you?" in response.text
    assert "Log in to book" not in response.text


def test_a_guest_books_and_becomes_the_contact_record(client, questions, provider):
    response = client.post(page_url(questions[0].calendar), guest_data(questions))

    appointment = Appointment.objects.get()
    assert appointment.user is None
    assert (appointment.contact_name, appointment.contact_email) == (
        "Grace Guest",
        "grace@example.org",
    )
    assert appointment.contact_phone == "+44 20 7946 0958"
    assert appointment.contact_time_zone == "UTC"  # the browser's zone: no cookie in this client
    assert [(a.label, a.value) for a in appointment.answers.all()] == [
        ("Kind of visit", "Follow-up"),
        ("Who referred you?", "Dr Who"),
    ]
    occupation = Occupation.objects.get(appointment=appointment, is_host=False)
    assert (occupation.person_id, occupation.guest_email) == (None, "grace@example.org")
    # Without JavaScript the guest lands on the booking's private page.
    assert response.status_code == 302
    assert response.url.startswith(f"/booking/{appointment.uid}/")
    assert ManageLink.objects.filter(appointment=appointment).count() >= 1
    # The host hears of it in the app; the guest (no inbox) by e-mail only.
    assert Notification.objects.filter(user=provider).count() == 1
    assert Notification.objects.count() == 1
    to_guest = OutboundEmail.objects.get(recipient="grace@example.org")
    assert "/booking/" in to_guest.body_text
    assert "Follow-up" not in to_guest.body_text  # answers are for the hosts
    to_host = OutboundEmail.objects.get(recipient=provider.email)
    assert "Kind of visit: Follow-up" in to_host.body_text
    assert "+44 20 7946 0958" in to_host.body_text


def test_the_htmx_confirmation_carries_the_manage_link(client, questions):
    response = client.post(page_url(questions[0].calendar), guest_data(questions), **HTMX)

    appointment = Appointment.objects.get()
    assert response.status_code == 200
    assert "View, move or cancel" in response.text
    assert f"/booking/{appointment.uid}/" in response.text
    assert "grace@example.org" in response.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "This field is required"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"phone": "12"}, "7 to 15 digits"),
        ({"q{visit}": ""}, "This field is required"),
        ({"q{visit}": "Surgery"}, "Select a valid choice"),
        ({"website": "http://spam.example"}, "could not be taken"),
    ],
)
def test_bad_details_change_nothing_and_say_what_is_wrong(client, questions, change, message):
    visit = questions[0]
    change = {key.format(visit=visit.pk): value for key, value in change.items()}

    response = client.post(page_url(visit.calendar), guest_data(questions, **change))

    assert response.status_code == 200
    assert message in response.text
    assert not Appointment.objects.exists()
    assert not BookingAnswer.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_optional_question_may_stay_empty(client, questions):
    data = guest_data(questions, **{f"q{questions[1].pk}": ""})

    client.post(page_url(questions[0].calendar), data)

    assert [a.label for a in Appointment.objects.get().answers.all()] == ["Kind of visit"]


def test_one_email_address_cannot_hold_two_overlapping_bookings(
    open_calendar, make_user, make_calendar
):
    other_provider = make_user("second")
    other = make_calendar(other_provider, slug="second", hours={2: [("09:00", "12:00")]})
    guest = Guest(name="Grace", email="grace@example.org")
    services.appointment_book(guest=guest, calendar=open_calendar, start=WED_9)

    same_address = Guest(name="Someone", email="GRACE@example.org")
    with pytest.raises(BookingError) as refusal:
        services.appointment_book(guest=same_address, calendar=other, start=WED_9)

    assert refusal.value.code == "overlap_own"
    assert "This e-mail address already has" in refusal.value.message
    assert Appointment.objects.count() == 1
    # Another address, or the next time, is fine.
    services.appointment_book(
        guest=Guest(name="Ann", email="ann@example.org"), calendar=other, start=WED_9
    )
    services.appointment_book(guest=guest, calendar=other, start=WED_9 + timedelta(minutes=30))


def test_a_signed_in_booker_sees_the_form_pre_filled_and_books_as_themselves(
    client, questions, client_user
):
    client_user.first_name, client_user.last_name = "Ada", "Lovelace"
    client_user.save()
    client.force_login(client_user)
    page = client.get(page_url(questions[0].calendar) + "?day=2026-11-25")
    assert 'value="Ada Lovelace"' in page.text
    assert 'value="client@example.com"' in page.text

    # The account names the booker, whatever the read-only fields were changed to.
    data = guest_data(questions, name="Mallory", email="mallory@example.org")
    response = client.post(page_url(questions[0].calendar), data)

    appointment = Appointment.objects.get()
    assert response.url == reverse("appointment_detail", args=[appointment.pk])
    assert appointment.user == client_user
    assert (appointment.contact_name, appointment.contact_email) == (
        "Ada Lovelace",
        "client@example.com",
    )
    assert Occupation.objects.get(appointment=appointment, is_host=False).person == client_user


def test_hosts_see_the_answers_in_the_week_view_and_on_the_appointment_page_the_booker_not(
    client, questions, provider, client_user, make_user
):
    client.force_login(client_user)
    client.post(page_url(questions[0].calendar), guest_data(questions))
    appointment = Appointment.objects.get()

    own = client.get(reverse("appointment_detail", args=[appointment.pk]))
    assert "Follow-up" not in own.text
    client.force_login(provider)
    week = client.get(reverse("provider_schedule"))
    page = client.get(reverse("appointment_detail", args=[appointment.pk]))
    assert "Kind of visit: Follow-up" in week.text
    assert "Follow-up" in page.text and "Dr Who" in page.text
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    admin = client.get(reverse("admin:appointments_appointment_change", args=[appointment.pk]))
    assert "Follow-up" in admin.text and "Kind of visit" in admin.text


def test_a_guests_name_and_answers_reach_calendar_files_clean(client, questions):
    """Text a guest pastes goes into the host's invitation and feed: what RFC 5545 forbids is
    dropped where it enters (the form, and the services behind the API)."""
    visit, referral = questions
    data = guest_data(questions, name="Grace\x0b Guest\x01", **{f"q{referral.pk}": "Dr\x1b Who"})

    client.post(page_url(visit.calendar), data)

    appointment = Appointment.objects.get()
    assert appointment.contact_name == "Grace Guest"
    assert appointment.answers.get(label="Who referred you?").value == "Dr Who"


def test_a_guest_booking_keeps_the_zone_the_browser_reported(client, questions):
    client.cookies[BROWSER_ZONE_COOKIE] = "America/New_York"

    client.post(page_url(questions[0].calendar), guest_data(questions))

    assert Appointment.objects.get().contact_time_zone == "America/New_York"


def test_a_browser_zone_that_is_not_a_place_falls_back_to_utc(client, questions):
    client.cookies[BROWSER_ZONE_COOKIE] = "Mars/Olympus_Mons"

    client.post(page_url(questions[0].calendar), guest_data(questions))

    assert Appointment.objects.get().contact_time_zone == "UTC"
