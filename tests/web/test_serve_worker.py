"""`jixiao serve` runs its uploads' jobs in a worker process of its own (SQLite and
PostgreSQL): an upload is read there, and a worker killed with SIGKILL is started again
by the server, which goes on serving, and the next upload is read too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jixiao.commands.serve import WORKER_NICENESS
from tests.conftest import SEEDS
from tests.support.processes import children, descendants, wait_gone

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(database_url: str) -> Iterator[tuple[str, int]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "serve", "--db", database_url, "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "JIXIAO_JOB_WAIT": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "no server"
        time.sleep(0.1)
    try:
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def _niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def _read(base: str, name: str, data: bytes) -> str:
    posted = httpx.post(
        base + "/api/uploads", files=[("files", (name, data, "text/plain"))], timeout=30
    )
    assert posted.status_code in (201, 202)
    token = posted.json()["token"]
    deadline = time.monotonic() + 60
    while True:
        state = httpx.get(f"{base}/api/uploads/{token}", timeout=30).json()["state"]
        if state not in ("queued", "reading"):
            return str(state)
        assert time.monotonic() < deadline, state
        time.sleep(0.1)


def test_the_server_keeps_a_worker_and_starts_it_again(server: tuple[str, int]) -> None:
    base, pid = server
    deadline = time.monotonic() + 30
    while not children(pid):
        assert time.monotonic() < deadline, "no worker process"
        time.sleep(0.1)
    (worker,) = children(pid)
    # Its jobs wait behind the server's requests for the CPU.
    assert _niceness(worker) == min(19, _niceness(pid) + WORKER_NICENESS)
    assert _read(base, SEEDS[0].name, SEEDS[0].read_bytes()) == "ready"
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while children(pid) in ([], [worker]):
        assert time.monotonic() < deadline, "the worker was not started again"
        time.sleep(0.1)
    assert httpx.get(base + "/", timeout=10).status_code == 200
    assert _read(base, SEEDS[1].name, SEEDS[1].read_bytes()) == "ready"


def test_a_server_stopped_leaves_no_process_behind(server: tuple[str, int]) -> None:
    """`jixiao serve` ended by SIGTERM: its worker ends too, and the worker's processes,
    though the worker is told twice (by the server, then by the server's death)."""
    base, pid = server
    assert _read(base, SEEDS[0].name, SEEDS[0].read_bytes()) == "ready"  # its processes up
    helpers = descendants(pid)
    assert len(helpers) >= 2  # the worker and its fork server at least
    os.kill(pid, signal.SIGTERM)
    wait_gone([pid, *helpers], 30)


def test_a_signal_while_the_first_is_handled_does_not_hang_the_worker(
    tmp_path: Path,
) -> None:
    """`stop_once`: a second SIGTERM handled while the first handler holds the stop
    event's lock (inside `Event.set`, in the same thread) returns at once. Before, it
    waited on that lock for ever, and the worker of a stopped server stayed behind."""
    from jixiao.commands.worker import stop_once
    from jixiao.jobs.local import LocalWorker
    from jixiao.store.engine import make_engine

    engine = make_engine(str(tmp_path / "w.db"))
    local = LocalWorker(engine, {}, threads=1, poll=0.2, idle=None)
    stop = stop_once(local)
    stop(signal.SIGTERM, None)
    assert local._stop.is_set()
    with local._stop._cond:  # type: ignore[attr-defined]  # as the first handler holds it
        again = threading.Thread(target=stop, args=(signal.SIGTERM, None), daemon=True)
        again.start()
        again.join(5)
        assert not again.is_alive()
    engine.dispose()
