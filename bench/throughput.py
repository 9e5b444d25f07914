"""Requests per second through a real gunicorn (production settings, 4 sync workers) on loopback.

- The anonymous booking page (the month) and one day's times of an event type of the peer's
  shape (Mon-Fri 09:00-17:00, 30 minutes), 8 clients for GET_SECONDS each.
- Sustained bookings: 32 signed-in clients, each booking its own distinct times (the htmx POST
  the booking page sends) for BOOK_SECONDS; then the database is checked against the answers:
  one confirmed appointment per "You're booked" answer, none for a refusal, 0 overlaps.

The load generator is this process (threads with keep-alive connections), so it shares the
two CPUs with the server: the figures are what one small machine serves to itself.

    python -m bench.throughput            # the markdown section (SQLite, and PostgreSQL
                                          # when BENCH_DATABASE_URL is set)
    python -m bench.throughput --json     # one measurement, on the database in the environment
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOKERS = 32
READERS = 8
WORKERS = 4
LENGTH = timedelta(minutes=15)
PASSWORD = "bench-pass-2026"
BOOKED = 'id="booking-confirmation"'
PANEL = {"HX-Request": "true", "HX-Target": "booking-panel"}  # what the page's htmx sends


def seed():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.models import Profile
    from appointments.event_types.services import event_type_create, schedule_create
    from bench.availability import OFFICE_HOURS

    User = get_user_model()
    provider = User.objects.create_user("provider", password="x")
    schedule = schedule_create(
        owner=provider, time_zone="UTC", hours={day: [(wall(0), wall(0))] for day in range(7)}
    )
    calendar = event_type_create(
        owner=provider,
        name="Open all day",
        schedule=schedule,
        length_minutes=15,
        step_minutes=15,
        minimum_notice_minutes=0,
        horizon_days=365,
    )
    # The reads: an event type of the peer's shape (Mon-Fri 09:00-17:00, 30 minutes).
    host = User.objects.create_user("office", password="x")
    office = event_type_create(
        owner=host,
        name="Office hours",
        schedule=schedule_create(owner=host, time_zone="UTC", hours=OFFICE_HOURS),
        length_minutes=30,
    )
    hasher = PBKDF2PasswordHasher()  # what the production settings check (not the tests' MD5)
    hashed = hasher.encode(PASSWORD, hasher.salt())
    users = User.objects.bulk_create(
        User(username=f"booker{n}", email=f"booker{n}@example.com", password=hashed)
        for n in range(BOOKERS)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    return calendar, office, users


class Load:
    """Clients in threads: each runs `step(session)` until the clock stops, timing each call."""

    def __init__(self, clients: int) -> None:
        self.ready = threading.Barrier(clients + 1, timeout=600)
        self.stop = 0.0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.errors: list[str] = []

    def run(self, prepare, step) -> None:
        try:
            session = prepare()
        except Exception as error:
            with self.lock:
                self.errors.append(repr(error))
            session = None
        self.ready.wait()
        self.ready.wait()
        while session is not None and time.monotonic() < self.stop:
            started = time.perf_counter()
            try:
                status = step(session)
            except Exception as error:
                with self.lock:
                    self.errors.append(repr(error))
                return
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[status] += 1

    def measure(self, clients: list[tuple], seconds: float) -> dict:
        threads = [threading.Thread(target=self.run, args=client) for client in clients]
        for thread in threads:
            thread.start()
        self.ready.wait()  # prepared (signed in)
        self.stop = time.monotonic() + seconds
        began = time.monotonic()
        self.ready.wait()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        latencies = sorted(self.latencies)
        from bench.stats import percentile

        return {
            "requests": len(latencies),
            "per_second": len(latencies) / elapsed,
            "median_ms": latencies[len(latencies) // 2] if latencies else None,
            "p95_ms": percentile(latencies, 95) if latencies else None,
            "statuses": dict(self.statuses),
            "errors": self.errors[:3],
            "error_count": len(self.errors),
        }


def read_load(base: str, path: str, params: dict, seconds: float, headers=None) -> dict:
    import requests

    load = Load(READERS)

    def step(session):
        answer = session.get(base + path, params=params, headers=headers, timeout=30)
        return answer.status_code

    return load.measure([(requests.Session, step)] * READERS, seconds)


def booking_load(base: str, calendar, users, seconds: float) -> tuple[dict, Counter]:
    import requests

    from config.tests.processes import log_in

    load = Load(BOOKERS)
    first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    answers: Counter = Counter()
    url = f"{base}/book/{calendar.slug}/"

    def client(index: int, username: str):
        def prepare():
            session = requests.Session()
            log_in(session, base, username, PASSWORD)
            session.turn = 0
            return session

        def step(session):
            # Client i books times i, i + 32, i + 64, ... (15 minutes each): distinct times.
            start = first + LENGTH * (index + BOOKERS * session.turn)
            session.turn += 1
            answer = session.post(
                url,
                {"slot": f"start:{start:%Y-%m-%dT%H:%M:%SZ}", "day": f"{start:%Y-%m-%d}"},
                headers={
                    **PANEL,
                    "X-CSRFToken": session.cookies.get("csrftoken", ""),
                    "Referer": url,
                },
                timeout=30,
            )
            with load.lock:
                answers["booked" if BOOKED in answer.text else "refused"] += 1
            return answer.status_code

        return prepare, step

    clients = [client(index, user.username) for index, user in enumerate(users)]
    return load.measure(clients, seconds), answers


def overlaps() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM appointments_occupation a JOIN appointments_occupation b
                ON a.person_id = b.person_id AND a.id < b.id
               WHERE a.start_time < b.end_time AND b.start_time < a.end_time"""
        )
        return cursor.fetchone()[0]


