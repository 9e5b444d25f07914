"""Availability speed on the peer's data shape, for one N, in a fresh SQLite database.

One calendar (UTC), 30-minute slots, Monday-Friday 09:00-17:00, 12 of 16 slots booked on each
seeded working day: exactly the rows of ../shared/peers/django_appointment/benchharness/dataset.py
(imported from there when present, so both systems load the same data). Prints one JSON line.

    python -m bench.availability --n 1000 --repeats 200          # a fresh database, then measure
    python -m bench.availability --n 1000 --seed                 # only seed (var/bench/)
    python -m bench.availability --n 1000 --repeats 40 --reuse   # measure on today's database
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peers" / "django_appointment"


def database_path(n) -> Path:
    return ROOT / "var" / "bench" / f"availability_N{n}.sqlite3"


def setup_django(n, *, fresh: bool = True) -> None:
    """Django on the benchmark's own SQLite file; `fresh` starts it empty and migrated."""
    database = database_path(n)
    database.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(database)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def dataset(n: int, anchor: date):
    sys.path.insert(0, str(PEER))
    from benchharness.dataset import generate, target_window

    return list(generate(n, anchor)), target_window(anchor)


OFFICE_HOURS = {weekday: [(time(9), time(17))] for weekday in range(5)}


def book_rows(calendar, hosts: list, clients: list, rows) -> None:
    """The rows the booking service writes for each (day, start, end, client) of the peer's
    dataset: the generated slot, the appointment, its host rows and every person's occupation."""
    from appointments.models import Appointment, AppointmentHost, Occupation, TimeSlot

    for begin in range(0, len(rows), 5000):
        chunk = rows[begin : begin + 5000]
        slots = TimeSlot.objects.bulk_create(
            TimeSlot(
                calendar=calendar,
                host=hosts[0] if len(hosts) == 1 else None,
                start_time=datetime.combine(day, start, UTC),
                end_time=datetime.combine(day, end, UTC),
                is_generated=True,
            )
            for day, start, end, _ in chunk
        )
        booked = Appointment.objects.bulk_create(
            Appointment(
                user=clients[c],
                calendar=calendar,
                time_slot=s,
                start_time=s.start_time,
                end_time=s.end_time,
            )
            for s, (_, _, _, c) in zip(slots, chunk, strict=True)
        )
        AppointmentHost.objects.bulk_create(
            AppointmentHost(appointment=a, user=host) for a in booked for host in hosts
        )
        Occupation.objects.bulk_create(
            Occupation(
                appointment=a,
                person=person,
                is_host=person in hosts,
                start_time=a.start_time,
                end_time=a.end_time,
            )
            for a in booked
            for person in [*hosts, a.user]
        )


def make_clients(count: int, prefix: str = "client") -> list:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return User.objects.bulk_create(
        User(username=f"{prefix}{i}", password="!") for i in range(count)
    )


def seed(n: int, anchor: date):
    from django.contrib.auth import get_user_model

    from appointments.event_types.services import event_type_create, schedule_create

    rows, (first_day, _) = dataset(n, anchor)
    provider = get_user_model().objects.create_user("bench-provider", password="x")
    schedule = schedule_create(owner=provider, time_zone="UTC", hours=OFFICE_HOURS)
    calendar = event_type_create(owner=provider, name="Bench", slug="bench", schedule=schedule)
    book_rows(calendar, [provider], make_clients(1000), rows)
    return calendar, first_day


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def seeded(n: int):
    """The event type and first day of a database seeded earlier today (`--seed`)."""
    from django.utils import timezone

    from appointments.models import Calendar

    _, (first_day, _) = dataset(n, timezone.now().date())
    return Calendar.objects.get(slug="bench"), first_day


def run(n: int, repeats: int, *, reuse: bool = False) -> dict:
    setup_django(n, fresh=not reuse)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from appointments.availability import selectors as availability
    from bench.stats import measure

    calendar, first_day = seeded(n) if reuse else seed(n, timezone.now().date())
    day_start = datetime.combine(first_day, time(0), UTC)
    url = reverse("calendar_slots", args=[calendar.slug])
    client = Client()

    def in_process(days: int):
        def call():
            return availability.available_slots(
                calendar,
                window_start=day_start,
                window_end=day_start + timedelta(days=days),
                now=timezone.now(),
            )

        return call

    def over_http(days: int):
        def call():
            response = client.get(url, {"from": first_day.isoformat(), "days": days, "tz": "UTC"})
            assert response.status_code == 200, response.content[:200]
            return response.json()["slots"]

        return call

    cases = {
        "fn_day": in_process(1),
        "fn_week": in_process(7),
        "http_day": over_http(1),
        "http_week": over_http(7),
    }
    result = {"n": n, "first_day": first_day.isoformat(), "cases": {}}
    for name, call in cases.items():
        counter = QueryCounter()
        # Counted with a wrapper, not CaptureQueriesContext: a request start resets the query log.
        with connection.execute_wrapper(counter):
            found = call()
        stats = measure(call, repeats=repeats)
        result["cases"][name] = {**stats, "queries": counter.count, "slots": len(found)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--seed", action="store_true", help="only create and seed the database")
    parser.add_argument("--reuse", action="store_true", help="measure on the database seeded today")
    args = parser.parse_args()
    if args.seed:
        setup_django(args.n)
        from django.utils import timezone

        seed(args.n, timezone.now().date())
        print(json.dumps({"n": args.n, "seeded": str(database_path(args.n))}))
        return
    print(json.dumps(run(args.n, args.repeats, reuse=args.reuse)))


if __name__ == "__main__":
    main()
