from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from calendars.fetch import FetchError, check_url, ensure_allowed, fetch_url
from calendars.tests.servers import (
    HttpServer,
    Route,
    run_http_server,
    self_signed_certificate,
    server_tls_context,
)

FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
SIX_MB = 6 * 1024 * 1024


def megabytes_of_x(total: int) -> Iterator[bytes]:
    chunk = b"x" * (64 * 1024)
    for _ in range(total // len(chunk)):
        yield chunk


def test_it_fetches_a_feed(http_server: HttpServer) -> None:
    url = http_server.serve("/feed.ics", FEED)

    assert fetch_url(url, allow_loopback=True) == FEED


def test_it_asks_for_calendars_with_the_real_host_name(http_server: HttpServer) -> None:
    url = http_server.serve("/feed.ics", FEED).replace("127.0.0.1", "localhost")

    fetch_url(url, allow_loopback=True)

    (request,) = http_server.received
    assert request.headers["Host"] == f"localhost:{http_server.port}"
    assert "text/calendar" in request.headers["Accept"]


def test_credentials_in_the_address_are_sent_as_basic_auth(http_server: HttpServer) -> None:
    url = http_server.serve("/private.ics", FEED).replace("http://", "http://sam:s%40cret@")

    fetch_url(url, allow_loopback=True)

    assert http_server.received[0].headers["Authorization"] == "Basic c2FtOnNAY3JldA=="


def test_loopback_is_refused_unless_allowed(http_server: HttpServer) -> None:
    url = http_server.serve("/feed.ics", FEED)

    with pytest.raises(FetchError, match=r"this server itself \(127\.0\.0\.1\)"):
        fetch_url(url)
    assert http_server.received == []
    assert fetch_url(url, allow_private=True) == FEED


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/feed.ics", "Only http://, https:// and webcal://"),
        ("file:///etc/passwd", "Only http://, https:// and webcal://"),
        ("javascript:alert(1)", "Only http://, https:// and webcal://"),
        ("feed.ics", "Only http://, https:// and webcal://"),
        ("http:///feed.ics", "not a valid web address"),
        ("http://127.0.0.1:port/feed.ics", "not a valid web address"),
    ],
)
def test_addresses_that_are_not_web_addresses_are_refused(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch_url(url, allow_loopback=True)


def test_a_missing_page_reports_the_status(http_server: HttpServer) -> None:
    with pytest.raises(FetchError, match=r"^The server answered 404 Not Found\.$"):
        fetch_url(http_server.url("/nothing.ics"), allow_loopback=True)


def test_a_server_error_reports_the_status(http_server: HttpServer) -> None:
    url = http_server.add("/broken.ics", Route(status=503))

    with pytest.raises(FetchError, match=r"^The server answered 503 Service Unavailable\.$"):
        fetch_url(url, allow_loopback=True)


def test_a_body_over_the_limit_is_cut_off(http_server: HttpServer) -> None:
    # No Content-Length: the size is only known by reading.
    url = http_server.add("/huge.ics", Route(body=lambda: megabytes_of_x(SIX_MB)))

    with pytest.raises(FetchError, match="larger than 5 MB"):
        fetch_url(url, allow_loopback=True)


def test_a_body_exactly_at_the_limit_is_accepted(http_server: HttpServer) -> None:
    url = http_server.add("/edge.ics", Route(body=lambda: megabytes_of_x(1024 * 1024)))

    assert len(fetch_url(url, allow_loopback=True, max_bytes=1024 * 1024)) == 1024 * 1024


def test_a_declared_length_over_the_limit_is_refused_without_reading(
    http_server: HttpServer,
) -> None:
    # The server announces 6 MB but sends a few bytes: only the header can have refused it.
    url = http_server.add(
        "/announced.ics", Route(body=lambda: [FEED], headers={"Content-Length": str(SIX_MB)})
    )

    with pytest.raises(FetchError, match="larger than 5 MB"):
        fetch_url(url, allow_loopback=True)


def test_a_slow_server_times_out(http_server: HttpServer) -> None:
    url = http_server.add("/slow.ics", Route(body=FEED, delay=2))

    with pytest.raises(FetchError, match=r"did not answer within 0\.3 seconds"):
        fetch_url(url, allow_loopback=True, timeout=0.3)


def test_a_closed_port_is_reported_in_plain_words() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]

    with pytest.raises(FetchError, match=r"Could not connect to 127\.0\.0\.1"):
        fetch_url(f"http://127.0.0.1:{port}/feed.ics", allow_loopback=True)


def test_redirects_are_followed_to_the_feed(http_server: HttpServer) -> None:
    http_server.serve("/feed.ics", FEED)
    http_server.redirect("/moved", "/feed.ics", status=301)
    start = http_server.redirect("/old", http_server.url("/moved"), status=307)

    assert fetch_url(start, allow_loopback=True) == FEED
    assert http_server.requested == ["/old", "/moved", "/feed.ics"]


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    http_server: HttpServer, outside_connections: list[object]
) -> None:
    url = http_server.redirect("/feed.ics", "http://10.0.0.1/x")

    with pytest.raises(
        FetchError,
        match=r"^The address points to a private network \(10\.0\.0\.1\), which is not allowed\.$",
    ):
        fetch_url(url, allow_loopback=True)
    assert outside_connections == []
    assert http_server.requested == ["/feed.ics"]


def test_host_names_are_resolved_before_they_are_judged() -> None:
    with pytest.raises(FetchError, match=r"this server itself \(127\.0\.0\.1\)"):
        check_url("http://localhost:8000/admin")


def test_endless_redirects_stop(http_server: HttpServer) -> None:
    url = http_server.redirect("/loop", "/loop")

    with pytest.raises(FetchError, match="redirected more than 3 times"):
        fetch_url(url, allow_loopback=True, max_redirects=3)
    assert len(http_server.requested) == 4


