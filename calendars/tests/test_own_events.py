"""Bookings written back to a CalDAV calendar that is also a busy source are not read back as
busy time (their UIDs are the project's own): on a real Radicale server, through the services."""

from __future__ import annotations

import pytest

from appointments.booking import services as booking
from appointments.models import Appointment
from calendars import push, services
from calendars.models import BusyBlock
from calendars.tests.busy_cases import add_weekday_hours, at, free_starts, vcalendar, vevent

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_ways(calendar, radicale_server, dav_calendar, frozen_now):
    """One Radicale calendar receives the bookings and counts as busy time, with one event of
    the provider's own in it."""
    add_weekday_hours(calendar)
    calendar.step_minutes, calendar.buffer_before_minutes = 15, 15
    calendar.save()
    dav_calendar.add_event(
        vcalendar(vevent("dentist@test", "DTSTART:20261126T100000Z", "DTEND:20261126T110000Z"))
    )
    connected, found = push.push_target_connect(
        calendar=calendar,
        url=radicale_server.url,
        username=radicale_server.username,
        password=radicale_server.password,
    )
    chosen = next(remote for remote in found if remote.url == str(dav_calendar.url))
    push.push_target_choose(target=connected, remote=chosen)
    source, _ = services.source_connect_caldav(
        user=calendar.provider,
        name="Radicale",
        url=radicale_server.url,
        username=radicale_server.username,
        password=radicale_server.password,
    )
    return services.source_choose_calendars(
        source=source, calendar_urls=[str(dav_calendar.url)], now=frozen_now
    )


@pytest.fixture
def booked(both_ways, calendar, client_user, frozen_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = booking.appointment_book(
            user=client_user, calendar=calendar, start=at(25, 10), now=frozen_now
        )
    services.source_sync(both_ways, now=frozen_now)  # the written-back copy is now in the source
    return appointment


def test_a_written_back_booking_is_not_read_back_as_busy_time(booked, dav_calendar):
    assert {e.icalendar_component["UID"] for e in dav_calendar.events()} == {
        booked.ical_uid,
        "dentist@test",
    }
    assert list(BusyBlock.objects.values_list("start_time", "end_time")) == [
        (at(26, 10), at(26, 11))
    ]


def test_a_booking_moves_next_to_its_own_old_time(
    booked, client_user, frozen_now, django_capture_on_commit_callbacks
):
    # 10:30 needs its 15-minute buffer, 10:15-10:30, free: its own old copy must not block it.
    with django_capture_on_commit_callbacks(execute=True):
        moved = booking.appointment_reschedule(
            appointment=booked, by_user=client_user, start=at(25, 10, 30), now=frozen_now
        )

    assert moved.start_time == at(25, 10, 30)


def test_a_booking_moves_by_15_minutes_over_its_own_old_time(
    booked, client_user, frozen_now, django_capture_on_commit_callbacks
):
    # The case: 10:15-10:45 overlaps the booking's own 10:00-10:30, which is in the
    # busy source as written back, and in the database (its slot and occupation rows).
    with django_capture_on_commit_callbacks(execute=True):
        moved = booking.appointment_reschedule(
            appointment=booked, by_user=client_user, start=at(25, 10, 15), now=frozen_now
        )

    assert (moved.start_time, moved.end_time) == (at(25, 10, 15), at(25, 10, 45))


def test_a_cancelled_time_is_free_at_once(
    booked, calendar, client_user, frozen_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=booked, by_user=client_user, now=frozen_now)

    assert Appointment.objects.get(pk=booked.pk).status == "cancelled"
    assert at(25, 10) in free_starts(calendar, frozen_now)
