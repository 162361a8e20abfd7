"""Realistic defects for synthetic forms: each spoils a consistent form one way.

The mix follows what reviewers meet in published forms (domain.md, "Review findings"):
budgets executed well below plan, points deducted without a reason or with "无偏差",
targets far exceeded, lenient scores, totals that do not add up, swapped columns, cost
indicators with `≥`, missing units, copied goal texts … About half of the forms stay
clean; a defect keeps the rest of the form consistent (totals are recomputed unless the
total itself is the defect), so that each shows as what it is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from jixiao.model import Declaration, Form, FundsRow, Indicator, SelfEvaluation
from jixiao.numbers import CENT, HUNDRED, ONE, round_half_up, round_score
from jixiao.scoring import grade_for

SHARE_SPOILED_SELF = 0.5
SHARE_SPOILED_DECLARATION = 0.35
SHARE_TWICE = 0.15


def with_total(form: SelfEvaluation) -> SelfEvaluation:
    """The form with 总分 and 评分等级 recomputed from its printed scores."""
    budget = form.funds.total.score or Decimal(0)
    total = budget + sum((i.score or Decimal(0) for i in form.indicators), Decimal(0))
    total = round_score(total)
    return replace(form, total_score=total, grade=grade_for(total))


def _with_budget(form: SelfEvaluation, adjusted: Decimal, executed: Decimal) -> SelfEvaluation:
    rate = round_score(executed / adjusted * HUNDRED)
    score = round_score(Decimal(10) * min(executed / adjusted, Decimal(1)))
    total = replace(form.funds.total, adjusted=adjusted, executed=executed, rate=rate, score=score)
    appropriation = replace(
        form.funds.appropriation, adjusted=adjusted, executed=executed, rate=rate
    )
    funds = replace(form.funds, total=total, appropriation=appropriation)
    return with_total(replace(form, funds=funds))


def _replace_indicator(form: Form, index: int, indicator: Indicator) -> tuple[Indicator, ...]:
    items = list(form.indicators)
    items[index] = indicator
    return tuple(items)


def _pick(form: Form, rng: random.Random, test: Callable[[Indicator], bool]) -> int | None:
    candidates = [i for i, ind in enumerate(form.indicators) if test(ind)]
    return rng.choice(candidates) if candidates else None


def _quantity(ind: Indicator) -> tuple[str, Decimal, str] | None:
    """(operator, target number, unit) of a `≥`/`=` quantitative target, else None."""
    text = ind.target or ""
    if not text or text[0] not in "≥=" or "(" not in text:
        return None
    number, _, unit = text[1:].partition("(")
    try:
        value = Decimal(number)
    except ArithmeticError:
        return None
    if value <= 0:
        return None
    return text[0], value, unit.rstrip(")")


def _counted(value: Decimal, unit: str) -> Decimal:
    return round_half_up(value, ONE if unit != "%" else CENT)


# --- self-evaluations -----------------------------------------------------------------


def low_execution(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    adjusted = form.funds.total.adjusted
    if not adjusted:
        return None
    executed = round_score(adjusted * Decimal(rng.uniform(0.5, 0.88)))
    return _with_budget(form, adjusted, executed)


def large_adjustment(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    initial = form.funds.total.initial
    if not initial:
        return None
    adjusted = round_score(initial * Decimal(rng.uniform(0.35, 0.6)))
    return _with_budget(form, adjusted, adjusted)


def _missed(
    form: SelfEvaluation, rng: random.Random, low: float, high: float
) -> tuple[int, Indicator] | None:
    index = _pick(form, rng, lambda i: _quantity(i) is not None)
    if index is None:
        return None
    ind = form.indicators[index]
    parsed = _quantity(ind)
    assert parsed is not None and ind.weight is not None
    _, target, unit = parsed
    actual = _counted(target * Decimal(rng.uniform(low, high)), unit)
    if actual >= target:
        return None
    share = actual / target
    changed = replace(ind, actual=f"{actual:.2f}({unit})", score=round_score(ind.weight * share))
    return index, changed


def deduction_without_reason(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    missed = _missed(form, rng, 0.7, 0.95)
    if missed is None:
        return None
    index, ind = missed
    return with_total(
        replace(form, indicators=_replace_indicator(form, index, replace(ind, note=None)))
    )


def reason_contradicts(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = _pick(form, rng, lambda i: i.score is not None and i.score == i.weight and i.score > 2)
    if index is None:
        return None
    ind = form.indicators[index]
    assert ind.score is not None
    score = ind.score - Decimal(rng.choice(("0.50", "1.00", "2.00")))
    changed = replace(ind, score=score, note="无偏差")
    return with_total(replace(form, indicators=_replace_indicator(form, index, changed)))


def full_score_target_missed(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    missed = _missed(form, rng, 0.55, 0.8)
    if missed is None:
        return None
    index, ind = missed
    changed = replace(ind, score=ind.weight, note=None)
    return with_total(replace(form, indicators=_replace_indicator(form, index, changed)))


def lenient_score(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    missed = _missed(form, rng, 0.4, 0.6)
    if missed is None:
        return None
    index, ind = missed
    assert ind.weight is not None
    changed = replace(
        ind, score=round_score(ind.weight * Decimal("0.9")), note="受客观因素影响，未能全部完成。"
    )
    return with_total(replace(form, indicators=_replace_indicator(form, index, changed)))


def band_out_of_range(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = _pick(form, rng, lambda i: i.actual == "达成指标" and i.weight is not None)
    if index is None:
        return None
    ind = form.indicators[index]
    assert ind.weight is not None
    changed = replace(
        ind,
        actual="未达成指标且效果较差",
        score=round_score(ind.weight * Decimal("0.85")),
        note="工作推进不及预期，后续将加强管理。",
    )
    return with_total(replace(form, indicators=_replace_indicator(form, index, changed)))


def far_exceeded(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = _pick(
        form, rng, lambda i: (q := _quantity(i)) is not None and q[0] == "≥" and q[2] != "%"
    )
    if index is None:
        return None
    ind = form.indicators[index]
    parsed = _quantity(ind)
    assert parsed is not None
    _, target, unit = parsed
    actual = _counted(target * Decimal(rng.uniform(2.2, 3.5)), unit)
    changed = replace(ind, actual=f"{actual:.2f}({unit})", score=ind.weight, note=None)
    return with_total(replace(form, indicators=_replace_indicator(form, index, changed)))


def total_not_sum(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    if form.total_score is None:
        return None
    delta = Decimal(rng.choice(("0.50", "1.00", "2.00", "3.00", "-1.00", "-2.00")))
    return replace(form, total_score=min(form.total_score + delta, Decimal("100.00")))


def columns_swapped(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    spoiled = low_execution(form, rng)
    if spoiled is None:
        return None
    row = spoiled.funds.total
    swapped = replace(row, weight=row.score, score=row.weight)
    return replace(spoiled, funds=replace(spoiled.funds, total=swapped))


def rate_mismatch(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    spoiled = low_execution(form, rng)
    if spoiled is None:
        return None
    row = spoiled.funds.total
    return replace(
        spoiled, funds=replace(spoiled.funds, total=replace(row, rate=Decimal("100.00")))
    )


def rows_not_sum(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    row = form.funds.appropriation
    if not row.adjusted:
        return None
    cut = round_score(row.adjusted * Decimal(rng.uniform(0.05, 0.3)))
    adjusted = row.adjusted - cut
    executed = min(row.executed or Decimal(0), adjusted)
    appropriation = FundsRow(row.initial, adjusted, executed, None, row.rate, None)
    return replace(form, funds=replace(form.funds, appropriation=appropriation))


def grade_mismatch(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    if form.grade is None:
        return None
    return replace(form, grade="良" if form.grade == "优" else "优")


def copied_goal(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    return replace(form, goal_actual=form.goal_expected)


def garbled_goal(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    text = form.goal_actual or ""
    if len(text) < 12:
        return None
    return replace(form, goal_actual=text[:4] + text[:4] + text[4:] + text[-3:])


def actual_as_target(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = _pick(form, rng, lambda i: _quantity(i) is not None and (i.actual or "")[:1].isdigit())
    if index is None:
        return None
    ind = form.indicators[index]
    changed = replace(ind, actual=f"≥{ind.actual}")
    return replace(form, indicators=_replace_indicator(form, index, changed))


# --- both kinds -----------------------------------------------------------------------


def cost_wrong_direction(form: Form, rng: random.Random) -> Form | None:
    def is_cost(i: Indicator) -> bool:
        return "成本" in i.level1 + i.level2 and (i.target or "")[:1] in "≤="

    index = _pick(form, rng, is_cost)
    if index is None:
        return None
    ind = form.indicators[index]
    target = "≥" + (ind.target or "")[1:]
    return replace(form, indicators=_replace_indicator(form, index, replace(ind, target=target)))


def missing_unit(form: Form, rng: random.Random) -> Form | None:
    index = _pick(form, rng, lambda i: _quantity(i) is not None)
    if index is None:
        return None
    ind = form.indicators[index]
    target = (ind.target or "").split("(")[0]
    actual = (ind.actual or "").split("(")[0] if ind.actual else ind.actual
    return replace(
        form, indicators=_replace_indicator(form, index, replace(ind, target=target, actual=actual))
    )


def target_repeats_name(form: Form, rng: random.Random) -> Form | None:
    index = _pick(form, rng, lambda i: _quantity(i) is None and i.level1 != "满意度指标")
    if index is None:
        return None
    ind = form.indicators[index]
    return replace(form, indicators=_replace_indicator(form, index, replace(ind, target=ind.name)))


def misclassified(form: Form, rng: random.Random) -> Form | None:
    index = _pick(form, rng, lambda i: i.level2 == "时效指标")
    if index is None:
        return None
    ind = form.indicators[index]
    return replace(
        form, indicators=_replace_indicator(form, index, replace(ind, level2="质量指标"))
    )


def declaration_funds_not_sum(form: Declaration, rng: random.Random) -> Declaration | None:
    total = form.funds.annual_total
    if not total:
        return None
    extra = round_score(total * Decimal(rng.uniform(0.05, 0.2)))
    return replace(form, funds=replace(form.funds, annual_total=total + extra))


def missing_satisfaction(form: Declaration, rng: random.Random) -> Declaration | None:
    kept = tuple(i for i in form.indicators if i.level1 != "满意度指标")
    return replace(form, indicators=kept) if len(kept) < len(form.indicators) else None


SelfDefect = Callable[[SelfEvaluation, random.Random], SelfEvaluation | None]
AnyDefect = Callable[[Form, random.Random], Form | None]
DeclarationDefect = Callable[[Declaration, random.Random], Declaration | None]

# (defect, relative frequency): the common ones first.
SELF_EVALUATION_DEFECTS: tuple[tuple[SelfDefect | AnyDefect, int], ...] = (
    (low_execution, 10),
    (deduction_without_reason, 8),
    (far_exceeded, 7),
    (reason_contradicts, 6),
    (lenient_score, 5),
    (full_score_target_missed, 4),
    (total_not_sum, 4),
    (large_adjustment, 4),
    (copied_goal, 3),
    (cost_wrong_direction, 3),
    (missing_unit, 3),
    (band_out_of_range, 3),
    (columns_swapped, 2),
    (rate_mismatch, 2),
    (rows_not_sum, 2),
    (grade_mismatch, 2),
    (garbled_goal, 2),
    (actual_as_target, 2),
    (target_repeats_name, 2),
    (misclassified, 2),
)
DECLARATION_DEFECTS: tuple[tuple[DeclarationDefect | AnyDefect, int], ...] = (
    (cost_wrong_direction, 5),
    (missing_unit, 4),
    (target_repeats_name, 3),
    (declaration_funds_not_sum, 3),
    (missing_satisfaction, 3),
    (misclassified, 2),
)


def spoil(form: Form, rng: random.Random) -> Form:
    """The form, or a spoiled copy of it (about half of self-evaluations are spoiled)."""
    share = SHARE_SPOILED_SELF if isinstance(form, SelfEvaluation) else SHARE_SPOILED_DECLARATION
    if rng.random() >= share:
        return form
    times = 2 if rng.random() < SHARE_TWICE else 1
    for _ in range(times):
        form = _apply_one(form, rng)
    return form


def _apply_one(form: Form, rng: random.Random) -> Form:
    table: tuple[tuple[Callable[..., Form | None], int], ...] = (
        SELF_EVALUATION_DEFECTS if isinstance(form, SelfEvaluation) else DECLARATION_DEFECTS
    )
    defects = [d for d, _ in table]
    weights = [w for _, w in table]
    for _ in range(5):  # a defect may not apply to this form: try another
        spoiled = rng.choices(defects, weights)[0](form, rng)
        if spoiled is not None:
            return spoiled
    return form
