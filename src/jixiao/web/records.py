"""The exchange record as API schemas, generated from the one field schema (`jixiao.fields`).

Presentation step. The API returns forms in the exchange format (`jixiao.exchange`); its
OpenAPI schemas are built here from the same `FieldSpec`s that drive the exchange, the
store and the recogniser, so a field added to the model appears in `/openapi.json` with
its official label as description, and nothing is spelt out twice.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from jixiao.fields import FieldSpec, ValueType, form_fields, indicator_fields, record_fields
from jixiao.model import FormKind

# `list` typed loosely: its item is a model made at run time, which mypy cannot see as a type.
_LIST: Any = list
_KIND_NAMES: dict[FormKind, str] = {
    "self_evaluation": "SelfEvaluation",
    "declaration": "Declaration",
}


class SourcePublic(BaseModel):
    """读取位置：文件，及输入所提供的行号、页码、单元格与页面坐标。"""

    model_config = ConfigDict(extra="allow")

    file: str = Field(description="文件名")
    line: int | None = Field(None, description="行号（文本格式）")
    page: int | None = Field(None, description="页码（PDF）")
    cell: str | None = Field(None, description="单元格（如 `B12`）")
    box: list[float] | None = Field(None, description="页面坐标 `(x0, top, x1, bottom)`，单位：点")


class ValuePublic(BaseModel):
    """指标值的解析结果。"""

    model_config = ConfigDict(extra="allow")

    type: Literal["quantity", "achievement", "qualitative", "malformed", "blank"] = Field(
        description="`quantity` 数值，`achievement` 完成等级，`qualitative` 定性，`malformed` 格式有误，`blank` 空"
    )


def _scalar_type(spec: FieldSpec) -> Any:
    if spec.value_type is ValueType.INTEGER:
        base: Any = int
    else:
        base = str  # text, and decimals and dates as their exact strings
    return base | None if spec.optional else base


def _description(spec: FieldSpec) -> str:
    if spec.value_type is ValueType.DECIMAL:
        return f"{spec.label}（十进制数字文本，与表上所印一致）"
    if spec.value_type is ValueType.DATE:
        return f"{spec.label}（YYYY-MM-DD）"
    return spec.label


# One model per record type and kind of form: the four rows of 项目资金 are one
# `SelfEvaluationFundsRow` (four models of one name would be published as
# `jixiao__web__records__SelfEvaluationFundsRow__1` … `__4`).
_NESTED: dict[str, type[BaseModel]] = {}
_RECORD_DOCS = {
    "FundsRow": "项目资金的一行：年初预算数、全年预算数、全年执行数、分值、执行率、得分"
}


def _nested(spec: FieldSpec, prefix: str, kind: FormKind) -> type[BaseModel]:
    assert spec.record is not None
    record = spec.record.__name__
    name = record if record.startswith(prefix) else f"{prefix}{record}"
    if name not in _NESTED:
        doc = _RECORD_DOCS.get(spec.record.__name__, spec.label)
        _NESTED[name] = _model(name, record_fields(spec.record), kind, doc)
    return _NESTED[name]


def _fields(specs: tuple[FieldSpec, ...], prefix: str, kind: FormKind) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        if spec.value_type is ValueType.RECORD:
            assert spec.record is not None
            out[spec.name] = (_nested(spec, prefix, kind), Field(description=spec.label))
        elif spec.value_type is ValueType.INDICATORS:
            out[spec.name] = (_LIST[_indicator_model(kind)], Field(description=spec.label))
        else:
            default = None if spec.optional else ...
            out[spec.name] = (_scalar_type(spec), Field(default, description=_description(spec)))
    return out


def _model(
    name: str, specs: tuple[FieldSpec, ...], form_kind: FormKind, doc: str, **more: Any
) -> type[BaseModel]:
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="allow"),
        __doc__=doc,
        **_fields(specs, _KIND_NAMES[form_kind], form_kind),
        **more,
    )
    return model


_INDICATOR_MODELS: dict[FormKind, type[BaseModel]] = {}


def _indicator_model(kind: FormKind) -> type[BaseModel]:
    if kind not in _INDICATOR_MODELS:
        extras: dict[str, Any] = {
            "target_value": (ValuePublic | None, Field(None, description="年度指标值的解析")),
            "source": (SourcePublic | None, Field(None, description="读取位置")),
        }
        if kind == "self_evaluation":
            extras["actual_value"] = (
                ValuePublic | None,
                Field(None, description="实际完成值的解析"),
            )
        _INDICATOR_MODELS[kind] = _model(
            f"{_KIND_NAMES[kind]}Indicator", indicator_fields(kind), kind, "一条三级指标", **extras
        )
    return _INDICATOR_MODELS[kind]


def record_model(kind: FormKind, doc: str) -> type[BaseModel]:
    """The exchange record of one kind of form, with the keys jixiao adds."""
    return _model(
        f"{_KIND_NAMES[kind]}Record",
        form_fields(kind),
        kind,
        doc,
        kind=(Literal[kind], Field(description="表单类型")),
        format=(int | None, Field(None, description="交换格式版本")),
        source=(SourcePublic | None, Field(None, description="读取位置")),
        extra=(
            list[list[str]] | None,
            Field(None, description="标准字段以外、表上所印的带标签字段（标签，值）"),
        ),
    )


SelfEvaluationRecord = record_model("self_evaluation", "财政项目支出绩效自评表（交换格式）")
DeclarationRecord = record_model("declaration", "财政项目支出绩效目标申报表（交换格式）")
