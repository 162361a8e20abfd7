"""Defects of the goal texts: copied, garbled, dated an earlier year, or quoting figures
the table does not have.

Part of the demo. The generator's texts quote the table in the words of
`jixiao.demo.texts`; these defects copy the 预期目标 into the 实际完成情况, repeat a fragment,
date the plan a year early (「2024年计划实施…」 on a 2025 form), or make the text state an
indicator's figure, the execution rate or the spending that the table contradicts (the
plan's figure left in the text, a rate or an amount from a draft). Each function returns
the spoiled form or None when its text offers nothing to spoil that way.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from jixiao.demo import texts
from jixiao.demo.defects.edits import cell, cells, counted
from jixiao.model import Form, Indicator, SelfEvaluation
from jixiao.numbers import CENT, ONE, fmt, round_half_up
from jixiao.values import Quantity


def copied_goal(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    return replace(form, goal_actual=form.goal_expected)


def garbled_goal(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    text = form.goal_actual or ""
    if len(text) < 12:
        return None
    return replace(form, goal_actual=text[:4] + text[:4] + text[4:] + text[-3:])


def _plan_text(form: Form) -> str | None:
    return form.goal_expected if isinstance(form, SelfEvaluation) else form.goal_annual


def _with_plan_text(form: Form, text: str) -> Form:
    if isinstance(form, SelfEvaluation):
        return replace(form, goal_expected=text)
    return replace(form, goal_annual=text)


def wrong_year(form: Form, rng: random.Random) -> Form | None:
    """Last year's plan copied: 「2024年计划实施…项目」 on the 2025 form."""
    text = _plan_text(form)
    opening = f"{form.year}年，"
    if form.year is None or text is None or not text.startswith(opening):
        return None
    return _with_plan_text(form, f"{form.year - 1}年计划{text[len(opening) :]}")


def _differs(stated: Decimal, value: Decimal) -> bool:
    """Far enough apart that no rounding of the text can explain it."""
    return abs(stated - value) >= max(ONE, abs(value) * Decimal("0.02"))


def _mentioned(form: SelfEvaluation) -> tuple[Indicator, Quantity, str] | None:
    """The indicator whose actual the 实际完成情况 quotes, its actual and the mention."""
    for ind in form.indicators:
        mention = texts.actual_mention(ind.name, ind.actual)
        value = ind.actual_value
        if mention and isinstance(value, Quantity) and mention in (form.goal_actual or ""):
            return ind, value, mention
    return None


def actual_figure_contradicts(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 实际完成情况 states another figure than the table's actual: the plan's target
    left in the text, or a count from before the final tally."""
    found = _mentioned(form)
    if found is None or form.goal_actual is None:
        return None
    ind, actual, mention = found
    unit = actual.unit or ""
    target = cells(ind.target)
    if target is not None and target[2] == unit and _differs(target[1], actual.number):
        stated = target[1]
    elif unit == texts.PERCENT:
        stated = counted(actual.number * Decimal(rng.uniform(0.85, 0.95)), unit)
    else:
        stated = counted(actual.number * Decimal(rng.uniform(1.15, 1.4)), unit)
    if not _differs(stated, actual.number):
        return None
    wrong = texts.actual_mention(ind.name, cell("", stated, unit))
    return replace(form, goal_actual=texts.requote(form.goal_actual, mention, wrong))


def _with_funds_figures(form: SelfEvaluation, spent: str, rate: str) -> SelfEvaluation:
    text = form.goal_actual or ""
    if texts.funds_figures(text) is not None:
        return replace(form, goal_actual=texts.replace_funds_figures(text, spent, rate))
    sentence = f"全年支出{spent}万元，预算执行率{rate}%"
    body = text.removesuffix("。")
    return replace(form, goal_actual=f"{body}，{sentence}。" if body else f"{sentence}。")


def rate_contradicts(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 实际完成情况 states an execution rate the funds table does not have."""
    row = form.funds.total
    if row.rate is None or row.executed is None:
        return None
    # What the text was meant to say (all spent), or a draft's figure when it was.
    draft = round_half_up(Decimal(rng.uniform(85, 97)), Decimal("0.1"))
    wrong = Decimal(100) if row.rate < 99 else draft
    quoted = texts.funds_figures(form.goal_actual)
    spent = quoted[0] if quoted is not None else fmt(row.executed)
    return _with_funds_figures(form, spent, fmt(wrong))


def spending_contradicts(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The 实际完成情况 states the year's budget (or a draft's figure) as its spending."""
    row = form.funds.total
    if row.executed is None or row.rate is None or not row.executed:
        return None
    executed = row.executed
    if row.adjusted is not None and _differs(row.adjusted, executed):
        wrong = row.adjusted
    elif row.initial is not None and _differs(row.initial, executed):
        wrong = row.initial
    else:
        wrong = round_half_up(executed * Decimal(rng.uniform(0.8, 0.92)), CENT)
    if not _differs(wrong, executed):
        return None
    quoted = texts.funds_figures(form.goal_actual)
    rate = quoted[1] if quoted is not None else fmt(row.rate)
    return _with_funds_figures(form, fmt(wrong), rate)


def target_figure_contradicts(form: Form, rng: random.Random) -> Form | None:
    """The 预期目标 (年度总体目标) keeps last year's target figure after the table changed."""
    text = _plan_text(form)
    if text is None:
        return None
    for ind in form.indicators:
        mention = texts.target_mention(ind.name, ind.target)
        parsed = cells(ind.target)
        if mention is None or parsed is None or mention not in text:
            continue
        op, number, unit = parsed
        if unit == texts.PERCENT:
            stated = number - Decimal(rng.randint(3, 8))
        else:
            stated = round_half_up(number * Decimal(rng.choice((0.8, 0.9, 1.2, 1.25))), ONE)
        if stated <= 0 or not _differs(stated, number):
            return None
        wrong = texts.target_mention(ind.name, cell(op, stated, unit))
        requoted = texts.requote(text, mention, wrong)
        return _with_plan_text(form, requoted) if requoted is not None else None
    return None
