"""Write-back to a real Radicale calendar through the booking services: create on booking,
update on reschedule, delete on cancel, keyed by the appointment's UID."""

from __future__ import annotations

from datetime import timedelta

import caldav
import pytest
from caldav.lib.error import NotFoundError

from appointments.booking import services as booking
from calendars import push
from calendars.caldav.connection import WRONG_CREDENTIALS
from calendars.models import AppointmentPush, PushTarget
from calendars.sources import RemoteCalendar
from calendars.tests.busy_cases import add_weekday_hours, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hours(calendar):
    add_weekday_hours(calendar)
    return calendar


@pytest.fixture
def target(hours, radicale_server, dav_calendar) -> PushTarget:
    connected, found = push.push_target_connect(
        calendar=hours,
        url=radicale_server.url,
        username=radicale_server.username,
        password=radicale_server.password,
    )
    chosen = next(remote for remote in found if remote.url == str(dav_calendar.url))
    return push.push_target_choose(target=connected, remote=chosen)


@pytest.fixture
def book(hours, client_user, frozen_now, django_capture_on_commit_callbacks):
    def book_at(start):
        with django_capture_on_commit_callbacks(execute=True):
            return booking.appointment_book(
                user=client_user, calendar=hours, start=start, now=frozen_now
            )

    return book_at


def remote_event(dav_calendar: caldav.Calendar, uid: str):
    return dav_calendar.event_by_uid(uid).icalendar_component


def test_a_booking_appears_in_the_chosen_calendar_under_its_uid(target, book, dav_calendar):
    appointment = book(at(25, 10))

    event = remote_event(dav_calendar, appointment.ical_uid)
    assert event["DTSTART"].dt == at(25, 10)
    assert event["DTEND"].dt == at(25, 10, 30)
    record = AppointmentPush.objects.get(appointment=appointment)
    assert record.state == AppointmentPush.State.DONE
    assert record.pushed_sequence == appointment.sequence


def test_a_reschedule_moves_the_same_event(
    target, book, dav_calendar, client_user, frozen_now, django_capture_on_commit_callbacks
):
    appointment = book(at(25, 10))

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_reschedule(
            appointment=appointment, by_user=client_user, start=at(26, 15), now=frozen_now
        )

    events = dav_calendar.events()
    assert len(events) == 1
    event = remote_event(dav_calendar, appointment.ical_uid)
    assert event["DTSTART"].dt == at(26, 15)
    assert event["SEQUENCE"] == 1


def test_a_cancellation_removes_the_event(
    target, book, dav_calendar, client_user, frozen_now, django_capture_on_commit_callbacks
):
    appointment = book(at(25, 10))

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=appointment, by_user=client_user, now=frozen_now)

    with pytest.raises(NotFoundError):
        dav_calendar.event_by_uid(appointment.ical_uid)
    assert AppointmentPush.objects.get(appointment=appointment).state == "done"


def test_pushing_again_never_duplicates_the_event(target, book, dav_calendar, frozen_now):
    appointment = book(at(25, 10))
    AppointmentPush.objects.filter(appointment=appointment).update(state="pending")

    push.push_run(appointment.pk, now=frozen_now)

    assert [e.icalendar_component["UID"] for e in dav_calendar.events()] == [appointment.ical_uid]


def test_a_failed_push_never_blocks_the_booking_and_is_retried_later(
    target, book, dav_calendar, radicale_server, frozen_now
):
    target.set_password("wrong")
    target.save()

    appointment = book(at(25, 10))

    record = AppointmentPush.objects.get(appointment=appointment)
    assert appointment.is_active
    assert record.state == AppointmentPush.State.FAILED
    assert record.attempts == 1
    assert record.last_error == WRONG_CREDENTIALS
    assert record.next_attempt_at == frozen_now + push.RETRY_BASE
    assert push.pushes_due(frozen_now) == []

    target.set_password(radicale_server.password)
    target.save()
    report = push.pushes_retry_due(now=frozen_now + timedelta(minutes=1))

    assert report == {"pushed": 1, "failed": 0}
    assert remote_event(dav_calendar, appointment.ical_uid)["DTSTART"].dt == at(25, 10)


def test_retries_wait_longer_each_time_and_then_give_up(target, book, frozen_now):
    target.set_password("wrong")
    target.save()
    appointment = book(at(25, 10))
    now = frozen_now

    for _ in range(push.MAX_ATTEMPTS - 1):
        now = AppointmentPush.objects.get(appointment=appointment).next_attempt_at
        push.pushes_retry_due(now=now)

    record = AppointmentPush.objects.get(appointment=appointment)
    assert record.state == AppointmentPush.State.GAVE_UP
    assert record.attempts == push.MAX_ATTEMPTS
    assert push.retry_delay(2) == 2 * push.retry_delay(1)
    assert push.pushes_due(now + timedelta(days=2)) == []


def test_a_calendar_without_write_back_records_nothing(hours, book):
    appointment = book(at(25, 10))

    assert not AppointmentPush.objects.filter(appointment=appointment).exists()


def test_stopping_write_back_keeps_bookings_but_forgets_their_push_state(target, book):
    appointment = book(at(25, 10))

    push.push_target_delete(target=target)

    assert not AppointmentPush.objects.exists()
    assert not PushTarget.objects.exists()
    appointment.refresh_from_db()
    assert appointment.is_active


def test_choosing_a_calendar_switches_write_back_on(hours, radicale_server, dav_calendar):
    connected, _ = push.push_target_connect(
        calendar=hours,
        url=radicale_server.url,
        username=radicale_server.username,
        password=radicale_server.password,
    )
    assert not connected.ready

    chosen = push.push_target_choose(
        target=connected, remote=RemoteCalendar(str(dav_calendar.url), "Work")
    )

    assert chosen.ready
    assert radicale_server.password not in PushTarget.objects.get().encrypted_password


def file_under_another_name(dav_calendar: caldav.Calendar, appointment, name: str) -> str:
    """What a mail client leaves after its user accepted the invitation: the same event (UID)
    in the same calendar, under a name of the client's choosing."""
    stored = dav_calendar.event_by_uid(appointment.ical_uid)
    data = stored.data
    stored.delete()
    url = f"{str(dav_calendar.url).rstrip('/')}/{name}"
    response = dav_calendar.client.put(url, data, {"Content-Type": "text/calendar; charset=utf-8"})
    assert response.status in (201, 204), response.status
    return url


def test_a_change_updates_the_event_a_mail_client_filed_under_another_name(
    target, book, dav_calendar, client_user, frozen_now, django_capture_on_commit_callbacks
):
    appointment = book(at(25, 10))
    elsewhere = file_under_another_name(dav_calendar, appointment, "accepted-in-mail.ics")

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_reschedule(
            appointment=appointment, by_user=client_user, start=at(26, 15), now=frozen_now
        )

    record = AppointmentPush.objects.get(appointment=appointment)
    assert (record.state, record.last_error) == (AppointmentPush.State.DONE, "")
    (event,) = dav_calendar.events()
    assert str(event.url) == elsewhere
    assert event.icalendar_component["DTSTART"].dt == at(26, 15)

    with django_capture_on_commit_callbacks(execute=True):
        booking.appointment_cancel(appointment=appointment, by_user=client_user, now=frozen_now)

    assert dav_calendar.events() == []
