"""The invitation a booking e-mails is a calendar object a real CalDAV server (Radicale) accepts:
PUT it, read it back, and the cancellation updates the same event."""

from __future__ import annotations

import uuid

import caldav
import icalendar
import pytest

from appointments.booking import services
from calendars.tests.servers import run_radicale
from notifications.tests.conftest import only_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def dav_calendar(tmp_path):
    with run_radicale(tmp_path) as server:
        client = caldav.DAVClient(
            url=server.url, username=server.username, password=server.password
        )
        yield client.principal().make_calendar(name=f"Invitations {uuid.uuid4().hex[:8]}")


def attached_calendar_file(message) -> str:
    (part,) = message.iter_attachments()
    return part.get_content().decode("utf-8")


def put_and_read_back(dav_calendar, text: str, name: str):
    url = f"{dav_calendar.url}{name}.ics"
    response = dav_calendar.client.put(url, text, {"Content-Type": "text/calendar; charset=utf-8"})
    assert response.status in (201, 204), response.status
    response = dav_calendar.client.request(url, "GET")
    assert response.status == 200, response.status
    return only_event(icalendar.Calendar.from_ical(response.raw))


def test_the_booking_invitation_is_accepted_by_radicale_and_cancelled_in_place(
    client_user, slot, frozen_now, smtp, django_capture_on_commit_callbacks, dav_calendar
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(user=client_user, time_slot=slot)
    invitation = attached_calendar_file(smtp.to("client@example.com")[0])

    stored = put_and_read_back(dav_calendar, invitation, appointment.uid)
    assert str(stored["UID"]) == appointment.ical_uid
    assert (stored["SEQUENCE"], stored["STATUS"]) == (0, "CONFIRMED")
    assert stored.decoded("DTSTART") == appointment.start_time

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=appointment, by_user=client_user)
    cancellation = attached_calendar_file(smtp.wait_for(4)[-1])

    stored = put_and_read_back(dav_calendar, cancellation, appointment.uid)
    assert (stored["SEQUENCE"], stored["STATUS"]) == (1, "CANCELLED")
    assert len(dav_calendar.events()) == 1
