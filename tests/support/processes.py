"""The processes a test started, seen through /proc (Linux): a server's worker, the
worker's fork server and its steps' processes, and whether they have ended."""

from __future__ import annotations

import time
from pathlib import Path


def children(pid: int) -> list[int]:
    """The processes `pid` started, from any of its threads."""
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []  # it ended
    for task in tasks:
        try:
            found.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue  # the thread ended meanwhile
    return sorted(found)


def descendants(pid: int) -> list[int]:
    """The processes under `pid`: a worker's fork server and the processes of its steps."""
    return [p for child in children(pid) for p in (child, *descendants(child))]


def alive(pid: int) -> bool:
    """Running: neither gone nor a zombie waiting for its parent."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def wait_gone(pids: list[int], seconds: float = 10) -> None:
    """Until none of `pids` runs; fails, naming those still running, after `seconds`."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, [pid for pid in pids if alive(pid)]
        time.sleep(0.01)
