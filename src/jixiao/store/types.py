"""Column types that keep the model's values exact in every database (storage step).

SQLite has no decimal type: a column declared NUMERIC converts `"10.00"` to the integer
10 and `"0.1"` to a binary float. `ExactDecimal` therefore stores decimals as text on
SQLite (the printed scale and every digit kept) and as unconstrained NUMERIC on
PostgreSQL (which also keeps the printed scale). Ordering by such a column needs
`numeric_key`, which casts on SQLite only: the cast is used to *sort*, never to store.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

# Long enough for any printed amount (1,047,173,000.00 has 13 characters) with room.
_TEXT_LENGTH = 40


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal column that round-trips exactly: NUMERIC on PostgreSQL, text on SQLite."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(_TEXT_LENGTH))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            # A float here would already have lost digits: refuse it loudly.
            raise TypeError(f"ExactDecimal takes Decimal, not {type(value).__name__}")
        if dialect.name == "sqlite":
            return str(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value
        return Decimal(str(value))


class numeric_key(FunctionElement[Any]):
    """`ORDER BY` / comparison key for an `ExactDecimal` column."""

    name = "numeric_key"
    inherit_cache = True


@compiles(numeric_key)
def _numeric_key_default(element: numeric_key, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(numeric_key, "sqlite")
def _numeric_key_sqlite(element: numeric_key, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS REAL)"


def number_of(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[Any]:
    """The column as a number the database can order and compare."""
    return numeric_key(column)
