"""Calendar sync: one source synced end to end (`calendars.services.source_sync`: the fetch over
loopback HTTP, parsing, expansion, merging, the write of its busy blocks), for the two files of
issue 14: a 5 MB feed of plain events, and 50 events repeating every 15 minutes (5.8 KB).

    python -m bench.calendar_sync            # the markdown section (what `make bench` records)
    python -m bench.calendar_sync --json KIND  # one measurement, as one JSON line (child process)

Each measurement runs in a fresh child process with its own SQLite database (var/bench/), so its
peak memory is its own: the growth of the process's maximum resident set during the sync.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "calendar_sync.sqlite3"
KINDS = {
    "plain": "5 MB feed, plain events (all in the window)",
    "minutely": "50 events, RRULE:FREQ=MINUTELY;INTERVAL=15",
}
# The same measurement on main's code before issue 14 (commit c57324d), on this machine, with
# this module and calendars/tests/busy_files.py copied into a checkout of it.
# Measured 2026-12-02 (load average about 1.5 on 2 CPUs).
BEFORE = {
    "plain": {"seconds": 31.95, "peak_mb": 286.8, "blocks": 36_303},
    "minutely": {"seconds": 72.12, "peak_mb": 680.9, "blocks": 297_544},
}


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


def calendar_file(kind: str, start: datetime) -> bytes:
    from calendars.tests.busy_files import minutely_file, plain_events_file

    return plain_events_file(start) if kind == "plain" else minutely_file(start)


def measure(kind: str) -> dict:
    setup_django()
    from django.contrib.auth import get_user_model

    from appointments.event_types.services import event_type_create
    from calendars import services
    from calendars.models import BusyBlock, BusySource
    from calendars.tests.servers import run_http_server

    now = datetime.now(UTC)
    data = calendar_file(kind, now - timedelta(days=1))
    provider = get_user_model().objects.create_user("bench", "bench@example.com", "x")
    # Busy sources belong to people (issue 9); the person offers one event type, whose
    # horizon bounds the window read.
    event_type_create(owner=provider, name="Bench", slug="bench")
    with run_http_server() as server:
        url = server.serve("/feed.ics", data)
        source = BusySource.objects.create(user=provider, kind="ics", name="Bench", url=url)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        ok = services.source_sync(source, now=now)
        seconds = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    source.refresh_from_db()
    return {
        "kind": kind,
        "bytes": len(data),
        "ok": ok,
        "seconds": round(seconds, 2),
        "peak_mb": round((rss_after - rss_before) / 1024, 1),
        "blocks": BusyBlock.objects.filter(source=source).count(),
        "message": source.last_error,
    }


def run_child(kind: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.calendar_sync", "--json", kind],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _cell(value, unit: str) -> str:
    return "–" if value is None else f"{value:,}{unit}"


def section(results: list[dict]) -> str:
    rows = [
        "| file | size | before: time / peak memory / busy blocks | after: time / peak memory / busy blocks | message on the source |",
        "|---|---:|---|---|---|",
    ]
    for result in results:
        before = BEFORE[result["kind"]]
        rows.append(
            f"| {KINDS[result['kind']]} | {result['bytes'] / 1024:,.1f} KB | "
            f"{_cell(before['seconds'], ' s')} / {_cell(before['peak_mb'], ' MB')} / "
            f"{_cell(before['blocks'], '')} | {result['seconds']:.2f} s / {result['peak_mb']:,.1f} MB"
            f" / {result['blocks']:,} | {result['message'] or '–'} |"
        )
    return "\n".join(
        [
            "## Calendar sync",
            "",
            "One source synced end to end (`calendars.services.source_sync`: fetch over loopback,",
            "parse, expand, merge, write the busy blocks; SQLite), each in a fresh process; peak",
            "memory is the growth of that process's maximum resident set during the sync.",
            "Goal (issue 14): the 5 MB file in under 5 s and 100 MB. Plain events are read without",
            "icalendar; repeating ones are expanded day by day under a budget of 20,000",
            "occurrences per source, after which the rest of the window counts as busy and the",
            "source says so; overlapping busy time is merged before it is stored.",
            "",
            *rows,
        ]
    )


def main() -> str:
    return section([run_child(kind) for kind in KINDS])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", choices=sorted(KINDS))
    arguments = parser.parse_args()
    if arguments.json:
        print(json.dumps(measure(arguments.json)))
    else:
        print(main())
