from __future__ import annotations

import icalendar
import pytest

from appointments.booking import services
from calendars.events import appointment_ics, ical_uid_of
from conftest import NOW

pytestmark = pytest.mark.django_db


def test_an_appointment_becomes_one_event_with_a_stable_uid_and_sequence(client_user, slot):
    appointment = services.appointment_book(
        user=client_user, time_slot=slot, description="Knee", now=NOW
    )

    booked = icalendar.Calendar.from_ical(appointment_ics(appointment, method="REQUEST"))
    services.appointment_cancel(appointment=appointment, by_user=client_user, now=NOW)
    appointment.refresh_from_db()
    cancelled = icalendar.Calendar.from_ical(appointment_ics(appointment, method="CANCEL"))

    first, second = booked.walk("VEVENT")[0], cancelled.walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"]) == f"{appointment.uid}@slotwise"
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)
    assert (str(booked["METHOD"]), str(cancelled["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(second["STATUS"]) == "CANCELLED"
    assert first.decoded("DTSTART") == slot.start_time
    assert str(first["DESCRIPTION"]) == "Knee"
    assert "mailto:client@example.com" in str(first["ATTENDEE"])


def test_a_download_carries_no_email_addresses(client_user, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    text = appointment_ics(appointment).decode()

    assert "METHOD:PUBLISH" in text
    assert "mailto:" not in text
    assert "/appointments/" in text  # URL back to the appointment


def test_the_uid_read_from_the_bare_column_is_the_appointments(client_user, slot):
    appointment = services.appointment_book(user=client_user, time_slot=slot, now=NOW)

    assert ical_uid_of(appointment.uid) == appointment.ical_uid
