"""The target/actual grammar: what a 年度指标值 or 实际完成值 cell means.

Part of the core model (no I/O). A printed value is one of:

- `Quantity`: an optional operator, a number and an optional unit
  (`≥200.00(用户)`, `≥500个`, `=8400`, `22947.00(人)`, `95%以上`);
- `Achievement`: an achievement grade for a qualitative target
  (达成指标 / 部分达成指标并具有一定效果 / 未达成指标且效果较差 and their short forms);
- `Qualitative`: a qualitative target or free-text actual (及时, 提升, 2024年重阳节前, 是);
- `Malformed`: something that looks quantitative but is not complete (`≥` alone,
  `≥abc`): the review engine reports it;
- `Blank`: an empty cell.

Every value keeps its printed `text`. Parsing never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from jixiao.vocabulary.units import UNIT_WORDS


class Op(StrEnum):
    """A comparison operator of a quantitative target, in its canonical glyph."""

    EQ = "="
    GE = "≥"
    LE = "≤"
    GT = ">"
    LT = "<"

    @property
    def is_upper_bound(self) -> bool:
        """`≤`/`<`: the target caps the value (costs, complaint counts)."""
        return self in (Op.LE, Op.LT)

    @property
    def is_lower_bound(self) -> bool:
        """`≥`/`>`: the target floors the value (counts, rates)."""
        return self in (Op.GE, Op.GT)


class Grade(StrEnum):
    """The achievement grade printed as the actual of a qualitative indicator."""

    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"


@dataclass(frozen=True, slots=True)
class Quantity:
    op: Op | None
    number: Decimal
    unit: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Achievement:
    grade: Grade
    text: str


@dataclass(frozen=True, slots=True)
class Qualitative:
    text: str


@dataclass(frozen=True, slots=True)
class Malformed:
    """A value that starts like a quantity but cannot be completed."""

    op: Op | None
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Blank:
    text: str = ""


Value = Quantity | Achievement | Qualitative | Malformed | Blank

# Longest spellings first so that `>=` wins over `>`.
_OPERATOR_SPELLINGS: tuple[tuple[str, Op], ...] = (
    ("大于等于", Op.GE),
    ("小于等于", Op.LE),
    ("不低于", Op.GE),
    ("不少于", Op.GE),
    ("不小于", Op.GE),
    ("不高于", Op.LE),
    ("不超过", Op.LE),
    ("不多于", Op.LE),
    ("不大于", Op.LE),
    ("大于", Op.GT),
    ("高于", Op.GT),
    ("多于", Op.GT),
    ("小于", Op.LT),
    ("低于", Op.LT),
    ("少于", Op.LT),
    ("等于", Op.EQ),
    (">=", Op.GE),
    ("＞=", Op.GE),
    ("≥=", Op.GE),
    ("<=", Op.LE),
    ("＜=", Op.LE),
    ("≤=", Op.LE),
    ("==", Op.EQ),
    ("≥", Op.GE),
    ("≧", Op.GE),
    ("⩾", Op.GE),
    ("≤", Op.LE),
    ("≦", Op.LE),
    ("⩽", Op.LE),
    (">", Op.GT),
    ("＞", Op.GT),
    ("<", Op.LT),
    ("＜", Op.LT),
    ("=", Op.EQ),
    ("＝", Op.EQ),
)
_OPERATOR_RE = "|".join(re.escape(s) for s, _ in _OPERATOR_SPELLINGS)
_OPERATORS = dict(_OPERATOR_SPELLINGS)

_UNIT_WORD = "|".join(sorted((re.escape(w) for w in UNIT_WORDS), key=len, reverse=True))
_BARE_UNIT = rf"%|‰|℃|(?:{_UNIT_WORD})(?:/(?:{_UNIT_WORD})){{0,2}}"
_QUANTITY_RE = re.compile(
    rf"""^(?P<op>{_OPERATOR_RE})?\s*
    (?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*
    (?:[(（](?P<punit>[^()（）]*)[)）]|(?P<bunit>{_BARE_UNIT}))?\s*
    (?P<qual>以上|以下|以内|及以上|及以下)?$""",
    re.VERBOSE,
)
_OPERATOR_ONLY_RE = re.compile(rf"^(?P<op>{_OPERATOR_RE})\s*(?P<rest>.*)$", re.DOTALL)
# Bare units that are really a deadline or an approximate phrase (`4个月内`, `3天前`).
_NOT_A_UNIT_ENDINGS = ("内", "前", "后", "左右", "以前", "之前", "之内")
_QUALIFIER_OPS = {"以上": Op.GE, "及以上": Op.GE, "以下": Op.LE, "及以下": Op.LE, "以内": Op.LE}

_GRADE_PREFIXES: tuple[tuple[str, Grade], ...] = (
    ("部分达成", Grade.PARTIAL),
    ("基本达成", Grade.PARTIAL),
    ("部分完成", Grade.PARTIAL),
    ("未达成", Grade.NOT_ACHIEVED),
    ("未完成", Grade.NOT_ACHIEVED),
    ("全部达成", Grade.ACHIEVED),
    ("已达成", Grade.ACHIEVED),
    ("达成", Grade.ACHIEVED),
)


# A printed amount: optional sign, digits with optional thousands separators, decimals.
_NUMBER_RE = re.compile(r"^\s*[+-]?(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*$")


def parse_decimal(text: str | None) -> Decimal | None:
    """Parse a printed amount (`1,047,173,000.00`, `-23.00`); None for empty or `-`."""
    if text is None or not _NUMBER_RE.match(text):
        return None
    text = text.strip()
    if "," in text or "，" in text:  # (most amounts have no separators to remove)
        text = text.replace(",", "").replace("，", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _parse_quantity(text: str) -> Quantity | Malformed | None:
    match = _QUANTITY_RE.match(text)
    if match is None:
        op_match = _OPERATOR_ONLY_RE.match(text)
        if op_match is None:
            return None
        lone_op = _OPERATORS[op_match.group("op")]
        rest = op_match.group("rest").strip()
        if not rest:
            return Malformed(op=lone_op, text=text, reason="运算符后没有数值")
        if not any(ch.isdigit() for ch in rest):
            return Malformed(op=lone_op, text=text, reason="运算符后不是数值")
        # `≥2024年重阳节前`-like texts: an operator before a phrase with a number.
        return Malformed(op=lone_op, text=text, reason="无法识别的数值")
    unit = match.group("punit")
    if unit is None:
        unit = match.group("bunit")
        if unit is not None and unit.endswith(_NOT_A_UNIT_ENDINGS):
            return None
    unit = unit.strip() if unit is not None else None
    op_text = match.group("op")
    op: Op | None = _OPERATORS[op_text] if op_text else None
    qualifier = match.group("qual")
    if qualifier is not None and op is None:
        op = _QUALIFIER_OPS[qualifier]
    number = parse_decimal(match.group("num"))
    if number is None:
        return Malformed(op=op, text=text, reason="无法识别的数值")
    return Quantity(op=op, number=number, unit=unit or None, text=text)


def _grade_of(text: str) -> Grade | None:
    for prefix, grade in _GRADE_PREFIXES:
        if text.startswith(prefix):
            return grade
    return None


@lru_cache(maxsize=8192)
def parse_target(text: str | None) -> Value:
    """Parse a 年度指标值 cell."""
    if text is None:
        return Blank()
    stripped = text.strip()
    if not stripped:
        return Blank(text)
    quantity = _parse_quantity(stripped)
    if quantity is not None:
        return quantity
    return Qualitative(text)


@lru_cache(maxsize=8192)
def parse_actual(text: str | None) -> Value:
    """Parse a 实际完成值 cell: an achievement grade, a quantity, or free text."""
    if text is None:
        return Blank()
    stripped = text.strip()
    if not stripped:
        return Blank(text)
    grade = _grade_of(stripped)
    if grade is not None:
        return Achievement(grade=grade, text=text)
    quantity = _parse_quantity(stripped)
    if quantity is not None:
        return quantity
    return Qualitative(text)


def is_number(text: str) -> bool:
    """True when the text is a bare printed number (`15.00`, `1,000.99`, `98`)."""
    return _NUMBER_RE.match(text) is not None


_PLACEHOLDERS = frozenset({"-", "—", "－", "/", "--", "——", "／"})


def parse_amount(text: str | None) -> Decimal | None:
    """A number in an amounts row, where a rate may carry its `%` (`95.00%`)."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.endswith(("%", "％")):
        stripped = stripped[:-1]
    return parse_decimal(stripped)


_AMOUNT_RE = re.compile(
    r"^\s*[+-]?(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*[%％]?\s*$"
)


def is_amount(text: str) -> bool:
    """A cell of an amounts row: a number (with `%` for a rate) or a placeholder."""
    return _AMOUNT_RE.match(text) is not None or text.strip() in _PLACEHOLDERS
