"""Reading ahead on worker processes: results in the files' order, what is held bounded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from jixiao.commands import parallel
from jixiao.commands.parallel import Ahead, in_order_ahead
from jixiao.read.progress import Progress


def _read(path: Path, progress: Progress | None = None) -> tuple[str, int]:
    return path.read_text(), os.getpid()


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(40):
        path = tmp_path / f"{n:02}.txt"
        path.write_text(str(n) * (n + 1))
        paths.append(path)
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("ahead", [Ahead(files=1, bytes=1), Ahead(files=100, bytes=1 << 20)])
def test_results_come_in_the_files_order(files: list[Path], jobs: int, ahead: Ahead) -> None:
    results = list(in_order_ahead(_read, files, jobs, ahead))
    assert [text for text, _ in results] == [str(n) * (n + 1) for n in range(40)]
    pids = {pid for _, pid in results}
    assert (pids == {os.getpid()}) if jobs == 1 else (os.getpid() not in pids)


def test_no_more_is_read_ahead_than_allowed(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are handed to the workers only while fewer than `ahead` are read and not yet
    taken: a slow caller (the import's database) holds a bounded amount."""
    handed = 0
    taken = 0
    held: list[int] = []
    submit = parallel.ProcessPoolExecutor.submit

    def counting(pool: Any, fn: Any, task: Any, paths: list[Path]) -> Any:
        nonlocal handed
        handed += len(paths)
        held.append(handed - taken)
        return submit(pool, fn, task, paths)

    monkeypatch.setattr(parallel.ProcessPoolExecutor, "submit", counting)
    for _ in in_order_ahead(_read, files, 2, Ahead(files=6, bytes=1 << 20)):
        taken += 1
    assert handed == taken == len(files)
    assert max(held) <= 6
