"""An upload's preview is computed once and kept: viewing it again, on the page or over
the API, reads and reviews none of its files (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from jixiao.web import staging
from tests.conftest import SEEDS
from tests.web.helpers import seed_files, upload

pytestmark = pytest.mark.anyio


async def test_a_preview_is_read_once(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    take_in: Callable[..., Any] = staging.take_in

    def counted(data: bytes, name: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(name)
        return take_in(data, name, *args, **kwargs)

    monkeypatch.setattr(staging, "take_in", counted)
    first = await upload(client, seed_files())
    assert first.status_code == 201
    token = first.json()["token"]
    assert sorted(reads) == sorted(p.name for p in SEEDS)  # read and reviewed: once
    reads.clear()
    again = await client.get(f"/api/uploads/{token}")
    page = await client.get(f"/upload/{token}")
    assert again.status_code == page.status_code == 200
    assert again.json() == first.json()
    assert SEEDS[0].name in page.text
    assert reads == []  # shown as kept
    saved = await client.post(f"/api/uploads/{token}/save")
    assert saved.status_code == 200
    assert sorted(reads) == sorted(p.name for p in SEEDS)  # saving reads them, to store them
