"""Recall of the AR… rules: varied forms that must raise each kind, and near misses that
must not (the boundary just inside the tolerance, rounding within the printed precision).

Each must-raise case names where the finding belongs: the indicator (by its printed name
and line) or the form field. The cases are built from the inline forms of `forms.py`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.model import DeclarationFunds, Form, FundsRow, SelfEvaluation
from tests.rules.forms import (
    BASE_FUNDS,
    MUST_RAISE_ARGS,
    NEAR_MISS_ARGS,
    balanced,
    declaration,
    findings,
    funds,
    funds_row,
    indicator,
    must_raise,
    near_miss,
    raised,
    replace_indicator,
    self_evaluation,
    with_total,
)


def _spent(
    initial: str,
    adjusted: str,
    executed: str,
    rate: str | None,
    score: str | None,
    weight: str | None = "10.00",
) -> SelfEvaluation:
    """The base form with all its money in 当年财政拨款: the total row and that row print
    the same amounts; the 总分 follows the budget score."""
    total = funds_row(initial, adjusted, executed, rate, weight, score, line=5)
    row = funds_row(initial, adjusted, executed, rate, line=6)
    return balanced(self_evaluation(funds=funds(total=total, appropriation=row)))


def _indicator_at(position: int, **changes: str | None) -> SelfEvaluation:
    """The base form with one indicator's printed cells changed (the 总分 left as it was)."""
    form = self_evaluation()
    old = form.indicators[position - 1]
    cells: dict[str, str | None] = {
        "name": old.name,
        "target": old.target,
        "actual": old.actual,
        "weight": None if old.weight is None else str(old.weight),
        "score": None if old.score is None else str(old.score),
        "note": old.note,
        **changes,
    }
    new = indicator(
        cells["name"] or "",
        cells["target"],
        cells["actual"],
        cells["weight"],
        cells["score"],
        cells["note"],
        level1=old.level1,
        level2=old.level2,
        line=old.source.line or 0,
    )
    return replace_indicator(form, position, new)


def _total(text: str, grade: str | None = None) -> SelfEvaluation:
    form = self_evaluation(total_score=Decimal(text))
    return replace(form, grade=grade) if grade is not None else form


def _graded(total: str, grade: str) -> SelfEvaluation:
    """A form whose 总分 is `total` (its 培训人数 score makes it so) and prints `grade`."""
    lost = Decimal("99.50") - Decimal(total)
    form = _indicator_at(2, score=str(Decimal("20.00") - lost), note="部分学员未到课")
    form = replace(form, total_score=Decimal(total), grade=grade)
    return form


def _declared(**amounts: str | None) -> Form:
    base = {
        "annual_total": "100000.00",
        "annual_appropriation": "100000.00",
        "annual_carryover": "0.00",
        "annual_other": "0.00",
    }
    values = {k: None if v is None else Decimal(v) for k, v in {**base, **amounts}.items()}
    return declaration(funds=DeclarationFunds(**values))


def _rows(
    total: FundsRow | None = None,
    appropriation: FundsRow | None = None,
    carryover: FundsRow | None = None,
    other: FundsRow | None = None,
) -> SelfEvaluation:
    return self_evaluation(
        funds=replace(
            BASE_FUNDS,
            total=total or BASE_FUNDS.total,
            appropriation=appropriation or BASE_FUNDS.appropriation,
            carryover=carryover or BASE_FUNDS.carryover,
            other=other or BASE_FUNDS.other,
        )
    )


def _no_weights(weight: str | None, score: str | None) -> SelfEvaluation:
    """A form printing no indicator weights (the budget cells as given)."""
    form = self_evaluation(funds=funds(total=with_total(weight=weight, score=score)))
    indicators = tuple(replace(i, weight=None) for i in form.indicators)
    return replace(form, indicators=indicators, total_weight=None)


