"""Applying the Alembic migrations (storage step): `upgrade head` on every start.

The migrations ship inside the package (`jixiao/store/migrations`), so an installed
jixiao can create and upgrade its database without an `alembic.ini`.
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

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
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        if current_revision(connection) == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")
