"""Writing many rows at once (storage step): COPY on PostgreSQL, multi-row INSERT on SQLite.

The importer writes a batch of documents as one bulk write per table, the rows as plain
tuples (`insert_values`). Their values are what the database stores, made once, in any
process (`Stored`): a decimal as its exact text, JSON as its text, a date in ISO form —
what SQLAlchemy's bind processors give on SQLite, and text that PostgreSQL's COPY parses
into the same values. Only the values the writer adds (ids, the import's time) are bound
for the dialect at hand (`bound`).

The ids that tie children to parents are drawn before the write, so that no row has to
come back:

- PostgreSQL: ids drawn from the table's sequence (one `nextval` query per table), the
  rows sent by `COPY … FROM STDIN` (text format, which takes the stored text as it is):
  about five times faster than a multi-row INSERT, whose SQL text grows with every row
  and must be parsed on both sides.
- SQLite: ids counted on from the table's largest (what SQLite itself would choose for
  an `INTEGER PRIMARY KEY` without AUTOINCREMENT), the rows sent a few hundred to a
  statement (`_insert_many` says why). The largest id cannot move under us: the
  importer takes the write lock when it begins (`BEGIN IMMEDIATE`), and should another
  writer have committed since our transaction first read, SQLite refuses our write (WAL
  snapshots) rather than let ids be handed out twice. SQLAlchemy's INSERT … RETURNING
  would send one statement per row here, to return the ids in order.

Both run in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Column, Connection, Date, DateTime, Table, text
from sqlalchemy.exc import DBAPIError

from jixiao.store.types import ExactDecimal

Convert = Callable[[Any], Any]
_ROWS_PER_STATEMENT = 500
_VARIABLES = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER


def _decimal_text(value: Any) -> str:
    if not isinstance(value, Decimal):
        # The same guard as ExactDecimal's: a float has lost digits already.
        raise TypeError(f"ExactDecimal takes Decimal, not {type(value).__name__}")
    return str(value)


def _json_text(value: Any) -> str:
    # json.dumps with its defaults: what SQLAlchemy (SQLite) and psycopg (PostgreSQL) use.
    return json.dumps(value)


def _date_text(value: dt.date) -> str:
    return value.isoformat()


class Stored:
    """Rows of `table` as the tuples `insert_values` takes: the values of `columns`, in
    that order, each as the database stores it. A column that is neither a plain value
    (integer, text, bytes) nor one of the types converted here is refused, so that no
    value reaches the database without the conversion SQLAlchemy would have made."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._take = itemgetter(*self.columns)
        converters = [(i, _converter(table.c[name])) for i, name in enumerate(self.columns)]
        self._convert = tuple((i, c) for i, c in converters if c is not None)

    def __call__(self, row: dict[str, Any]) -> tuple[Any, ...]:
        taken = self._take(row)
        values = list(taken) if len(self.columns) > 1 else [taken]
        # Most columns are plain: only the few that are not are visited.
        for i, convert in self._convert:
            if values[i] is not None:
                values[i] = convert(values[i])
        return tuple(values)


def _converter(column: Column[Any]) -> Convert | None:
    kind = column.type
    if isinstance(kind, ExactDecimal):
        return _decimal_text
    if isinstance(kind, JSON):
        return _json_text
    if isinstance(kind, DateTime):
        raise ValueError(f"{column}: a time is bound by the writer (bulk.bound)")
    if isinstance(kind, Date):
        return _date_text
    return None


def bound(connection: Connection, column: Column[Any], value: Any) -> Any:
    """`value` as SQLAlchemy hands it to this connection's driver for `column`."""
    dialect = connection.dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def insert_values(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    values: list[tuple[Any, ...]],
    *,
    ids: bool = False,
) -> list[int]:
    """Insert `values` (tuples of `columns`, as stored) into `table`; their ids if `ids`."""
    if not values:
        return []
    new_ids: list[int] = []
    if ids:
        new_ids = _new_ids(connection, table, len(values))
        columns = ("id", *columns)
        values = [(id_, *row) for id_, row in zip(new_ids, values, strict=True)]
    names = ", ".join(f'"{name}"' for name in columns)
    if connection.dialect.name == "postgresql":
        _copy(connection, f'COPY "{table.name}" ({names}) FROM STDIN', values)
    else:
        _insert_many(connection, f'INSERT INTO "{table.name}" ({names}) VALUES ', values)
    return new_ids


def _insert_many(connection: Connection, head: str, values: list[tuple[Any, ...]]) -> None:
    """Rows a few hundred to a statement (`INSERT … VALUES (…), (…), …`), not one: SQLite
    opens a savepoint for each statement that fires a trigger, and the full-text index
    `forms_search` (kept by a trigger on `forms`) writes out what it holds at every
    savepoint, so that a statement per row costs it a write per row (twice the time)."""
    raw = connection.connection.driver_connection
    assert raw is not None
    width = len(values[0])
    per_statement = max(1, min(_ROWS_PER_STATEMENT, raw.getlimit(_VARIABLES) // width))
    row = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(values), per_statement):
        chunk = values[start : start + per_statement]
        connection.exec_driver_sql(
            head + ", ".join([row] * len(chunk)), tuple(chain.from_iterable(chunk))
        )


def _new_ids(connection: Connection, table: Table, n: int) -> list[int]:
    if connection.dialect.name == "postgresql":
        query = "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        drawn = connection.execute(text(query), {"table": table.name, "n": n})
        return list(drawn.scalars())
    first = connection.exec_driver_sql(
        f'SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"'
    ).scalar_one()
    return list(range(first, first + n))


def _copy(connection: Connection, statement: str, values: list[tuple[Any, ...]]) -> None:
    # The PostgreSQL driver is an optional dependency: imported only on PostgreSQL.
    import psycopg

    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            write = copy.write_row
            for row in values:
                write(row)
    except psycopg.Error as exc:
        # The driver's error in SQLAlchemy's clothes, as every other statement raises it.
        raise DBAPIError(statement, None, exc) from exc
