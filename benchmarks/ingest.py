"""Ingestion by jobs on PostgreSQL: `jixiao worker` processes reading and saving uploads.

    python benchmarks/ingest.py [--uploads 60] [--files 5] [--workers 1,2,4] [--runs 3]

1. Generates `--uploads` × `--files` distinct files of demo forms (`corpora.demo_corpus`:
   20 forms a file, every text rendering in turn) — not timed.
2. For each worker count, `--runs` times, on a fresh PostgreSQL database:
   - keeps the files as pending uploads, `--files` to an upload, as the upload page does
     (`receiving.stage`) — not timed;
   - starts `jixiao serve --no-jobs` (a server that does no jobs itself) and the workers
     (`jixiao worker`, whole processes), and times from their start until every upload
     is read (its preview kept) and then, saving asked for all of them at once, until
     every upload is saved: the whole of ingestion, its two steps as the jobs do them;
   - meanwhile 4 clients ask the overview, the list and the statistics without pause,
     and the p95 of their answers is printed beside the figures.
3. Prints, per worker count, files/s and forms/s (median, min and max over the runs) and
   the scaling against one worker. On a machine of N cores, more than N workers can only
   take turns: the scaling beyond N says what the queue costs, not what it gains.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from corpora import demo_corpus
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from jixiao.jobs.queue import QueueDeferrer, ensure_schema
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.store.tables import FormRow, PendingUpload
from jixiao.web import staging
from jixiao.web.receiving import stage
from jixiao.web.settings import Settings
from web import create_database, drop_database, free_port, percentile, start_server

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PAGES = ("/", "/forms", "/api/stats")


def _count(url: str, state: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = select(func.count()).select_from(PendingUpload)
            return int(session.scalar(query.where(PendingUpload.state == state)) or 0)
    finally:
        engine.dispose()


def _wait_all(url: str, state: str, uploads: int, limit: float = 3600) -> None:
    deadline = time.monotonic() + limit
    while _count(url, state) < uploads:
        if _count(url, "failed"):
            raise RuntimeError("an upload failed")
        if time.monotonic() > deadline:
            raise RuntimeError(f"uploads not {state} after {limit} s")
        time.sleep(0.1)


def _wait_for_workers(engine: Engine, workers: int) -> None:
    """Until the workers have started (registered in procrastinate's table): their
    start-up is not ingestion."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT count(*) FROM procrastinate_workers")) >= workers:
                return
        time.sleep(0.05)
    raise RuntimeError("the workers did not start")


def _load(base: str, stop: threading.Event, latencies: list[float]) -> None:
    """4 clients, each asking a page every 0.1 s (a reviewer's clicks, not a load test)
    until `stop`."""

    async def client(http: httpx.AsyncClient, index: int) -> None:
        n = index
        while not stop.is_set():
            path = PAGES[n % len(PAGES)]
            n += 1
            started = time.perf_counter()
            response = await http.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            await asyncio.sleep(0.1)

    async def main() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            await asyncio.gather(*(client(http, i) for i in range(4)))

    asyncio.run(main())


def one_run(
    admin: str, files: list[tuple[str, bytes]], per_upload: int, workers: int
) -> tuple[float, float, int, float]:
    """Seconds to read, seconds to save, forms stored, the pages' p95 meanwhile (ms)."""
    name, url = create_database(admin)
    engine = make_engine(url)
    server = None
    started: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(engine)
        ensure_schema(engine)
        settings = Settings(database_url=url)
        tokens = [
            stage(
                engine,
                files[i : i + per_upload],
                "shanghai",
                settings,
            )
            for i in range(0, len(files), per_upload)
        ]
        port = free_port()
        server = start_server(url, port, 1, jobs=False)
        stop = threading.Event()
        latencies: list[float] = []
        load = threading.Thread(target=_load, args=(f"http://127.0.0.1:{port}", stop, latencies))
        load.start()
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "jixiao", "worker", "--db", url],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        _wait_for_workers(engine, workers)
        # Deferred as the upload page defers them, the workers listening.
        deferrer = QueueDeferrer(engine)
        begin = time.perf_counter()
        for token in tokens:
            deferrer.defer(token, "read")
        _wait_all(url, "ready", len(tokens))
        read = time.perf_counter() - begin
        begin = time.perf_counter()
        for token in tokens:  # 保存 pressed on every upload at once
            staging.ask_to_save(engine, token, settings)
            deferrer.defer(token, "save")
        _wait_all(url, "saved", len(tokens))
        saved = time.perf_counter() - begin
        stop.set()
        load.join()
        deferrer.close()
        with Session(engine) as session:
            forms = int(session.scalar(select(func.count()).select_from(FormRow)) or 0)
        return read, saved, forms, percentile(latencies, 95)
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.wait(60)
        if server is not None:
            server.terminate()
            server.wait(60)
        engine.dispose()
        drop_database(admin, name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=60)
    parser.add_argument("--files", type=int, default=5, help="files to an upload")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="jixiao-ingest-") as tmp:
        folder = Path(tmp)
        forms = demo_corpus(folder, args.uploads * args.files * 20)
        files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
        print(f"corpus  {len(files)} files, {forms} forms, {args.files} files to an upload")
        results: dict[int, list[tuple[float, float, int, float]]] = {}
        for run in range(args.runs):
            for workers in counts:  # interleaved: the machine's load falls on all alike
                result = one_run(args.admin_url, files, args.files, workers)
                results.setdefault(workers, []).append(result)
                read, saved, stored, _ = result
                print(
                    f"run {run + 1}/{args.runs}  {workers} worker(s): read {read:.1f} s, "
                    f"save {saved:.1f} s, {stored} forms stored",
                    flush=True,
                )
        print()
        print("workers   files/s median   min    max   forms/s median  × 1 worker  pages p95 ms")
        base = None
        for workers in counts:
            rates = [len(files) / (r + s) for r, s, _, _ in results[workers]]
            form_rates = [stored / (r + s) for r, s, stored, _ in results[workers]]
            pages = [p for _, _, _, p in results[workers]]
            median = statistics.median(rates)
            base = base or median
            print(
                f"{workers:>7} {median:>16.1f} {min(rates):>6.1f} {max(rates):>6.1f} "
                f"{statistics.median(form_rates):>16.0f} {median / base:>11.2f} "
                f"{statistics.median(pages):>13.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
