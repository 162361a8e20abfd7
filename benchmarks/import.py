"""Import throughput: `jixiao import FOLDER` as users run it, into SQLite and PostgreSQL.

    python benchmarks/import.py [--forms 20000] [--runs 5] [--jobs N] [--exchange]

1. Generates `--forms` distinct forms with the demo generator into a temporary folder —
   not timed: 20 to a file, through every text rendering in turn (`corpora.demo_corpus`),
   or with `--exchange` as the demo's documents in the exchange format (`iter_documents`).
   Distinct bytes matter: a file already imported is skipped by its SHA-256.
2. Times, `--runs` times each and interleaved so that the machine's load falls on all of
   them alike:
   - the floor: a process that reads, decodes and splits the same files (`corpora.FLOOR`);
   - `python -m jixiao parse --json FOLDER` and `check --json FOLDER` (to /dev/null): the
     reading, and the reading and review an import must do before it writes anything;
   - `python -m jixiao import FOLDER --db FILE` into a fresh SQLite file;
   - `python -m jixiao import FOLDER --db URL` into a fresh PostgreSQL database (created
     before and dropped after each run, not timed), when `--admin-url` answers.
3. Prints forms/s for each (median, min and max over the runs), its time as a multiple of
   the floor's, and the CPU seconds its processes took (the command and its workers; not
   PostgreSQL's server): on a machine shared with other work, CPU time varies less than
   the clock.

`--jobs N` is passed to every command (default: theirs, the machine's cores).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from corpora import FLOOR, demo_corpus
from sqlalchemy.engine import make_url

from jixiao.demo.generator import iter_documents
from jixiao.store.engine import database_url

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
FLOOR_NAME = "floor (read + split)"


def write_documents(folder: Path, forms: int, seed: int) -> int:
    """The demo's documents as files; how many forms they hold."""
    written = 0
    for document in iter_documents(forms, seed=seed):
        (folder / document.name).write_bytes(document.to_bytes())
        written += len(document.forms)
    return written


@dataclass(frozen=True, slots=True)
class Timing:
    seconds: float  # by the clock
    cpu: float  # user + system, of the process and the workers it waited for


def jixiao(*args: str) -> Timing:
    """How long `python -m jixiao ARGS` took (a whole process, as a user runs it)."""
    return python("-m", "jixiao", *args)


def python(*args: str, stdout: int | None = subprocess.DEVNULL) -> Timing:
    """How long `python ARGS` took, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # `check` exits 1 when a form has an error-severity finding, as the demo's do.
    if done.returncode not in (0, 1) or ("check" not in args and done.returncode):
        raise SystemExit(f"python {' '.join(args)} failed:\n{done.stderr.decode()[-2000:]}")
    return Timing(elapsed, cpu)


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_available(admin_url: str) -> bool:
    try:
        with psycopg.connect(_conninfo(admin_url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def postgres_import(admin_url: str, folder: Path, jobs: list[str]) -> Timing:
    """One timed import into a database created for it (and dropped after)."""
    name = f"jixiao_bench_import_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        url = database_url(make_url(admin_url).set(database=name).render_as_string(False))
        return jixiao("import", str(folder), "--db", url, *jobs)
    finally:
        with psycopg.connect(_conninfo(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_import(folder: Path, jobs: list[str]) -> Timing:
    """One timed import into a new SQLite file (removed after)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-import-db-") as where:
        return jixiao("import", str(folder), "--db", str(Path(where) / "bench.db"), *jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=None, help="passed to every command")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="PostgreSQL server (admin)")
    parser.add_argument(
        "--exchange", action="store_true", help="the exchange format, not text renderings"
    )
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="jixiao-import-bench-") as where:
        folder = Path(where)
        if args.exchange:
            forms, corpus = write_documents(folder, args.forms, args.seed), "exchange format"
        else:
            forms, corpus = demo_corpus(folder, args.forms, args.seed), "text renderings"
        files = sum(1 for _ in folder.iterdir())
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1048576
        print(
            f"corpus            {forms} forms in {files} files ({size:.0f} MB), {corpus},"
            f" demo seed {args.seed}"
        )
        commands: dict[str, Callable[[], Timing]] = {
            FLOOR_NAME: lambda: python("-c", FLOOR, str(folder)),
            "parse --json": lambda: jixiao("parse", "--json", str(folder), *jobs),
            "check --json": lambda: jixiao("check", "--json", str(folder), *jobs),
            "import → SQLite": lambda: sqlite_import(folder, jobs),
        }
        if postgres_available(args.admin_url):
            commands["import → PostgreSQL"] = lambda: postgres_import(args.admin_url, folder, jobs)
        else:
            print(f"PostgreSQL        unreachable at {args.admin_url}: not measured")
        timings: dict[str, list[Timing]] = {name: [] for name in commands}
        for run in range(1, args.runs + 1):
            for name, command in commands.items():
                timings[name].append(command())
            done = ", ".join(f"{name} {t[-1].seconds:.1f} s" for name, t in timings.items())
            print(f"run {run}/{args.runs}         {done}", flush=True)
    report(forms, timings)


def report(forms: int, timings: dict[str, list[Timing]]) -> None:
    floor = statistics.median(t.seconds for t in timings[FLOOR_NAME])
    print(
        f"\n{'':22} {'forms/s median':>14} {'min':>7} {'max':>7} {'s median':>9}"
        f" {'× floor':>9} {'cpu s':>7}"
    )
    for name, runs in timings.items():
        seconds = [t.seconds for t in runs]
        median = statistics.median(seconds)
        cpu = statistics.median(t.cpu for t in runs)
        print(
            f"{name:22} {forms / median:14,.0f} {forms / max(seconds):7,.0f} "
            f"{forms / min(seconds):7,.0f} {median:9.2f} {median / floor:9.1f} {cpu:7.1f}"
        )


if __name__ == "__main__":
    main()
