"""Writing many rows at once (storage step): COPY on PostgreSQL, multi-row INSERT elsewhere.

The importer writes a document's forms, amounts, indicators and findings as four bulk
writes. On PostgreSQL they go through `COPY … FROM STDIN` (ids drawn from the table's
sequence first, so that children can point at their parents without RETURNING): about
five times faster than a multi-row INSERT, whose SQL text grows with every row and must
be parsed on both sides. SQLite gets SQLAlchemy's multi-row INSERT … RETURNING.
Both run inside the caller's transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert, text
from sqlalchemy.exc import DBAPIError

from jixiao.store.types import ExactDecimal


def insert_rows(
    connection: Connection, table: Table, rows: list[dict[str, Any]], *, ids: bool = False
) -> list[int]:
    """Insert `rows` (dicts with the same keys) into `table`; their new ids if `ids`."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, rows, ids)
    if not ids:
        connection.execute(insert(table), rows)
        return []
    result = connection.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]], ids: bool) -> list[int]:
    # The PostgreSQL driver is an optional dependency: imported only on PostgreSQL.
    import psycopg

    new_ids: list[int] = []
    columns = list(rows[0])
    if ids:
        new_ids = list(
            connection.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
                ),
                {"table": table.name, "n": len(rows)},
            ).scalars()
        )
        columns = ["id", *columns]
    convert = [_converter(table, name) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    raw = connection.connection.driver_connection
    assert raw is not None
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    fields = columns[1:] if ids else columns
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for n, row in enumerate(rows):
                values = [row[name] for name in fields]
                if ids:
                    values.insert(0, new_ids[n])
                copy.write_row([c(v) if c else v for c, v in zip(convert, values, strict=True)])
    except psycopg.Error as exc:
        # The driver's error in SQLAlchemy's clothes, as every other statement raises it.
        raise DBAPIError(statement, None, exc) from exc
    return new_ids


def _converter(table: Table, name: str) -> Any:
    column_type = table.c[name].type
    if isinstance(column_type, JSON):
        from psycopg.types.json import Json  # on PostgreSQL only, like `_copy`

        return lambda v: None if v is None else Json(v)
    if isinstance(column_type, ExactDecimal):
        return _exact
    return None


def _exact(value: Any) -> Decimal | None:
    # The same guard as ExactDecimal's: a float has lost digits already.
    if value is not None and not isinstance(value, Decimal):
        raise TypeError(f"ExactDecimal takes Decimal, not {type(value).__name__}")
    return value
