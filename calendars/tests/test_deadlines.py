"""One provider's slow calendar server must not hold a sync (and the worker) for long: every fetch
has a total deadline for connecting, headers and body, and CalDAV answers the same size cap as
ICS files. The servers here really are slow: they send a byte at a time, each well within any
socket timeout, so only a total deadline ends the wait."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from calendars.caldav.client import CalDavSource, CalDavWriter
from calendars.fetch import FetchError, fetch_url
from calendars.sources import SourceError
from calendars.tests.servers import (
    Route,
    run_http_server,
    run_trickle_server,
    slow_body,
    slow_headers,
)

WINDOW = (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 12, 24, tzinfo=UTC))
MULTISTATUS = b'<?xml version="1.0"?><multistatus xmlns="DAV:">' + b" " * 2000 + b"</multistatus>"


def wait_for_hang_up(server, timeout: float = 5) -> None:
    ends = time.monotonic() + timeout
    while not server.hung_up and time.monotonic() < ends:
        time.sleep(0.05)


def test_a_server_sending_its_headers_slowly_is_cut_off_at_the_deadline():
    # 400 header bytes, one every 0.2 s: 80 s of headers, each read answered in 0.2 s.
    with run_trickle_server(*slow_headers()) as server:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"did not answer within 1 second"):
            fetch_url(server.url + "slow.ics", allow_loopback=True, timeout=1)
        elapsed = time.monotonic() - started
        wait_for_hang_up(server)

    assert server.hung_up == 1  # we left; the server still had headers to send
    assert elapsed < 20  # far from the 80 s the server would have taken


def test_a_server_sending_its_body_slowly_is_cut_off_at_the_deadline():
    body = b"BEGIN:VCALENDAR\r\n" + b"X" * 400 + b"\r\nEND:VCALENDAR\r\n"
    with run_trickle_server(*slow_body("200 OK", "text/calendar", body)) as server:
        with pytest.raises(FetchError, match=r"did not answer within 1 second"):
            fetch_url(server.url + "slow.ics", allow_loopback=True, timeout=1)
        wait_for_hang_up(server)

    assert server.hung_up == 1


def caldav_source(url: str, **options) -> CalDavSource:
    return CalDavSource(
        url,
        "alice",
        "secret",
        calendar_urls=[url + "calendars/alice/work/"],
        default_tz="Europe/London",
        allow_loopback=True,
        **options,
    )


def test_a_caldav_server_trickling_its_answer_is_cut_off_at_the_deadline():
    head, body = slow_body("207 Multi-Status", "application/xml; charset=utf-8", MULTISTATUS)
    with run_trickle_server(head, body) as server:
        source = caldav_source(server.url, timeout=1)
        with pytest.raises(SourceError, match=r"did not answer within 1 second"):
            source.busy(*WINDOW)
        wait_for_hang_up(server)

    assert server.hung_up >= 1


def test_a_caldav_server_sending_headers_slowly_is_cut_off_when_writing_back():
    with run_trickle_server(*slow_headers()) as server:
        writer = CalDavWriter(
            server.url,
            "alice",
            "secret",
            server.url + "calendars/alice/work/",
            timeout=1,
            allow_loopback=True,
        )
        with pytest.raises(SourceError, match=r"did not answer within 1 second"):
            writer.delete("appointment-1@slotwise")


def test_a_caldav_answer_larger_than_the_ics_limit_is_refused():
    big = MULTISTATUS[:-14] + b" " * (5 * 1024 * 1024 + 1) + b"</multistatus>"
    with run_http_server() as server:
        route = Route(status=207, body=big, headers={"Content-Type": "application/xml"})
        for path in ("/", "/calendars/alice/work/"):
            server.add(path, route)
        source = caldav_source(server.base_url + "/")
        with pytest.raises(SourceError, match=r"larger than 5 MB"):
            source.busy(*WINDOW)


def test_a_caldav_answer_without_length_that_grows_too_large_is_refused():
    def endless():
        yield MULTISTATUS[:-14]
        for _ in range(200):  # 12.8 MB, more than twice the limit, if we kept reading
            yield b" " * 65536

    with run_http_server() as server:
        route = Route(status=207, body=endless, headers={"Content-Type": "application/xml"})
        for path in ("/", "/calendars/alice/work/"):
            server.add(path, route)
        source = caldav_source(server.base_url + "/")
        with pytest.raises(SourceError, match=r"larger than 5 MB"):
            source.busy(*WINDOW)


def test_the_deadline_leaves_a_fast_server_alone(http_server):
    feed = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    url = http_server.serve("/fast.ics", feed)

    for _ in range(3):
        assert fetch_url(url, allow_loopback=True, timeout=timedelta(seconds=5).seconds) == feed
