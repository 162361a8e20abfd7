"""Alembic environment: runs on the connection that `jixiao.store.migrate` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from jixiao.store.migrate import include_name
from jixiao.store.tables import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later migrations rebuild tables in batches.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through jixiao.store.migrate, which passes a connection")
_run(connection)
