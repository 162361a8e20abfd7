"""The database going away and coming back: the server answers 503 meanwhile (a page in
Chinese, the API's error body with `database_unavailable` and Retry-After), never 500,
and answers again once it is back, with no restart."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from jixiao.web.errors import DATABASE_UNAVAILABLE
from tests.databases import ADMIN_URL, _conninfo

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]


def _drop_connections(engine: Engine) -> int:
    """What a database restart does to a server's connections: every one is cut."""
    name = make_url(str(engine.url)).database
    with psycopg.connect(_conninfo(ADMIN_URL), autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()
    return int(cut[0]) if cut else 0


# A SQLite file does not go away under a server: this is the PostgreSQL half only.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_database_gone_answers_503_then_recovers(app: FastAPI, engine: Engine) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
        assert (await client.get("/api/forms/1")).status_code == 200
        assert _drop_connections(engine) >= 1
        gone = await client.get("/api/forms/1")
        assert gone.status_code == 503
        assert gone.json()["error"]["code"] == DATABASE_UNAVAILABLE
        assert gone.headers["retry-after"] == "5"
        # The pool has let go of the cut connections: the next request is answered.
        assert (await client.get("/api/forms/1")).status_code == 200
        _drop_connections(engine)
        page = await client.get("/forms/1")
        assert page.status_code == 503
        assert "数据库暂时无法连接" in page.text
        assert (await client.get("/forms/1")).status_code == 200
