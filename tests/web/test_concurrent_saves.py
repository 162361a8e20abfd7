"""Uploads saved at once: every one answers success and is stored, the figures agree, and
nothing is left pending (SQLite and PostgreSQL).

Requests run concurrently in the app's thread pool, each on its own connection, as a
server's do: on SQLite every writing transaction takes the write lock as it begins
(`store.engine.writing`), so none is refused for a stale snapshot; on PostgreSQL the
figures are recomputed one at a time.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import Engine, func, select

from jixiao.store.tables import Document, FormRow, PendingFile, PendingUpload
from tests.conftest import SEEDS
from tests.web.helpers import settled

pytestmark = pytest.mark.anyio

CLIENTS = 10
EACH = 3


async def _upload_and_save(client: httpx.AsyncClient, data: bytes, name: str) -> tuple[int, int]:
    uploaded = await settled(
        client, await client.post("/api/uploads", files=[("files", (name, data, "text/plain"))])
    )
    if uploaded.status_code != 201:
        return uploaded.status_code, 0
    saved = await settled(
        client, await client.post(f"/api/uploads/{uploaded.json()['token']}/save")
    )
    return saved.status_code, len(saved.json().get("form_ids", [])) if saved.is_success else 0


async def test_uploads_saved_at_once_are_all_stored(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    seed = SEEDS[0].read_bytes()
    # Distinct bytes (trailing blank lines): each file is new, none skipped as known.
    jobs = [
        _upload_and_save(client, seed + b"\n" * n, f"{n:02}_{SEEDS[0].name}")
        for n in range(CLIENTS * EACH)
    ]
    results = await asyncio.gather(*jobs)
    assert [status for status, _ in results] == [200] * len(jobs)
    saved_forms = sum(forms for _, forms in results)
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(FormRow)).scalar_one()
        documents = connection.execute(select(func.count()).select_from(Document)).scalar_one()
        # Every upload saved, and none keeps its files.
        unsaved = connection.execute(
            select(func.count()).select_from(PendingUpload).where(PendingUpload.state != "saved")
        ).scalar_one()
        kept = connection.execute(select(func.count()).select_from(PendingFile)).scalar_one()
    assert (stored, documents, unsaved, kept) == (saved_forms, len(jobs), 0, 0)
    stats = (await client.get("/api/stats")).json()
    assert (stats["forms"] + stats["stored_since"], stats["documents"]) == (stored, documents)
