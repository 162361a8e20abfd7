"""`jixiao import` killed with SIGKILL mid-run (SQLite and PostgreSQL): what it stored is
whole, no row is orphaned, the overview's figures equal the stored forms once a server
starts, and the same command run again stores the rest, each file once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from jixiao.store.engine import make_engine
from jixiao.store.tables import Document, FindingRow, FormRow, FundsLine, IndicatorRow
from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
COPIES = 150

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("import-killed")
    for copy in range(COPIES):
        seed = SEEDS[copy % len(SEEDS)]
        (root / f"{copy:03}_{seed.name}").write_bytes(seed.read_bytes() + b"\n" * copy)
    return root


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _orphans(engine: Engine) -> int:
    forms = select(FormRow.id)
    with Session(engine) as session:
        return sum(
            int(session.scalar(query) or 0)
            for query in (
                select(func.count())
                .select_from(FormRow)
                .where(~FormRow.document_id.in_(select(Document.id))),
                select(func.count())
                .select_from(IndicatorRow)
                .where(~IndicatorRow.form_id.in_(forms)),
                select(func.count()).select_from(FundsLine).where(~FundsLine.form_id.in_(forms)),
                select(func.count())
                .select_from(FindingRow)
                .where(FindingRow.form_id.is_not(None), ~FindingRow.form_id.in_(forms)),
                # A document stored without its forms (every copy holds forms).
                select(func.count())
                .select_from(Document)
                .where(~Document.id.in_(select(FormRow.document_id))),
            )
        )


async def _figures(engine: Engine, url: str) -> dict[str, int]:
    """The overview's figures, as a server started now shows them."""
    app = create_app(Settings(database_url=url), engine=engine)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            figures: dict[str, int] = (await client.get("/api/stats")).json()
            return figures
    finally:
        app.state.jobs.close()


def _import(folder: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", "import", str(folder), "--db", url, "--jobs", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("after", [1, 60])
async def test_an_import_killed_mid_run(folder: Path, database_url: str, after: int) -> None:
    engine = make_engine(database_url)
    try:
        running = _import(folder, database_url)
        deadline = time.monotonic() + 120
        while True:
            try:
                stored = _count(engine, Document)
            except Exception:  # the import is creating the SQLite file's tables
                stored = 0
            if stored >= after:
                break
            assert running.poll() is None, "the import ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        running.send_signal(signal.SIGKILL)
        running.wait(10)
        stored = _count(engine, Document)
        assert 0 < stored < COPIES
        assert _orphans(engine) == 0

        # A server started now shows the stored forms, not the figures of before.
        figures = await _figures(engine, database_url)
        assert figures["forms"] + figures["stored_since"] == _count(engine, FormRow)
        assert figures["documents"] == stored

        # Run again: the rest is stored, each file once.
        again = _import(folder, database_url)
        assert again.wait(300) == 0
        assert _count(engine, Document) == COPIES
        assert _orphans(engine) == 0
        figures = await _figures(engine, database_url)
        assert (figures["forms"], figures["stored_since"]) == (_count(engine, FormRow), 0)
    finally:
        engine.dispose()
