from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile, as the peer's harness computes it."""
    return sorted_values[max(0, math.ceil(p / 100.0 * len(sorted_values)) - 1)]


def measure(call: Callable[[], object], *, repeats: int, warmup: int = 20) -> dict:
    for _ in range(warmup):
        call()
    gc.collect()
    samples, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 95),
        # CPU time of this process per call: what the call costs when it has a CPU to itself
        # (on a loaded machine the wall-clock figures include the waits for one).
        "cpu_median_ms": statistics.median(cpu),
        "n": repeats,
    }
