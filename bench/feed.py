"""The subscription feed of a provider with 5,000 appointments: the time to build its body
(`calendars.feed.feed_ics`: the query and the calendar file) and its size, plain and gzipped.

    python -m bench.feed            # prints the markdown section (what `make bench` records)
    python -m bench.feed --json     # the measurement only, as one JSON line
    python -m bench.feed --json --label before    # the same, labelled (see --before below)

The measurement runs in a child process with its own fresh SQLite database (var/bench/), so the
caller needs no Django setup. `--before FILE` puts a JSON line measured on an older checkout
(the same module run there) beside the new figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "feed.sqlite3"
APPOINTMENTS = 5_000
REPEATS = 7
BEFORE = ROOT / "bench" / "feed_before.json"
# Text that stresses the writer: escaping, folding, multi-byte characters.
DESCRIPTION = "Follow-up; bring the report, the scans\\x-rays and a list of questions 😀 " * 2


def setup_django() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(count: int):
    """One provider, `count` confirmed appointments by 100 clients, half past, half future."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from appointments.event_types.services import event_type_create
    from appointments.models import Appointment, AppointmentHost

    User = get_user_model()
    provider = User.objects.create_user(
        "bench-provider", "provider@example.com", "x", first_name="Dana", last_name="Provider"
    )
    calendar = event_type_create(owner=provider, name="Consultations", slug="bench")
    clients = [
        User.objects.create_user(f"c{i}", f"c{i}@example.com", "x", first_name=f"Client {i}")
        for i in range(100)
    ]
    now = timezone.now()
    first = now - timedelta(days=150)
    booked = Appointment.objects.bulk_create(
        Appointment(
            user=clients[i % len(clients)],
            calendar=calendar,
            start_time=first + timedelta(minutes=45 * i),
            end_time=first + timedelta(minutes=45 * i + 30),
            description=DESCRIPTION,
        )
        for i in range(count)
    )
    # The feed carries what a person hosts (issue 9: hosts are rows, not the calendar's owner).
    AppointmentHost.objects.bulk_create(
        AppointmentHost(appointment=appointment, user=provider) for appointment in booked
    )
    return provider, now


def measure(count: int, repeats: int, label: str) -> dict:
    load_before = os.getloadavg()[0]
    setup_django()
    from calendars import feed

    provider, now = seed(count)
    timings, body = [], b""
    for _ in range(repeats):
        started = time.perf_counter()
        body = feed.feed_ics(provider, now=now)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    compressed = gzip.compress(body, compresslevel=6)  # what Django's GZipMiddleware uses
    gzip_s = time.perf_counter() - started
    return {
        "label": label,
        "appointments": count,
        "events": body.count(b"BEGIN:VEVENT"),
        "median_s": statistics.median(timings),
        "min_s": min(timings),
        "bytes": len(body),
        "gzip_bytes": len(compressed),
        "gzip_s": gzip_s,
        "load": [load_before, os.getloadavg()[0]],
        "cpus": os.cpu_count(),
    }


def _row(result: dict) -> str:
    return (
        f"| {result['label']} | {result['appointments']:,} | {result['events']:,} "
        f"| {result['median_s'] * 1000:.0f} ms | {result['min_s'] * 1000:.0f} ms "
        f"| {result['bytes'] / 1e6:.2f} MB | {result['gzip_bytes'] / 1e3:.0f} kB "
        f"({result['gzip_s'] * 1000:.0f} ms) |"
    )


def section(after: dict, before: dict | None) -> str:
    rows = [_row(before)] if before else []
    rows.append(_row(after))
    speedup = ""
    if before:
        ratio = before["median_s"] / after["median_s"]
        speedup = f"\nBuilding the feed is {ratio:.1f}× faster than before (goal: at least 5×).\n"
    table = "\n".join(rows)
    return f"""## Subscription feed

A provider with {after["appointments"]:,} appointments, each with a description of 150 characters
that must be escaped and folded: the time `calendars.feed.feed_ics` takes to build the body of
the feed (its one query and the calendar file), median and best of {REPEATS} runs, on SQLite
(`python -m bench.feed`). The size is the body as sent without and with gzip (level 6, what
Django's `GZipMiddleware` uses when the calendar app asks for it; the time to compress it in
brackets). *before* is the same module run on the code before issue 12 (the feed built with
icalendar's object model); *after* is the writer in `calendars/ics/export.py`. Goal (issue 15):
at most 0.2 s for 5,000 appointments.

| code | appointments | events | build, median | build, best | size | gzipped |
|---|---:|---:|---:|---:|---:|---:|
{table}
{speedup}
Measured on a shared machine: 1-minute load average {after["load"][0]:.1f} before and
{after["load"][1]:.1f} after, on {after["cpus"]} CPUs.
"""


def _child(label: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.feed", "--json", "--label", label],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(before_path: Path = BEFORE) -> str:
    """For `make bench`: measure in a child process, print and return the markdown section."""
    before = json.loads(before_path.read_text()) if before_path.exists() else None
    text = section(_child("after"), before)
    print(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--label", default="after")
    parser.add_argument("--appointments", type=int, default=APPOINTMENTS)
    parser.add_argument("--before", type=Path, default=BEFORE)
    arguments = parser.parse_args()
    if arguments.json:
        print(json.dumps(measure(arguments.appointments, REPEATS, arguments.label)))
    else:
        main(arguments.before)
