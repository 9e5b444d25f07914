"""The seed's pages: booking through /appointments/create/, detail, cancel; owner / other / anonymous."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from appointments.booking import services
from appointments.models import Appointment
from conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def book_via_form(client, slot, description="Checkup"):
    return client.post(
        reverse("appointment_create"), {"time_slot": slot.pk, "description": description}
    )


def test_the_plain_form_sends_people_to_the_booking_pages(client, client_user, calendar):
    """Issue 13 item 9: the booking pages offer every computed time, day by day, with or
    without JavaScript; the plain form's one dropdown of published slots did not."""
    client.force_login(client_user)

    listing = client.get(reverse("appointment_create"))
    chosen = client.get(reverse("appointment_create"), {"calendar": calendar.slug})
    unknown = client.get(reverse("appointment_create"), {"calendar": "no-such"})

    assert (listing.status_code, listing["Location"]) == (302, reverse("book_index"))
    assert chosen["Location"] == reverse("book_calendar", args=[calendar.slug])
    assert unknown["Location"] == reverse("book_index")


def test_a_refused_plain_booking_says_why_keeps_the_text_and_links_to_the_page(
    client, client_user, calendar, slot
):
    services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    client.force_login(client_user)

    response = book_via_form(client, slot, description="My knee\nhurts")

    assert "Nothing was booked." in response.text
    assert "My knee<br>hurts" in response.text
    assert f'href="{reverse("book_calendar", args=[calendar.slug])}"' in response.text
    assert Appointment.objects.count() == 1


def test_a_client_books_a_slot_through_the_form(client, client_user, slot):
    client.force_login(client_user)

    response = book_via_form(client, slot)

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointment_detail", args=[appointment.pk])
    assert (appointment.user, appointment.time_slot, appointment.description) == (
        client_user,
        slot,
        "Checkup",
    )


@pytest.mark.parametrize(
    ("case", "expected_text", "expected_status"),
    [
        ("taken", "that time was just taken", 409),
        ("past", "already started or passed", 200),
        ("overlap_own", "You already have an appointment at that time", 200),
        ("own_calendar", "You cannot book your own calendar", 200),
    ],
)
def test_a_refused_booking_says_which_rule_and_changes_nothing(
    client,
    client_user,
    other_user,
    provider,
    make_slot,
    make_user,
    case,
    expected_text,
    expected_status,
    make_calendar,
):
    slot = make_slot(NOW + timedelta(days=1))
    booker = client_user
    if case == "taken":
        services.appointment_book(user=other_user, time_slot=slot, now=NOW)
    elif case == "past":
        slot = make_slot(NOW - timedelta(hours=2))
    elif case == "overlap_own":
        second = make_calendar(make_user("p2"), name="Second", slug="second")
        services.appointment_book(
            user=client_user, time_slot=make_slot(slot.start_time, on=second), now=NOW
        )
    else:
        booker = provider
    before = list(Appointment.objects.values_list("pk", "status", "time_slot_id"))
    client.force_login(booker)

    response = book_via_form(client, slot)

    assert response.status_code == expected_status
    assert expected_text in response.text
    assert list(Appointment.objects.values_list("pk", "status", "time_slot_id")) == before


def test_an_unknown_slot_is_a_form_error_not_a_crash(client, client_user):
    client.force_login(client_user)

    response = client.post(
        reverse("appointment_create"), {"time_slot": "999999", "description": ""}
    )

    assert response.status_code == 200
    assert "not available" in response.text
    assert not Appointment.objects.exists()


def test_cancel_frees_the_slot_for_another_client_and_keeps_history(
    client, client_user, other_user, slot
):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    client.force_login(client_user)

    response = client.post(reverse("appointment_cancel", args=[appointment.pk]))

    assert response.status_code == 302
    client.force_login(other_user)
    assert book_via_form(client, slot).status_code == 302
    assert Appointment.objects.filter(time_slot=slot).count() == 2
    client.force_login(client_user)
    history = client.get(reverse("appointment_list"))
    assert "Cancelled" in history.text


class TestPermissions:
    """Owner (booker), provider, another user and an anonymous visitor on every seed URL."""

    @pytest.fixture
    def appointment(self, client_user, slot):
        return services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    @pytest.mark.parametrize(
        "name",
        ["appointment_list", "appointment_create", "notification_list", "profile", "dashboard"],
    )
    def test_anonymous_visitors_are_sent_to_log_in(self, client, name):
        response = client.get(reverse(name))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_booker_and_the_provider_see_the_appointment(
        self, client, appointment, client_user, provider
    ):
        for user in (client_user, provider):
            client.force_login(user)
            assert (
                client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 200
            )

    def test_another_user_gets_a_404_for_detail_and_cancel(self, client, appointment, other_user):
        client.force_login(other_user)

        assert client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 404
        assert client.post(reverse("appointment_cancel", args=[appointment.pk])).status_code == 404
        appointment.refresh_from_db()
        assert appointment.is_active

    def test_anonymous_cannot_see_or_cancel(self, client, appointment):
        for response in (
            client.get(reverse("appointment_detail", args=[appointment.pk])),
            client.post(reverse("appointment_cancel", args=[appointment.pk])),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        appointment.refresh_from_db()
        assert appointment.is_active

    def test_another_users_notification_is_a_404(
        self, client, appointment, client_user, other_user
    ):
        note = client_user.notifications.first()
        client.force_login(other_user)

        assert client.get(reverse("notification_detail", args=[note.pk])).status_code == 404
        client.force_login(client_user)
        assert client.get(reverse("notification_detail", args=[note.pk])).status_code == 200

    def test_the_list_shows_only_the_users_own_appointments(self, client, appointment, other_user):
        client.force_login(other_user)

        response = client.get(reverse("appointment_list"))

        assert response.status_code == 200
        assert reverse("appointment_detail", args=[appointment.pk]) not in response.text


@pytest.mark.parametrize("viewer", ["booker", "host"])
def test_the_appointment_page_offers_exactly_what_its_viewer_can_do(
    client, client_user, provider, slot, viewer
):
    """Every action the page shows works for that viewer, and a past appointment shows none."""
    import time_machine

    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    client.force_login(client_user if viewer == "booker" else provider)
    detail = reverse("appointment_detail", args=[appointment.pk])
    reschedule = reverse("appointment_reschedule", args=[appointment.pk])

    with time_machine.travel(NOW, tick=False):
        upcoming = client.get(detail).text
        opened = client.get(reschedule)
    with time_machine.travel(slot.start_time + timedelta(minutes=5), tick=False):
        started = client.get(detail).text
        refused = client.post(reverse("appointment_cancel", args=[appointment.pk]), follow=True)

    assert reschedule in upcoming and "Cancel appointment" in upcoming
    assert opened.status_code == 200
    assert reschedule not in started and "Cancel appointment" not in started
    assert "already started" in started
    assert "already started" in refused.text
    appointment.refresh_from_db()
    assert appointment.is_active


def test_a_cancelled_appointment_offers_no_calendar_file(client, client_user, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)
    services.appointment_cancel(appointment=appointment, by_user=client_user, now=NOW)
    client.force_login(client_user)

    page = client.get(reverse("appointment_detail", args=[appointment.pk])).text
    download = client.get(reverse("appointment_ics", args=[appointment.pk]))

    assert reverse("appointment_ics", args=[appointment.pk]) not in page
    assert download.status_code == 404
