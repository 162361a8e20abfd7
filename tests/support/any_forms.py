"""Hypothesis strategies for *any* form the model can hold, built from the field schema.

Unlike `strategies` (realistic forms a reader must read back), these draw every field of
both kinds from its type alone (`jixiao.fields`), with hostile texts and exact decimals
of any scale, so that a field added to the model is generated, exchanged and stored by
the round-trip tests without anyone touching them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from jixiao.fields import (
    FieldSpec,
    ValueType,
    build,
    build_form,
    form_fields,
    indicator_fields,
    record_fields,
)
from jixiao.model import Form, FormKind, Indicator, Source

FILE = "round-trip.json"

# Any printable text: CJK, full-width forms, quotes, markup, emoji; no control characters
# (PostgreSQL refuses NUL in text, and no form prints one).
text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
# Exact decimals of any printed scale; no negative zero, which PostgreSQL's NUMERIC keeps
# as zero (and no form prints).
decimals = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(min_value=-(10**14), max_value=10**14),
    st.integers(min_value=0, max_value=4),
)
sources = st.builds(
    Source,
    file=st.just(FILE),
    line=st.none() | st.integers(min_value=1, max_value=10**6),
    page=st.none() | st.integers(min_value=1, max_value=2000),
    cell=st.none() | st.from_regex(r"[A-Z]{1,2}[1-9][0-9]{0,3}", fullmatch=True),
    box=st.none()
    | st.tuples(*(st.floats(min_value=0, max_value=2000, allow_nan=False) for _ in range(4))),
)


def _value(spec: FieldSpec, kind: FormKind) -> st.SearchStrategy[Any]:
    if spec.value_type is ValueType.RECORD:
        assert spec.record is not None
        return _record(spec.record, record_fields(spec.record), kind)
    if spec.value_type is ValueType.INDICATORS:
        return st.lists(indicators(kind), max_size=4).map(tuple)
    base: st.SearchStrategy[Any] = {
        ValueType.TEXT: text.filter(bool) if spec.required else text,
        ValueType.INTEGER: st.integers(min_value=1900, max_value=2100),
        ValueType.DECIMAL: decimals,
        ValueType.DATE: st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    }[spec.value_type]
    return st.none() | base if spec.optional else base


def _record(record: type, specs: tuple[FieldSpec, ...], kind: FormKind) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries({s.name: _value(s, kind) for s in specs}).map(
        lambda values: build(record, values)
    )


def indicators(kind: FormKind) -> st.SearchStrategy[Indicator]:
    values = st.fixed_dictionaries(
        {spec.name: _value(spec, kind) for spec in indicator_fields(kind)},
    )
    return st.tuples(values, sources).map(
        lambda pair: build(Indicator, {**pair[0], "source": pair[1]})
    )


def forms(kind: FormKind) -> st.SearchStrategy[Form]:
    values = st.fixed_dictionaries({spec.name: _value(spec, kind) for spec in form_fields(kind)})
    extra = st.lists(st.tuples(text.filter(bool), text), max_size=3).map(tuple)
    return st.tuples(values, sources, extra).map(
        lambda parts: build_form(kind, {**parts[0], "source": parts[1], "extra": parts[2]})
    )


any_form = forms("self_evaluation") | forms("declaration")