MUST_RAISE = [
    must_raise(_total("98.50"), "total-not-sum", field="total_score", id="AR001-a-point-off"),
    must_raise(_total("99.52"), "total-not-sum", field="total_score", id="AR001-two-cents-off"),
    must_raise(
        _indicator_at(2, actual="90(人)", score="18.00", note="部分学员未到课"),
        "total-not-sum",
        field="total_score",
        id="AR001-score-lowered-total-kept",
    ),
    must_raise(
        _total("89.50", "良"), "total-not-sum", field="total_score", id="AR001-total-a-band-lower"
    ),
    must_raise(
        balanced(_indicator_at(2, weight="15.00", score="15.00")),
        "weights-not-100",
        field="total_weight",
        id="AR002-weights-sum-95",
    ),
    must_raise(
        self_evaluation(total_weight=Decimal("90.00")),
        "weights-not-100",
        field="total_weight",
        id="AR002-printed-total-weight-90",
    ),
    must_raise(
        balanced(_indicator_at(3, weight="20.02")),
        "weights-not-100",
        field="total_weight",
        id="AR002-two-cents-over",
    ),
    must_raise(
        replace(balanced(_indicator_at(5, weight="25.00")), total_weight=None),
        "weights-not-100",
        field="total_weight",
        id="AR002-no-printed-total-sum-105",
    ),
    must_raise(
        balanced(
            replace_indicator(
                _rows(total=with_total(weight=None)),
                2,
                indicator(weight="15.00", score="15.00", line=12),
            )
        ),
        "weights-not-100",
        field="total_weight",
        id="AR002-no-budget-weight-indicators-85",
    ),
    must_raise(
        balanced(_indicator_at(2, score="21.00")),
        "score-exceeds-weight",
        indicator="培训人数",
        id="AR003-count-indicator",
    ),
    must_raise(
        balanced(_indicator_at(4, score="10.01")),
        "score-exceeds-weight",
        indicator="培训及时性",
        id="AR003-qualitative-a-cent-over",
    ),
    must_raise(
        balanced(_indicator_at(1, score="12.00")),
        "score-exceeds-weight",
        indicator="人均培训成本",
        id="AR003-cost-indicator",
    ),
    must_raise(
        balanced(self_evaluation(funds=funds(total=with_total(score="10.50")))),
        "score-exceeds-weight",
        field="funds.total.score",
        id="AR003-budget-score",
    ),
    must_raise(
        _spent("100.00", "100.00", "95.00", "95.00", "9.00"),
        "funds-score-mismatch",
        field="funds.total.score",
        id="AR004-half-a-point-off",
    ),
    must_raise(
        _spent("100.00", "100.00", "95.00", "95.00", "9.51"),
        "funds-score-mismatch",
        field="funds.total.score",
        id="AR004-a-cent-past-the-rounding",
    ),
    must_raise(
        balanced(
            _rows(
                total=with_total(initial="120.00", score="7.92"),
                appropriation=funds_row("120.00", "100.00", "95.00", "95.00"),
            )
        ),
        "funds-score-mismatch",
        field="funds.total.score",
        id="AR004-scored-on-the-initial-budget",
    ),
    must_raise(
        _spent("3.00", "3.00", "1.00", "33.33", "3.40"),
        "funds-score-mismatch",
        field="funds.total.score",
        id="AR004-small-amounts-beyond-their-interval",
    ),
    must_raise(
        _spent("1047173.00", "1047173.00", "523586.50", "50.00", "6.00"),
        "funds-score-mismatch",
        field="funds.total.score",
        id="AR004-large-amounts",
    ),
    must_raise(
        balanced(self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))),
        "score-columns-swapped",
        field="funds.total.score",
        id="AR005-95-percent",
    ),
    must_raise(
        _spent("100.00", "100.00", "80.00", "80.00", "10.00", weight="8.00"),
        "score-columns-swapped",
        field="funds.total.score",
        id="AR005-80-percent",
    ),
    must_raise(
        _spent("100.00", "100.00", "99.00", "99.00", "10.00", weight="9.90"),
        "score-columns-swapped",
        field="funds.total.score",
        id="AR005-99-percent",
    ),
    must_raise(
        _no_weights("9.50", "10.00"),
        "score-columns-swapped",
        field="funds.total.score",
        id="AR005-no-indicator-weights",
    ),
    must_raise(
        _rows(total=with_total(rate="96.00")),
        "execution-rate-mismatch",
        field="funds.total.rate",
        id="AR006-a-point-off",
    ),
    must_raise(
        _rows(
            total=with_total(rate="95.02"),
            appropriation=funds_row("100.00", "100.00", "95.00", "95.02"),
        ),
        "execution-rate-mismatch",
        field="funds.total.rate",
        id="AR006-two-cents-past-the-rounding",
    ),
    must_raise(
        _rows(other=funds_row("0.00", "0.00", "0.00", "100.00", line=8)),
        "execution-rate-mismatch",
        field="funds.other.rate",
        id="AR006-rate-on-an-all-zero-row",
    ),
    must_raise(
        _rows(
            total=with_total(initial="120.00", rate="79.17"),
            appropriation=funds_row("120.00", "100.00", "95.00", "95.00"),
        ),
        "execution-rate-mismatch",
        field="funds.total.rate",
        id="AR006-rate-on-the-initial-budget",
    ),
    must_raise(
        _spent("3000.00", "3000.00", "2000.00", "66.66", "6.67"),
        "execution-rate-mismatch",
        field="funds.total.rate",
        id="AR006-truncated-under-half-up",
    ),
    must_raise(
        _rows(appropriation=funds_row("100.00", "100.00", "95.00", "59.00")),
        "execution-rate-mismatch",
        field="funds.appropriation.rate",
        id="AR006-digits-swapped-on-a-source-row",
    ),
    must_raise(
        _rows(carryover=funds_row("5.00", "0.00", "0.00", "0.00", line=7)),
        "funds-rows-not-sum",
        field="funds.total.initial",
        id="AR007-carryover-left-out-of-the-total",
    ),
    must_raise(
        _rows(
            appropriation=funds_row("100.00", "100.00", "90.00", "90.00"),
            other=funds_row("0.00", "0.00", "4.00", None, line=8),
        ),
        "funds-rows-not-sum",
        field="funds.total.executed",
        id="AR007-executed-a-unit-short",
    ),
    must_raise(
        _rows(appropriation=funds_row("100.00", "99.97", "95.00", None)),
        "funds-rows-not-sum",
        field="funds.total.adjusted",
        id="AR007-three-cents-past-the-rounding",
    ),
    must_raise(
        _rows(
            total=funds_row("1047173.00", "1047173.00", "1047173.00", "100.00", "10.00", "10.00"),
            appropriation=funds_row("1000000.00", "1000000.00", "1000000.00", "100.00"),
            other=funds_row("47000.00", "47000.00", "47000.00", "100.00", line=8),
        ),
        "funds-rows-not-sum",
        field="funds.total.initial",
        id="AR007-large-amounts-173-short",
    ),
    must_raise(_total("99.50", "良"), "grade-mismatch", field="grade", id="AR008-good-for-99"),
    must_raise(_graded("89.99", "优"), "grade-mismatch", field="grade", id="AR008-a-cent-under-90"),
    must_raise(_graded("79.99", "良好"), "grade-mismatch", field="grade", id="AR008-synonym"),
    must_raise(_graded("60.00", "差"), "grade-mismatch", field="grade", id="AR008-60-is-fair"),
    must_raise(
        _graded("59.99", "合格"), "grade-mismatch", field="grade", id="AR008-a-cent-under-60"
    ),
    must_raise(
        _declared(annual_appropriation="90000.00"),
        "declaration-funds-not-sum",
        field="funds.annual_total",
        id="AR009-annual-10000-short",
    ),
    must_raise(
        _declared(project_total="500000.00", project_fiscal="450000.00", project_other="40000.00"),
        "declaration-funds-not-sum",
        field="funds.project_total",
        id="AR009-project-total",
    ),
    must_raise(
        _declared(annual_appropriation="80000.00", annual_carryover="10000.00"),
        "declaration-funds-not-sum",
        field="funds.annual_total",
        id="AR009-with-carryover",
    ),
    must_raise(
        _declared(annual_appropriation="99999.97"),
        "declaration-funds-not-sum",
        field="funds.annual_total",
        id="AR009-three-cents-past-the-rounding",
    ),
]

