"""The target/actual grammar (domain.md, "Values")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.values import (
    Achievement,
    Blank,
    Grade,
    Malformed,
    Op,
    Qualitative,
    Quantity,
    parse_actual,
    parse_decimal,
    parse_target,
)
from tests.conftest import GOLD


@pytest.mark.parametrize(
    ("text", "op", "number", "unit"),
    [
        ("≥200.00(用户)", Op.GE, "200.00", "用户"),
        ("≥500个", Op.GE, "500", "个"),
        ("=8400", Op.EQ, "8400", None),
        ("≤0.15(万元/课时)", Op.LE, "0.15", "万元/课时"),
        ("＝100%", Op.EQ, "100", "%"),
        (">=90(%)", Op.GE, "90", "%"),
        ("<=1.00(小时)", Op.LE, "1.00", "小时"),
        ("≤ 160000.00(元)", Op.LE, "160000.00", "元"),
        ("=1,047,173,000.00(元)", Op.EQ, "1047173000.00", "元"),
        ("<10.00(%)", Op.LT, "10.00", "%"),
        ("95%以上", Op.GE, "95", "%"),
        ("≤2.87(2.87)", Op.LE, "2.87", "2.87"),
        ("=600.00(元/人/月)", Op.EQ, "600.00", "元/人/月"),
        ("不低于95%", Op.GE, "95", "%"),
    ],
)
def test_quantitative_targets(text: str, op: Op, number: str, unit: str | None) -> None:
    value = parse_target(text)
    assert isinstance(value, Quantity)
    assert (value.op, value.number, value.unit, value.text) == (op, Decimal(number), unit, text)


@pytest.mark.parametrize(
    "text",
    [
        "及时",
        "提升",
        "建立健全",
        "合规",
        "有效",
        "公平公正",
        "与政策规定一致",
        "2024年重阳节前",
        "4个月内",
        "2-4小时",
        "全年，7×24小时",
        "是",
    ],
)
def test_qualitative_targets(text: str) -> None:
    assert parse_target(text) == Qualitative(text)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("达成指标", Grade.ACHIEVED),
        ("部分达成指标并具有一定效果", Grade.PARTIAL),
        ("未达成指标且效果较差", Grade.NOT_ACHIEVED),
        ("达成", Grade.ACHIEVED),
        ("部分达成", Grade.PARTIAL),
        ("未达成", Grade.NOT_ACHIEVED),
        ("达成预期指标", Grade.ACHIEVED),
    ],
)
def test_achievement_grades(text: str, grade: Grade) -> None:
    assert parse_actual(text) == Achievement(grade=grade, text=text)


@pytest.mark.parametrize(
    ("text", "number", "unit", "op"),
    [
        ("22947.00(人)", "22947.00", "人", None),
        ("2000元/人", "2000", "元/人", None),
        ("-23.00(%)", "-23.00", "%", None),
        ("=100%", "100", "%", Op.EQ),  # an actual written as a target: the op is kept
        ("≥10(人)", "10", "人", Op.GE),
    ],
)
def test_quantitative_actuals(text: str, number: str, unit: str, op: Op | None) -> None:
    value = parse_actual(text)
    assert isinstance(value, Quantity)
    assert (value.number, value.unit, value.op) == (Decimal(number), unit, op)


def test_free_text_actuals_and_blanks() -> None:
    assert parse_actual("是") == Qualitative("是")
    assert parse_actual("及时") == Qualitative("及时")
    assert parse_actual(None) == Blank()
    assert isinstance(parse_target("  "), Blank)


def test_operator_without_number_is_malformed_not_an_error() -> None:
    value = parse_target("≥")
    assert isinstance(value, Malformed)
    assert value.op is Op.GE


def test_every_gold_value_parses_into_something_meaningful() -> None:
    for path in GOLD:
        for record in json.loads(path.read_text("utf-8")):
            for ind in record["indicators"]:
                target = parse_target(ind["target"])
                assert not isinstance(target, Blank)
                # The only malformed gold targets are an operator with no number (`≥`),
                # which the review engine reports as missing-target-value.
                if isinstance(target, Malformed):
                    assert ind["target"].strip() in ("≥", "≤", "=", ">", "<")
                if "actual" in ind:
                    actual = parse_actual(ind["actual"])
                    assert isinstance(actual, (Quantity, Achievement, Qualitative))


@given(
    op=st.sampled_from(["=", "≥", "≤", ">", "<", ">=", "<=", "＝", ""]),
    number=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
    unit=st.sampled_from(["", "(人)", "(%)", "（万元）", "个", "元/人", "%", "(元/人/月)"]),
)
def test_generated_quantities_parse_exactly(op: str, number: Decimal, unit: str) -> None:
    text = f"{op}{number}{unit}"
    value = parse_target(text)
    assert isinstance(value, Quantity)
    assert value.number == number
    assert value.text == text


@given(st.text(max_size=40))
def test_parsing_never_raises(text: str) -> None:
    parse_target(text)
    parse_actual(text)
    parse_decimal(text)


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_thousands_separators(number: Decimal) -> None:
    assert parse_decimal(f"{number:,}") == number
