"""Benchmark: `jixiao parse --json` and `jixiao check --json` as users run them.

Every figure is a whole `python -m jixiao …` process (start-up, reading, review, the
JSON written to a file), run `--runs` times on the same files, printed as the median
with the spread, and beside it the floor measured in the same run: a process that reads
the same bytes, decodes and splits them into lines, the least any reader must do.

    python benchmarks/commands.py [--runs 5] [--forms 4000] [--linear 1,10,100,1000]

Corpora:
- **seeds × 100**: seeds 000 and 001 of `tests/data/seeds`, 100 copies each under
  distinct names (4,400 forms): the corpus issue 14's targets are stated on;
- **demo**: distinct forms of the demo generator, 20 to a file, rendered through every
  text rendering the readers take (converter TSV, markdown pipe tables, HTML,
  pdftotext-style text), so that no seed repeated flatters a cache;
- **one file**: seed 001 repeated 1×, 10×, 100×, 1,000× in one file: forms/s and peak
  memory per form must stay flat (time and memory linear in the file).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpora import FLOOR, SEEDS, demo_corpus, seeds_corpus


def run(args: list[str], out: Path) -> tuple[float, int]:
    """(seconds, peak RSS in KB) of one process writing its stdout to `out`."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # check exits 1 when a form has an error
        raise SystemExit(f"{' '.join(args)} failed with {process.returncode}")
    return elapsed, usage.ru_maxrss


def measure(args: list[str], runs: int, out: Path) -> tuple[list[float], int]:
    times, peak = [], 0
    for _ in range(runs):
        seconds, rss = run(args, out)
        times.append(seconds)
        peak = max(peak, rss)
    return times, peak


def describe(label: str, forms: int, times: list[float], floor: float, peak: int) -> str:
    median = statistics.median(times)
    return (
        f"  {label:<26} {forms / median:8,.0f} forms/s  "
        f"({forms / max(times):,.0f}–{forms / min(times):,.0f})  "
        f"{median:6.2f} s  {median / floor:5.1f}× floor  {peak / 1024:6.0f} MB peak"
    )


def bench_folder(name: str, folder: Path, forms: int, runs: int, work: Path) -> None:
    python = sys.executable
    out = work / "out.json"
    floor_times, _ = measure([python, "-c", FLOOR, str(folder)], runs, out)
    floor = statistics.median(floor_times)
    files = sum(1 for _ in folder.iterdir())
    print(
        f"\n{name}: {forms:,} forms in {files} files; floor {floor:.3f} s (read + decode + split)"
    )
    for label, command in (
        ("parse --json --jobs 1", ["parse", "--json", "--jobs", "1"]),
        ("parse --json --jobs 2", ["parse", "--json", "--jobs", "2"]),
        ("check --json --jobs 1", ["check", "--json", "--jobs", "1"]),
        ("check --json --jobs 2", ["check", "--json", "--jobs", "2"]),
    ):
        times, peak = measure([python, "-m", "jixiao", *command, str(folder)], runs, out)
        print(describe(label, forms, times, floor, peak))


def bench_linear(factors: list[int], runs: int, work: Path) -> None:
    seed = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    python = sys.executable
    out = work / "out.json"
    print("\none file: seed 001 repeated (36 forms each), parse --json --jobs 1")
    base: tuple[int, int] | None = None  # (forms, peak KB) of the smallest file
    # The smallest file's time is nearly all start-up: each larger file's forms/s beyond
    # it (its extra forms over its extra time) says whether the reading is linear.
    first: tuple[int, float] | None = None  # (forms, median seconds) of the smallest file
    for factor in factors:
        path = work / f"x{factor}.txt"
        path.write_text("\n".join([seed] * factor), encoding="utf-8")
        forms = 36 * factor
        limit = str(max(64, path.stat().st_size // 1_000_000 + 1))
        args = [python, "-m", "jixiao", "parse", "--json", "--jobs", "1", "--max-size", limit]
        times, peak = measure([*args, str(path)], max(1, runs if factor < 1000 else 2), out)
        median = statistics.median(times)
        # Memory per form above the smallest file's peak (the interpreter and modules).
        base = base or (forms, peak)
        first = first or (forms, median)
        extra = (peak - base[1]) / (forms - base[0]) if forms > base[0] else 0.0
        beyond = (
            f"{(forms - first[0]) / (median - first[1]):7,.0f} forms/s"
            if forms > first[0] and median > first[1]
            else " " * 15
        )
        print(
            f"  ×{factor:<5} {forms:>7,} forms  {forms / median:7,.0f} forms/s  "
            f"{median:7.2f} s  {beyond} beyond ×{factors[0]}  {peak / 1024:6.0f} MB peak  "
            f"{extra:6.1f} KB/form above ×{factors[0]}"
        )
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--forms", type=int, default=4000, help="demo corpus size")
    parser.add_argument("--linear", default="1,10,100,1000", help="copies of seed 001 in one file")
    parser.add_argument("--only", choices=("seeds", "demo", "linear"), default=None)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs each")
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        if args.only in (None, "seeds"):
            seeds = work / "seeds"
            seeds.mkdir()
            bench_folder("seeds × 100", seeds, seeds_corpus(seeds), args.runs, work)
        if args.only in (None, "demo"):
            demo = work / "demo"
            demo.mkdir()
            bench_folder(
                "demo, every text rendering", demo, demo_corpus(demo, args.forms), args.runs, work
            )
        if args.only in (None, "linear") and args.linear:
            bench_linear([int(f) for f in args.linear.split(",")], args.runs, work)


if __name__ == "__main__":
    main()
