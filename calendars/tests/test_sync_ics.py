"""Busy time from an ICS address served by a real local HTTP server, through the sync service."""

from __future__ import annotations

import pytest

from calendars import services
from calendars.models import BusyBlock, BusySource
from calendars.tests.busy_cases import (
    FEED,
    REMOVED,
    add_weekday_hours,
    at,
    free_starts,
    vcalendar,
    vevent,
)

pytestmark = pytest.mark.django_db

MOVED = vcalendar(
    vevent("only@test", "DTSTART:20261126T090000Z", "DTEND:20261126T093000Z", "SUMMARY:New")
)


@pytest.fixture
def hours(calendar):
    add_weekday_hours(calendar)
    return calendar


def ics_source(calendar, url: str) -> BusySource:
    return BusySource.objects.create(user=calendar.provider, kind="ics", name="Work", url=url)


def blocks(source: BusySource) -> list[tuple]:
    return list(source.blocks.values_list("start_time", "end_time"))


def test_a_feed_removes_exactly_the_slots_its_busy_events_cover(hours, http_server, frozen_now):
    before = free_starts(hours, frozen_now)
    source = ics_source(hours, http_server.serve("/work.ics", FEED))

    assert services.source_sync(source, now=frozen_now) is True

    assert before >= REMOVED
    assert before - free_starts(hours, frozen_now) == REMOVED
    source.refresh_from_db()
    assert source.block_count == source.blocks.count() > 0
    assert source.last_success_at == frozen_now
    assert source.last_error == ""


def test_only_the_booking_horizon_is_expanded_and_stored(hours, http_server, frozen_now):
    hours.horizon_days = 3
    hours.save()
    source = ics_source(hours, http_server.serve("/work.ics", FEED))

    services.source_sync(source, now=frozen_now)

    # The daily series runs to Dec 2 and Monday 30 is all-day busy; the window ends Nov 28 09:00.
    assert max(end for _, end in blocks(source)) == at(27, 16, 30)


def test_a_changed_feed_replaces_the_busy_blocks(hours, http_server, frozen_now):
    source = ics_source(hours, http_server.serve("/work.ics", FEED))
    services.source_sync(source, now=frozen_now)

    http_server.serve("/work.ics", MOVED)
    services.source_sync(source, now=frozen_now)

    assert blocks(source) == [(at(26, 9), at(26, 9, 30))]
    assert BusyBlock.objects.filter(user=hours.provider).count() == 1
    assert at(25, 10) in free_starts(hours, frozen_now)
    assert at(26, 9) not in free_starts(hours, frozen_now)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Sign in</html>", "not an iCalendar file"),
        (FEED[:-40], "incomplete"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * (6 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n", "5 MB"),
    ],
    ids=["not-a-calendar", "truncated", "six-megabytes"],
)
def test_a_bad_feed_is_refused_with_a_clear_error_and_nothing_changes(
    hours, http_server, frozen_now, body, message
):
    source = ics_source(hours, http_server.serve("/work.ics", FEED))
    services.source_sync(source, now=frozen_now)
    kept = blocks(source)

    http_server.serve("/work.ics", body)
    assert services.source_sync(source, now=frozen_now) is False

    source.refresh_from_db()
    assert message in source.last_error
    assert source.last_error_at == frozen_now
    assert blocks(source) == kept
    assert source.block_count == len(kept)
    assert source.last_success_at == frozen_now  # the earlier success, not this attempt


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    hours, http_server, frozen_now, outside_connections
):
    source = ics_source(hours, http_server.serve("/work.ics", FEED))
    services.source_sync(source, now=frozen_now)
    http_server.redirect("/work.ics", "http://10.1.2.3/calendar.ics")

    assert services.source_sync(source, now=frozen_now) is False

    source.refresh_from_db()
    assert "private network" in source.last_error
    assert len(blocks(source)) == source.block_count > 0
    assert outside_connections == []


def test_a_failing_source_warns_once_its_busy_times_are_older_than_an_hour(
    hours, http_server, frozen_now
):
    from datetime import timedelta

    source = ics_source(hours, http_server.serve("/work.ics", FEED))
    services.source_sync(source, now=frozen_now)
    http_server.serve("/work.ics", b"nonsense")

    services.source_sync(source, now=frozen_now + timedelta(minutes=50))
    source.refresh_from_db()
    assert source.failing and not source.is_stale(frozen_now + timedelta(minutes=50))

    later = frozen_now + timedelta(minutes=70)
    services.source_sync(source, now=later)
    source.refresh_from_db()
    assert source.is_stale(later)
    assert REMOVED.isdisjoint(free_starts(hours, frozen_now))  # the last good ones still count


def test_the_periodic_pass_syncs_only_sources_whose_interval_has_passed(
    hours, http_server, frozen_now
):
    from datetime import timedelta

    url = http_server.serve("/work.ics", FEED)
    fresh, due = ics_source(hours, url), ics_source(hours, url)
    services.source_sync(fresh, now=frozen_now)
    services.source_sync(due, now=frozen_now - timedelta(minutes=11))
    never = ics_source(hours, url)
    off = BusySource.objects.create(
        user=hours.provider, kind="ics", name="Off", url=url, is_active=False
    )

    report = services.sources_sync_due(now=frozen_now + timedelta(minutes=1))

    assert report == {"synced": 2, "failed": 0}
    for source in (fresh, due, never, off):
        source.refresh_from_db()
    assert fresh.last_synced_at == frozen_now
    assert due.last_synced_at == never.last_synced_at == frozen_now + timedelta(minutes=1)
    assert off.last_synced_at is None


def test_the_sync_task_runs_the_periodic_pass(hours, http_server, frozen_now):
    from calendars.tasks import sync_due_sources

    source = ics_source(hours, http_server.serve("/work.ics", FEED))

    result = sync_due_sources.enqueue()

    assert result.return_value["synced"] == 1
    source.refresh_from_db()
    assert source.block_count > 0


PODIO = (
    vcalendar(
        vevent("podio@test", "DTSTART:20261126T090000Z", "DTEND:20261126T093000Z", "SUMMARY:Podio")
    )
    + b"X-COMMENT:Cached from 2026-11-24 - new at most every 1800sec.\r\n"
)


def test_what_was_skipped_is_said_on_the_source_and_cleared_by_a_clean_read(
    hours, http_server, frozen_now, client, provider
):
    source = ics_source(hours, http_server.serve("/podio.ics", PODIO))

    assert services.source_sync(source, now=frozen_now) is True

    source.refresh_from_db()
    assert blocks(source) == [(at(26, 9), at(26, 9, 30))]
    assert source.last_notice == "Lines after the end of the calendar were ignored."
    assert source.last_error == ""
    client.force_login(provider)
    assert (
        "Lines after the end of the calendar were ignored."
        in client.get("/calendars/sources/").content.decode()
    )

    http_server.serve("/podio.ics", MOVED)
    services.source_sync(source, now=frozen_now)
    source.refresh_from_db()
    assert source.last_notice == ""
