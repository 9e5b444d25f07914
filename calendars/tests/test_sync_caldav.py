"""Busy time from a CalDAV account on a real Radicale server: connect through our services,
choose calendars, sync, and check exactly which slots disappear."""

from __future__ import annotations

import caldav
import pytest

from calendars import services
from calendars.caldav.connection import WRONG_CREDENTIALS
from calendars.models import BusySource
from calendars.sources import SourceError
from calendars.tests.busy_cases import OBJECTS, REMOVED, add_weekday_hours, free_starts
from calendars.tests.servers import RadicaleServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hours(calendar):
    add_weekday_hours(calendar)
    return calendar


@pytest.fixture
def busy_calendar(dav_calendar: caldav.Calendar) -> caldav.Calendar:
    for data in OBJECTS.values():
        dav_calendar.add_event(data.decode())
    return dav_calendar


def connect(calendar, server: RadicaleServer, password: str | None = None):
    return services.source_connect_caldav(
        user=calendar.provider,
        name="Radicale",
        url=server.url,
        username=server.username,
        password=server.password if password is None else password,
    )


def test_connecting_lists_the_accounts_calendars_and_keeps_the_password_encrypted(
    hours, radicale_server, busy_calendar
):
    source, found = connect(hours, radicale_server)

    assert str(busy_calendar.url) in [remote.url for remote in found]
    stored = BusySource.objects.get(pk=source.pk)
    assert not stored.is_active  # nothing counts until calendars are chosen
    assert radicale_server.password not in stored.encrypted_password
    assert stored.password() == radicale_server.password


def test_the_chosen_calendars_busy_times_remove_exactly_their_slots(
    hours, radicale_server, busy_calendar, dav_calendar, frozen_now
):
    before = free_starts(hours, frozen_now)
    source, _ = connect(hours, radicale_server)

    services.source_choose_calendars(
        source=source, calendar_urls=[str(busy_calendar.url)], now=frozen_now
    )

    source.refresh_from_db()
    assert source.is_active and source.last_error == ""
    assert before - free_starts(hours, frozen_now) == REMOVED


def test_a_calendar_not_chosen_does_not_count(hours, radicale_server, busy_calendar, frozen_now):
    empty = busy_calendar.client.principal().make_calendar(name="Holidays (not chosen)")
    source, _ = connect(hours, radicale_server)

    services.source_choose_calendars(source=source, calendar_urls=[str(empty.url)], now=frozen_now)

    source.refresh_from_db()
    assert source.block_count == 0
    assert free_starts(hours, frozen_now) >= REMOVED


def test_a_wrong_password_is_refused_when_connecting_and_nothing_is_stored(hours, radicale_server):
    with pytest.raises(SourceError, match=WRONG_CREDENTIALS):
        connect(hours, radicale_server, password="not-the-password")

    assert not BusySource.objects.exists()


def test_a_password_that_stops_working_gives_a_clear_error_and_keeps_the_busy_times(
    hours, radicale_server, busy_calendar, frozen_now
):
    source, _ = connect(hours, radicale_server)
    services.source_choose_calendars(
        source=source, calendar_urls=[str(busy_calendar.url)], now=frozen_now
    )
    source.set_password("changed-elsewhere")
    source.save()

    assert services.source_sync(source, now=frozen_now) is False

    source.refresh_from_db()
    assert source.last_error == WRONG_CREDENTIALS
    assert source.blocks.count() == source.block_count > 0
    assert REMOVED.isdisjoint(free_starts(hours, frozen_now))
