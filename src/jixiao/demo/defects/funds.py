"""Defects of the funds table and the printed totals: money unspent or moved, sums that
do not add up, a score or grade that does not follow from the numbers.

Part of the demo. Each function takes a consistent form and returns it spoiled one way
(or None when the form offers nothing to spoil that way); the labels it must raise are
in the tables of `jixiao.demo.defects`.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from jixiao.demo.defects.edits import with_budget, with_total
from jixiao.model import Declaration, FundsRow, SelfEvaluation
from jixiao.numbers import HUNDRED, round_score


def low_execution(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """Much of the budget left unspent (执行率 50%–88%)."""
    adjusted = form.funds.total.adjusted
    if not adjusted:
        return None
    executed = round_score(adjusted * Decimal(rng.uniform(0.5, 0.88)))
    return with_budget(form, adjusted, executed)


def large_adjustment(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The budget cut by 40%–65% during the year, and the rest spent."""
    initial = form.funds.total.initial
    if not initial:
        return None
    adjusted = round_score(initial * Decimal(rng.uniform(0.35, 0.6)))
    return with_budget(form, adjusted, adjusted)


def budget_full_score(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """Money left unspent, yet the budget line keeps its full 10 points."""
    spoiled = low_execution(form, rng)
    if spoiled is None or spoiled.funds.total.weight is None:
        return None
    row = replace(spoiled.funds.total, score=spoiled.funds.total.weight)
    return with_total(replace(spoiled, funds=replace(spoiled.funds, total=row)))


def total_not_sum(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 总分 mistyped (the grade left as it was)."""
    if form.total_score is None:
        return None
    delta = Decimal(rng.choice(("0.50", "1.00", "2.00", "3.00", "-1.00", "-2.00")))
    total = min(form.total_score + delta, Decimal("100.00"))
    return replace(form, total_score=total) if total != form.total_score else None


def columns_swapped(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """Money left unspent, and the budget line's 分值 and 得分 cells swapped."""
    spoiled = low_execution(form, rng)
    if spoiled is None:
        return None
    row = spoiled.funds.total
    swapped = replace(row, weight=row.score, score=row.weight)
    return replace(spoiled, funds=replace(spoiled.funds, total=swapped))


def rate_mismatch(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """Money left unspent, yet the printed 执行率 says 100%."""
    spoiled = low_execution(form, rng)
    if spoiled is None:
        return None
    row = spoiled.funds.total
    return replace(
        spoiled, funds=replace(spoiled.funds, total=replace(row, rate=Decimal("100.00")))
    )


def rows_not_sum(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 当年财政拨款 row cut, the 年度资金总额 row left as it was."""
    row = form.funds.appropriation
    if not row.adjusted:
        return None
    cut = round_score(row.adjusted * Decimal(rng.uniform(0.05, 0.3)))
    adjusted = row.adjusted - cut
    executed = min(row.executed or Decimal(0), adjusted)
    # The row's own rate follows its own amounts: only the sum is wrong.
    rate = round_score(executed / adjusted * HUNDRED)
    appropriation = FundsRow(row.initial, adjusted, executed, None, rate, None)
    return replace(form, funds=replace(form.funds, appropriation=appropriation))


def grade_mismatch(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 评分等级 of another total."""
    if form.grade is None:
        return None
    return replace(form, grade="良" if form.grade == "优" else "优")


def declaration_funds_not_sum(form: Declaration, rng: random.Random) -> Declaration | None:
    """The declaration's 年度资金申请总额 larger than its sources."""
    total = form.funds.annual_total
    if not total:
        return None
    extra = round_score(total * Decimal(rng.uniform(0.05, 0.2)))
    return replace(form, funds=replace(form.funds, annual_total=total + extra))
