"""Benchmark: 100,000 synthetic forms into PostgreSQL, then the web app under load.

    .venv/bin/python benchmarks/web.py                      # the full run
    .venv/bin/python benchmarks/web.py --forms 5000         # a quick one

1. Generates the forms with jixiao's demo generator (as exchange-format documents of a
   department, year and kind each) — not timed as import.
2. Imports them into a fresh PostgreSQL database through the same path as
   `jixiao import`: read → score → review → store, one transaction per batch of
   documents, then the dashboard's figures. Prints forms/s (target ≥ 500). The forms are
   generated a batch at a time, so that a million of them stream in bounded memory.
3. Starts `jixiao serve` on that database in a subprocess and drives it with 20
   concurrent clients: the form list (paged, sorted), search (Chinese terms of 2 to 8
   characters), form pages and the dashboard. Prints p50/p95/p99 per page (target p95
   < 200 ms) and the peak memory of the server and of this process.

The database is dropped at the end unless `--keep` is given. Importing a million forms
takes a while (tens of minutes), so one import can serve several load runs:

    .venv/bin/python benchmarks/web.py --forms 1000000 --reuse jixiao_bench_1m

imports into the database `jixiao_bench_1m` the first time (and keeps it), and later only
loads it. An import that was interrupted is resumed: the documents already stored are
known by their SHA-256 and skipped unread. `--db URL` load-tests any imported database.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from jixiao.demo.generator import iter_documents
from jixiao.intake import take_in
from jixiao.store.engine import database_url, display_url, make_engine
from jixiao.store.importer import DEFAULT_BATCH, Importer
from jixiao.store.migrate import upgrade
from jixiao.store.stats import refresh_stats
from jixiao.store.tables import Document, FormRow

PROFILE = "national-2020"
# What reviewers type: unit and department fragments, project names, indicator names.
SEARCH_TERMS = (
    "就业补助",
    "培训",
    "运维",
    "社区卫生服务中心",
    "满意度",
    "生态环境局",
    "宣传与推广",
    "慰问",
    "设备采购数量",
    "东城区 培训",
    "人才服务中心",
    "系统故障平均恢复时长",
    "疾病预防控制中心",
    "河道水质监测",
    "编外人员",
    "课题",
)


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _database_url(admin_url: str, name: str) -> str:
    return database_url(
        make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    )


def create_database(admin_url: str, name: str | None = None) -> tuple[str, str]:
    name = name or f"jixiao_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as admin:
        # The name is the user's own (--reuse) or ours: quoted as an identifier, not bound.
        quoted = psycopg.sql.Identifier(name).as_string(admin)
        admin.execute(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
    return name, _database_url(admin_url, name)


def database_exists(admin_url: str, name: str) -> bool:
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as admin:
        quoted = psycopg.sql.Identifier(name).as_string(admin)
        admin.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def stored_forms(url: str) -> int:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(FormRow)).scalar_one()
    finally:
        engine.dispose()


@dataclass(slots=True)
class ImportRun:
    stored: int  # forms in the database at the end
    imported: int  # forms this run stored (fewer when it resumed an earlier import)
    generating: float  # seconds spent generating the forms (not counted as import)
    importing: float  # seconds spent importing
    reading: float  # of which reading + review


def import_forms(url: str, count: int, seed: int) -> ImportRun:
    """Generate `count` forms, a batch of documents at a time, and import them; documents
    the database already holds (an earlier, interrupted run) are skipped unread."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        known = set(connection.execute(select(Document.sha256)).scalars())
    documents = iter_documents(count, seed=seed)
    run = ImportRun(0, 0, 0.0, 0.0, 0.0)
    batches = 0
    with Importer(engine, origin="benchmark", profile=PROFILE) as importer:
        while True:
            started = time.perf_counter()
            batch = [(d.name, d.to_bytes()) for d in itertools.islice(documents, DEFAULT_BATCH)]
            run.generating += time.perf_counter() - started
            if not batch:
                break
            if known and batches == 0 and hashlib.sha256(batch[0][1]).hexdigest() not in known:
                # The forms depend on --forms and --seed: these are another run's.
                raise SystemExit("the database holds forms of another --forms or --seed")
            started = time.perf_counter()
            intakes = [
                take_in(data, name, PROFILE)
                for name, data in batch
                if hashlib.sha256(data).hexdigest() not in known
            ]
            run.reading += time.perf_counter() - started
            run.imported += sum(len(o.form_ids) for o in importer.add_many(intakes))
            run.importing += time.perf_counter() - started
            batches += 1
            if batches % 20 == 0:
                rate = run.imported / max(run.importing, 1e-9)
                print(f"  … {run.imported} forms ({rate:.0f} forms/s)", flush=True)
        started = time.perf_counter()
        importer.finish()
        run.importing += time.perf_counter() - started
    if known:
        # A resumed import: the interrupted run never recomputed the dashboard's figures,
        # and this one does only when it stored something.
        with engine.begin() as connection:
            refresh_stats(connection)
    with engine.connect() as connection:
        run.stored = connection.execute(select(func.count()).select_from(FormRow)).scalar_one()
    engine.dispose()
    assert run.stored == count, (run.stored, count)
    return run


