"""`jixiao serve` runs its uploads' jobs in a worker process of its own (SQLite and
PostgreSQL): an upload is read there, and a worker killed with SIGKILL is started again
by the server, which goes on serving, and the next upload is read too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jixiao.commands.serve import WORKER_NICENESS
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    """The processes `pid` started, from any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue  # the thread ended meanwhile
    return sorted(found)


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
    while not _children(pid):
        assert time.monotonic() < deadline, "no worker process"
        time.sleep(0.1)
    (worker,) = _children(pid)
    # Its jobs wait behind the server's requests for the CPU.
    assert _niceness(worker) == min(19, _niceness(pid) + WORKER_NICENESS)
    assert _read(base, SEEDS[0].name, SEEDS[0].read_bytes()) == "ready"
    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while _children(pid) in ([], [worker]):
        assert time.monotonic() < deadline, "the worker was not started again"
        time.sleep(0.1)
    assert httpx.get(base + "/", timeout=10).status_code == 200
    assert _read(base, SEEDS[1].name, SEEDS[1].read_bytes()) == "ready"
