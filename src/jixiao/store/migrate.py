"""Applying the Alembic migrations (storage step): `upgrade head` on every start.

The migrations ship inside the package (`jixiao/store/migrations`), so an installed
jixiao can create and upgrade its database without an `alembic.ini`.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from jixiao.store.engine import writing
from jixiao.store.search import is_search_index

SCRIPT_LOCATION = "jixiao.store:migrations"
# Any fixed number: serialises concurrent `upgrade head` runs on one PostgreSQL database.
_PG_LOCK_ID = 0x6A69_7869_616F


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """What autogenerate compares with the models: everything but SQLite's search index
    (an FTS5 table and FTS5's own tables behind it, made by migration 0005)."""
    return not (type_ == "table" and is_search_index(name))


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there).

    Runs that start at once take turns: on PostgreSQL behind an advisory lock, on SQLite
    by taking the write lock as the transaction begins (`engine.writing`), so that the
    second reads the revision only once the first has committed its tables. A SQLite
    file that another process is creating at that very moment can still answer "busy"
    before any lock is taken (while it turns to WAL): that is retried, a few times."""
    for attempt in range(_BUSY_RETRIES + 1):
        try:
            _upgrade(engine)
            return
        except OperationalError as exc:
            if not _is_busy(exc) or attempt == _BUSY_RETRIES:
                raise
            time.sleep(0.2 * (attempt + 1))


def _upgrade(engine: Engine) -> None:
    with writing(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        if current_revision(connection) == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")


_BUSY_RETRIES = 5


def _is_busy(exc: OperationalError) -> bool:
    """SQLite's SQLITE_BUSY ("database is locked", any of its extended codes): another
    connection holds what this one needs. (PostgreSQL's errors have no such code.)"""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY
