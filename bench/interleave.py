"""Ours and the peer measured in alternating blocks on the same data, so that a change in the
machine's load between two halves of a run cannot skew their ratio.

Each side's database is seeded once per N (ours: `bench.availability --seed`; the peer: its own
`seed_peer` command, as its run.sh does). Then BLOCKS rounds run, in the order ours, peer, peer,
ours, ... (ABBA, so that a steady drift weighs on both alike), each block a fresh process that
warms up and times REPEATS / BLOCKS calls per case. A case's figure is the median of its block
medians (and of its block p95s); the spread of the block medians is kept too.

The peer runs in its own virtual environment (../shared/peers/django_appointment/var/venv, made
from its requirements.txt as its run.sh makes it) and without our DJANGO_SETTINGS_MODULE, which
`make` exports: the peer is a Django project of its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peers" / "django_appointment"
PEER_VENV = Path(os.environ.get("PEER_VENV", PEER / "var" / "venv"))
OUR_ENV_VARIABLES = ("DJANGO_SETTINGS_MODULE", "SQLITE_PATH", "DATABASE_URL", "VIRTUAL_ENV")


def peer_available() -> bool:
    return os.environ.get("PEER", "1") != "0" and (PEER / "manage.py").exists()


def peer_env(n: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OUR_ENV_VARIABLES}
    return {**env, "BENCH_DB": f"var/db_N{n}.sqlite3"}


def _peer(*args: str, n: int) -> str:
    python = str(PEER_VENV / "bin" / "python")
    done = subprocess.run(
        [python, "manage.py", *args],
        cwd=PEER,
        env=peer_env(n),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def peer_prepare(ns: list[int]) -> None:
    if not (PEER_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run(
        [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
        cwd=PEER,
        check=True,
    )
    for n in ns:
        for suffix in ("", ".meta.json"):
            (PEER / "var" / f"db_N{n}.sqlite3{suffix}").unlink(missing_ok=True)
        (PEER / "var").mkdir(exist_ok=True)
        _peer("migrate", "--run-syncdb", "-v0", n=n)
        _peer("seed_peer", "--n", str(n), n=n)


def peer_block(n: int, repeats: int) -> dict:
    out = PEER / "var" / f"block_N{n}.json"
    _peer("bench_slots", "--repeats", str(max(50, repeats)), "--out", str(out), n=n)
    return json.loads(out.read_text())


def ours_seed(n: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.availability", "--n", str(n), "--seed"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def ours_block(n: int, repeats: int) -> dict:
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.availability",
            "--n",
            str(n),
            "--repeats",
            str(repeats),
            "--reuse",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def combine(blocks: list[dict]) -> dict:
    """One result from several blocks: per case the median of the block medians and p95s."""
    first = blocks[0]
    cases = {}
    for name, case in first["cases"].items():
        medians = [block["cases"][name]["median_ms"] for block in blocks]
        cases[name] = {
            **case,
            "median_ms": statistics.median(medians),
            "p95_ms": statistics.median(block["cases"][name]["p95_ms"] for block in blocks),
            "block_medians_ms": medians,
        }
    return {**first, "cases": cases, "blocks": len(blocks)}


def measure(ns: list[int], repeats: int, blocks: int) -> tuple[dict[int, dict], dict[int, dict]]:
    with_peer = peer_available()
    if with_peer:
        print("== peer: its environment and one seeded database per N", flush=True)
        peer_prepare(ns)
    else:
        print("== peer skipped (PEER=0 or ../shared/peers/django_appointment missing)")
    ours, theirs = {}, {}
    per_block = max(1, repeats // blocks)
    for n in ns:
        print(f"== N={n}: seeding ours; {blocks} blocks of each, interleaved", flush=True)
        ours_seed(n)
        mine, peers = [], []
        for index in range(blocks):
            order = ("ours", "peer") if index % 2 == 0 else ("peer", "ours")
            for side in order:
                if side == "ours":
                    mine.append(ours_block(n, per_block))
                elif with_peer:
                    peers.append(peer_block(n, per_block))
        ours[n] = combine(mine)
        if peers:
            theirs[n] = combine(peers)
    return ours, theirs
