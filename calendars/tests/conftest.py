"""Fixtures: real Radicale and Xandikos servers for the session, a small HTTP server per test, and a
guard that fails any test whose code tries to connect anywhere but this machine."""

from __future__ import annotations

import ipaddress
import socket
import uuid
from collections.abc import Iterator

import caldav
import pytest

from calendars.tests.servers import (
    HttpServer,
    RadicaleServer,
    XandikosServer,
    run_http_server,
    run_radicale,
    run_xandikos,
)


@pytest.fixture(scope="session")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    with run_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture(scope="session")
def xandikos_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XandikosServer]:
    with run_xandikos(tmp_path_factory.mktemp("xandikos")) as server:
        yield server


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    with run_http_server() as server:
        yield server


@pytest.fixture
def dav_calendar(radicale_server: RadicaleServer) -> caldav.Calendar:
    """A fresh, empty calendar in the Radicale account, made with the caldav library."""
    client = caldav.DAVClient(
        url=radicale_server.url,
        username=radicale_server.username,
        password=radicale_server.password,
        enable_rfc6764=False,
    )
    return client.principal().make_calendar(name=f"Test {uuid.uuid4().hex[:8]}")


@pytest.fixture(autouse=True)
def outside_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Refuse and record connections to anything but loopback; the test fails if there were any.

    The address checks under test must refuse private addresses *before* connecting, and no
    test may send traffic off this machine.
    """
    attempts: list[object] = []
    original_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: no connections to {address}")
        original_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], f"the code tried to connect to {attempts}"


def _is_loopback(address: object) -> bool:
    host = str(address[0]) if isinstance(address, tuple) else str(address)
    return ipaddress.ip_address(host.split("%")[0]).is_loopback
