"""Tiny inline forms for the rule tests, built with the model's constructors.

`self_evaluation()` and `declaration()` are consistent forms that raise no finding at
all (a test checks it); each rule test changes one thing and looks for its kind. The
recall suites (`test_recall_*.py`) list their cases with `must_raise` and `near_miss`, and
`raised` checks that a finding is placed where a reader looks for it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from jixiao.export.findings_book import field_label
from jixiao.findings import Finding
from jixiao.model import (
    Declaration,
    DeclarationFunds,
    Form,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
    Source,
)
from jixiao.profile import Profile, load_profile
from jixiao.review import FormReview, review_form
from jixiao.scoring import budget_cells, grade_for

FILE = "inline.txt"


def d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def indicator(
    name: str = "培训人数",
    target: str | None = "≥100(人)",
    actual: str | None = "120(人)",
    weight: str | None = "20.00",
    score: str | None = "20.00",
    note: str | None = None,
    *,
    level1: str = "产出指标",
    level2: str = "数量指标",
    line: int = 20,
) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=d(weight),
        score=d(score),
        note=note,
        source=Source(FILE, line=line),
    )


def target_only(
    name: str, target: str | None, *, level1: str = "产出指标", level2: str = "数量指标"
) -> Indicator:
    return Indicator(
        level1=level1, level2=level2, name=name, target=target, source=Source(FILE, line=30)
    )


BASE_INDICATORS = (
    indicator(
        "人均培训成本",
        "≤500.00(元/人)",
        "480.00(元/人)",
        "10.00",
        "10.00",
        level1="成本指标",
        level2="经济成本指标",
        line=11,
    ),
    indicator("培训人数", "≥100(人)", "120(人)", "20.00", "20.00", line=12),
    indicator("培训合格率", "≥90.00(%)", "95.00(%)", "20.00", "20.00", level2="质量指标", line=13),
    indicator("培训及时性", "及时", "达成指标", "10.00", "10.00", level2="时效指标", line=14),
    indicator(
        "政策知晓率提升",
        "提升",
        "达成指标",
        "20.00",
        "20.00",
        level1="效益指标",
        level2="社会效益指标",
        line=15,
    ),
    indicator(
        "培训对象满意度",
        "≥90.00(%)",
        "92.00(%)",
        "10.00",
        "10.00",
        level1="满意度指标",
        level2="服务对象满意度指标",
        line=16,
    ),
)


def funds_row(
    initial: str | None,
    adjusted: str | None,
    executed: str | None,
    rate: str | None,
    weight: str | None = None,
    score: str | None = None,
    line: int = 5,
) -> FundsRow:
    return FundsRow(
        initial=d(initial),
        adjusted=d(adjusted),
        executed=d(executed),
        weight=d(weight),
        rate=d(rate),
        score=d(score),
        source=Source(FILE, line=line),
    )


BASE_FUNDS = SelfEvaluationFunds(
    total=funds_row("100.00", "100.00", "95.00", "95.00", "10.00", "9.50", line=5),
    appropriation=funds_row("100.00", "100.00", "95.00", "95.00", line=6),
    carryover=funds_row("0.00", "0.00", "0.00", "0.00", line=7),
    other=funds_row("0.00", "0.00", "0.00", "0.00", line=8),
)


def self_evaluation(**changes: Any) -> SelfEvaluation:
    form = SelfEvaluation(
        year=2024,
        project="业务培训",
        department="某区人力资源和社会保障局",
        unit="某区就业促进中心",
        funds=BASE_FUNDS,
        goal_expected="计划培训100人，培训对象满意度达90%，提升企业的政策知晓率。",
        goal_actual="2024年完成培训120人，培训对象满意度达92%，执行率95%。",
        indicators=BASE_INDICATORS,
        total_weight=Decimal("100.00"),
        total_score=Decimal("99.50"),
        grade="优",
        source=Source(FILE, line=1),
    )
    return replace(form, **changes)


def with_total(**changes: str | None) -> FundsRow:
    """The base total row with some printed amounts changed (`rate="96.00"`)."""
    amounts: dict[str, Any] = {k: d(v) for k, v in changes.items()}
    return replace(BASE_FUNDS.total, **amounts)


def funds(**rows: FundsRow) -> SelfEvaluationFunds:
    return replace(BASE_FUNDS, **rows)


def declaration(**changes: Any) -> Declaration:
    form = Declaration(
        year=2025,
        project="业务培训",
        nature="经常性项目",
        category="特定目标类",
        funds=DeclarationFunds(
            annual_total=Decimal("100000.00"),
            annual_appropriation=Decimal("100000.00"),
            annual_carryover=Decimal("0.00"),
            annual_other=Decimal("0.00"),
        ),
        goal_annual="计划培训100人，培训对象满意度达90%。",
        indicators=tuple(
            Indicator(i.level1, i.level2, i.name, i.target, source=i.source)
            for i in BASE_INDICATORS
        ),
        source=Source(FILE, line=1),
    )
    return replace(form, **changes)


def replace_indicator(form: SelfEvaluation, position: int, new: Indicator) -> SelfEvaluation:
    """The form with its indicator at `position` (1-based) replaced."""
    indicators = list(form.indicators)
    indicators[position - 1] = new
    return replace(form, indicators=tuple(indicators))


def review(form: Form, profile: str | Profile = "national-2020") -> FormReview:
    chosen = load_profile(profile) if isinstance(profile, str) else profile
    return review_form(form, file=FILE, index=1, profile=chosen)


def findings(form: Form, kind: str, profile: str | Profile = "national-2020") -> list[Finding]:
    return [f for f in review(form, profile).findings if f.kind == kind]


def balanced(form: SelfEvaluation) -> SelfEvaluation:
    """The form with its 总分 and 评分等级 made to agree with its printed scores (the budget
    score as the form means it: swapped cells put right), so that a case changes only what
    it means to."""
    budget = budget_cells(form, load_profile("national-2020")).score or Decimal(0)
    total = budget + sum((i.score or Decimal(0) for i in form.indicators), Decimal(0))
    return replace(form, total_score=total, grade=grade_for(total))


def raised(
    form: Form,
    kind: str,
    *,
    indicator: str | None = None,
    field: str | None = None,
    line: int | None = None,
    profile: str | Profile = "national-2020",
) -> list[Finding]:
    """The findings of `kind` on `form`, asserting there is one placed where a reader looks:
    at the indicator named `indicator` (its printed name and line, and the cell as a field
    of the indicator) or, for a finding on the form as a whole, at the form field `field`.
    Every field named must be one the form prints (it has a label)."""
    found = findings(form, kind, profile)
    assert found, f"{kind} not raised"
    for f in found:
        assert f.field is not None, f"{f.code} without a field: {f.message}"
        assert field_label(form.kind, f.field, indicator=f.indicator is not None), (
            f"{f.code} names {f.field!r}, which is not a field of the "
            f"{'indicator' if f.indicator else 'form'}"
        )
    if indicator is not None:
        rows = [i for i in form.indicators if i.name == indicator]
        assert rows, f"no indicator {indicator!r} in the case"
        expected_line = line if line is not None else rows[0].source.line
        placed = [
            f
            for f in found
            if f.indicator == indicator
            and f.line == expected_line
            and (field is None or f.field == field)
        ]
        assert placed, [(f.indicator, f.line, f.field) for f in found]
        return placed
    placed = [f for f in found if f.indicator is None and (field is None or f.field == field)]
    assert placed, [(f.indicator, f.field) for f in found]
    return placed


def must_raise(
    form: Form,
    kind: str,
    *,
    id: str,
    indicator: str | None = None,
    field: str | None = None,
    line: int | None = None,
    profile: str = "national-2020",
) -> Any:
    """A recall case: `form` must raise `kind`, placed as `raised` checks."""
    return pytest.param(form, kind, indicator, field, line, profile, id=id)


def near_miss(form: Form, kind: str, *, id: str, profile: str = "national-2020") -> Any:
    """A recall case: `form` looks like the defect `kind` but must not raise it."""
    return pytest.param(form, kind, profile, id=id)


MUST_RAISE_ARGS = ("form", "kind", "indicator", "field", "line", "profile")
NEAR_MISS_ARGS = ("form", "kind", "profile")
