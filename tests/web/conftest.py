"""Web tests: the app over a test database (SQLite and PostgreSQL), driven in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.databases import (  # noqa: F401  (fixtures)
    database_templates,
    database_url,
    engine,
    postgres_keeper,
    postgres_url,
)
from tests.store.helpers import seeded  # noqa: F401  (fixture)

# Small limits, so that the tests of refusals need no large files.
MAX_UPLOAD_BYTES = 512 * 1024


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(database_url: str) -> Settings:  # noqa: F811
    return Settings(
        database_url=database_url,
        profile="shanghai",
        max_upload_bytes=MAX_UPLOAD_BYTES,
        max_upload_total_bytes=4 * MAX_UPLOAD_BYTES,
        # Requests wait for their job to end, however loaded the machine: the tests of
        # answers given while a job still runs set `job_wait` to 0 themselves.
        job_wait=60.0,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:  # noqa: F811
    app = create_app(settings, engine=engine)
    yield app
    app.state.jobs.close()  # no lifespan runs under ASGITransport


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
        yield client
