"""What the benchmarks share: timing a command over several runs, and saying the spread."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(command: Callable[[], object], runs: int) -> list[float]:
    """Seconds each of `runs` calls of `command` took."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        command()
        times.append(time.perf_counter() - start)
    return times


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"