def choose_database(args: argparse.Namespace) -> tuple[str, str, bool]:
    """(database name — empty for `--db` —, its URL, whether forms must be imported)."""
    if args.db:
        url = database_url(args.db)
        stored_forms(url)  # brings the schema to the newest revision before the server
        return "", url, False
    if args.reuse and database_exists(args.admin_url, args.reuse):
        url = _database_url(args.admin_url, args.reuse)
        stored = stored_forms(url)
        if stored > args.forms:
            raise SystemExit(
                f"database {args.reuse} holds {stored} forms, more than --forms {args.forms}"
            )
        if stored == args.forms:
            print(f"database {args.reuse}: reused, {stored} forms")
            return args.reuse, url, False
        print(f"database {args.reuse}: {stored} of {args.forms} forms, resuming the import")
        return args.reuse, url, True
    name, url = create_database(args.admin_url, args.reuse)
    print(f"database {name}")
    return name, url, True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    url: str, port: int, workers: int, *, jobs: bool = True
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "jixiao", "serve", "--db", url, "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    if not jobs:
        command.append("--no-jobs")
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise RuntimeError((process.stderr.read() if process.stderr else b"").decode())
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (uvicorn workers)."""
    total = 0.0
    for one in [pid, *_children(pid)]:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


async def drive(
    base: str, make_path: Callable[[random.Random], str], clients: int, requests: int
) -> list[float]:
    """`requests` GETs from `clients` concurrent clients; the latency of each, in ms."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker(index: int, count: int) -> None:
            rng = random.Random(index)
            for _ in range(count):
                path = make_path(rng)
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")

        # Warm up (connections, caches), then measure.
        await asyncio.gather(*(worker(1000 + i, 2) for i in range(clients)))
        latencies.clear()
        per_client = max(requests // clients, 1)
        await asyncio.gather(*(worker(i, per_client) for i in range(clients)))
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="per page kind")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "JIXIAO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        metavar="NAME",
        help="the database NAME on the admin server: imported into (and kept) when it does "
        "not exist or holds fewer forms, only load-tested when it holds --forms forms",
    )
    parser.add_argument(
        "--db", help="load-test this already imported database (no import, nothing dropped)"
    )
    parser.add_argument(
        "--import-only", action="store_true", help="import (with --reuse or --keep), no load"
    )
    args = parser.parse_args()
    args.keep = args.keep or bool(args.db or args.reuse)

    name, url, needs_import = choose_database(args)
    try:
        import_rate = None
        if needs_import:
            print(f"generating and importing {args.forms} forms …", flush=True)
            run = import_forms(url, args.forms, args.seed)
            import_rate = run.imported / max(run.importing, 1e-9)
            print(f"generated in {run.generating:.1f} s (not counted)")
            print(
                f"IMPORT {run.imported} forms in {run.importing:.1f} s = {import_rate:.0f} forms/s "
                f"(read+review {run.reading:.1f} s, store {run.importing - run.reading:.1f} s)"
            )
        if args.import_only:
            return 0
        engine = make_engine(url)
        with engine.connect() as connection:
            ids = list(connection.execute(select(FormRow.id)).scalars())
        engine.dispose()
        pages = max(len(ids) // 50, 1)
        sorts = ("", "&sort=-score", "&sort=year", "&sort=-findings", "&sort=-rate")

        port = free_port()
        server = start_server(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        scenarios: dict[str, Callable[[random.Random], str]] = {
            "list": lambda r: f"/forms?offset={r.randrange(min(pages, 200)) * 50}{r.choice(sorts)}",
            "search": lambda r: f"/forms?q={r.choice(SEARCH_TERMS)}",
            "form page": lambda r: f"/forms/{r.choice(ids)}",
            "dashboard": lambda r: "/",
        }
        results = {}
        server_pids = [server.pid, *_children(server.pid)]
        try:
            for label, make_path in scenarios.items():
                before = [
                    cpu_seconds(server_pids),
                    cpu_seconds(postgres_pids()),
                    time.process_time(),
                ]
                started = time.perf_counter()
                latencies = asyncio.run(drive(base, make_path, args.clients, args.requests))
                wall = time.perf_counter() - started
                after = [
                    cpu_seconds(server_pids),
                    cpu_seconds(postgres_pids()),
                    time.process_time(),
                ]
                cpu = [
                    (a - b) * 1000 / (len(latencies) + 2 * args.clients)
                    for a, b in zip(after, before, strict=True)
                ]
                results[label] = (latencies, wall, cpu)
            server_peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"\nLOAD {args.clients} concurrent clients, {args.workers} server process(es)")
        print(
            f"{'page':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'max ms':>8}   CPU ms/request: server postgres client"
        )
        failed = import_rate is not None and import_rate < 500
        for label, (latencies, wall, cpu) in results.items():
            p95 = percentile(latencies, 95)
            failed |= p95 >= 200
            print(
                f"{label:<10} {len(latencies):>8} {len(latencies) / wall:>7.0f} "
                f"{statistics.median(latencies):>8.1f} {p95:>8.1f} "
                f"{percentile(latencies, 99):>8.1f} {max(latencies):>8.1f}   "
                f"{cpu[0]:>22.1f} {cpu[1]:>8.1f} {cpu[2]:>6.1f}"
            )
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nMEMORY peak: server {server_peak:.0f} MB, benchmark process {own_peak:.0f} MB")
        print("targets: import ≥ 500 forms/s, p95 < 200 ms:", "NOT MET" if failed else "met")
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"kept database: {display_url(url)}")
        elif name:
            drop_database(args.admin_url, name)


if __name__ == "__main__":
    sys.exit(main())