def run(get_seconds: float, book_seconds: float) -> dict:
    from bench.availability import setup_django

    setup_django("throughput")
    from django.db import connection

    from appointments.models import Appointment
    from config.tests.processes import (
        collectstatic,
        free_port,
        procfile,
        production_env,
        started,
        wait_for_http,
    )

    calendar, office, users = seed()
    port = free_port()
    with tempfile.TemporaryDirectory() as var:
        env = production_env(
            Path(var),
            PORT=str(port),
            WEB_CONCURRENCY=str(WORKERS),
            TLS_BY_PROXY="true",
            SECURE_COOKIES="false",
            LOG_LEVEL="WARNING",
            GUNICORN_ACCESS_LOG="/dev/null",
        )
        collectstatic(env)
        base = f"http://127.0.0.1:{port}"
        with started(procfile()["web"], env, Path(var) / "web.log") as web:
            wait_for_http(base + "/healthz", web)
            day = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
            page = f"/book/{office.slug}/"
            month = read_load(base, page, {}, get_seconds)
            times = read_load(base, page, {"day": day}, get_seconds, headers=PANEL)
            booking, answers = booking_load(base, calendar, users, book_seconds)
    confirmed = Appointment.objects.filter(status="confirmed").count()
    return {
        "database": connection.vendor,
        "month_page": month,
        "day_times": times,
        "booking": booking,
        "answers": dict(answers),
        "confirmed_rows": confirmed,
        "rows_match": confirmed == answers["booked"],
        "overlaps": overlaps(),
        "load": os.getloadavg(),
    }


def _cell(case: dict) -> str:
    if not case["requests"]:
        return f"no answer ({case['errors']})"
    return (
        f"{case['per_second']:.0f}/s, median {case['median_ms']:.0f} ms, "
        f"p95 {case['p95_ms']:.0f} ms, {case['requests']:,} requests {case['statuses']}"
        + (f", {case['error_count']} client errors" if case["error_count"] else "")
    )


def section(results: list[dict], get_seconds: float, book_seconds: float) -> str:
    rows = [
        "## Requests per second (gunicorn)",
        "",
        f"gunicorn with the production settings, {WORKERS} sync workers, on loopback; the load "
        "generator (`python -m bench.throughput`: threads with keep-alive connections) runs on "
        f"the same 2 CPUs. Reads: {READERS} anonymous clients for {get_seconds:.0f} s each. "
        f"Bookings: {BOOKERS} signed-in clients for {book_seconds:.0f} s, each booking its own "
        "distinct 15-minute times with the htmx POST of the booking page; afterwards the "
        'confirmed rows are counted against the "You\'re booked" answers, and the per-person '
        "occupation rows checked for overlaps. Goals (issue 15): month page >= 300/s, a day's "
        "times >= 600/s, bookings >= 200/s on SQLite and >= 300/s on PostgreSQL with p95 <= "
        "150 ms.",
        "",
        "| database | case | throughput | checks |",
        "|---|---|---|---|",
    ]
    for result in results:
        db = result["database"]
        booked = result["answers"].get("booked", 0)
        rows.append(f"| {db} | booking page, month (anonymous) | {_cell(result['month_page'])} | |")
        rows.append(f"| {db} | a day's times (anonymous) | {_cell(result['day_times'])} | |")
        rows.append(
            f"| {db} | bookings | {_cell(result['booking'])} | {booked:,} booked answers, "
            f"{result['confirmed_rows']:,} confirmed rows "
            f"({'match' if result['rows_match'] else 'MISMATCH'}), "
            f"{result['overlaps']} overlaps |"
        )
    loads = ", ".join(f"{r['database']} {r['load'][0]:.1f}" for r in results)
    rows += ["", f"Load average (1 min) at the end of each run: {loads}."]
    return "\n".join(rows) + "\n"


def measure_in_child(get_seconds: float, book_seconds: float, env: dict) -> dict:
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.throughput",
            "--json",
            f"--get-seconds={get_seconds}",
            f"--book-seconds={book_seconds}",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(get_seconds: float | None = None, book_seconds: float | None = None) -> str:
    """SQLite, then PostgreSQL when BENCH_DATABASE_URL names a database it may recreate."""
    get_seconds = get_seconds or float(os.environ.get("GET_SECONDS", "15"))
    book_seconds = book_seconds or float(os.environ.get("BOOK_SECONDS", "60"))
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    results = [measure_in_child(get_seconds, book_seconds, env)]
    if url := os.environ.get("BENCH_DATABASE_URL"):
        recreate_postgres(url)
        results.append(measure_in_child(get_seconds, book_seconds, {**env, "DATABASE_URL": url}))
    return section(results, get_seconds, book_seconds)


def recreate_postgres(url: str) -> None:
    from urllib.parse import urlsplit

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    for statement in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", statement], check=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--get-seconds", type=float, default=15)
    parser.add_argument("--book-seconds", type=float, default=60)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run(args.get_seconds, args.book_seconds)))
    else:
        print(main(args.get_seconds, args.book_seconds))
