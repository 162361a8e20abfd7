"""The review engine on the real seed forms: consistent forms raise no error, the budget
reference equals the printed score wherever the printed rate is consistent, and the real
defects of the seeds are found (a table of them, checked by hand against the catalogue)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import cache

import pytest

from jixiao.findings import Severity
from jixiao.model import FUNDS_ROWS, SelfEvaluation
from jixiao.pipeline import read_path
from jixiao.profile import load_profile
from jixiao.review import FormReview, review_result
from tests.conftest import SEEDS

PROFILES = ["national-2020", "shanghai"]
CENT = Decimal("0.01")


@cache
def _reviews(profile: str) -> tuple[tuple[int, FormReview], ...]:
    chosen = load_profile(profile)
    return tuple(
        (seed_index, form)
        for seed_index, seed in enumerate(SEEDS)
        for form in review_result(read_path(seed), profile=chosen).forms
    )


def _rate_consistent(executed: Decimal, adjusted: Decimal, rate: Decimal) -> bool:
    """An independent, generous check: the printed rate within 0.1 point of the amounts'."""
    if adjusted == 0:
        return executed == 0 and rate == 0
    return abs(executed / adjusted * 100 - rate) <= Decimal("0.1")


def _own_arithmetic_holds(form: SelfEvaluation) -> bool:
    """The form's sums, as a reviewer checks them by hand with the printed numbers."""
    total = form.funds.total
    scores = [i.score for i in form.indicators]
    weights = [i.weight for i in form.indicators]
    if total.weight is None or total.score is None or None in scores or None in weights:
        return False
    score_sum = total.score + sum(s for s in scores if s is not None)
    weight_sum = total.weight + sum(w for w in weights if w is not None)
    if form.total_score is None or abs(score_sum - form.total_score) > CENT:
        return False
    if weight_sum != 100 or total.score > total.weight:
        return False
    if any(s is not None and w is not None and s > w for s, w in zip(scores, weights, strict=True)):
        return False
    for name in FUNDS_ROWS:
        row = form.funds.row(name)
        if row.rate is None or row.executed is None or row.adjusted is None:
            continue
        if not _rate_consistent(row.executed, row.adjusted, row.rate):
            return False
    return True


@pytest.mark.parametrize("profile", PROFILES)
def test_no_error_on_a_form_whose_own_arithmetic_holds(profile: str) -> None:
    consistent = 0
    for seed_index, review in _reviews(profile):
        form = review.form
        if not isinstance(form, SelfEvaluation):
            assert not [f for f in review.findings if f.severity is Severity.ERROR]
            continue
        errors = [f for f in review.findings if f.severity is Severity.ERROR]
        if _own_arithmetic_holds(form):
            consistent += 1
            assert not errors, (seed_index, review.index, [f.message for f in errors])
        else:
            assert errors, (seed_index, review.index, "an inconsistent form raised no error")
    assert consistent == 40  # 44 self-evaluations, 4 of them contradict themselves


@pytest.mark.parametrize("profile", PROFILES)
def test_budget_reference_equals_the_printed_score_where_the_rate_is_consistent(
    profile: str,
) -> None:
    compared = 0
    for _, review in _reviews(profile):
        form = review.form
        if not isinstance(form, SelfEvaluation) or review.score.budget is None:
            continue
        row = form.funds.total
        assert row.executed is not None and row.adjusted is not None and row.rate is not None
        if not _rate_consistent(row.executed, row.adjusted, row.rate):
            continue
        if any(f.kind == "score-columns-swapped" for f in review.findings):
            continue  # seed 001 form 13, checked below
        assert review.score.budget.value == row.score, (review.index, review.score.budget.formula)
        compared += 1
    assert compared == 43


def test_the_swapped_form_scores_its_budget_from_the_put_right_weight() -> None:
    review = next(r for s, r in _reviews("shanghai") if s == 1 and r.index == 13)
    assert review.score.budget is not None
    assert review.score.budget.formula == "2.51 = 10 × 1186.35/4722.67"
    kinds = {f.kind for f in review.findings}
    assert {"score-columns-swapped", "funds-score-mismatch", "low-execution-rate"} <= kinds
    assert "total-not-sum" not in kinds and "weights-not-100" not in kinds


