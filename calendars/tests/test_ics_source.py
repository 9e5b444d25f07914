from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calendars.ics.source import IcsSource
from calendars.sources import BusySource, SourceError
from calendars.tests.servers import HttpServer

WINDOW = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))
FEED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20250101T000000Z\r\n"
    b"DTSTART;VALUE=DATE:20250310\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def test_a_feed_gives_busy_time_in_the_owners_zone(http_server: HttpServer) -> None:
    source: BusySource = IcsSource(
        http_server.serve("/feed.ics", FEED), default_tz="Europe/Berlin", allow_loopback=True
    )

    assert source.busy(*WINDOW) == [
        (datetime(2025, 3, 9, 23, tzinfo=UTC), datetime(2025, 3, 10, 23, tzinfo=UTC))
    ]


def test_a_fetch_problem_becomes_a_source_error(http_server: HttpServer) -> None:
    source = IcsSource(http_server.url("/gone.ics"), default_tz="UTC", allow_loopback=True)

    with pytest.raises(SourceError, match="404 Not Found"):
        source.busy(*WINDOW)


def test_a_refused_address_becomes_a_source_error(http_server: HttpServer) -> None:
    source = IcsSource(http_server.serve("/feed.ics", FEED), default_tz="UTC")

    with pytest.raises(SourceError, match="not allowed"):
        source.busy(*WINDOW)
    assert http_server.received == []


def test_a_web_page_instead_of_a_calendar_becomes_a_source_error(http_server: HttpServer) -> None:
    url = http_server.serve("/login", b"<html>Please log in</html>", content_type="text/html")
    source = IcsSource(url, default_tz="UTC", allow_loopback=True)

    with pytest.raises(SourceError, match="not an iCalendar file"):
        source.busy(*WINDOW)
