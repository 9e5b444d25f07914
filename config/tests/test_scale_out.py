"""Scale-out, for real: two gunicorn servers on two ports against one PostgreSQL database, two
workers, an SMTP server (aiosmtpd). 30 clients log in and book through both servers for
SCALE_OUT_SECONDS (60 by default, the issue's figure): no 5xx, no two active appointments of the
calendar (or of one booker) overlap, and every e-mail the bookings queued arrives exactly once.

PostgreSQL only: SQLite is one file on one machine, which is not what scaling out means."""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as wall

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import Profile
from appointments.models import Appointment
from config.tests.processes import (
    collectstatic,
    free_port,
    log_in,
    procfile,
    production_env,
    started,
    wait_for_http,
)
from conftest import requires_postgres
from notifications.models import OutboundEmail
from notifications.tests.conftest import Inbox, SmtpServer

pytestmark = [
    pytest.mark.skipif(
        requires_postgres.args[0],
        reason="PostgreSQL pass only: several servers and workers share one PostgreSQL database",
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CLIENTS = 30
SECONDS = float(os.environ.get("SCALE_OUT_SECONDS", "60"))
PASSWORD = "scale-out-pass-2026"


@pytest.fixture
def smtp():
    server = SmtpServer(free_port(), Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def calendar(make_user, make_calendar):
    return make_calendar(
        make_user("provider"),
        name="Busy clinic",
        slug="busy-clinic",
        time_zone="UTC",
        hours={day: [(wall(0), wall(0))] for day in range(7)},
        length_minutes=15,
    )


@pytest.fixture
def bookers(settings):
    # The servers run the production hashers (not the tests' fast one): one real hash, shared.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hashed = make_password(PASSWORD)
    model = get_user_model()
    users = model.objects.bulk_create(
        model(username=f"booker{n}", email=f"booker{n}@example.com", password=hashed)
        for n in range(CLIENTS)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    return users


class Tally:
    def __init__(self) -> None:
        # Logging in (a real password hash each) happens before the clock starts.
        self.ready = threading.Barrier(CLIENTS + 1, timeout=300)
        self.stop = 0.0
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.errors: list[str] = []

    def add(self, status: int, what: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.errors.append(what)


def book_until(bases: list[str], username: str, slug: str, tally: Tally) -> None:
    try:
        _book_until(bases, username, slug, tally)
    except Exception as error:  # a thread's exception would otherwise vanish
        with tally.lock:
            tally.errors.append(f"{username}: {error!r}")


def _book_until(bases: list[str], username: str, slug: str, tally: Tally) -> None:
    session = requests.Session()
    try:
        log_in(session, bases[0], username, PASSWORD)
    finally:
        tally.ready.wait()
    tally.ready.wait()  # the clock has started
    stop = tally.stop
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    turn = 0
    while time.monotonic() < stop:
        base = bases[turn % len(bases)]  # both servers, in turn
        turn += 1
        free = session.get(
            f"{base}/appointments/calendars/{slug}/slots/",
            params={"from": tomorrow, "days": 14},
            timeout=30,
        )
        tally.add(free.status_code, f"GET slots via {base}")
        starts = [slot["start"] for slot in free.json()["slots"][:40]] if free.ok else []
        if not starts:
            continue
        start = datetime.fromisoformat(random.choice(starts)).astimezone(UTC)
        answer = session.post(
            f"{base}/book/{slug}/",
            {"slot": f"start:{start:%Y-%m-%dT%H:%M:%SZ}"},
            headers={"X-CSRFToken": session.cookies.get("csrftoken", "")},
            timeout=30,
            allow_redirects=False,
        )
        tally.add(answer.status_code, f"POST book via {base}: {answer.text[:300]}")


def overlaps(column: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM appointments_appointment a JOIN appointments_appointment b
                ON a.{column} = b.{column} AND a.id < b.id
               WHERE a.status = 'confirmed' AND b.status = 'confirmed'
                 AND a.start_time < b.end_time AND b.start_time < a.end_time"""
        )
        return cursor.fetchone()[0]


def wait_until_sent(timeout: float) -> None:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if not OutboundEmail.objects.exclude(state="sent").exists():
            return
        time.sleep(0.5)


def test_two_servers_two_workers_one_database_30_clients(tmp_path, smtp, calendar, bookers):
    ports = [free_port(), free_port()]
    env = production_env(
        tmp_path,
        TLS_BY_PROXY="true",
        SECURE_COOKIES="false",  # plain HTTP between the test's clients and the servers
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        NOTIFY_TICK_SECONDS="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    collectstatic(env)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    tally = Tally()
    with (
        started(procfile()["web"], {**env, "PORT": str(ports[0])}, tmp_path / "web1.log") as web1,
        started(procfile()["web"], {**env, "PORT": str(ports[1])}, tmp_path / "web2.log") as web2,
        started(procfile()["worker"], env, tmp_path / "worker1.log"),
        started(procfile()["worker"], env, tmp_path / "worker2.log"),
    ):
        wait_for_http(bases[0] + "/healthz", web1)
        wait_for_http(bases[1] + "/healthz", web2)
        threads = [
            threading.Thread(target=book_until, args=(bases, user.username, calendar.slug, tally))
            for user in bookers
        ]
        for thread in threads:
            thread.start()
        tally.ready.wait()  # everyone logged in
        tally.stop = time.monotonic() + SECONDS
        tally.ready.wait()  # go
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
        wait_until_sent(timeout=120)
        received = Counter(str(message["Message-ID"]) for message in smtp.inbox.messages)

    booked = Appointment.objects.filter(status="confirmed").count()
    queued = set(OutboundEmail.objects.values_list("message_id", flat=True))
    print(
        f"scale-out: {booked} bookings, {sum(tally.statuses.values())} requests "
        f"{dict(tally.statuses)}, {len(received)} e-mails received"
    )
    assert not tally.errors, tally.errors[:3]
    assert booked > 50
    assert overlaps("calendar_id") == 0
    assert overlaps("user_id") == 0
    assert len(queued) == 2 * booked  # booker and provider
    assert set(received) == queued
    assert set(received.values()) == {1}  # each exactly once
