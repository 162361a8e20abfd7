"""Bulk writes: values stored as SQLAlchemy stores them, ids that never collide."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Date, Engine, Table, func, select
from sqlalchemy.dialects import sqlite

from jixiao.intake import take_in
from jixiao.store.bulk import Stored, bound, insert_values
from jixiao.store.importer import Importer
from jixiao.store.prepared import FINDING, FORM, FUNDS, INDICATOR
from jixiao.store.tables import (
    FormRow,
    IndicatorRow,
    Project,
)
from tests.conftest import SEEDS
from tests.store.helpers import PROFILE
from tests.store.test_types import AWKWARD


@pytest.mark.parametrize("stored", [FORM, FUNDS, INDICATOR, FINDING], ids=lambda s: s.table.name)
def test_values_are_what_sqlalchemy_binds_on_sqlite(stored: Stored) -> None:
    """On SQLite the database gets from `Stored` what SQLAlchemy's INSERT would give it
    (on PostgreSQL, COPY parses that text into the same values)."""
    dialect = sqlite.dialect()
    samples: dict[str, list[Any]] = {
        "ExactDecimal": [Decimal(v) for v in AWKWARD],
        "JSON": [[1.5, 2.0, 300.25, 4.0], [["资金来源", "财政拨款"]], {"a": "中"}],
        "Date": [dt.date(2024, 1, 1), dt.date(999, 12, 31)],
    }
    checked = 0
    for name in stored.columns:
        column = stored.table.c[name]
        kind = "Date" if isinstance(column.type, Date) else type(column.type).__name__
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        for value in samples.get(kind, []):
            row = dict.fromkeys(stored.columns) | {name: value}
            assert stored(row)[stored.columns.index(name)] == process(value), (name, value)
            checked += 1
        assert stored(dict.fromkeys(stored.columns)) == (None,) * len(stored.columns)
    assert checked


def test_a_float_is_refused_as_sqlalchemy_refuses_it() -> None:
    row = dict.fromkeys(INDICATOR.columns) | {"weight": 0.1}
    with pytest.raises(TypeError, match="ExactDecimal takes Decimal, not float"):
        INDICATOR(row)


def test_a_time_is_left_to_the_writer() -> None:
    with pytest.raises(ValueError, match="bound by the writer"):
        Stored(FORM.table, ["created_at"])


def test_ids_follow_the_largest_even_after_gaps(engine: Engine) -> None:
    """A row written with an id of its own (by another program) is not collided with."""
    table: Table = Project.__table__  # type: ignore[assignment]
    now = dt.datetime.now(dt.UTC)
    columns = ("key", "name", "created_at")
    with engine.begin() as connection:
        at = bound(connection, table.c.created_at, now)
        first = insert_values(connection, table, columns, [("a", "甲", at)], ids=True)
        connection.execute(
            table.insert().values(id=first[0] + 10, key="b", name="乙", created_at=now)
        )
        more = insert_values(
            connection, table, columns, [("c", "丙", at), ("d", "丁", at)], ids=True
        )
    if engine.dialect.name == "sqlite":
        # What SQLite itself would have chosen: one more than the largest.
        assert more == [first[0] + 11, first[0] + 12]
    else:
        assert len(set(more)) == 2 and min(more) > first[0]  # from the table's sequence
    with engine.connect() as connection:
        names = {id_: name for id_, name in connection.execute(select(Project.id, Project.name))}
    assert names[more[1]] == "丁"


def test_two_imports_at_once_store_every_file(engine: Engine) -> None:
    """Each transaction draws its ids under the write lock (SQLite) or from the sequence
    (PostgreSQL): two importers writing at once never hand out an id twice."""
    texts = [seed.read_bytes() for seed in SEEDS]
    errors: list[BaseException] = []

    def run(part: int) -> None:
        try:
            with Importer(engine, origin="cli", profile=PROFILE) as importer:
                for copy in range(4):
                    batch = [
                        take_in(data + b"\n" * (2 * copy + part), f"{part}-{copy}-{n}.txt", PROFILE)
                        for n, data in enumerate(texts)
                    ]
                    assert [o.status for o in importer.add_many(batch)] == ["saved"] * len(batch)
                importer.finish()
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(part,)) for part in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with engine.connect() as connection:
        forms = connection.execute(select(func.count()).select_from(FormRow)).scalar_one()
        indicators = connection.execute(select(func.count(IndicatorRow.id.distinct()))).scalar()
    assert forms == 2 * 4 * 51
    assert indicators and indicators > forms
