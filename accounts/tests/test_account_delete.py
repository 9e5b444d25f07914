"""Deleting an account, or anything in the admin, never deletes other people's history: the
person is anonymised, their upcoming appointments cancelled with notices, past ones kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from accounts import services as account_services
from appointments.booking import services
from appointments.models import Appointment, Calendar, TimeSlot
from conftest import NOW
from notifications.models import OutboundEmail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def history(client_user, make_slot):
    past = services.appointment_book(
        user=client_user, time_slot=make_slot(NOW - timedelta(days=1)), now=NOW - timedelta(days=2)
    )
    upcoming = services.appointment_book(
        user=client_user, time_slot=make_slot(NOW + timedelta(days=1)), now=NOW
    )
    return past, upcoming


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    return client


def test_a_cascade_cannot_remove_appointments(history, client_user, provider, calendar):
    for doomed in (client_user, provider, calendar):
        with pytest.raises(ProtectedError):
            doomed.delete()
    assert Appointment.objects.count() == 2


def test_deleting_my_account_cancels_what_is_to_come_and_keeps_the_past(
    client, client_user, provider, history
):
    past, upcoming = history
    client.force_login(client_user)

    page = client.get(reverse("account_delete"))
    response = client.post(reverse("account_delete"), {"password": "pw-12345-long"})

    assert page.status_code == 200 and "cannot be undone" in page.text
    assert response.status_code == 302
    past.refresh_from_db()
    upcoming.refresh_from_db()
    assert past.status == Appointment.Status.CONFIRMED  # history, as it was
    assert upcoming.status == Appointment.Status.CANCELLED
    notices = OutboundEmail.objects.filter(appointment=upcoming, kind="cancelled")
    assert provider.email in set(notices.values_list("recipient", flat=True))
    gone = get_user_model().objects.get(pk=client_user.pk)
    assert (gone.username, gone.email, gone.get_full_name()) == (
        f"deleted-{gone.pk}",
        "",
        "Deleted account",
    )
    assert not gone.is_active and not gone.has_usable_password()
    assert client.get(reverse("profile")).status_code == 302  # signed out
    assert not gone.check_password("pw-12345-long")


def test_a_wrong_password_deletes_nothing(client, client_user, history):
    client.force_login(client_user)

    response = client.post(reverse("account_delete"), {"password": "not-mine"})

    assert response.status_code == 200
    assert "not your password" in response.text
    client_user.refresh_from_db()
    assert client_user.is_active and client_user.username == "client"
    assert Appointment.objects.active().count() == 2


def test_a_provider_who_leaves_has_their_event_types_turned_off(provider, calendar, history):
    _, upcoming = history

    cancelled = account_services.account_delete(user=provider, now=NOW)

    calendar.refresh_from_db()
    assert cancelled == [upcoming]
    assert not calendar.is_active and calendar.archived_at == NOW
    assert OutboundEmail.objects.filter(
        appointment=upcoming, kind="cancelled", recipient="client@example.com"
    ).exists()


def test_the_admin_anonymises_users_instead_of_deleting_them(staff_client, client_user, history):
    delete_page = staff_client.get(reverse("admin:auth_user_delete", args=[client_user.pk]))
    response = staff_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_accounts", "_selected_action": [client_user.pk]},
    )

    assert delete_page.status_code == 403
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.username == f"deleted-{client_user.pk}"
    assert Appointment.objects.count() == 2


def test_the_admin_cancels_appointments_and_never_deletes_them(staff_client, history):
    _, upcoming = history
    changelist = staff_client.get(reverse("admin:appointments_appointment_changelist"))

    delete_page = staff_client.get(
        reverse("admin:appointments_appointment_delete", args=[upcoming.pk])
    )

    assert 'value="delete_selected"' not in changelist.text
    assert 'value="cancel_selected"' in changelist.text
    assert delete_page.status_code == 403


def test_delete_selected_time_slots_keeps_the_booked_ones(staff_client, history, make_slot):
    _, upcoming = history
    free = make_slot(NOW + timedelta(days=3))

    staff_client.post(
        reverse("admin:appointments_timeslot_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [upcoming.time_slot_id, free.pk],
            "post": "yes",
        },
    )

    assert list(TimeSlot.objects.filter(pk__in=[upcoming.time_slot_id, free.pk])) == [
        upcoming.time_slot
    ]
    upcoming.refresh_from_db()
    assert upcoming.time_slot_id is not None


def test_the_admin_cancels_an_event_types_bookings_with_notices_then_archives_it(
    staff_client, calendar, provider, make_calendar, history
):
    past, upcoming = history
    unused = make_calendar(provider, name="Unused", slug="unused")
    url = reverse("admin:appointments_calendar_changelist")
    delete_page = staff_client.get(
        reverse("admin:appointments_calendar_delete", args=[calendar.pk])
    )

    staff_client.post(
        url, {"action": "delete_or_archive_selected", "_selected_action": [calendar.pk, unused.pk]}
    )

    calendar.refresh_from_db()
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert delete_page.status_code == 403
    assert not calendar.is_active and calendar.archived_at == NOW  # kept, for its history
    assert upcoming.status == Appointment.Status.CANCELLED
    assert past.status == Appointment.Status.CONFIRMED
    assert OutboundEmail.objects.filter(
        appointment=upcoming, kind="cancelled", recipient="client@example.com"
    ).exists()
    assert not Calendar.objects.filter(pk=unused.pk).exists()  # no history: deleted


def test_the_admin_cancel_action_cancels_through_the_rules_with_notices(staff_client, history):
    past, upcoming = history

    staff_client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": "cancel_selected", "_selected_action": [past.pk, upcoming.pk]},
    )

    past.refresh_from_db()
    upcoming.refresh_from_db()
    assert upcoming.status == Appointment.Status.CANCELLED
    assert past.status == Appointment.Status.CONFIRMED  # over: the rules refuse, history stays
    assert OutboundEmail.objects.filter(appointment=upcoming, kind="cancelled").exists()
