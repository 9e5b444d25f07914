"""Invitations as mail clients expect them (RFC 6047 iMIP, CalConnect's iMIP guidance), checked on
what a real SMTP server (aiosmtpd) received: text, HTML and the calendar as alternatives of one
multipart/alternative, the .ics also attached; ORGANIZER agreeing with From through SENT-BY; the
provider (the organizer) sent a published copy, not an invitation to their own event."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

import icalendar
import pytest

from appointments.booking import services
from appointments.models import Appointment, TimeSlot
from calendars.tests.parsers import NASTY_NAME, NASTY_STORED, parsed_everywhere
from conftest import NOW
from notifications.tests.conftest import calendar_part, only_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(client_user, slot, frozen_now, django_capture_on_commit_callbacks, smtp):
    with django_capture_on_commit_callbacks(execute=True):
        return services.appointment_book(user=client_user, time_slot=slot, description="Knee")


def structure(message) -> list:
    """The MIME tree as nested (content type, [children]) / content type."""
    if message.is_multipart():
        return [message.get_content_type(), [structure(part) for part in message.iter_parts()]]
    return message.get_content_type()


def test_the_invitation_is_text_html_and_calendar_as_alternatives_with_the_file_attached(
    booked, smtp
):
    (message,) = smtp.wait_for(2) and smtp.to("client@example.com")

    assert structure(message) == [
        "multipart/mixed",
        [
            ["multipart/alternative", ["text/plain", "text/html", "text/calendar"]],
            "application/ics",
        ],
    ]
    alternative, attachment = message.iter_parts()
    inline = list(alternative.iter_parts())[2]
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_content_charset() == "utf-8"
    assert inline.get_content_disposition() is None  # the body itself, not an attachment
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == inline.get_content().encode("utf-8")


def test_the_organizer_names_the_from_address_as_sent_by(booked, smtp, settings):
    for message in smtp.wait_for(2):
        _, parsed = calendar_part(message)
        organizer = only_event(parsed)["ORGANIZER"]
        sender = parseaddr(str(message["From"]))[1]

        assert str(organizer) == "mailto:provider@example.com"
        assert organizer.params["SENT-BY"] == f"mailto:{sender}"
        assert sender == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def methods(messages) -> dict[str, tuple[str, str]]:
    found = {}
    for message in messages:
        method, parsed = calendar_part(message)
        found[str(message["To"])] = (method, str(parsed["METHOD"]))
    return found


def test_the_provider_is_sent_a_published_copy_and_the_booker_the_invitation(
    booked, smtp, client_user, provider, django_capture_on_commit_callbacks
):
    smtp.wait_for(2)
    moved = TimeSlot.objects.create(
        calendar=booked.calendar,
        start_time=NOW + timedelta(days=3),
        end_time=NOW + timedelta(days=3, minutes=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            appointment=booked, by_user=provider, time_slot=moved, now=NOW
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=booked, by_user=client_user, now=NOW)
    messages = smtp.wait_for(6)

    booked_mail, moved_mail, cancelled_mail = messages[0:2], messages[2:4], messages[4:6]
    for batch, invitation in ((booked_mail, "REQUEST"), (moved_mail, "REQUEST")):
        assert methods(batch) == {
            "client@example.com": (invitation, invitation),
            "provider@example.com": ("PUBLISH", "PUBLISH"),
        }
    assert methods(cancelled_mail) == {
        "client@example.com": ("CANCEL", "CANCEL"),
        "provider@example.com": ("PUBLISH", "PUBLISH"),
    }
    (to_provider,) = [m for m in cancelled_mail if "provider" in str(m["To"])]
    event = only_event(calendar_part(to_provider)[1])
    assert "ATTENDEE" not in event
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 2)


def every_calendar_in(message) -> list[bytes]:
    found = []
    for part in message.walk():
        if part.get_content_type() in {"text/calendar", "application/ics"}:
            found.append(part.get_payload(decode=True))
    return found


def test_every_calendar_part_parses_strictly_whatever_the_booking_text(
    client_user, provider, slot, frozen_now, smtp, django_capture_on_commit_callbacks
):
    # Written past the forms and the service (as old rows or the admin's shell might be):
    # the writer must still produce valid files.
    for user in (client_user, provider):
        user.first_name = NASTY_NAME
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(user=client_user, time_slot=slot)
    Appointment.objects.filter(pk=appointment.pk).update(description=NASTY_STORED)
    appointment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by_user=client_user)

    files = [data for message in smtp.wait_for(4) for data in every_calendar_in(message)]

    assert len(files) == 8  # four e-mails, each with an inline part and an attachment
    for data in files:
        (event,) = parsed_everywhere(data).walk("VEVENT")
        assert str(event["UID"]) == appointment.ical_uid
    cancelled = icalendar.Calendar.from_ical(files[-1])
    assert "\U0001f600" in str(only_event(cancelled)["DESCRIPTION"])
