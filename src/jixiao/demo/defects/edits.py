"""Editing a synthetic form without breaking the rest of it: what the defects share.

Part of the demo. A defect spoils one thing; these helpers keep everything else
consistent: the 总分 and 评分等级 recomputed from the printed scores, the funds rows and
their rates recomputed from the amounts, and the goal texts quoting a changed cell again
(`jixiao.demo.texts`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

from jixiao.demo import texts
from jixiao.model import Declaration, Form, Indicator, SelfEvaluation
from jixiao.numbers import CENT, HUNDRED, ONE, round_half_up, round_score
from jixiao.scoring import grade_for

F = TypeVar("F", SelfEvaluation, Declaration)


def with_total(form: SelfEvaluation) -> SelfEvaluation:
    """The form with 总分 and 评分等级 recomputed from its printed scores."""
    budget = form.funds.total.score or Decimal(0)
    total = budget + sum((i.score or Decimal(0) for i in form.indicators), Decimal(0))
    total = round_score(total)
    return replace(form, total_score=total, grade=grade_for(total))


def with_budget(form: SelfEvaluation, adjusted: Decimal, executed: Decimal) -> SelfEvaluation:
    """The form with these 全年预算数 and 全年执行数: rate, score, total and the text's
    quoted spending recomputed."""
    rate = round_score(executed / adjusted * HUNDRED)
    score = round_score(Decimal(10) * min(executed / adjusted, Decimal(1)))
    total = replace(form.funds.total, adjusted=adjusted, executed=executed, rate=rate, score=score)
    appropriation = replace(
        form.funds.appropriation, adjusted=adjusted, executed=executed, rate=rate
    )
    funds = replace(form.funds, total=total, appropriation=appropriation)
    text = texts.requote_funds(form.goal_actual, executed, rate)
    return with_total(replace(form, funds=funds, goal_actual=text))


def with_indicator(form: F, index: int, indicator: Indicator) -> F:
    """The form with indicator `index` replaced, its goal texts quoting the new cells.

    The total is not recomputed: a defect that changes a score calls `with_total`.
    """
    old = form.indicators[index]
    items = list(form.indicators)
    items[index] = indicator
    form = replace(form, indicators=tuple(items))
    target_old = texts.target_mention(old.name, old.target)
    target_new = texts.target_mention(indicator.name, indicator.target)
    if isinstance(form, SelfEvaluation):
        actual_old = texts.actual_mention(old.name, old.actual)
        actual_new = texts.actual_mention(indicator.name, indicator.actual)
        # The 实际完成情况 may quote the target too (when it copies the 预期目标).
        actual_text = texts.requote(form.goal_actual, actual_old, actual_new)
        return replace(
            form,
            goal_expected=texts.requote(form.goal_expected, target_old, target_new),
            goal_actual=texts.requote(actual_text, target_old, target_new),
        )
    return replace(form, goal_annual=texts.requote(form.goal_annual, target_old, target_new))


def with_scored(form: SelfEvaluation, index: int, indicator: Indicator) -> SelfEvaluation:
    """`with_indicator`, then the total recomputed."""
    return with_total(with_indicator(form, index, indicator))


def pick(form: Form, rng: random.Random, test: Callable[[Indicator], bool]) -> int | None:
    """The position of a random indicator passing `test`, or None."""
    candidates = [i for i, ind in enumerate(form.indicators) if test(ind)]
    return rng.choice(candidates) if candidates else None


def quantity(ind: Indicator) -> tuple[str, Decimal, str] | None:
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


def cells(text: str | None) -> tuple[str, Decimal, str] | None:
    """(operator or "", number, unit) of a generator's cell such as `≤800.00(元/人)`."""
    if not text or "(" not in text or not text.endswith(")"):
        return None
    head, _, unit = text[:-1].partition("(")
    op = head[:1] if head[:1] in "≥≤=" else ""
    try:
        value = Decimal(head[len(op) :])
    except ArithmeticError:
        return None
    return op, value, unit


def counted(value: Decimal, unit: str) -> Decimal:
    """A figure rounded as the generator prints it: whole things, or cents."""
    return round_half_up(value, ONE if unit != "%" else CENT)


def cell(op: str, number: Decimal, unit: str) -> str:
    """A cell as the generator prints it: `≥1200.00(人次)`."""
    return f"{op}{number:.2f}({unit})"
