"""`jixiao import --jobs`: one process or several print the same and store the same.

Run as users run it (a whole `python -m jixiao` process), over more files than a batch
holds: the seeds, copies of them that differ by trailing blank lines (the same forms in
other bytes, so they are stored again rather than skipped), demo documents, an exact
duplicate (skipped) and files that cannot be read (refused). Every table's rows are
compared, each id replaced by what it points at (a document by its hash, a form by its
document and position …), timestamps left out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from jixiao.demo.generator import iter_documents
from jixiao.store.engine import database_url as to_url
from jixiao.store.engine import make_engine
from tests.databases import empty_tables
from tests.store.helpers import write_import_folder
from tests.store.stored_rows import column_values, stored_rows


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("import-jobs")
    return write_import_folder(root, copies=10, documents=500, seed=7)


def _import(folder: Path, url: str, jobs: int) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "import", str(folder), "--db", url, "--jobs", str(jobs)],
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_one_job_and_two_store_the_same(database_url: str, folder: Path, tmp_path: Path) -> None:
    one = _import(folder, database_url, 1)
    stored = stored_rows(database_url)
    if make_url(database_url).get_backend_name() == "sqlite":
        second = to_url(str(tmp_path / "second.db"))
    else:
        engine = make_engine(database_url)
        empty_tables(engine)
        engine.dispose()
        second = database_url
    two = _import(folder, second, 2)
    assert one == two
    code, out, err = one
    assert code == 1  # the unreadable files were refused
    assert "个文件已导入过" in out and "empty.txt" in err and "binary.txt" in err
    assert "1 个文件已导入过" in out and "2 个文件无法导入" in out
    assert stored_rows(second) == stored
    assert len(stored["documents"]) == len(list(folder.iterdir())) - 3
    assert len(stored["forms"]) > 500
    # Stored under the folder's own name, never the server's folders above it.
    names = set(column_values(second, "documents", "name"))
    assert names and all(name.startswith(f"{folder.name}/") for name in names), names


def test_two_imports_of_the_same_files_at_once_store_each_once(
    database_url: str, tmp_path: Path
) -> None:
    """Two `jixiao import` runs of one folder at once: both succeed, and every file is
    stored exactly once (whichever run got to it first), the figures agreeing."""
    folder = tmp_path / "forms"
    folder.mkdir()
    for document in iter_documents(600, seed=11, per_document=10):
        (folder / document.name).write_bytes(document.to_bytes())
    files = len(list(folder.iterdir()))
    command = [sys.executable, "-m", "jixiao", "import", str(folder), "--db", database_url]
    runs = [
        subprocess.Popen(
            [*command, "--jobs", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for jobs in (1, 2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode()[-2000:] for _, err in outputs]
    assert all(b"locked" not in err for _, err in outputs)
    names = column_values(database_url, "documents", "sha256")
    assert len(names) == len(set(names)) == files
    forms = len(column_values(database_url, "forms", "id"))
    assert forms >= 600
    engine = make_engine(database_url)  # the overview's total, as the last run recomputed it
    try:
        with engine.connect() as connection:
            total = connection.execute(
                text("SELECT forms FROM stat_counts WHERE dimension = 'total' AND key = 'forms'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert total == forms
