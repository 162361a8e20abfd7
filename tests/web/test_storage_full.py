"""A full disk where uploads are kept: a clear message (507), nothing half-saved, and the
server goes on serving. SQLite's `max_page_count` makes the database file full, as a
full disk does (SQLITE_FULL), for real: no error is faked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, event, func, select, text

from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.store.tables import PendingFile, PendingUpload
from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.web.helpers import assert_error_body

pytestmark = pytest.mark.anyio


@pytest.fixture
def full_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(str(tmp_path / "full.db"))
    upgrade(engine)
    with engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()

    @event.listens_for(engine, "connect")
    def full(dbapi_connection: Any, _record: object) -> None:
        # Room for a few pages more: enough for the server's own writes, not for a file.
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages) + 8}")

    engine.dispose()
    yield engine
    engine.dispose()


@pytest.fixture
def full_app(full_engine: Engine) -> FastAPI:
    return create_app(Settings(database_url=str(full_engine.url)), engine=full_engine)


async def test_an_upload_onto_a_full_disk_is_refused_whole(
    full_app: FastAPI, full_engine: Engine
) -> None:
    transport = httpx.ASGITransport(app=full_app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            data = bytes(range(256)) * 1024  # 256 KB, 64 pages
            posted = await client.post(
                "/api/uploads", files=[("files", ("表单.txt", data, "text/plain"))]
            )
            error = assert_error_body(posted, 507, "storage_full")
            assert "磁盘空间不足" in error["message"] and "未保存任何内容" in error["message"]
            page = await client.post("/upload", files=[("files", ("表单.txt", data, "text/plain"))])
            assert page.status_code == 507 and "磁盘空间不足" in page.text
            assert (await client.get("/")).status_code == 200
    finally:
        full_app.state.jobs.close()
    with full_engine.connect() as connection:
        for table in (PendingUpload, PendingFile):
            assert connection.execute(select(func.count()).select_from(table)).scalar_one() == 0
