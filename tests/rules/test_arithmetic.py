"""AR… rules: positive and negative cases on tiny inline forms."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.findings import Severity
from jixiao.model import DeclarationFunds
from tests.rules.forms import (
    declaration,
    findings,
    funds,
    funds_row,
    indicator,
    replace_indicator,
    review,
    self_evaluation,
    with_total,
)


def test_total_not_sum() -> None:
    form = self_evaluation(total_score=Decimal("98.50"))
    [finding] = findings(form, "total-not-sum")
    assert finding.code == "AR001"
    assert finding.severity is Severity.ERROR
    assert finding.field == "total_score" and finding.form == 1 and finding.line == 1
    assert "98.50" in finding.message and "99.50" in finding.message


def test_total_within_a_cent_is_a_sum() -> None:
    assert findings(self_evaluation(total_score=Decimal("99.51")), "total-not-sum") == []


def test_weights_not_100() -> None:
    form = replace_indicator(self_evaluation(), 2, indicator(weight="15.00", score="15.00"))
    form = replace(form, total_score=Decimal("94.50"))
    [finding] = findings(form, "weights-not-100")
    assert "95.00" in finding.message and finding.field == "total_weight"
    assert findings(form, "total-not-sum") == []


def test_printed_total_weight_not_100() -> None:
    [finding] = findings(self_evaluation(total_weight=Decimal("90.00")), "weights-not-100")
    assert "90.00" in finding.message


def test_score_exceeds_weight() -> None:
    form = replace_indicator(self_evaluation(), 2, indicator(score="21.00", line=12))
    form = replace(form, total_score=Decimal("100.50"))
    [finding] = findings(form, "score-exceeds-weight")
    assert finding.indicator == "培训人数" and finding.line == 12
    assert findings(self_evaluation(), "score-exceeds-weight") == []


def test_funds_score_mismatch() -> None:
    form = self_evaluation(
        funds=funds(total=with_total(score="9.00")), total_score=Decimal("99.00")
    )
    [finding] = findings(form, "funds-score-mismatch")
    assert finding.field == "funds.total.score" and finding.line == 5
    assert "9.50 = 10 × 95/100" in finding.message


def test_funds_score_allows_rounding_of_the_amounts() -> None:
    # 6.50/6.80 = 95.588…%: 9.56 (half-up) is right, and with amounts rounded to 0.01
    # the true ratio may be 95.44–95.73%, so 9.55 is possible too.
    total = with_total(initial="6.80", adjusted="6.80", executed="6.50", rate="95.58", score="9.55")
    row = funds_row("6.80", "6.80", "6.50", "95.58")
    form = self_evaluation(
        funds=funds(total=total, appropriation=row), total_score=Decimal("99.55")
    )
    assert findings(form, "funds-score-mismatch") == []
    assert findings(form, "execution-rate-mismatch", "shanghai") == []


def test_score_columns_swapped() -> None:
    form = self_evaluation(
        funds=funds(total=with_total(weight="9.50", score="10.00")), total_score=Decimal("99.50")
    )
    [finding] = findings(form, "score-columns-swapped")
    assert finding.severity is Severity.ERROR
    kinds = {f.kind for f in review(form).findings}
    # Once put right, the sums hold: no other arithmetic finding.
    assert kinds == {"score-columns-swapped"}


def test_a_score_above_its_weight_that_is_no_swap() -> None:
    form = self_evaluation(
        funds=funds(total=with_total(score="10.50")), total_score=Decimal("100.50")
    )
    assert findings(form, "score-columns-swapped") == []
    assert len(findings(form, "score-exceeds-weight")) == 1


def test_execution_rate_mismatch() -> None:
    form = self_evaluation(funds=funds(total=with_total(rate="96.00")))
    [finding] = findings(form, "execution-rate-mismatch")
    assert finding.field == "funds.total.rate"
    assert "96.00%" in finding.message and "95.00%" in finding.message


def test_rate_on_an_all_zero_row() -> None:
    form = self_evaluation(funds=funds(other=funds_row("0.00", "0.00", "0.00", "100.00", line=8)))
    [finding] = findings(form, "execution-rate-mismatch")
    assert finding.field == "funds.other.rate" and finding.line == 8


@pytest.mark.parametrize(("profile", "expected"), [("national-2020", 1), ("shanghai", 0)])
def test_truncated_rate_is_a_profile_setting(profile: str, expected: int) -> None:
    # 9555.55/9999.99 = 95.5555…%: half-up prints 95.56, truncation 95.55.
    total = with_total(
        initial="9999.99", adjusted="9999.99", executed="9555.55", rate="95.55", score="9.56"
    )
    row = funds_row("9999.99", "9999.99", "9555.55", "95.55")
    form = self_evaluation(
        funds=funds(total=total, appropriation=row), total_score=Decimal("99.56")
    )
    assert len(findings(form, "execution-rate-mismatch", profile)) == expected * 2


def test_funds_rows_not_sum() -> None:
    form = self_evaluation(funds=funds(carryover=funds_row("5.00", "0.00", "0.00", "0.00", line=7)))
    [finding] = findings(form, "funds-rows-not-sum")
    assert finding.field == "funds.total.initial"


def test_funds_rows_sum_within_rounding() -> None:
    # 166.36 + 29.32 = 195.68 against a printed 195.69: the parts were rounded.
    total = with_total(
        initial="195.69", adjusted="195.69", executed="195.69", rate="100.00", score="10.00"
    )
    form = self_evaluation(
        funds=funds(
            total=total,
            appropriation=funds_row("166.36", "166.36", "166.36", "100.00"),
            other=funds_row("29.32", "29.32", "29.32", "100.00"),
        ),
        total_score=Decimal("100.00"),
    )
    assert findings(form, "funds-rows-not-sum") == []


def test_grade_mismatch() -> None:
    [finding] = findings(self_evaluation(grade="良"), "grade-mismatch")
    assert finding.field == "grade" and "优" in finding.message
    assert findings(self_evaluation(grade="优秀"), "grade-mismatch") == []


def test_declaration_funds_not_sum() -> None:
    form = declaration(
        funds=DeclarationFunds(
            annual_total=Decimal("100000.00"),
            annual_appropriation=Decimal("90000.00"),
            annual_carryover=Decimal("0.00"),
            annual_other=Decimal("0.00"),
        )
    )
    [finding] = findings(form, "declaration-funds-not-sum")
    assert finding.field == "funds.annual_total" and "10000" in finding.message
    assert findings(declaration(), "declaration-funds-not-sum") == []
