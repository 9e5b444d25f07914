"""Write-back to a second, stricter CalDAV server: Xandikos (refuses a second object with a UID
it already holds, and files that break RFC 5545). Through the booking services, from connecting
the account to cancelling."""

from __future__ import annotations

import uuid

import caldav
import pytest

from appointments.booking import services as booking
from appointments.models import Appointment
from calendars import push
from calendars.models import AppointmentPush
from calendars.tests.busy_cases import add_weekday_hours, at
from calendars.tests.parsers import NASTY_STORED, parsed_everywhere
from calendars.tests.test_push import file_under_another_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def xandikos_calendar(xandikos_server) -> caldav.Calendar:
    client = caldav.DAVClient(url=xandikos_server.url, enable_rfc6764=False)
    return client.principal().make_calendar(name=f"Bookings {uuid.uuid4().hex[:8]}")


@pytest.fixture
def target(calendar, xandikos_server, xandikos_calendar):
    add_weekday_hours(calendar)
    connected, found = push.push_target_connect(
        calendar=calendar, url=xandikos_server.url, username="anyone", password="any"
    )
    chosen = next(remote for remote in found if remote.url == str(xandikos_calendar.url))
    return push.push_target_choose(target=connected, remote=chosen)


def test_xandikos_takes_every_change_of_an_event_already_filed_under_another_name(
    target, calendar, client_user, xandikos_calendar, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = booking.appointment_book(
            user=client_user, calendar=calendar, start=at(25, 10), now=frozen_now
        )
    elsewhere = file_under_another_name(xandikos_calendar, appointment, "from-thunderbird.ics")
    # Text that would make Xandikos refuse the object, had it reached the file.
    Appointment.objects.filter(pk=appointment.pk).update(description=NASTY_STORED)
    appointment.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_reschedule(
            appointment=appointment, by_user=client_user, start=at(26, 15), now=frozen_now
        )

    record = AppointmentPush.objects.get(appointment=appointment)
    assert (record.state, record.last_error) == (AppointmentPush.State.DONE, "")
    (stored,) = xandikos_calendar.events()
    assert str(stored.url) == elsewhere
    (event,) = parsed_everywhere(stored.data.encode("utf-8")).walk("VEVENT")
    assert event["DTSTART"].dt == at(26, 15)
    assert event["SEQUENCE"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=appointment, by_user=client_user, now=frozen_now)

    assert xandikos_calendar.events() == []
    assert AppointmentPush.objects.get(appointment=appointment).state == AppointmentPush.State.DONE
