"""Expansion is bounded and busy time is merged: real files of the shapes that stalled syncs
(a few events repeating every quarter of an hour; a 5 MB feed) sync within a fixed amount of
work, overlapping busy time is stored once, and the plain-event reader agrees with icalendar."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import recurring_ical_events

from calendars import services
from calendars.ics.expand import MAX_OCCURRENCES, merge_busy
from calendars.ics.parse import _busy_interval, _overlaps, busy_from_ics
from calendars.models import BusyBlock, BusySource
from calendars.tests.busy_files import minutely_file, mixed_file, plain_events_file
from conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def serve(calendar, http_server):
    def add(body: bytes) -> BusySource:
        url = http_server.serve("/feed.ics", body)
        return BusySource.objects.create(user=calendar.provider, kind="ics", name="Feed", url=url)

    return add


def test_events_repeating_every_quarter_hour_are_capped_with_a_message_and_count_as_busy(
    serve, calendar, frozen_now
):
    source = serve(minutely_file(NOW - timedelta(days=1)))

    assert services.source_sync(source, now=frozen_now) is True

    source.refresh_from_db()
    assert f"more than {MAX_OCCURRENCES:,} times" in source.last_error
    blocks = list(BusyBlock.objects.filter(source=source).order_by("start_time"))
    # Merged: the 50 overlapping series are one busy stretch, not 300,000 rows.
    assert len(blocks) == source.block_count < 100
    window_end = services.sync_window(calendar.provider, frozen_now)[1]
    assert blocks[-1].end_time == window_end  # the unread rest of the window is busy


def test_overlapping_busy_time_is_stored_once(serve, frozen_now):
    day = NOW + timedelta(days=1)
    feed = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{day:%Y%m%d}T{start}00Z\r\n"
            f"DTEND:{day:%Y%m%d}T{end}00Z\r\nEND:VEVENT\r\n"
            for uid, start, end in [
                ("a", "0900", "1000"),
                ("b", "0930", "1100"),
                ("c", "1100", "1200"),
            ]
        )
        + "END:VCALENDAR\r\n"
    ).encode()
    source = serve(feed)

    services.source_sync(source, now=frozen_now)

    blocks = BusyBlock.objects.filter(source=source).values_list("start_time", "end_time")
    assert [(s.hour, e.hour) for s, e in blocks] == [(9, 12)]
    source.refresh_from_db()
    assert source.block_count == 1
    assert source.last_error == ""


def test_a_5_mb_feed_of_plain_events_syncs_every_event(serve, calendar, frozen_now):
    # Five years of history, as real feeds carry, about a thousand events in the window.
    data = plain_events_file(NOW - timedelta(days=1000), days=5 * 365, step_minutes=73)
    source = serve(data)

    assert services.source_sync(source, now=frozen_now) is True

    source.refresh_from_db()
    assert len(data) > 5_000_000
    assert source.last_error == ""
    window = services.sync_window(calendar.provider, frozen_now)
    expected = merge_busy(
        busy_from_ics(
            data, window_start=window[0], window_end=window[1], default_tz="Europe/London"
        )
    )
    assert source.block_count == len(expected) > 500


def icalendar_busy(data: bytes, start, end, zone: str):
    """The reference: every event through icalendar and recurring-ical-events."""
    from zoneinfo import ZoneInfo

    calendar = icalendar.Calendar.from_ical(data)
    busy = []
    for event in recurring_ical_events.of(calendar).between(
        start - timedelta(days=1), end + timedelta(days=1)
    ):
        interval = _busy_interval(event, ZoneInfo(zone))
        if interval is not None and _overlaps(interval, start, end):
            busy.append(interval)
    return sorted(busy)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Pacific/Kiritimati"])
def test_plain_events_read_without_icalendar_give_the_same_busy_times(zone):
    data = mixed_file(NOW)
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=10)

    ours = busy_from_ics(data, window_start=start, window_end=end, default_tz=zone)

    assert ours == icalendar_busy(data, start, end, zone)
    assert len(ours) >= 8