def test_a_redirect_without_a_location_is_an_error(http_server: HttpServer) -> None:
    url = http_server.add("/nowhere", Route(status=302))

    with pytest.raises(FetchError, match="302 Found without a new address"):
        fetch_url(url, allow_loopback=True)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("10.0.0.5", "The address points to a private network (10.0.0.5), which is not allowed."),
        ("192.168.1.1", "a private network (192.168.1.1)"),
        ("172.16.0.1", "a private network (172.16.0.1)"),
        ("fd00::1", "a private network (fd00::1)"),
        ("127.0.0.1", "this server itself (127.0.0.1)"),
        ("127.8.9.10", "this server itself (127.8.9.10)"),
        ("::1", "this server itself (::1)"),
        ("169.254.169.254", "a link-local address (169.254.169.254)"),
        ("fe80::1", "a link-local address (fe80::1)"),
        ("224.0.0.1", "a multicast address (224.0.0.1)"),
        ("ff02::1", "a multicast address (ff02::1)"),
        ("0.0.0.0", "an unspecified address (0.0.0.0)"),
        ("::", "an unspecified address (::)"),
        ("100.64.0.1", "a reserved address (100.64.0.1)"),
        ("240.0.0.1", "(240.0.0.1)"),
        ("::ffff:10.0.0.1", "a private network (10.0.0.1)"),
        ("::ffff:127.0.0.1", "this server itself (127.0.0.1)"),
    ],
)
def test_non_public_addresses_are_refused_with_a_reason(address: str, message: str) -> None:
    with pytest.raises(FetchError) as refused:
        ensure_allowed(ipaddress.ip_address(address), allow_private=False, allow_loopback=False)
    assert message in str(refused.value)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "151.101.1.69"])
def test_public_addresses_are_allowed(address: str) -> None:
    # ensure_allowed raises FetchError to refuse; returning None is the "allowed" answer.
    assert (
        ensure_allowed(ipaddress.ip_address(address), allow_private=False, allow_loopback=False)
        is None
    )


def test_allowing_loopback_allows_only_loopback() -> None:
    for loopback in ("127.0.0.1", "127.255.0.1", "::1"):
        ensure_allowed(ipaddress.ip_address(loopback), allow_private=False, allow_loopback=True)
    for other in ("10.0.0.5", "169.254.169.254", "0.0.0.0"):
        with pytest.raises(FetchError):
            ensure_allowed(ipaddress.ip_address(other), allow_private=False, allow_loopback=True)


def test_allowing_private_addresses_allows_them_all() -> None:
    for address in ("10.0.0.5", "127.0.0.1", "169.254.169.254", "fd00::1"):
        allowed = ensure_allowed(
            ipaddress.ip_address(address), allow_private=True, allow_loopback=False
        )
        assert allowed is None  # no FetchError: allowed


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",  # 127.0.0.1 in hexadecimal, shortened
        "http://017700000001/",  # 127.0.0.1 in octal
        "http://[::ffff:7f00:1]/",  # IPv4-mapped IPv6
        "http://[::1]:8080/",
        "http://0/",
    ],
)
def test_disguised_loopback_addresses_are_recognised(url: str) -> None:
    with pytest.raises(FetchError, match=r"this server itself|unspecified"):
        check_url(url)


def test_the_guard_catches_connections_leaving_this_machine(
    outside_connections: list[object],
) -> None:
    # The fixture guarding the redirect test must see connections made by requests itself.
    with pytest.raises(requests.ConnectionError):
        requests.get("http://10.255.255.1/", timeout=1)
    assert outside_connections == [("10.255.255.1", 80)]
    outside_connections.clear()


# --- TLS: the connection goes to the checked address, the certificate is checked by name ----


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"), "localhost")


@pytest.fixture
def https_server(localhost_certificate: tuple[Path, Path]) -> Iterator[HttpServer]:
    with run_http_server(tls=server_tls_context(*localhost_certificate)) as server:
        yield server


def test_https_is_fetched_from_the_pinned_address_with_the_certificate_checked_by_name(
    https_server: HttpServer, localhost_certificate: tuple[Path, Path]
) -> None:
    https_server.serve("/feed.ics", FEED)
    url = f"https://localhost:{https_server.port}/feed.ics"

    assert fetch_url(url, allow_loopback=True, ca_bundle=str(localhost_certificate[0])) == FEED
    assert https_server.received[0].headers["Host"] == f"localhost:{https_server.port}"


def test_webcal_addresses_are_fetched_over_https(
    https_server: HttpServer, localhost_certificate: tuple[Path, Path]
) -> None:
    https_server.serve("/feed.ics", FEED)
    url = f"webcal://localhost:{https_server.port}/feed.ics"

    assert fetch_url(url, allow_loopback=True, ca_bundle=str(localhost_certificate[0])) == FEED


def test_a_certificate_for_another_name_is_refused(
    https_server: HttpServer, localhost_certificate: tuple[Path, Path]
) -> None:
    https_server.serve("/feed.ics", FEED)
    # 127.0.0.1 is where localhost points, but the certificate names only "localhost".
    url = f"https://127.0.0.1:{https_server.port}/feed.ics"

    with pytest.raises(FetchError, match="certificate is not valid"):
        fetch_url(url, allow_loopback=True, ca_bundle=str(localhost_certificate[0]))


def test_an_untrusted_certificate_is_refused(https_server: HttpServer) -> None:
    https_server.serve("/feed.ics", FEED)

    with pytest.raises(FetchError, match="certificate is not valid"):
        fetch_url(f"https://localhost:{https_server.port}/feed.ics", allow_loopback=True)
