"""The PostgreSQL driver is an extra: SQLite works without it, PostgreSQL says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS

# Run jixiao with psycopg made unimportable, as on a machine without the extra.
_WITHOUT_PSYCOPG = "import sys; sys.modules['psycopg'] = None; from jixiao.cli import main; main()"


def _jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_PSYCOPG, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_sqlite_needs_no_postgres_driver(tmp_path: Path) -> None:
    done = _jixiao("import", "--db", str(tmp_path / "x.db"), str(SEEDS[2]))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_postgres_without_its_driver_says_what_to_install() -> None:
    done = _jixiao("import", "--db", "postgresql://postgres@127.0.0.1/none", str(SEEDS[2]))
    assert done.returncode == 1
    assert 'pip install "jixiao[postgres]"' in done.stderr
    assert "Traceback" not in done.stderr