# (seed, form, kind, indicator or field): real defects, each checked by hand.
KNOWN_DEFECTS = [
    (0, 1, "reason-contradicts-deduction", "鉴定结果准确性"),
    (0, 2, "zero-weight-indicator", "成本控制有效性"),
    (0, 3, "unit-mismatch", "征地养老资金应发实发率"),
    (0, 3, "reason-contradicts-deduction", "征地养老资金应发实发率"),
    (0, 4, "garbled-text", "goal_expected"),
    (0, 5, "wrong-year-in-text", "goal_expected"),
    (0, 5, "text-contradicts-table", "邮寄对象满意度"),
    (0, 6, "text-contradicts-table", "goal_actual"),
    (0, 6, "indicator-misclassified", "被调查者满意度"),
    (0, 7, "low-execution-rate", "funds.total.rate"),
    (0, 8, "reason-contradicts-deduction", "高龄老人慰问人数"),
    (1, 4, "cost-indicator-wrong-direction", "铭牌制作单位物耗"),
    (1, 4, "lenient-score-target-missed", "铭牌制作单位物耗"),
    (1, 6, "unit-mismatch", "政务信息系统接入一网通办改造人均年运维成本"),
    (1, 12, "actual-written-as-target", "每季度补贴人数"),
    (1, 12, "missing-unit", "每人每月生活补贴"),
    (1, 13, "score-columns-swapped", "funds.total.score"),
    (1, 13, "large-budget-adjustment", "funds.total.adjusted"),
    (1, 21, "total-not-sum", "total_score"),
    (1, 21, "weights-not-100", "total_weight"),
    (1, 22, "execution-rate-mismatch", "funds.other.rate"),
    (1, 22, "text-contradicts-table", "goal_actual"),
    (1, 23, "duplicate-indicator-name", "长效管理制度健全性"),
    (1, 24, "missing-target-value", "推送简历数量"),
    (1, 25, "text-contradicts-table", "工伤保险政策培训覆盖率"),
    (1, 27, "quantity-indicator-wrong-direction", "工伤鉴定认定邮寄数"),
    (1, 27, "unit-mismatch", "专家人(次)均费用"),
    (0, 8, "unit-mismatch", "高龄老人慰问人数"),  # 计划发放 2000人次 against 人
    (1, 7, "unit-mismatch", "培训人数"),  # 参与培训人数达到700人次 against 人
    (1, 14, "unit-mismatch", "各项人工成本"),  # (万)
    (1, 16, "unit-mismatch", "计划印刷总费用"),  # (万)
    (1, 16, "unit-mismatch", "计划印刷总量"),  # 印刷总计56000份 against 册
    (1, 24, "unit-mismatch", "推送简历数量"),  # 推送简历5000份 against 人
    (1, 17, "text-contradicts-table", "仲裁文书准确送达率"),  # 送达率达到100% against ≥95%
    (1, 23, "text-contradicts-table", "goal_actual"),  # 全年总支出920.47万 against 989.07
    (1, 33, "indicator-misclassified", "服务对象满意度"),
    (1, 34, "lenient-score-target-missed", "松江区人才新政“1+10”汇编数"),
    (2, 1, "missing-cost-indicator", "indicators"),
    (2, 1, "indicator-misclassified", "鉴定覆盖率"),
]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("seed", "form", "kind", "where"), KNOWN_DEFECTS)
def test_known_defects_are_found(profile: str, seed: int, form: int, kind: str, where: str) -> None:
    review = next(r for s, r in _reviews(profile) if s == seed and r.index == form)
    places = {(f.kind, f.indicator or f.field) for f in review.findings}
    assert (kind, where) in places, sorted(places)


def test_counts_per_kind_on_the_seeds() -> None:
    """A guard against silent drift: the seeds' findings per kind (see the report in
    docs/catalogue.md and the review notes for why each is real)."""
    counts = Counter(f.kind for _, r in _reviews("shanghai") for f in r.findings)
    assert counts["total-not-sum"] == 1
    assert counts["weights-not-100"] == 1
    assert counts["execution-rate-mismatch"] == 2
    assert counts["score-columns-swapped"] == 1
    assert counts["funds-score-mismatch"] == 1
    assert counts["score-exceeds-weight"] == 0
    assert counts["grade-mismatch"] == 0
    assert counts["funds-rows-not-sum"] == 0
    assert counts["declaration-funds-not-sum"] == 0
    assert counts["missing-cost-indicator"] == 7
    national = Counter(f.kind for _, r in _reviews("national-2020") for f in r.findings)
    assert national == counts  # the seeds do not tell the two profiles apart


@pytest.mark.parametrize("profile", PROFILES)
def test_every_finding_names_its_indicator_or_its_field(profile: str) -> None:
    """A finding about one indicator names it (as printed, at its line); any other names the
    field of the form it is about. (RV001 concerns the review, not a field.)"""
    for _, review in _reviews(profile):
        lines = {(i.name, i.source.line) for i in review.form.indicators}
        for finding in review.findings:
            if finding.code == "RV001":
                continue
            assert finding.indicator is not None or finding.field, finding.message
            if finding.indicator is not None:
                assert (finding.indicator, finding.line) in lines, finding.message
