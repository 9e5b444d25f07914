"""Reminders: scheduled from the calendar's offsets at booking, delivered once when due, to the
booker and (if the calendar says so) the provider, never for cancelled appointments."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from appointments.booking import services
from conftest import NOW
from notifications.models import Notification, OutboundEmail, Reminder
from notifications.services import deliver_due
from notifications.tests.test_emails import reschedule

pytestmark = pytest.mark.django_db
START = NOW + timedelta(days=2)  # Thursday 26 November 2026, 09:00 UTC


@pytest.fixture
def appointment(client_user, make_slot, frozen_now, django_capture_on_commit_callbacks, smtp):
    with django_capture_on_commit_callbacks(execute=True):
        booked = services.appointment_book(user=client_user, time_slot=make_slot(START))
    smtp.wait_for(2)
    smtp.messages.clear()
    return booked


def reminder_emails():
    return OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REMINDER)


def test_a_booking_schedules_a_reminder_a_day_and_an_hour_before(appointment):
    assert list(appointment.reminders.values_list("remind_at", "offset_minutes", "state")) == [
        (START - timedelta(days=1), 1440, "pending"),
        (START - timedelta(hours=1), 60, "pending"),
    ]


def test_a_booking_less_than_an_hour_ahead_gets_no_reminders_but_its_confirmation_at_once(
    client_user, make_slot, frozen_now, django_capture_on_commit_callbacks, smtp
):
    with django_capture_on_commit_callbacks(execute=True):
        soon = services.appointment_book(
            user=client_user, time_slot=make_slot(NOW + timedelta(minutes=40))
        )

    assert not soon.reminders.exists()
    assert sorted(str(m["To"]) for m in smtp.wait_for(2)) == [
        "client@example.com",
        "provider@example.com",
    ]


def test_an_offset_already_past_is_skipped_and_the_later_one_kept(
    client_user, make_slot, frozen_now, django_capture_on_commit_callbacks, smtp
):
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = services.appointment_book(
            user=client_user, time_slot=make_slot(NOW + timedelta(hours=5))
        )
    assert list(tomorrow.reminders.values_list("offset_minutes", flat=True)) == [60]


def test_nothing_is_sent_before_a_reminder_is_due(appointment, smtp):
    with time_machine.travel(START - timedelta(days=1, seconds=1), tick=False):
        assert deliver_due()["reminders"] == 0
    assert smtp.count() == 0


def test_a_due_reminder_reaches_both_parties_once_by_email_and_in_the_app(appointment, smtp):
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        first = deliver_due()
        second = deliver_due()

    assert (first["reminders"], first["sent"], second["reminders"], second["sent"]) == (2, 4, 0, 0)
    messages = smtp.wait_for(4)
    assert (
        sorted(str(m["To"]) for m in messages)
        == ["client@example.com"] * 2 + ["provider@example.com"] * 2
    )
    assert {str(m["Subject"]) for m in smtp.to("client@example.com")} == {
        "Reminder: Consultations, Thu 26 Nov, 09:00 (Europe/London)"
    }
    text = smtp.to("client@example.com")[0].get_body(preferencelist=("plain",)).get_content()
    assert "you have an appointment in 1 day" in text
    assert not appointment.reminders.filter(state=Reminder.State.PENDING).exists()
    assert Notification.objects.filter(message__startswith="Reminder:").count() == 4


def test_the_provider_gets_no_reminder_when_the_calendar_says_so(appointment, smtp):
    appointment.calendar.remind_provider = False
    appointment.calendar.save()
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        deliver_due()

    assert [str(m["To"]) for m in smtp.wait_for(2)] == ["client@example.com"] * 2
    assert not Notification.objects.filter(
        user=appointment.calendar.provider, message__startswith="Reminder:"
    ).exists()


def test_a_user_who_switched_email_reminders_off_gets_only_the_in_app_reminder(
    appointment, client_user, smtp
):
    client_user.profile.email_reminders = False
    client_user.profile.save()
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        deliver_due()

    assert [str(m["To"]) for m in smtp.wait_for(2)] == ["provider@example.com"] * 2
    assert not reminder_emails().filter(recipient=client_user.email).exists()
    assert (
        Notification.objects.filter(user=client_user, message__startswith="Reminder:").count() == 2
    )


def test_a_cancelled_appointment_gets_no_reminders(
    appointment, client_user, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by_user=client_user)
    smtp.wait_for(2)
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        assert deliver_due()["reminders"] == 0

    assert set(appointment.reminders.values_list("state", flat=True)) == {"void"}
    assert not reminder_emails().exists()


def test_a_reschedule_moves_the_reminders(
    appointment, provider, django_capture_on_commit_callbacks
):
    new_start = START + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(appointment, by_user=provider, to=new_start, now=NOW)

    pending = appointment.reminders.filter(state=Reminder.State.PENDING)
    assert list(pending.values_list("remind_at", flat=True)) == [
        new_start - timedelta(days=1),
        new_start - timedelta(hours=1),
    ]
    assert appointment.reminders.filter(state=Reminder.State.VOID).count() == 2
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        assert deliver_due()["reminders"] == 0


def test_the_deliver_due_command_sends_what_is_due_and_says_so(appointment, smtp):
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        call_command("deliver_due", stdout=output)

    assert output.getvalue().strip() == "Reminders claimed: 2; e-mails sent: 4, failed attempts: 0."
    assert len(smtp.wait_for(4)) == 4


def test_a_reminder_missed_until_the_appointment_started_is_voided_not_sent(appointment, smtp):
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        assert deliver_due()["reminders"] == 0

    assert set(appointment.reminders.values_list("state", flat=True)) == {"void"}
    assert smtp.count() == 0
