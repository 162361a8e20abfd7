"""The printed labels of the official forms and their synonyms, in any rendering.

Part of the core vocabulary: everything the readers and the recogniser key on is here
(titles, field labels, column headers, total and grade labels); the indicator framework
is in `framework`, units in `units`. Keys are compared after `normalise.label_key`, which removes
whitespace, unifies full-width and half-width punctuation and drops a trailing colon, so
`其中：当年财政拨款`, `其中: 当年财政拨款` and `其中:当年财政拨款` are one label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

# ---- titles -------------------------------------------------------------------------


# What a title names: a kind of form jixiao reads, or one it recognises and sets aside.
TitleKind = Literal["self_evaluation", "declaration", "unsupported"]


@lru_cache(maxsize=16384)
def title_kind(key: str) -> TitleKind | None:
    """`self_evaluation`, `declaration`, `unsupported`, or None for a key that is no title."""
    if "绩效" not in key or len(key) > 60:
        return None
    if "整体" in key and ("自评表" in key or "申报表" in key or "目标表" in key):
        return "unsupported"
    if "自评表" in key and "汇总" not in key:
        return "self_evaluation"
    if ("目标申报表" in key or "目标表" in key) and "汇总" not in key:
        return "declaration"
    return None


YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")


# ---- header fields ------------------------------------------------------------------

# label key -> model field
HEADER_LABELS: dict[str, str] = {
    "项目名称": "project",
    "主管部门": "department",
    "主管部门及代码": "department",
    "主管单位": "department",
    "实施单位": "unit",
    "项目实施单位": "unit",
    "项目性质": "nature",
    "项目类别": "category",
    "计划开始日期": "start",
    "计划完成日期": "end",
    "项目开始日期": "start",
    "项目完成日期": "end",
}
# Labels other templates print that the model keeps in `extra`, so nothing is lost.
EXTRA_LABELS = frozenset(
    {
        "项目负责人",
        "联系人",
        "联系电话",
        "项目编码",
        "项目代码",
        "项目属性",
        "项目类型",
        "项目期限",
        "实施期限",
        "项目周期",
        "预算单位",
        "单位名称",
        "填报单位",
        "资金用途",
        "项目起止时间",
    }
)


@lru_cache(maxsize=16384)
def header_field(key: str) -> str | None:
    """The model field of a header label (`project` …), `extra:<label>`, or None."""
    field = HEADER_LABELS.get(key)
    if field is not None:
        return field
    if key in EXTRA_LABELS:
        return f"extra:{key}"
    return None


# ---- funds --------------------------------------------------------------------------

# Self-evaluation funds columns, in the official order.
FUNDS_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算数", "年初预算", "年初数")),
    ("adjusted", ("全年预算数", "调整后预算数", "全年预算")),
    ("executed", ("全年执行数", "执行数", "实际执行数", "实际支出数")),
    ("weight", ("分值", "分数")),
    ("rate", ("执行率",)),
    ("score", ("得分",)),
)
FUNDS_ORDER = tuple(name for name, _ in FUNDS_COLUMNS)


@lru_cache(maxsize=16384)
def funds_column(key: str) -> str | None:
    for name, spellings in FUNDS_COLUMNS:
        if any(key.startswith(s) for s in spellings):
            return name
    return None


def is_funds_header(keys: list[str]) -> bool:
    if len(keys) < 3:
        return False
    found = 0
    for key in keys:  # a loop, not a generator: asked of many rows above the indicators
        if funds_column(key) is not None:
            found += 1
    return found >= 3


@lru_cache(maxsize=16384)
def funds_row_name(key: str) -> str | None:
    """The self-evaluation funds row a label names (`total` …)."""
    if "资金总额" in key or key in ("合计", "总计", "年度资金"):
        return "total"
    if "财政拨款" in key:
        return "appropriation"
    if "结转" in key:
        return "carryover"
    if "其他资金" in key:
        return "other"
    return None


@lru_cache(maxsize=16384)
def declaration_funds_label(key: str) -> str | None:
    """The declaration funds field a label names; `other` is resolved by the caller."""
    if key.startswith("项目资金总额") or key == "项目总金额":
        return "project_total"
    if "财政资金" in key:
        return "project_fiscal"
    if "年度资金申请总额" in key or key.startswith("年度资金总额") or key == "年度资金":
        return "annual_total"
    if "当年财政拨款" in key:
        return "annual_appropriation"
    if "上年结转" in key:
        return "annual_carryover"
    if "其他资金" in key:
        return "other"
    return None


@lru_cache(maxsize=16384)
def is_funds_block_label(key: str) -> bool:
    """The merged label of the funds block (`项目资金 (万元)`), not a row of it."""
    return key.startswith("项目资金") and "总额" not in key


# ---- goals --------------------------------------------------------------------------

GOAL_EXPECTED = "预期目标"
GOAL_ACTUAL = "实际完成情况"
GOAL_OVERALL = "项目总目标"
GOAL_ANNUAL = "年度总体目标"
# Merged row labels that head a block and carry no value.
SECTION_LABELS = frozenset(
    {"年度总体目标", "项目绩效目标", "绩效指标", "项目绩效指标", "年度绩效指标", "绩效目标"}
)


@lru_cache(maxsize=16384)
def goal_column(key: str) -> str | None:
    if key.startswith(GOAL_EXPECTED) or key == "年度预期目标":
        return "expected"
    if key.startswith(GOAL_ACTUAL) or key == "实际完成":
        return "actual"
    if key.startswith(GOAL_OVERALL):
        return "overall"
    if key.startswith(GOAL_ANNUAL):
        return "annual"
    return None


# ---- indicator table ----------------------------------------------------------------

INDICATOR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称", "绩效指标名称")),
    (
        "target",
        (
            "年度指标值",
            "年度(/项目)指标值",
            "年度/项目指标值",
            "指标值",
            "年度目标值",
            "目标值",
            "预期指标值",
            "绩效目标值",
        ),
    ),
    ("actual", ("实际完成值", "全年实际值", "实际值", "实际完成情况", "完成值")),
    ("weight", ("分值", "权重", "分数")),
    ("score", ("得分", "自评得分")),
    (
        "note",
        ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "未完成原因", "原因分析"),
    ),
)


@lru_cache(maxsize=16384)
def indicator_column(key: str) -> str | None:
    for role, spellings in INDICATOR_COLUMNS:
        if key in spellings:
            return role
    for role, spellings in INDICATOR_COLUMNS:
        if any(key.startswith(s) for s in spellings):
            return role
    return None


# What a key the name column is known by starts with (`indicator_column` gives `name`
# to no other key), and the shortest of those that the others contain: a header row
# has one of these in its text.
_NAME_PREFIXES = next(spellings for role, spellings in INDICATOR_COLUMNS if role == "name")
_NAME_MARKS = tuple(p for p in _NAME_PREFIXES if not any(q != p and q in p for q in _NAME_PREFIXES))


def is_indicator_header(keys: list[str]) -> bool:
    # Cheap test first, on the row's text at once (it is asked of every row, and an
    # indicator row has its 指标 cells too): every header names the name column.
    text = "".join(keys)
    for mark in _NAME_MARKS:
        if mark in text:
            break
    else:
        return False
    roles = {indicator_column(k) for k in keys}
    return "name" in roles and ("target" in roles or "level1" in roles)


TOTAL_LABELS = frozenset({"总分", "合计", "总计", "得分合计"})
GRADE_LABELS = frozenset({"评分等级", "自评等级", "绩效等级", "评价等级", "等级"})


def is_printed_label(key: str) -> bool:
    """Whether `key` (a `label_key`) is one of the form's printed labels — a field's
    name, a column or section heading, a title — rather than a value the unit filled in."""
    return bool(
        title_kind(key)
        or header_field(key)
        or funds_column(key)
        or funds_row_name(key)
        or declaration_funds_label(key)
        or is_funds_block_label(key)
        or goal_column(key)
        or indicator_column(key)
        or key in SECTION_LABELS
        or key in TOTAL_LABELS
        or key in GRADE_LABELS
    )
