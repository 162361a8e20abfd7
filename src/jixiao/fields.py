"""The one schema of each form's fields, derived from the model itself.

Part of the core. Every printed field of a form is a dataclass field of `jixiao.model`
carrying its official label (`model.printed`); this module reads them once, with their
types, into `FieldSpec`s, and everything that moves a form between representations is
driven from these specs: the exchange format in both directions (`jixiao.exchange`), the
store's rows in both directions (`jixiao.store.rows`), the recogniser's builder and the
API's schemas. Adding a field is one change to the model, plus a migration for its
column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from jixiao.model import (
    COLUMN,
    LABEL,
    ONLY,
    Declaration,
    Form,
    FormKind,
    Indicator,
    SelfEvaluation,
)


class ValueType(StrEnum):
    """What a field holds, and so how it is written in JSON and stored."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"  # exact, written as a decimal string
    DATE = "date"  # written as YYYY-MM-DD
    RECORD = "record"  # a nested record of fields (the funds, a funds row)
    INDICATORS = "indicators"  # the indicator table


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str  # the attribute, the exchange key, and (unless `column`) the store column
    label: str  # the official printed label, in Chinese
    value_type: ValueType
    optional: bool  # None is a value of the field
    required: bool  # a record without it is invalid (it has no default)
    default: Any
    column: str
    record: type | None = None  # the nested dataclass of a RECORD field


FORM_CLASSES: dict[FormKind, type[SelfEvaluation] | type[Declaration]] = {
    "self_evaluation": SelfEvaluation,
    "declaration": Declaration,
}
FORM_KINDS: tuple[FormKind, ...] = tuple(FORM_CLASSES)

_SCALARS: dict[type, ValueType] = {
    str: ValueType.TEXT,
    int: ValueType.INTEGER,
    Decimal: ValueType.DECIMAL,
    dt.date: ValueType.DATE,
}


def _spec(field: dataclasses.Field[Any], hint: Any) -> FieldSpec:
    args = typing.get_args(hint)
    optional = isinstance(hint, types.UnionType) and type(None) in args
    base = next(a for a in args if a is not type(None)) if optional else hint
    record: type | None = None
    if base in _SCALARS:
        value_type = _SCALARS[base]
    elif typing.get_origin(base) is tuple and typing.get_args(base)[0] is Indicator:
        value_type = ValueType.INDICATORS
    elif dataclasses.is_dataclass(base) and isinstance(base, type):
        value_type, record = ValueType.RECORD, base
    else:  # pragma: no cover - a model field of a type the schema does not know
        raise TypeError(f"{field.name}: no value type for {hint!r}")
    if field.default is not dataclasses.MISSING:
        default: Any = field.default
    elif field.default_factory is not dataclasses.MISSING:
        default = field.default_factory()
    else:
        default = None
    no_default = field.default is dataclasses.MISSING and (
        field.default_factory is dataclasses.MISSING
    )
    return FieldSpec(
        name=field.name,
        label=field.metadata[LABEL],
        value_type=value_type,
        optional=optional,
        required=no_default and not optional,
        default=default,
        column=field.metadata.get(COLUMN, field.name),
        record=record,
    )


_RECORD_FIELDS: dict[tuple[type, FormKind | None], tuple[FieldSpec, ...]] = {}


def record_fields(record: type, kind: FormKind | None = None) -> tuple[FieldSpec, ...]:
    """The printed fields of a model record, in printed order; with `kind`, only those of
    that kind of form (an indicator of a declaration has no actual, weight or score)."""
    specs = _RECORD_FIELDS.get((record, kind))
    if specs is None:
        hints = typing.get_type_hints(record)
        specs = tuple(
            _spec(f, hints[f.name])
            for f in dataclasses.fields(record)
            if LABEL in f.metadata and (kind is None or f.metadata.get(ONLY, kind) == kind)
        )
        _RECORD_FIELDS[(record, kind)] = specs
    return specs


def form_fields(kind: FormKind) -> tuple[FieldSpec, ...]:
    """The printed fields of a kind of form, in the order of the exchange format."""
    return record_fields(FORM_CLASSES[kind])


def indicator_fields(kind: FormKind) -> tuple[FieldSpec, ...]:
    return record_fields(Indicator, kind)


@cache
def scalar_columns() -> tuple[FieldSpec, ...]:
    """The scalar fields of every kind of form, each once: the columns of the forms table
    that hold printed fields (a field a kind does not have is NULL on its rows)."""
    seen: dict[str, FieldSpec] = {}
    for kind in FORM_KINDS:
        for spec in form_fields(kind):
            if spec.value_type not in (ValueType.RECORD, ValueType.INDICATORS):
                seen.setdefault(spec.name, spec)
    return tuple(seen.values())


_INIT_NAMES: dict[type, frozenset[str]] = {}


def build(record: type[Any], values: Mapping[str, Any]) -> Any:
    """A model record from the values of its fields; names it does not have are ignored,
    so one mapping can build either kind of form."""
    # Built for every form and indicator read or loaded: the field names are looked up once.
    names = _INIT_NAMES.get(record)
    if names is None:
        names = _INIT_NAMES[record] = frozenset(
            f.name for f in dataclasses.fields(record) if f.init
        )
    return record(**{name: value for name, value in values.items() if name in names})


def build_form(kind: FormKind, values: Mapping[str, Any]) -> Form:
    form: Form = build(FORM_CLASSES[kind], values)
    return form
