"""`make bench`: every benchmark, the peer side by side, and docs/benchmarks.md rewritten.

Environment: NS (default "100 1000 10000 100000"), REPEATS (200), PEER=0 to skip the peer.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peers" / "django_appointment"


def ours(ns: list[int], repeats: int) -> dict[int, dict]:
    results = {}
    for n in ns:
        print(f"== ours: N={n}", flush=True)
        output = subprocess.run(
            [sys.executable, "-m", "bench.availability", "--n", str(n), "--repeats", str(repeats)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[n] = json.loads(output.strip().splitlines()[-1])
    return results


def peer(ns: list[int], repeats: int) -> dict[int, dict]:
    if os.environ.get("PEER", "1") == "0" or not (PEER / "run.sh").exists():
        print("== peer skipped (PEER=0 or ../shared/peers/django_appointment missing)")
        return {}
    print("== peer: django-appointment on the same data (its own run.sh)", flush=True)
    env = {**os.environ, "NS": " ".join(map(str, ns)), "REPEATS": str(repeats), "RACE_N": "none"}
    subprocess.run(["bash", str(PEER / "run.sh")], env=env, check=True, stdout=subprocess.DEVNULL)
    found = {}
    for n in ns:
        path = PEER / "results" / f"slots_N{n}.json"
        if path.exists():
            found[n] = json.loads(path.read_text())
    return found


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
    return sections


def main() -> None:
    ns = [int(n) for n in os.environ.get("NS", "100 1000 10000 100000").split()]
    repeats = int(os.environ.get("REPEATS", "200"))
    load_before = os.getloadavg()[0]
    mine, theirs = ours(ns, repeats), peer(ns, repeats)
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
