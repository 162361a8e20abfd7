"""Request validation failures in Chinese (web edge): which parameter, what it must be,
what was sent.

FastAPI reports a bad parameter with pydantic's English ("Input should be a valid
integer, unable to parse string as an integer"). A reviewer who typed `?year=abc` reads
instead 「参数“年度”（year）应为整数，收到“abc”」. The texts follow pydantic's error
types; an unknown type still names the parameter and the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jixiao.vocabulary.filters import FILTER_LABELS

# The request parameters as the pages name them.
PARAMETER_LABELS = {
    **FILTER_LABELS,
    "sort": "排序",
    "limit": "每页条数",
    "offset": "起始位置",
    "code": "规则编号",
    "stage": "环节",
    "form_id": "表单编号",
    "document_id": "文件编号",
    "page": "页码",
    "token": "上传编号",
    "profile": "评分方案",
    "files": "文件",
}
_SHOWN_VALUE = 60  # characters of a sent value quoted back


def _rule(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return "应为数字"
    if kind in ("bool_parsing", "bool_type"):
        return "应为是或否（true/false）"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return f"应为以下之一：{expected}"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字符"
    if kind == "missing":
        return "必须填写"
    if kind in ("string_type", "string_unicode"):
        return "应为文字"
    if kind == "value_error" and ctx.get("error") is not None:
        return f"：{ctx['error']}"  # jixiao's own validators say it in Chinese
    if kind in ("json_invalid", "json_type", "model_attributes_type", "dict_type"):
        return "格式不对"
    return "取值无效"


def _name(loc: list[Any], with_key: bool) -> str:
    # loc is ("query", "year"), ("path", "form_id"), ("body", "files", 0) …
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)] or [str(loc[0])]
    key = parts[-1]
    label = PARAMETER_LABELS.get(key)
    if label is None:
        return f"“{key}”"
    return f"“{label}”（{key}）" if with_key else f"“{label}”"


def explain(error: Mapping[str, Any], *, with_key: bool = True) -> str:
    """One validation error as a sentence: 参数“年度”（year）应为整数，收到“abc”. A page
    names the parameter by its label only; the API adds its key, which a program uses."""
    loc = list(error.get("loc", ()))
    kind = str(error.get("type", ""))
    sentence = f"参数{_name(loc, with_key) if loc else ''}{_rule(kind, error.get('ctx') or {})}"
    if kind != "missing" and "input" in error and isinstance(error["input"], str | int | float):
        value = str(error["input"])
        if len(value) > _SHOWN_VALUE:
            value = value[:_SHOWN_VALUE] + "…"
        sentence += f"，收到“{value}”"
    return sentence
