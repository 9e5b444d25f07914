"""Team availability and the /book/ list, on the peer's data shape, in a fresh SQLite database.

- 7 days of a round-robin and of a collective event type of 10 hosts; each host works
  Mon-Fri 09:00-17:00 UTC and carries the peer's shape of existing bookings (N per host, on a
  personal event type of their own): the read must take a fixed number of queries whatever
  the number of hosts.
- GET /book/ listing 50 event types, each with its first free time: a fixed number of queries.
- The JSON API's availability call (`GET /api/v1/event-types/{id}/slots`, 7 days, no token)
  for one host's event type and for the 10-host round-robin, beside the in-process figures.

    python -m bench.teams            # the markdown section (what `make bench` records)
    python -m bench.teams --json     # the measurement only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTS = 10
PER_HOST = 1000
LISTED = 50


def seed(anchor):
    from django.contrib.auth import get_user_model

    from appointments.event_types.services import event_type_create, schedule_create
    from appointments.models import Calendar, Host, Team
    from bench.availability import OFFICE_HOURS, book_rows, dataset, make_clients

    User = get_user_model()
    rows, (first_day, _) = dataset(PER_HOST, anchor)
    clients = make_clients(1000)
    team = Team.objects.create(name="Bench team", slug="bench-team")
    hosts = []
    for index in range(HOSTS):
        host = User.objects.create_user(f"host{index}", password="x")
        schedule = schedule_create(owner=host, time_zone="UTC", hours=OFFICE_HOURS)
        personal = event_type_create(owner=host, name="Own", schedule=schedule)
        book_rows(personal, [host], clients, rows)
        hosts.append(host)
    team_types = {"one_host": personal}
    for assignment in (Calendar.Assignment.ROUND_ROBIN, Calendar.Assignment.COLLECTIVE):
        calendar = Calendar.objects.create(
            provider=hosts[0],
            team=team,
            name=assignment,
            slug=f"team-{assignment}",
            assignment=assignment,
        )
        Host.objects.bulk_create(Host(calendar=calendar, user=host) for host in hosts)
        team_types[assignment] = calendar
    for index in range(LISTED - HOSTS - 2):
        owner = User.objects.create_user(f"solo{index}", password="x")
        schedule = schedule_create(owner=owner, time_zone="UTC", hours=OFFICE_HOURS)
        event_type_create(owner=owner, name=f"Solo {index}", schedule=schedule)
    return team_types, first_day


def run(repeats: int) -> dict:
    from bench.availability import setup_django

    setup_django("teams")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from appointments.availability import selectors as availability
    from appointments.models import Calendar
    from bench.availability import QueryCounter
    from bench.stats import measure

    settings.API_RATE_ADDRESS = "1000000/m"  # the bench is one client asking many times
    team_types, first_day = seed(timezone.now().date())
    start = datetime.combine(first_day, time(0), UTC)
    client = Client()

    def week(calendar):
        def call():
            return availability.available_slots(
                calendar,
                window_start=start,
                window_end=start + timedelta(days=7),
                now=timezone.now(),
            )

        return call

    def book_index():
        response = client.get(reverse("book_index"))
        assert response.status_code == 200
        return [card for card in response.text.split('class="bk-cal-card"')[1:]]

    def api_week(calendar):
        path = f"/api/v1/event-types/{calendar.pk}/slots"
        params = {
            "start": first_day.isoformat(),
            "end": (first_day + timedelta(days=6)).isoformat(),
        }

        def call():
            response = client.get(path, params)
            assert response.status_code == 200, response.content
            return [slot for day in response.json()["days"] for slot in day["slots"]]

        return call

    cases = {f"{kind}_week": week(calendar) for kind, calendar in team_types.items()}
    cases["book_index"] = book_index
    cases["api_one_host_week"] = api_week(team_types["one_host"])
    cases["api_round_robin_week"] = api_week(team_types[Calendar.Assignment.ROUND_ROBIN])
    result = {"hosts": HOSTS, "per_host": PER_HOST, "cases": {}}
    for name, call in cases.items():
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            found = call()
        stats = measure(call, repeats=repeats if name != "book_index" else max(20, repeats // 10))
        result["cases"][name] = {**stats, "queries": counter.count, "items": len(found)}
    return result


def section(result: dict) -> str:
    rows = [
        "## Team availability and the /book/ list",
        "",
        f"{result['hosts']} hosts, each with the peer's data shape ({result['per_host']:,} "
        "bookings per host on an event type of their own, Mon-Fri 09:00-17:00 UTC); 7 days, "
        "in-process (`appointments.availability.selectors.available_slots`). `/book/` lists "
        f"{LISTED} event types with each one's first free time (Django test client). Goals "
        "(issue 9): a team event type of 10 hosts answers 7 days in at most 5 ms, in a number of "
        "queries that does not grow with the hosts (tests: 2 queries with 2 hosts and with 6, "
        "`appointments/booking/tests/test_teams.py`), and `/book/` in a fixed number of queries "
        "(3 for 2 or 8 listed, `appointments/booking/tests/test_views.py`). The API rows are "
        "the JSON API's availability call over the test client (issue 11), without a token.",
        "",
        "| case | median | p95 | CPU median | queries | slots / items |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    labels = {
        "one_host_week": "one host, 7 days",
        "round_robin_week": "round-robin, 10 hosts, 7 days",
        "collective_week": "collective, 10 hosts, 7 days",
        "book_index": f"GET /book/ ({LISTED} event types)",
        "api_one_host_week": "API `GET /api/v1/event-types/{id}/slots`, one host, 7 days",
        "api_round_robin_week": "API, same call, round-robin of 10 hosts, 7 days",
    }
    for name, label in labels.items():
        case = result["cases"][name]
        rows.append(
            f"| {label} | {case['median_ms']:.2f} ms | {case['p95_ms']:.2f} ms | "
            f"{case['cpu_median_ms']:.2f} ms | {case['queries']} | {case['items']} |"
        )
    return "\n".join(rows) + "\n"


def main() -> str:
    """Measure in a child process (its own Django and database); return the markdown section."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.teams", "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return section(json.loads(output.strip().splitlines()[-1]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run(args.repeats)))
    else:
        print(main())
