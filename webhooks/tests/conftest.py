from __future__ import annotations

import socket

import pytest

from webhooks.tests.receiver import ALL_DAY, Receiver


@pytest.fixture
def receiver():
    made = []

    def make(codes=(200,)) -> Receiver:
        made.append(Receiver(codes))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def calendar(provider, make_calendar):
    return make_calendar(provider, slug="hooks", hours=ALL_DAY)


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    listener.close()
