"""Every calendar file the product serves parses with icalendar and with the strict `ical`
reader, whatever text the booking holds: control characters, emoji, `,;\\` and long lines.
(The e-mails' parts are checked in notifications/tests/test_imip.py, the write-back in
test_push_xandikos.py.) The text is written past the forms and the service, as old rows or the
admin shell might hold it: the writer must clean it all the same."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appointments.booking import services as booking
from appointments.models import Appointment, Calendar
from calendars import feed
from calendars.tests.busy_cases import add_weekday_hours, at
from calendars.tests.parsers import NASTY_NAME, NASTY_STORED, parsed_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def nasty_booking(calendar, client_user, provider, frozen_now):
    add_weekday_hours(calendar)
    appointment = booking.appointment_book(
        user=client_user, calendar=calendar, start=at(25, 10), now=frozen_now
    )
    Appointment.objects.filter(pk=appointment.pk).update(description=NASTY_STORED)
    Calendar.objects.filter(pk=calendar.pk).update(name=NASTY_NAME)
    for user in (client_user, provider):
        user.first_name, user.last_name = NASTY_NAME, NASTY_STORED[:40]
        user.save()
    return appointment


def test_the_feed_parses_strictly(client, provider, nasty_booking):
    url = reverse("calendar_feed", args=[feed.feed_token_regenerate(user=provider).token])

    (event,) = parsed_everywhere(client.get(url).content).walk("VEVENT")

    assert str(event["UID"]) == nasty_booking.ical_uid
    assert "\U0001f600" in str(event["SUMMARY"]) and "\U0001f600" in str(event["DESCRIPTION"])


def test_the_download_parses_strictly(client, client_user, nasty_booking):
    client.force_login(client_user)

    response = client.get(reverse("appointment_ics", args=[nasty_booking.pk]))

    assert response.status_code == 200
    (event,) = parsed_everywhere(response.content).walk("VEVENT")
    assert str(event["UID"]) == nasty_booking.ical_uid
