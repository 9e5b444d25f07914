"""A total time limit for everything one read of a calendar does: connect, TLS, headers, body.

Socket timeouts limit each read, not their sum: a server that sends one byte of its headers
every few seconds never trips them and holds the worker for as long as it likes. A Deadline
starts a timer; every connection opened under it is registered once connected, and when the
time is up the timer shuts those sockets down, which ends a blocked read in the thread that
waits on it. The HTTP libraries then raise their own connection error, and the caller, seeing
`deadline.expired`, reports the deadline instead.

The connection classes of a urllib3 pool manager (requests uses urllib3, caldav's niquests uses
urllib3-future: both have the same pool and connection classes) are wrapped per deadline by
`watched_pools`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        self._timer = threading.Timer(max(seconds, 0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    @property
    def expired(self) -> bool:
        return self._expired or time.monotonic() >= self._ends

    def remaining(self) -> float:
        return max(self._ends - time.monotonic(), 0.0)

    def watch(self, sock: Any) -> None:
        """Shut `sock` down when the time is up (at once if it already is)."""
        if sock is None:
            return
        with self._lock:
            if not self._expired:
                self._sockets.append(sock)
                return
        _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _cut(sock)


def _cut(sock: Any) -> None:
    # shutdown(), unlike close(), wakes a thread blocked in recv() on the socket. A socket the
    # library closed meanwhile has no descriptor any more and raises OSError: nothing to cut.
    with contextlib.suppress(OSError, AttributeError):
        sock.shutdown(socket.SHUT_RDWR)


def watched_pools(deadline: Deadline, pool_classes: dict[str, type]) -> dict[str, type]:
    """Pool classes whose connections register their socket with `deadline` once connected."""
    return {
        scheme: type(
            f"Watched{pool_class.__name__}",
            (pool_class,),
            {"ConnectionCls": _watched_connection(deadline, pool_class.ConnectionCls)},
        )
        for scheme, pool_class in pool_classes.items()
    }


def _watched_connection(deadline: Deadline, connection_class: type) -> type:
    def connect(self) -> None:
        connection_class.connect(self)
        # For HTTPS this is the TLS socket, which owns the descriptor after the handshake.
        deadline.watch(getattr(self, "sock", None))

    return type(f"Watched{connection_class.__name__}", (connection_class,), {"connect": connect})
