"""Benchmark: read + score + review throughput of `jixiao check`, in one process.

Builds at least 4,000 forms by repeating the bytes of the seed files
(`tests/data/seeds/*.txt`, or the folder given as the first argument), then times the
whole pipeline over them — reading each file from bytes, scoring and reviewing every
form — and prints forms per second and peak memory. A plain script, no pytest:

    .venv/bin/python benchmarks/check.py [SEEDS_DIR] [--forms N] [--profile NAME]

The target is at least 1,000 forms/s (issue: "Score and review every form").
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from jixiao.pipeline import read_bytes
from jixiao.profile import load_profile
from jixiao.review import review_forms

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "tests" / "data" / "seeds"


def build_inputs(seeds: Path, minimum: int) -> tuple[list[tuple[str, bytes]], int]:
    """Copies of the seed files (each a separate input) until they hold `minimum` forms."""
    files = [(p.name, p.read_bytes()) for p in sorted(seeds.glob("*.txt"))]
    if not files:
        raise SystemExit(f"no seed files in {seeds}")
    per_round = sum(len(read_bytes(data, name).forms) for name, data in files)
    rounds = -(-minimum // per_round)
    inputs = [(f"{i:04d}-{name}", data) for i in range(rounds) for name, data in files]
    return inputs, per_round * rounds


def run(inputs: list[tuple[str, bytes]], profile_name: str) -> tuple[int, int]:
    profile = load_profile(profile_name)
    forms = findings = 0
    for name, data in inputs:
        result = read_bytes(data, name)
        reviews = review_forms(result.forms, file=name, profile=profile)
        forms += len(reviews)
        findings += sum(len(r.findings) for r in reviews)
    return forms, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--forms", type=int, default=4000, help="at least this many forms")
    parser.add_argument("--profile", default="shanghai")
    args = parser.parse_args(argv)

    inputs, expected = build_inputs(args.seeds, args.forms)
    total_bytes = sum(len(data) for _, data in inputs)
    print(f"inputs: {len(inputs)} files, {total_bytes / 1e6:.1f} MB, {expected} forms")

    start = time.perf_counter()
    forms, findings = run(inputs, args.profile)
    elapsed = time.perf_counter() - start
    rate = forms / elapsed
    print(f"read + score + review: {forms} forms, {findings} findings in {elapsed:.2f} s")
    print(f"throughput: {rate:,.0f} forms/s (profile {args.profile})")

    # Memory in a second pass, so that tracing does not slow the timed one.
    tracemalloc.start()
    run(inputs[: max(1, len(inputs) // 8)], args.profile)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak traced memory (1/8 of the inputs): {peak / 1e6:.1f} MB; max RSS {max_rss:.0f} MB")
    if forms != expected:
        print(f"expected {expected} forms, reviewed {forms}", file=sys.stderr)
        return 1
    return 0 if rate >= 1000 else 2


if __name__ == "__main__":
    sys.exit(main())
