"""Money and scores are stored as exact decimals on every database (never REAL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, text

from jixiao.store.types import ExactDecimal, number_of

AWKWARD = [
    "10.00",  # the printed scale must survive (SQLite NUMERIC would make it 10)
    "0.1",  # not representable in binary floating point
    "1047173000.00",
    "123456789012345678.123456789",  # beyond a double's 15–17 digits
    "-0.05",
    "98",
    "0.00",
]


@pytest.fixture
def decimals(engine: Engine) -> Table:
    table = Table(
        "decimal_probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("v", ExactDecimal),
    )
    table.create(engine)
    yield table
    table.drop(engine)


def test_decimals_round_trip_exactly(engine: Engine, decimals: Table) -> None:
    with engine.begin() as connection:
        connection.execute(insert(decimals), [{"v": Decimal(v)} for v in AWKWARD])
    with engine.connect() as connection:
        back = list(connection.execute(select(decimals.c.v).order_by(decimals.c.id)).scalars())
    assert [str(v) for v in back] == [str(Decimal(v)) for v in AWKWARD]
    assert all(isinstance(v, Decimal) for v in back)


def test_exponent_notation_keeps_its_value(engine: Engine, decimals: Table) -> None:
    # PostgreSQL prints 1E+3 as 1000: the same number (printed amounts never use exponents).
    with engine.begin() as connection:
        connection.execute(insert(decimals), [{"v": Decimal("1E+3")}])
        assert connection.execute(select(decimals.c.v)).scalar_one() == Decimal(1000)


def test_decimals_are_not_stored_as_floats(engine: Engine, decimals: Table) -> None:
    with engine.begin() as connection:
        connection.execute(insert(decimals), [{"v": Decimal("10.00")}])
        stored = connection.execute(text("SELECT v FROM decimal_probe")).scalar_one()
    # The raw value the driver returns: text on SQLite, Decimal on PostgreSQL — never float.
    assert not isinstance(stored, float)
    assert str(stored) == "10.00"


def test_floats_are_refused(engine: Engine, decimals: Table) -> None:
    with pytest.raises(Exception, match="ExactDecimal takes Decimal"), engine.begin() as c:
        c.execute(insert(decimals), [{"v": 0.1}])


def test_numeric_key_orders_as_numbers(engine: Engine, decimals: Table) -> None:
    values = ["9.5", "10.00", "100", "98", "-1"]
    with engine.begin() as connection:
        connection.execute(insert(decimals), [{"v": Decimal(v)} for v in values])
        ordered = connection.execute(
            select(decimals.c.v).order_by(number_of(decimals.c.v))
        ).scalars()
        assert [str(v) for v in ordered] == ["-1", "9.5", "10.00", "98", "100"]
