"""The exchange format (version 1): forms as JSON, as `jixiao parse --json` prints them.

Part of the core: a pure mapping between the model and plain JSON values, driven by the
field schema (`jixiao.fields`) and documented in `docs/exchange.md`. Beside the printed
fields jixiao adds `format` (the version), `source` and, per indicator, `source` and the
parsed `target_value`/`actual_value`. Amounts are decimal strings exactly as printed,
never floats.

`forms_from_exchange` reads the same shape back (extra keys ignored) and reports bad
records as findings instead of raising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from jixiao.catalogue import INVALID_EXCHANGE
from jixiao.fields import (
    FORM_CLASSES,
    FieldSpec,
    ValueType,
    build,
    build_form,
    form_fields,
    indicator_fields,
    record_fields,
)
from jixiao.findings import Finding
from jixiao.model import Form, FormKind, Indicator, Source
from jixiao.values import (
    Achievement,
    Blank,
    Grade,
    Malformed,
    Op,
    Qualitative,
    Quantity,
    Value,
    parse_decimal,
)

FORMAT_VERSION = 1


def source_json(source: Source) -> dict[str, Any]:
    """A `Source` as JSON: the file, and those of line, page, cell and box it has."""
    out: dict[str, Any] = {"file": source.file}
    if source.line is not None:
        out["line"] = source.line
    if source.page is not None:
        out["page"] = source.page
    if source.cell is not None:
        out["cell"] = source.cell
    if source.box is not None:
        out["box"] = list(source.box)
    return out


# The printed glyph of each operator and the name of each grade, looked up rather than
# read as `member.value`, an enum property that costs a Python call on Python 3.11.
_OP_TEXT: dict[Op | None, str | None] = {None: None, **{op: op.value for op in Op}}
_GRADE_TEXT: dict[Grade, str] = {grade: grade.value for grade in Grade}


def value_json(value: Value) -> dict[str, Any]:
    """The parse of a target/actual, for consumers that do not re-implement the grammar."""
    if isinstance(value, Quantity):
        return {
            "type": "quantity",
            "op": _OP_TEXT[value.op],
            "number": str(value.number),
            "unit": value.unit,
        }
    if isinstance(value, Achievement):
        return {"type": "achievement", "grade": _GRADE_TEXT[value.grade]}
    if isinstance(value, Qualitative):
        return {"type": "qualitative"}
    if isinstance(value, Malformed):
        return {"type": "malformed", "op": _OP_TEXT[value.op]}
    assert isinstance(value, Blank)
    return {"type": "blank"}


# -- model → exchange ---------------------------------------------------------------------

RecordEncoder = Callable[[Any], dict[str, Any]]


@cache
def _record_encoder(
    record: type, only: FormKind | None, kind: FormKind, extras: bool
) -> RecordEncoder:
    """The writer of one class of record (`record_fields(record, only)`, on a form of
    `kind`), made once from the schema.

    Made as the source of one function, as `dataclasses` makes an `__init__`:
    `{"name": record.name, "weight": None if record.weight is None else str(…), …}`.
    Walking the field specs for every record read cost more than writing its values,
    and a dict display is the cheapest way Python has to write them."""
    namespace: dict[str, Any] = {}
    entries = []
    for spec in record_fields(record, only):
        assert spec.name.isidentifier()  # (it is a dataclass field)
        value = _json_of(f"record.{spec.name}", spec, namespace, kind, extras)
        entries.append(f"{spec.name!r}: {value}")
    exec("def encode(record):\n    return {" + ", ".join(entries) + "}\n", namespace)
    encode: RecordEncoder = namespace["encode"]
    return encode


def _json_of(
    value: str, spec: FieldSpec, namespace: dict[str, Any], kind: FormKind, extras: bool
) -> str:
    """The expression writing a field's `value` (an expression too) as JSON, with what
    it calls put in `namespace`."""
    if spec.value_type is ValueType.DECIMAL:
        return f"None if {value} is None else str({value})"
    if spec.value_type is ValueType.DATE:
        return f"None if {value} is None else {value}.isoformat()"
    if spec.value_type is ValueType.RECORD:
        assert spec.record is not None
        namespace[f"_{spec.name}"] = _record_encoder(spec.record, None, kind, extras)
        return f"_{spec.name}({value})"
    if spec.value_type is ValueType.INDICATORS:
        namespace["_indicator"] = _indicator_encoder(kind, extras)
        return f"[_indicator(item) for item in {value}]"
    return value  # text and integers are written as they are


@cache
def _indicator_encoder(kind: FormKind, extras: bool) -> RecordEncoder:
    fields = _record_encoder(Indicator, kind, kind, extras)
    if not extras:
        return fields
    scored = kind == "self_evaluation"

    def encode(ind: Indicator) -> dict[str, Any]:
        out = fields(ind)
        out["target_value"] = value_json(ind.target_value)
        if scored:
            out["actual_value"] = value_json(ind.actual_value)
        out["source"] = source_json(ind.source)
        return out

    return encode


def indicator_to_exchange(ind: Indicator, kind: FormKind, *, extras: bool = True) -> dict[str, Any]:
    return _indicator_encoder(kind, extras)(ind)


def form_to_exchange(form: Form, *, extras: bool = True) -> dict[str, Any]:
    """One form as an exchange record (`extras=False` gives exactly the gold keys)."""
    record: type = FORM_CLASSES[form.kind]
    out: dict[str, Any] = {"kind": form.kind}
    out.update(_record_encoder(record, None, form.kind, extras)(form))
    if extras:
        out["format"] = FORMAT_VERSION
        out["source"] = source_json(form.source)
        if form.field_lines:
            out["source"]["fields"] = dict(form.field_lines)
        if form.extra:
            out["extra"] = [[label, value] for label, value in form.extra]
    return out


# -- exchange → model ---------------------------------------------------------------------


class _Invalid(Exception):
    """A field of an exchange record has the wrong type (internal to this module)."""


def _scalar_from(raw: Any, spec: FieldSpec, path: str) -> Any:
    if raw is None:
        if spec.required:
            raise _Invalid(f"缺少字段 {path}（{spec.label}）")
        return spec.default
    if spec.value_type is ValueType.TEXT:
        if not isinstance(raw, str):
            raise _Invalid(f"字段 {path} 应为文本，实为 {raw!r}")
        if spec.required and not raw:
            raise _Invalid(f"缺少字段 {path}（{spec.label}）")
        return raw
    if spec.value_type is ValueType.INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _Invalid(f"字段 {path} 应为整数，实为 {raw!r}")
        return raw
    if spec.value_type is ValueType.DECIMAL:
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            # Floats are refused: an exchange amount must be exact.
            raise _Invalid(f"字段 {path} 应为十进制数字文本，实为 {raw!r}")
        parsed = parse_decimal(str(raw))
        if parsed is None:
            raise _Invalid(f"字段 {path} 不是数字：{raw!r}")
        return parsed
    if not isinstance(raw, str):
        raise _Invalid(f"字段 {path} 应为 YYYY-MM-DD 日期文本，实为 {raw!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise _Invalid(f"字段 {path} 不是 YYYY-MM-DD 日期：{raw!r}") from exc


def _values_from(
    raw: Mapping[str, Any], specs: Sequence[FieldSpec], kind: FormKind, source: Source, path: str
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in specs:
        where = f"{path}{spec.name}"
        item = raw.get(spec.name)
        if spec.value_type is ValueType.RECORD:
            assert spec.record is not None
            item = item or {}
            if not isinstance(item, Mapping):
                raise _Invalid(f"字段 {where} 应为对象")
            nested = _values_from(item, record_fields(spec.record), kind, source, where + ".")
            values[spec.name] = build(spec.record, nested)
        elif spec.value_type is ValueType.INDICATORS:
            values[spec.name] = _indicators_from(item or [], kind, source)
        else:
            values[spec.name] = _scalar_from(item, spec, where)
    return values


def _source_from(record: Mapping[str, Any], default: Source) -> Source:
    raw = record.get("source")
    if not isinstance(raw, Mapping):
        return default
    file, line, page, cell, box = (raw.get(k) for k in ("file", "line", "page", "cell", "box"))
    return Source(
        file=file if isinstance(file, str) else default.file,
        line=line if isinstance(line, int) else None,
        page=page if isinstance(page, int) else None,
        cell=cell if isinstance(cell, str) else None,
        box=_box(box),
    )


def _box(raw: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 4:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw):
        return None
    return (float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3]))


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


def _indicators_from(raw: Any, kind: FormKind, default: Source) -> tuple[Indicator, ...]:
    if not isinstance(raw, list):
        raise _Invalid("字段 indicators 应为列表")
    out = []
    specs = indicator_fields(kind)
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise _Invalid(f"第 {i} 个指标不是对象")
        if not item.get("name"):
            raise _Invalid(f"第 {i} 个指标缺少 name（三级指标）")
        values = _values_from(item, specs, kind, default, f"indicators[{i}].")
        values["source"] = _source_from(item, default)
        out.append(build(Indicator, values))
    return tuple(out)


def _form_from_exchange(record: Mapping[str, Any], file: str) -> Form:
    kind = record.get("kind")
    if kind not in FORM_CLASSES:
        raise _Invalid(f"未知的表单类型 kind={kind!r}")
    source = _source_from(record, Source(file=file))
    if not record.get("project"):
        raise _Invalid("缺少 project（项目名称）")
    values = _values_from(record, form_fields(kind), kind, source, "")
    extra_raw = record.get("extra") or []
    values["extra"] = tuple(
        (str(pair[0]), str(pair[1]))
        for pair in extra_raw
        if isinstance(pair, Sequence) and len(pair) == 2
    )
    values["source"] = source
    values["field_lines"] = _field_lines_from(record)
    return build_form(kind, values)


def forms_from_exchange(data: Any, file: str) -> tuple[list[Form], list[Finding]]:
    """Read a JSON array (or one object) of exchange records; bad records become findings."""
    records = data if isinstance(data, list) else [data]
    forms: list[Form] = []
    findings: list[Finding] = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            findings.append(
                INVALID_EXCHANGE.finding(f"第 {index} 条记录不是 JSON 对象", file=file, form=index)
            )
            continue
        try:
            forms.append(_form_from_exchange(record, file))
        except _Invalid as exc:
            findings.append(
                INVALID_EXCHANGE.finding(f"第 {index} 条记录：{exc}", file=file, form=index)
            )
    return forms, findings
