"""The exchange format (version 1): forms as JSON, as `jixiao parse --json` prints them.

Part of the core: a pure mapping between the model and plain JSON values. The keys
are those of `shared/gold/README.md`; jixiao adds `format` (the version), `source`
and, per indicator, `source` and the parsed `target_value`/`actual_value`. Amounts are
decimal strings exactly as printed, never floats.

`forms_from_exchange` reads the same shape back (extra keys ignored) and reports bad
records as findings instead of raising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from jixiao.catalogue import INVALID_EXCHANGE
from jixiao.findings import Finding
from jixiao.model import (
    DECLARATION_FUNDS,
    FUNDS_ROWS,
    Declaration,
    DeclarationFunds,
    Form,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
    Source,
)
from jixiao.values import Achievement, Blank, Malformed, Qualitative, Quantity, Value

FORMAT_VERSION = 1
_FUNDS_FIELDS = ("initial", "adjusted", "executed", "weight", "rate", "score")


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _source_json(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"file": source.file}
    for key in ("line", "page", "cell"):
        val = getattr(source, key)
        if val is not None:
            out[key] = val
    return out


def value_json(value: Value) -> dict[str, Any]:
    """The parse of a target/actual, for consumers that do not re-implement the grammar."""
    if isinstance(value, Quantity):
        return {
            "type": "quantity",
            "op": value.op.value if value.op else None,
            "number": str(value.number),
            "unit": value.unit,
        }
    if isinstance(value, Achievement):
        return {"type": "achievement", "grade": value.grade.value}
    if isinstance(value, Qualitative):
        return {"type": "qualitative"}
    if isinstance(value, Malformed):
        return {"type": "malformed", "op": value.op.value if value.op else None}
    assert isinstance(value, Blank)
    return {"type": "blank"}


def indicator_to_exchange(ind: Indicator, kind: str, *, extras: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": ind.target,
    }
    if kind == "self_evaluation":
        out.update(
            actual=ind.actual,
            weight=_dec(ind.weight),
            score=_dec(ind.score),
            note=ind.note,
        )
    if extras:
        out["target_value"] = value_json(ind.target_value)
        if kind == "self_evaluation":
            out["actual_value"] = value_json(ind.actual_value)
        out["source"] = _source_json(ind.source)
    return out


def form_to_exchange(form: Form, *, extras: bool = True) -> dict[str, Any]:
    """One form as an exchange record (`extras=False` gives exactly the gold keys)."""
    out: dict[str, Any] = {"kind": form.kind}
    if isinstance(form, SelfEvaluation):
        out.update(
            year=form.year,
            project=form.project,
            department=form.department,
            unit=form.unit,
            funds_unit=form.funds_unit,
            funds={
                name: {f: _dec(getattr(form.funds.row(name), f)) for f in _FUNDS_FIELDS}
                for name in FUNDS_ROWS
            },
            goal_expected=form.goal_expected,
            goal_actual=form.goal_actual,
            indicators=[
                indicator_to_exchange(i, form.kind, extras=extras) for i in form.indicators
            ],
            total_weight=_dec(form.total_weight),
            total_score=_dec(form.total_score),
            grade=form.grade,
        )
    else:
        out.update(
            year=form.year,
            project=form.project,
            nature=form.nature,
            category=form.category,
            department=form.department,
            unit=form.unit,
            start=form.start.isoformat() if form.start else None,
            end=form.end.isoformat() if form.end else None,
            funds_unit=form.funds_unit,
            funds={name: _dec(form.funds.amount(name)) for name in DECLARATION_FUNDS},
            goal_overall=form.goal_overall,
            goal_annual=form.goal_annual,
            indicators=[
                indicator_to_exchange(i, form.kind, extras=extras) for i in form.indicators
            ],
        )
    if extras:
        out["format"] = FORMAT_VERSION
        out["source"] = _source_json(form.source)
        if form.field_lines:
            out["source"]["fields"] = dict(form.field_lines)
        if form.extra:
            out["extra"] = [[label, value] for label, value in form.extra]
    return out


class _Invalid(Exception):
    """A field of an exchange record has the wrong type (internal to this module)."""


def _opt_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"字段 {key} 应为文本，实为 {value!r}")
    return value


def _opt_dec(record: Mapping[str, Any], key: str) -> Decimal | None:
    from jixiao.values import parse_decimal

    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        # Floats are refused: an exchange amount must be exact.
        raise _Invalid(f"字段 {key} 应为十进制数字文本，实为 {value!r}")
    parsed = parse_decimal(str(value))
    if parsed is None:
        raise _Invalid(f"字段 {key} 不是数字：{value!r}")
    return parsed


def _opt_date(record: Mapping[str, Any], key: str) -> dt.date | None:
    value = _opt_str(record, key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise _Invalid(f"字段 {key} 不是 YYYY-MM-DD 日期：{value!r}") from exc


def _source_from(record: Mapping[str, Any], default: Source) -> Source:
    raw = record.get("source")
    if not isinstance(raw, Mapping):
        return default
    file = raw.get("file")
    line = raw.get("line")
    page = raw.get("page")
    cell = raw.get("cell")
    return Source(
        file=file if isinstance(file, str) else default.file,
        line=line if isinstance(line, int) else None,
        page=page if isinstance(page, int) else None,
        cell=cell if isinstance(cell, str) else None,
    )


def _field_lines_from(record: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    raw = record.get("source")
    fields = raw.get("fields") if isinstance(raw, Mapping) else None
    if not isinstance(fields, Mapping):
        return ()
    return tuple(
        (str(name), line)
        for name, line in fields.items()
        if isinstance(line, int) and not isinstance(line, bool)
    )


def _indicators_from(record: Mapping[str, Any], default: Source) -> tuple[Indicator, ...]:
    raw = record.get("indicators") or []
    if not isinstance(raw, list):
        raise _Invalid("字段 indicators 应为列表")
    out = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise _Invalid(f"第 {i} 个指标不是对象")
        name = _opt_str(item, "name")
        if not name:
            raise _Invalid(f"第 {i} 个指标缺少 name")
        out.append(
            Indicator(
                level1=_opt_str(item, "level1") or "",
                level2=_opt_str(item, "level2") or "",
                name=name,
                target=_opt_str(item, "target"),
                actual=_opt_str(item, "actual"),
                weight=_opt_dec(item, "weight"),
                score=_opt_dec(item, "score"),
                note=_opt_str(item, "note"),
                source=_source_from(item, default),
            )
        )
    return tuple(out)


def _year(record: Mapping[str, Any]) -> int | None:
    year = record.get("year")
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        raise _Invalid(f"字段 year 应为整数，实为 {year!r}")
    return year


def _form_from_exchange(record: Mapping[str, Any], file: str) -> Form:
    kind = record.get("kind")
    default = Source(file=file)
    source = _source_from(record, default)
    project = _opt_str(record, "project")
    if not project:
        raise _Invalid("缺少 project（项目名称）")
    extra_raw = record.get("extra") or []
    extra = tuple(
        (str(pair[0]), str(pair[1]))
        for pair in extra_raw
        if isinstance(pair, Sequence) and len(pair) == 2
    )
    if kind == "self_evaluation":
        funds_raw = record.get("funds") or {}
        if not isinstance(funds_raw, Mapping):
            raise _Invalid("字段 funds 应为对象")
        rows = {}
        for name in FUNDS_ROWS:
            row = funds_raw.get(name) or {}
            if not isinstance(row, Mapping):
                raise _Invalid(f"字段 funds.{name} 应为对象")
            rows[name] = FundsRow(
                initial=_opt_dec(row, "initial"),
                adjusted=_opt_dec(row, "adjusted"),
                executed=_opt_dec(row, "executed"),
                weight=_opt_dec(row, "weight"),
                rate=_opt_dec(row, "rate"),
                score=_opt_dec(row, "score"),
            )
        return SelfEvaluation(
            year=_year(record),
            project=project,
            department=_opt_str(record, "department"),
            unit=_opt_str(record, "unit"),
            funds_unit=_opt_str(record, "funds_unit") or "万元",
            funds=SelfEvaluationFunds(**rows),
            goal_expected=_opt_str(record, "goal_expected"),
            goal_actual=_opt_str(record, "goal_actual"),
            indicators=_indicators_from(record, source),
            total_weight=_opt_dec(record, "total_weight"),
            total_score=_opt_dec(record, "total_score"),
            grade=_opt_str(record, "grade"),
            source=source,
            extra=extra,
            field_lines=_field_lines_from(record),
        )
    if kind == "declaration":
        funds_raw = record.get("funds") or {}
        if not isinstance(funds_raw, Mapping):
            raise _Invalid("字段 funds 应为对象")
        return Declaration(
            year=_year(record),
            project=project,
            nature=_opt_str(record, "nature"),
            category=_opt_str(record, "category"),
            department=_opt_str(record, "department"),
            unit=_opt_str(record, "unit"),
            start=_opt_date(record, "start"),
            end=_opt_date(record, "end"),
            funds_unit=_opt_str(record, "funds_unit") or "元",
            funds=DeclarationFunds(**{n: _opt_dec(funds_raw, n) for n in DECLARATION_FUNDS}),
            goal_overall=_opt_str(record, "goal_overall"),
            goal_annual=_opt_str(record, "goal_annual"),
            indicators=_indicators_from(record, source),
            source=source,
            extra=extra,
            field_lines=_field_lines_from(record),
        )
    raise _Invalid(f"未知的表单类型 kind={kind!r}")


def forms_from_exchange(data: Any, file: str) -> tuple[list[Form], list[Finding]]:
    """Read a JSON array (or one object) of exchange records; bad records become findings."""
    records = data if isinstance(data, list) else [data]
    forms: list[Form] = []
    findings: list[Finding] = []
    entry = INVALID_EXCHANGE
    for index, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            findings.append(
                entry.finding(f"第 {index} 条记录不是 JSON 对象", file=file, form=index)
            )
            continue
        try:
            forms.append(_form_from_exchange(record, file))
        except _Invalid as exc:
            findings.append(entry.finding(f"第 {index} 条记录：{exc}", file=file, form=index))
    return forms, findings
