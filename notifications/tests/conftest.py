"""A real SMTP server (aiosmtpd) on a free loopback port, and helpers to read what it received."""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import threading
import time
from email import policy
from email.message import EmailMessage

import icalendar
import pytest
from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every accepted message. `mail_delay` slows each transaction at
    MAIL FROM, i.e. before the message exists, so a client killed during it has sent nothing."""

    def __init__(self, mail_delay: float = 0.0) -> None:
        self.mail_delay = mail_delay
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_delay:
            await asyncio.sleep(self.mail_delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


class SmtpServer:
    def __init__(self, port: int, inbox: Inbox) -> None:
        self.port, self.inbox = port, inbox
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_down(settings):
    """Settings pointing at a loopback port where no SMTP server listens (yet): `.start()` it."""
    server = SmtpServer(free_port(), Inbox())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down) -> Inbox:
    """A running SMTP server that the e-mail backend talks to; returns what it received."""
    smtp_down.start()
    return smtp_down.inbox


def calendar_part(message: EmailMessage):
    """The text/calendar part: (its Content-Type method parameter, parsed icalendar)."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), icalendar.Calendar.from_ical(part.get_content())
    raise AssertionError(f"no text/calendar part in {message['Subject']!r}")


def only_event(parsed):
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert len(events) == 1, events
    return events[0]


def bodies(message: EmailMessage) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )
