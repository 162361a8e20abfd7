"""Database fixtures for the storage and web tests: SQLite files and PostgreSQL.

Every test that takes `database_url` (or `engine`) runs twice: on a fresh SQLite file
and on PostgreSQL. PostgreSQL tests use one database created for the test run (from the
server's `postgres` database, dropped at the end) and empty its tables before each test.

Where PostgreSQL is unreachable the PostgreSQL half is skipped — except under CI
(`CI=true`), where that is a failure: CI must test what production runs on.
Set `JIXIAO_TEST_POSTGRES` to another server's admin URL to use it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from jixiao.store.engine import database_url as to_url
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.store.tables import Base

ADMIN_URL = os.environ.get("JIXIAO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(_conninfo(ADMIN_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of its own for this test run (None when PostgreSQL is unreachable)."""
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but PostgreSQL is unreachable at {ADMIN_URL}: {problem}")
        yield None
        return
    name = f"jixiao_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_conninfo(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    url = to_url(make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(_conninfo(ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_tables(engine: Engine) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[str]:
    """A URL of an empty, migrated database: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        yield to_url(str(tmp_path / "jixiao-test.db"))
        return
    if postgres_url is None:
        pytest.skip(f"PostgreSQL unreachable at {ADMIN_URL} (required when CI=true)")
    engine = make_engine(postgres_url, pool_size=2)
    empty_tables(engine)
    engine.dispose()
    yield postgres_url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, **({"pool_size": 5} if "postgresql" in database_url else {}))
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
