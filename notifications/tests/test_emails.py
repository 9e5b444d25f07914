"""Booking, rescheduling and cancelling e-mail both parties, through a real SMTP server, with an
iCalendar invitation that calendar clients can apply: one UID, a rising SEQUENCE, REQUEST/CANCEL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from appointments.booking import services
from appointments.models import TimeSlot
from conftest import NOW
from notifications.models import OutboundEmail
from notifications.tests.conftest import bodies, calendar_part, only_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(client_user, slot, frozen_now, django_capture_on_commit_callbacks, smtp):
    client_user.profile.time_zone = "America/New_York"
    client_user.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(user=client_user, time_slot=slot)
    return appointment


def attendees(event) -> list[str]:
    found = event.get("ATTENDEE")
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def reschedule(appointment, *, by_user, to: datetime, now: datetime):
    """Move `appointment` to a newly published slot through the booking service."""
    slot = TimeSlot.objects.create(
        calendar=appointment.calendar,
        start_time=to,
        end_time=to + (appointment.end_time - appointment.start_time),
    )
    return services.appointment_reschedule(
        appointment=appointment, by_user=by_user, time_slot=slot, now=now
    )


def test_a_booking_emails_the_booker_an_invitation_and_the_provider_a_copy(booked, smtp):
    messages = smtp.wait_for(2)

    assert sorted(str(m["To"]) for m in messages) == ["client@example.com", "provider@example.com"]
    for message in messages:
        method, parsed = calendar_part(message)
        event = only_event(parsed)
        expected = "REQUEST" if str(message["To"]) == "client@example.com" else "PUBLISH"
        assert method == expected
        assert parsed["METHOD"] == expected
        assert str(event["UID"]) == booked.ical_uid
        assert event["SEQUENCE"] == 0
        assert event["STATUS"] == "CONFIRMED"
        assert event.decoded("DTSTART") == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
        assert str(event["ORGANIZER"]) == "mailto:provider@example.com"
        if expected == "REQUEST":
            assert attendees(event) == ["mailto:client@example.com"]
        else:
            assert "ATTENDEE" not in event


def test_each_recipient_reads_the_time_in_their_own_zone_with_a_link(booked, smtp):
    smtp.wait_for(2)
    (to_client,) = smtp.to("client@example.com")
    (to_provider,) = smtp.to("provider@example.com")
    link = f"{settings.SITE_URL}/appointments/{booked.pk}/"

    client_text, client_html = bodies(to_client)
    assert "Wednesday 25 November 2026, 04:00 (America/New_York, UTC-0500)" in client_text
    assert link in client_text and f'href="{link}"' in client_html
    provider_text, _ = bodies(to_provider)
    assert "Wednesday 25 November 2026, 09:00 (Europe/London, UTC+0000)" in provider_text
    assert "client booked an appointment with you" in provider_text
    assert str(to_provider["Subject"]) == "New booking: client, Wed 25 Nov, 09:00 (Europe/London)"


def test_the_calendar_is_a_text_calendar_request_in_utf8_and_an_attached_file(booked, smtp):
    smtp.wait_for(2)
    (message,) = smtp.to("client@example.com")
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    (attached,) = message.iter_attachments()
    assert attached.get_filename() == "invite.ics"


def test_a_cancellation_sends_cancel_with_the_same_uid_and_a_higher_sequence(
    booked, client_user, smtp, django_capture_on_commit_callbacks
):
    smtp.wait_for(2)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=booked, by_user=client_user)
    messages = smtp.wait_for(4)[2:]

    assert sorted(str(m["To"]) for m in messages) == ["client@example.com", "provider@example.com"]
    for message in messages:
        method, parsed = calendar_part(message)
        event = only_event(parsed)
        expected = "CANCEL" if str(message["To"]) == "client@example.com" else "PUBLISH"
        assert (method, parsed["METHOD"]) == (expected, expected)
        assert str(event["UID"]) == booked.ical_uid
        assert event["SEQUENCE"] == 1
        assert event["STATUS"] == "CANCELLED"
    provider_text, _ = bodies(smtp.to("provider@example.com")[-1])
    assert "cancelled by client" in provider_text


def test_a_reschedule_sends_a_request_with_the_new_times_and_a_higher_sequence(
    booked, provider, smtp, django_capture_on_commit_callbacks
):
    smtp.wait_for(2)
    new_start = NOW + timedelta(days=2, hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(booked, by_user=provider, to=new_start, now=NOW)
    messages = smtp.wait_for(4)[2:]

    assert sorted(str(m["To"]) for m in messages) == ["client@example.com", "provider@example.com"]
    for message in messages:
        method, parsed = calendar_part(message)
        event = only_event(parsed)
        assert method == ("REQUEST" if str(message["To"]) == "client@example.com" else "PUBLISH")
        assert str(event["UID"]) == booked.ical_uid
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == new_start
    client_text, _ = bodies(smtp.to("client@example.com")[-1])
    assert (
        "Provider moved this appointment" in client_text or "provider moved" in client_text.lower()
    )
    assert "It was Wednesday 25 November 2026, 04:00 (America/New_York" in client_text


def test_the_outbox_records_each_delivered_message_as_sent(booked, smtp):
    smtp.wait_for(2)
    rows = OutboundEmail.objects.filter(appointment=booked)
    assert sorted(rows.values_list("state", "kind", "attempts")) == [
        ("sent", "booked", 0),
        ("sent", "booked", 0),
    ]
    received_ids = {str(m["Message-ID"]) for m in smtp.messages}
    assert received_ids == set(rows.values_list("message_id", flat=True))
