"""Reading throughput: forms/s over a corpus of at least 4,000 real forms.

The corpus is the seeds repeated (each file's bytes read as a new document), so every
rendering — pdftotext, converter TSV — is measured in its real proportion. Prints
forms/s, per-file p95 latency, peak memory and `jixiao --help` start-up time.

    python benchmarks/parse.py [--forms 4000] [--seeds FOLDER]  (default: tests/data/seeds)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from jixiao.pipeline import read_bytes

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=4000)
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of seed *.txt files")
    args = parser.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        sys.exit(f"no seed files in {args.seeds}")
    documents = [(path.name, path.read_bytes()) for path in seeds]
    per_round = sum(len(read_bytes(data, name).forms) for name, data in documents)
    rounds = -(-args.forms // per_round)

    latencies: list[float] = []
    forms = 0
    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in documents:
            t0 = time.perf_counter()
            forms += len(read_bytes(data, name).forms)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start

    tracemalloc.start()
    for name, data in documents:
        read_bytes(data, name)
    _, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    help_times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jixiao", "--help"], capture_output=True, check=True)
        help_times.append(time.perf_counter() - t0)

    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    print(
        f"forms read        {forms} ({rounds} rounds of {len(documents)} files, {per_round} forms)"
    )
    print(f"throughput        {forms / elapsed:,.0f} forms/s (one process)")
    print(f"per-file p95      {p95:.1f} ms")
    print(
        f"peak memory       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB RSS, "
        f"{peak_traced / 1048576:.1f} MB traced while reading the seeds once"
    )
    print(
        f"jixiao --help     {min(help_times) * 1000:.0f} ms (best of 5), "
        f"{statistics.median(help_times) * 1000:.0f} ms median"
    )


if __name__ == "__main__":
    main()
