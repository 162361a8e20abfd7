"""`jixiao import --queue`: files handed to the upload jobs store what `jixiao import`
stores, each file exactly once however many runs and workers take part, and leave no
upload behind; `--no-wait` only queues them, for `jixiao worker` to save.

Run as users run it: whole `python -m jixiao` processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from jixiao.demo.generator import iter_documents
from jixiao.store.engine import database_url as to_url
from jixiao.store.engine import make_engine
from jixiao.store.pending import WAITING
from jixiao.store.tables import PendingChunk, PendingFile, PendingUpload
from jixiao.web.settings import Settings
from jixiao.web.staging import job_steps
from tests.conftest import SEEDS
from tests.databases import empty_tables
from tests.store.helpers import write_import_folder
from tests.store.stored_rows import column_values, stored_rows

PENDING = (PendingUpload, PendingFile, PendingChunk)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More files than an upload holds (`SAVE_BATCH_FILES`), readable and not."""
    root = tmp_path_factory.mktemp("import-queue")
    return write_import_folder(root, copies=3, documents=200, seed=5)


def _run(*args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "import", *args], capture_output=True, check=False
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def _pending_rows(url: str) -> list[int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return [session.scalar(select(func.count()).select_from(t)) or 0 for t in PENDING]
    finally:
        engine.dispose()


def _another(database_url: str, tmp_path: Path) -> str:
    """A second empty database of the same kind."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return to_url(str(tmp_path / "second.db"))
    engine = make_engine(database_url)
    empty_tables(engine)
    engine.dispose()
    return database_url


def test_queued_import_stores_what_import_stores(
    database_url: str, folder: Path, tmp_path: Path
) -> None:
    direct = _run(str(folder), "--db", database_url, "--jobs", "2")
    expected = stored_rows(database_url)
    second = _another(database_url, tmp_path)
    code, out, err = _run(str(folder), "--db", second, "--queue", "--jobs", "2")
    assert code == direct[0] == 1, err[-2000:]  # the unreadable files were refused
    assert "empty.txt" in err and "binary.txt" in err
    files = len(list(folder.iterdir()))
    assert f"{files - 3} 个文件存入" in out and "1 个文件已导入过" in out, out
    assert "2 个文件无法导入" in out
    stored = stored_rows(second)
    # An import batch an upload instead of one in all; every other row the same.
    assert len(stored.pop("imports")) > len(expected.pop("imports")) == 1
    for table in ("pending_uploads", "pending_files", "pending_chunks"):
        assert stored.pop(table) == [] and expected.pop(table) == []
    for rows in (stored, expected):  # how often the figures were recomputed: once a batch
        rows["stat_counts"] = [row for row in rows["stat_counts"] if row[0] != "'meta'"]
    assert stored == expected
    assert set(column_values(second, "imports", "origin")) == {"cli"}
    assert _pending_rows(second) == [0, 0, 0]
    again = _run(str(folder), "--db", second, "--queue")
    assert "0 个文件存入 0 张表单" in again[1] and f"{files - 2} 个文件已导入过" in again[1]


def test_two_queued_imports_at_once_store_each_file_once(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    for document in iter_documents(300, seed=13, per_document=10):
        (folder / document.name).write_bytes(document.to_bytes())
    command = [sys.executable, "-m", "jixiao", "import", str(folder), "--db", database_url]
    runs = [
        subprocess.Popen(
            [*command, "--queue", "--jobs", str(jobs)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for jobs in (1, 2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    assert all(b"locked" not in err for _, err in outputs)
    hashes = column_values(database_url, "documents", "sha256")
    assert len(hashes) == len(set(hashes)) == len(list(folder.iterdir()))
    assert _pending_rows(database_url) == [0, 0, 0]


def test_no_wait_only_queues_and_a_worker_saves(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    code, out, _ = _run(str(folder), "--db", database_url, "--queue", "--no-wait")
    assert code == 0 and f"已排队：{len(SEEDS)} 个文件" in out, out
    assert column_values(database_url, "documents", "id") == []
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            tokens = session.scalars(
                select(PendingUpload.token).where(PendingUpload.state == WAITING["save"])
            ).all()
        assert len(tokens) == 1
        steps = job_steps(Settings(database_url=database_url))
        assert steps["save"](engine, tokens[0])  # what a `jixiao worker` does
    finally:
        engine.dispose()
    assert len(column_values(database_url, "documents", "id")) == len(SEEDS)
    assert set(column_values(database_url, "imports", "origin")) == {"cli"}


def test_no_wait_needs_queue(tmp_path: Path) -> None:
    code, _, err = _run(str(SEEDS[0]), "--db", str(tmp_path / "x.db"), "--no-wait")
    assert code == 2 and "--queue" in err
