"""The cancellation policy: inside its notice the booker cannot cancel or move online (through
the link or their account) and is told whom to contact; hosts always can."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.access import appointment_rights
from appointments.booking import services
from appointments.errors import BookingError
from appointments.guests.services import manage_path
from appointments.guests.tests.conftest import WED_9
from appointments.models import Guest
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
LATE = WED_9 - timedelta(hours=3)  # inside a 24-hour notice


@pytest.fixture
def booked(open_calendar):
    open_calendar.change_notice_minutes = 24 * 60
    open_calendar.save()
    return services.appointment_book(
        guest=Guest(name="Grace", email="grace@example.org"), calendar=open_calendar, start=WED_9
    )


def test_the_policy_is_shown_on_the_booking_page_the_manage_page_and_in_the_email(client, booked):
    policy = "You can cancel or move online up to 1 day before the start."
    assert policy in client.get(reverse("book_calendar", args=[booked.calendar.slug])).text
    assert policy in client.get(manage_path(booked, booked.manage_token)).text
    assert policy in OutboundEmail.objects.get(recipient="grace@example.org").body_text


def test_a_late_change_through_the_link_is_refused_and_says_whom_to_contact(client, booked):
    url = manage_path(booked, booked.manage_token)
    with time_machine.travel(LATE, tick=False):
        page = client.get(url)
        cancel = client.post(url + "cancel/", {"reason": "late"}, follow=True)
        move = client.post(
            url + "reschedule/", {"slot": f"start:{WED_9 + timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"}
        )

    for response in (page, cancel):
        assert "it can no longer be cancelled or moved online" in response.text
        assert "Please contact provider (provider@example.com) instead." in response.text
    assert "Cancel appointment" not in page.text
    assert move.status_code == 200
    booked.refresh_from_db()
    assert booked.is_active and booked.start_time == WED_9


def test_a_late_reschedule_through_the_link_is_refused_names_the_organizer_and_moves_nothing(
    client, booked
):
    OutboundEmail.objects.all().delete()
    url = manage_path(booked, booked.manage_token) + "reschedule/"
    later = WED_9 + timedelta(hours=1)
    with time_machine.travel(LATE, tick=False):
        form = client.get(url + "?day=2026-11-25")
        move = client.post(url, {"slot": f"start:{later:%Y-%m-%dT%H:%M:%SZ}", "day": "2026-11-25"})

    for response in (form, move):
        assert "it can no longer be cancelled or moved online" in response.text
        assert "Please contact provider (provider@example.com) instead." in response.text
    booked.refresh_from_db()
    assert (booked.is_active, booked.start_time, booked.sequence) == (True, WED_9, 0)
    assert booked.calendar.appointments.count() == 1
    assert not OutboundEmail.objects.exists()


def test_before_the_notice_the_booker_may_still_cancel(client, booked):
    with time_machine.travel(WED_9 - timedelta(hours=25), tick=False):
        client.post(manage_path(booked, booked.manage_token) + "cancel/")
    booked.refresh_from_db()
    assert not booked.is_active


def test_a_signed_in_booker_is_held_to_it_too_and_the_host_always_may_cancel(
    open_calendar, client_user, provider
):
    open_calendar.change_notice_minutes = 24 * 60
    open_calendar.save()
    appointment = services.appointment_book(user=client_user, calendar=open_calendar, start=WED_9)
    with time_machine.travel(LATE, tick=False):
        assert not appointment_rights(appointment, client_user, now=LATE).can_cancel
        with pytest.raises(BookingError):
            services.appointment_cancel(appointment=appointment, by_user=client_user, now=LATE)
        services.appointment_cancel(appointment=appointment, by_user=provider, now=LATE)
    appointment.refresh_from_db()
    assert not appointment.is_active


def test_the_owner_sets_the_policy_on_the_booking_form_page(client, provider, open_calendar):
    client.force_login(provider)
    url = reverse("event_type_policy", args=[open_calendar.pk])

    bad = client.post(url, {"change_notice_minutes": "-5"})
    assert bad.status_code == 200
    assert "greater than or equal to 0" in bad.text
    client.post(url, {"change_notice_minutes": "1440"})

    open_calendar.refresh_from_db()
    assert open_calendar.change_notice_minutes == 1440
