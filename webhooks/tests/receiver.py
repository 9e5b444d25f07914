"""A local HTTP receiver for the webhook tests, and what they say about times and messages."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone
from standardwebhooks.webhooks import Webhook

ALL_DAY = {weekday: [(time(0), time(0))] for weekday in range(7)}


class Receiver:
    """An HTTP server on a free loopback port that records each POST and answers from `codes`
    (the last one repeats)."""

    def __init__(self, codes=(200,)) -> None:
        self.codes, self.received = list(codes), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.received.append((headers, body.decode()))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_in(days: int, hour: int = 10) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def verified(secret: str, received) -> list[dict]:
    """The messages received, each checked against its Standard Webhooks signature."""
    return [Webhook(secret).verify(body, headers) for headers, body in received]


def fail_for_three_days(subscription) -> None:
    """A ping that fails now and another that fails 3 days later (the receiver answers 5xx)."""
    from webhooks import services

    now = timezone.now()
    for when in (now, now + timedelta(days=3)):
        services.delivery_attempt(services.ping(subscription=subscription, now=when).pk, now=when)
