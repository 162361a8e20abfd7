"""The scoring step: reference scores with their formulas, and the one rounding policy."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.model import Indicator
from jixiao.numbers import below, half_unit, printed_rate_range, ratio_interval, round_score
from jixiao.profile import load_profile
from jixiao.scoring import (
    budget_cells,
    grade_for,
    score_budget,
    score_form,
    score_indicator,
)
from tests.rules.forms import declaration, funds, funds_row, self_evaluation, with_total

NATIONAL = load_profile("national-2020")


def D(text: str) -> Decimal:
    return Decimal(text)


def ind(target: str, actual: str, weight: str = "10") -> Indicator:
    return Indicator("产出指标", "数量指标", "测试指标", target, actual, D(weight), D(weight))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9.995", "10.00"),
        ("9.985", "9.99"),
        ("2.345", "2.35"),
        ("2.344999", "2.34"),
        ("0.005", "0.01"),
    ],
)
def test_round_score_is_half_up(value: str, expected: str) -> None:
    assert round_score(D(value)) == D(expected)
    assert str(round_score(D(value))) == expected


def test_python_round_would_be_wrong_here() -> None:
    assert round(2.675, 2) == 2.67  # binary floats: why scores are Decimal, rounded half-up
    assert round(Decimal("0.125"), 2) == Decimal("0.12")  # round() is half-even
    assert round_score(D("2.675")) == D("2.68") and round_score(D("0.125")) == D("0.13")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_for(total: str, grade: str) -> None:
    assert grade_for(D(total)) == grade


def test_half_unit_follows_the_printed_precision() -> None:
    assert half_unit(D("40.05")) == D("0.005")
    assert half_unit(D("1203")) == D("0.5")
    assert half_unit(D("92.7")) == D("0.05")


def test_ratio_interval_and_printed_rates() -> None:
    interval = ratio_interval(D("6.50"), D("6.80"))
    assert interval is not None
    low, high = interval
    assert low == D("6.495") / D("6.805") and high == D("6.505") / D("6.795")
    assert printed_rate_range(low, high, "round") == (D("95.44"), D("95.73"))
    assert ratio_interval(D("0.00"), D("0.00")) is None
    # truncation lowers the lowest printable rate
    assert printed_rate_range(D("0.955555"), D("0.955555"), "truncate") == (D("95.55"), D("95.56"))


def test_below_is_the_top_of_a_half_open_band() -> None:
    assert below(D("8")) == D("7.99")
    assert below(D("5.328")) == D("5.32")


@pytest.mark.parametrize(
    ("executed", "adjusted", "value", "formula"),
    [
        ("1880", "2000", "9.40", "9.40 = 10 × 1880/2000"),
        ("40.03", "40.05", "10.00", "10.00 = 10 × 40.03/40.05"),
        ("59.91", "60.00", "9.99", "9.99 = 10 × 59.91/60"),
        ("6.50", "6.80", "9.56", "9.56 = 10 × 6.5/6.8"),
        ("120", "100", "10.00", "10.00 = 10 × 1（120/100 超过 1，按 1 计）"),
        ("100", "100", "10.00", "10.00 = 10 × 100/100"),
    ],
)
def test_budget_reference(executed: str, adjusted: str, value: str, formula: str) -> None:
    form = self_evaluation(funds=funds(total=with_total(executed=executed, adjusted=adjusted)))
    reference = score_budget(form, NATIONAL)
    assert reference.value == D(value)
    assert reference.formula == formula


def test_budget_reference_uses_the_printed_weight() -> None:
    form = self_evaluation(funds=funds(total=with_total(weight="20.00")))
    assert score_budget(form, NATIONAL).value == D("19.00")
    unprinted = self_evaluation(funds=funds(total=with_total(weight=None)))
    assert score_budget(unprinted, NATIONAL).value == D("9.50")


def test_budget_reference_without_amounts() -> None:
    form = self_evaluation(
        funds=funds(total=funds_row("0.00", "0.00", "0.00", None, "10.00", "10.00"))
    )
    reference = score_budget(form, NATIONAL)
    assert reference.value is None and "为 0" in reference.formula


def test_swapped_columns_are_put_right() -> None:
    form = self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))
    cells = budget_cells(form, NATIONAL)
    assert cells.swapped and cells.weight == D("10.00") and cells.score == D("9.50")
    assert score_budget(form, NATIONAL).value == D("9.50")


@pytest.mark.parametrize(
    ("target", "actual", "value", "formula"),
    [
        ("=2000.00(人)", "1880.00(人)", "9.40", "9.40 = 10 × 1880/2000"),
        ("≥100(人)", "120(人)", "10.00", "10.00 = 10（实际 120 ≥ 目标 100）"),
        (">99.00(%)", "99.67(%)", "10.00", "10.00 = 10（实际 99.67 ≥ 目标 99）"),
        ("=0.00(起)", "0.00(起)", "10.00", "10.00 = 10（目标 =0，实际 0）"),
        ("=0.00(起)", "2(起)", "0.00", "0.00（目标 =0，实际 2）"),
        ("≥4.00(%)", "-23.00(%)", "0.00", "0.00 = 10 × -23/4（不计负分）"),
        ("≤13000(件)", "15462(件)", "8.11", "8.11 = 10 × (1 − (15462−13000)/13000)"),
        ("≤100(元)", "250(元)", "0.00", "0.00（实际 250 ≥ 2 × 目标 100）"),
        ("≤100(元)", "80(元)", "10.00", "10.00 = 10（实际 80 ≤ 目标 100）"),
        ("100(%)", "90(%)", "9.00", "9.00 = 10 × 90/100"),
    ],
)
def test_quantitative_reference(target: str, actual: str, value: str, formula: str) -> None:
    reference = score_indicator(ind(target, actual), NATIONAL)
    assert reference.value == D(value)
    assert reference.formula == formula


def test_capped_indicator_by_ratio_profile() -> None:
    ratio = replace(NATIONAL, le_formula="ratio")
    reference = score_indicator(ind("≤13000(件)", "15462(件)"), ratio)
    assert reference.value == D("8.41") and reference.formula == "8.41 = 10 × 13000/15462"


def test_zero_actual_under_a_cap_gets_a_hint() -> None:
    reference = score_indicator(ind("≤1000(元/车)", "0.00(元/车)"), NATIONAL)
    assert reference.value == D("10.00") and "核实活动是否开展" in reference.formula


@pytest.mark.parametrize(
    ("actual", "value", "low", "high"),
    [
        ("达成指标", "10.00", "8", "10"),
        ("部分达成指标并具有一定效果", "7.99", "6", "8"),
        ("未达成指标且效果较差", "5.99", "0", "6"),
    ],
)
def test_qualitative_bands(actual: str, value: str, low: str, high: str) -> None:
    reference = score_indicator(ind("及时", actual), NATIONAL)
    assert reference.value == D(value)
    assert reference.low == D(low) and reference.high == D(high)
    assert "建议取区间上端" in reference.formula


def test_inclusive_partial_band_suggests_its_bound() -> None:
    inclusive = replace(NATIONAL, partial_band_upper_inclusive=True)
    assert score_indicator(ind("及时", "部分达成"), inclusive).value == D("8.00")


def test_actual_equal_to_a_qualitative_target_counts_as_achieved() -> None:
    reference = score_indicator(ind("及时", "及时"), NATIONAL)
    assert reference.value == D("10.00") and "按达成计" in reference.formula


@pytest.mark.parametrize(
    ("target", "actual", "reason"),
    [
        ("≥90(%)", "良好", "不是数值"),
        ("及时", "较好", "不是达成等级"),
        ("≥90(%)", "", "未填写实际完成值"),
    ],
)
def test_references_that_cannot_be_computed(target: str, actual: str, reason: str) -> None:
    reference = score_indicator(ind(target, actual), NATIONAL)
    assert reference.value is None and reason in reference.formula


def test_form_total_and_grade() -> None:
    score = score_form(self_evaluation(), NATIONAL)
    assert score.budget is not None and score.budget.value == D("9.50")
    assert score.total is not None and score.total.value == D("99.50")
    assert score.total.formula == "99.50 = 9.50 + 90.00（预算执行 + 6 项指标）"
    assert score.grade == "优"
    assert [i.indicator for i in score.indicators] == list(self_evaluation().indicators)


def test_total_substitutes_printed_scores_it_cannot_compute() -> None:
    form = self_evaluation()
    odd = replace(form.indicators[3], actual="较好")
    form = replace(form, indicators=(*form.indicators[:3], odd, *form.indicators[4:]))
    score = score_form(form, NATIONAL)
    assert score.total is not None and score.total.value == D("99.50")
    assert "「培训及时性」按填报得分 10.00 计" in score.total.formula


def test_declarations_are_not_scored() -> None:
    score = score_form(declaration(), NATIONAL)
    assert score.budget is None and score.total is None and score.grade is None
    assert all(i.reference.value is None for i in score.indicators)