NEAR_MISSES = [
    near_miss(_total("99.51"), "total-not-sum", id="AR001-a-cent-over"),
    near_miss(_total("99.49"), "total-not-sum", id="AR001-a-cent-under"),
    near_miss(
        balanced(_indicator_at(2, actual="90(人)", score="18.00", note="部分学员未到课")),
        "total-not-sum",
        id="AR001-score-lowered-total-too",
    ),
    near_miss(
        balanced(self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))),
        "total-not-sum",
        id="AR001-swapped-budget-cells-put-right",
    ),
    near_miss(
        balanced(_indicator_at(3, weight="20.01")), "weights-not-100", id="AR002-a-cent-over"
    ),
    near_miss(
        replace(
            balanced(_rows(total=with_total(weight=None))),
            indicators=tuple(
                replace(i, weight=i.weight + 10 if i.name == "培训人数" else i.weight)  # type: ignore[operator]
                for i in self_evaluation().indicators
            ),
        ),
        "weights-not-100",
        id="AR002-no-budget-weight-indicators-carry-100",
    ),
    near_miss(
        balanced(_rows(total=with_total(weight=None))),
        "weights-not-100",
        id="AR002-no-budget-weight-profile-10",
    ),
    near_miss(
        self_evaluation(total_weight=None), "weights-not-100", id="AR002-no-printed-total-weight"
    ),
    near_miss(
        balanced(_indicator_at(2, score="19.99", note="个别学员缺课")),
        "score-exceeds-weight",
        id="AR003-a-cent-under",
    ),
    near_miss(
        balanced(_indicator_at(3, weight="20", score="20.00")),
        "score-exceeds-weight",
        id="AR003-equal-in-other-precision",
    ),
    near_miss(
        balanced(self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))),
        "score-exceeds-weight",
        id="AR003-swapped-budget-cells",
    ),
    near_miss(
        _spent("3.00", "3.00", "1.00", "33.33", "3.33"), "funds-score-mismatch", id="AR004-exact"
    ),
    near_miss(
        _spent("3.00", "3.00", "1.00", "33.33", "3.35"),
        "funds-score-mismatch",
        id="AR004-within-the-amounts-interval",
    ),
    near_miss(
        _spent("100.00", "100.00", "105.00", "105.00", "10.00"),
        "funds-score-mismatch",
        id="AR004-over-100-percent-counts-as-100",
    ),
    near_miss(
        _spent("6.80", "6.80", "6.50", "95.58", "9.55"),
        "funds-score-mismatch",
        id="AR004-rounding-of-the-amounts",
    ),
    near_miss(
        balanced(self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))),
        "funds-score-mismatch",
        id="AR004-swapped-cells-put-right",
    ),
    near_miss(
        balanced(self_evaluation(funds=funds(total=with_total(score="10.50")))),
        "score-columns-swapped",
        id="AR005-score-over-weight-no-swap",
    ),
    near_miss(self_evaluation(), "score-columns-swapped", id="AR005-in-their-columns"),
    near_miss(
        balanced(
            replace_indicator(
                self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00"))),
                4,
                indicator("培训及时性", "及时", "达成指标", "10.50", "10.50", level2="时效指标"),
            )
        ),
        "score-columns-swapped",
        id="AR005-budget-weight-really-9.5",
    ),
    near_miss(
        _no_weights("7.00", "10.00"), "score-columns-swapped", id="AR005-no-weights-cell-not-score"
    ),
    near_miss(
        _spent("3000.00", "3000.00", "2000.00", "66.66", "6.67"),
        "execution-rate-mismatch",
        id="AR006-truncated-where-the-profile-truncates",
        profile="shanghai",
    ),
    near_miss(
        _spent("3.00", "3.00", "1.00", "33.50", "3.35"),
        "execution-rate-mismatch",
        id="AR006-within-the-amounts-interval",
    ),
    near_miss(
        _spent("3.00", "3.00", "2.00", "66.7", "6.67"),
        "execution-rate-mismatch",
        id="AR006-printed-to-one-decimal",
    ),
    near_miss(
        _rows(
            total=with_total(rate="95.01"),
            appropriation=funds_row("100.00", "100.00", "95.00", "95.01"),
        ),
        "execution-rate-mismatch",
        id="AR006-a-cent-within-the-rounding",
    ),
    near_miss(
        _rows(other=funds_row("0.00", "0.00", "0.00", "0.00", line=8)),
        "execution-rate-mismatch",
        id="AR006-zero-rate-on-a-zero-row",
    ),
    near_miss(
        _rows(
            total=with_total(
                initial="100.00", adjusted="100.00", executed="99.99", rate="99.99", score="10.00"
            ),
            appropriation=funds_row("33.33", "33.33", "33.33", "100.00"),
            carryover=funds_row("33.33", "33.33", "33.33", "100.00", line=7),
            other=funds_row("33.33", "33.33", "33.33", "100.00", line=8),
        ),
        "funds-rows-not-sum",
        id="AR007-thirds-rounded",
    ),
    near_miss(
        _rows(appropriation=funds_row("100.00", "99.98", "95.00", None)),
        "funds-rows-not-sum",
        id="AR007-at-the-rounding-bound",
    ),
    near_miss(
        _rows(
            carryover=funds_row(None, None, None, None, line=7),
            other=funds_row(None, None, None, None, line=8),
        ),
        "funds-rows-not-sum",
        id="AR007-empty-source-rows",
    ),
    near_miss(
        _rows(
            total=funds_row("100", "100", "95", "95.00", "10.00", "9.50"),
            appropriation=funds_row("33", "33", "32", None),
            carryover=funds_row("33", "33", "31", None, line=7),
            other=funds_row("33", "33", "31", None, line=8),
        ),
        "funds-rows-not-sum",
        id="AR007-whole-units-rounded",
    ),
    near_miss(_total("99.50", "优秀"), "grade-mismatch", id="AR008-synonym-of-the-grade"),
    near_miss(_graded("90.00", "优"), "grade-mismatch", id="AR008-90-is-excellent"),
    near_miss(_graded("79.99", "中"), "grade-mismatch", id="AR008-79.99-is-fair"),
    near_miss(_graded("59.99", "差"), "grade-mismatch", id="AR008-59.99-is-poor"),
    near_miss(_total("99.50", "—"), "grade-mismatch", id="AR008-no-grade-printed"),
    near_miss(declaration(), "declaration-funds-not-sum", id="AR009-base"),
    near_miss(
        _declared(annual_appropriation="60000.00", annual_other="40000.00"),
        "declaration-funds-not-sum",
        id="AR009-other-funds",
    ),
    near_miss(
        _declared(
            annual_appropriation="33333.33", annual_carryover="33333.33", annual_other="33333.33"
        ),
        "declaration-funds-not-sum",
        id="AR009-thirds-rounded",
    ),
    near_miss(
        _declared(annual_carryover=None, annual_other=None),
        "declaration-funds-not-sum",
        id="AR009-sources-left-blank",
    ),
    near_miss(
        _declared(project_total="100000.00", project_fiscal="100000.00"),
        "declaration-funds-not-sum",
        id="AR009-project-fiscal-only",
    ),
]


@pytest.mark.parametrize(MUST_RAISE_ARGS, MUST_RAISE)
def test_must_raise(
    form: Form, kind: str, indicator: str | None, field: str | None, line: int | None, profile: str
) -> None:
    raised(form, kind, indicator=indicator, field=field, line=line, profile=profile)


@pytest.mark.parametrize(NEAR_MISS_ARGS, NEAR_MISSES)
def test_near_miss(form: Form, kind: str, profile: str) -> None:
    assert findings(form, kind, profile) == []
