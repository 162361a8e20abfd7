"""Every stored row of a database, comparable across databases and runs: each id replaced
by what it points at (a document by its hash, a form by its document and position …),
timestamps left out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from jixiao.store.engine import make_engine
from jixiao.store.tables import Base

# What identifies a row of each table that others point at, besides its id.
NATURAL_KEYS = {
    "imports": ("origin",),
    "documents": ("sha256",),
    "projects": ("key",),
    "forms": ("document_id", "position"),
    "indicators": ("form_id", "position"),
}
TIMES = {"created_at", "started_at", "finished_at"}


def stored_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, ids replaced by the natural key of what they name."""
    engine = make_engine(url)
    keys: dict[str, dict[Any, Any]] = {}
    stored: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:  # parents before children
                references = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
                rows = []
                for row in connection.execute(text(f'SELECT * FROM "{table.name}"')).mappings():
                    values = {
                        name: keys[references[name]].get(value) if name in references else value
                        for name, value in row.items()
                    }
                    if table.name in NATURAL_KEYS:
                        natural = tuple(values[name] for name in NATURAL_KEYS[table.name])
                        keys.setdefault(table.name, {})[row["id"]] = natural
                    kept = sorted((n, v) for n, v in values.items() if n != "id" and n not in TIMES)
                    rows.append(tuple(repr(v) for _, v in kept))
                stored[table.name] = sorted(rows)
    finally:
        engine.dispose()
    return stored


def column_values(url: str, table: str, column: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(f'SELECT "{column}" FROM "{table}"')).scalars())
    finally:
        engine.dispose()
