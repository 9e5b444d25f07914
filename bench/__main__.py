"""`make bench`: every benchmark, the peer side by side, and docs/benchmarks.md rewritten.

Environment: NS (default "100 1000 10000 100000"), REPEATS (200, split over the blocks), BLOCKS
(4: ours and the peer alternate, see bench/interleave.py), PEER=0 to skip the peer; GET_SECONDS
(15) and BOOK_SECONDS (60) for the gunicorn run, BENCH_DATABASE_URL (a PostgreSQL database it may
drop and recreate) to run it on PostgreSQL as well.
"""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import interleave, report

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peers" / "django_appointment"


def other_benchmarks() -> list[str]:
    """Sections of the other benchmarks (each module's main() returns markdown)."""
    sections = []
    try:
        from bench import feed, reminders
    except ImportError:
        return sections
    print("== reminder delivery", flush=True)
    sections.append(reminders.main())
    print("== subscription feed", flush=True)
    sections.append(feed.main())
    from bench import calendar_sync, teams

    print("== calendar sync", flush=True)
    sections.append(calendar_sync.main())
    print("== team availability and the /book/ list", flush=True)
    sections.append(teams.main())
    from bench import throughput

    print("== requests per second through gunicorn", flush=True)
    sections.append(throughput.main())
    return sections


def main() -> None:
    ns = [int(n) for n in os.environ.get("NS", "100 1000 10000 100000").split()]
    repeats = int(os.environ.get("REPEATS", "200"))
    load_before = os.getloadavg()[0]
    blocks = int(os.environ.get("BLOCKS", "4"))
    mine, theirs = interleave.measure(ns, repeats, blocks)
    table = report.availability_table(mine, theirs)
    print(table)
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report.write(
        ROOT / "docs" / "benchmarks.md",
        table,
        other_benchmarks(),
        stamp=stamp,
        machine=machine,
        repeats=repeats,
    )
    print(f"written: docs/benchmarks.md ({stamp})")


if __name__ == "__main__":
    main()
