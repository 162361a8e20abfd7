"""Defects of a self-evaluation's own columns: 实际完成值, 分值, 得分 and 偏差原因.

Part of the demo. Points deducted without a reason or with 「无偏差」, a missed target kept
at full or nearly full score, a target far exceeded, a bonus above the weight, weights
that no longer add up to 100 or an indicator weighted 0. Each function returns the
spoiled form (total recomputed) or None when the form offers nothing to spoil that way.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from jixiao.demo.defects.edits import (
    counted,
    pick,
    quantity,
    with_indicator,
    with_scored,
)
from jixiao.model import Indicator, SelfEvaluation
from jixiao.numbers import round_score
from jixiao.values import Quantity


def _missed(
    form: SelfEvaluation, rng: random.Random, low: float, high: float
) -> tuple[int, Indicator] | None:
    """A quantitative indicator whose actual falls to `low`–`high` of its target, scored
    by the formula (its note is left to the caller)."""
    index = pick(form, rng, lambda i: quantity(i) is not None)
    if index is None:
        return None
    ind = form.indicators[index]
    parsed = quantity(ind)
    assert parsed is not None and ind.weight is not None
    _, target, unit = parsed
    actual = counted(target * Decimal(rng.uniform(low, high)), unit)
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
    return with_scored(form, index, replace(ind, note=None))


def reason_contradicts(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """Points deducted from a full score, the reason written 「无偏差」."""
    index = pick(form, rng, lambda i: i.score is not None and i.score == i.weight and i.score > 2)
    if index is None:
        return None
    ind = form.indicators[index]
    assert ind.score is not None
    score = ind.score - Decimal(rng.choice(("0.50", "1.00", "2.00")))
    return with_scored(form, index, replace(ind, score=score, note="无偏差"))


def full_score_target_missed(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    missed = _missed(form, rng, 0.55, 0.8)
    if missed is None:
        return None
    index, ind = missed
    return with_scored(form, index, replace(ind, score=ind.weight, note=None))


def lenient_score(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    missed = _missed(form, rng, 0.4, 0.6)
    if missed is None:
        return None
    index, ind = missed
    assert ind.weight is not None
    changed = replace(
        ind, score=round_score(ind.weight * Decimal("0.9")), note="受客观因素影响，未能全部完成。"
    )
    return with_scored(form, index, changed)


def band_out_of_range(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = pick(form, rng, lambda i: i.actual == "达成指标" and i.weight is not None)
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
    return with_scored(form, index, changed)


def far_exceeded(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = pick(
        form, rng, lambda i: (q := quantity(i)) is not None and q[0] == "≥" and q[2] != "%"
    )
    if index is None:
        return None
    ind = form.indicators[index]
    parsed = quantity(ind)
    assert parsed is not None
    _, target, unit = parsed
    actual = counted(target * Decimal(rng.uniform(2.2, 3.5)), unit)
    changed = replace(ind, actual=f"{actual:.2f}({unit})", score=ind.weight, note=None)
    return with_scored(form, index, changed)


def actual_as_target(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    index = pick(form, rng, lambda i: quantity(i) is not None and (i.actual or "")[:1].isdigit())
    if index is None:
        return None
    ind = form.indicators[index]
    return with_indicator(form, index, replace(ind, actual=f"≥{ind.actual}"))


def _full(ind: Indicator) -> bool:
    return ind.weight is not None and ind.weight > 0 and ind.score == ind.weight


def score_above_weight(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """A bonus for over-achievement: the score above the indicator's weight."""

    def exceeded(ind: Indicator) -> bool:
        q = quantity(ind)
        actual = ind.actual_value
        met = isinstance(actual, Quantity) and q is not None and actual.number > q[1]
        return _full(ind) and met and q is not None and q[0] == "≥"

    index = pick(form, rng, exceeded)
    if index is None:
        return None
    ind = form.indicators[index]
    assert ind.weight is not None
    bonus = Decimal(rng.choice(("0.50", "1.00", "2.00")))
    changed = replace(ind, score=ind.weight + bonus, note="超额完成年度目标，酌情加分。")
    return with_scored(form, index, changed)


def weights_off(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """One indicator's 分值 changed without rebalancing the others (fully scored still)."""
    index = pick(form, rng, lambda i: _full(i) and (i.weight or 0) >= 4)
    if index is None:
        return None
    ind = form.indicators[index]
    assert ind.weight is not None
    weight = ind.weight + Decimal(rng.choice(("-3.00", "-2.00", "-1.00", "1.00", "2.00", "5.00")))
    return with_scored(form, index, replace(ind, weight=weight, score=weight))


def zero_weight(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """An indicator kept in the table with 分值 0: its points given to a sibling."""
    index = pick(form, rng, lambda i: (i.weight or 0) > 0)
    if index is None:
        return None
    zeroed = form.indicators[index]
    receivers = [
        i
        for i, ind in enumerate(form.indicators)
        if i != index and _full(ind) and ind.level1 == zeroed.level1
    ] or [i for i, ind in enumerate(form.indicators) if i != index and _full(ind)]
    if not receivers:
        return None
    receiver = rng.choice(receivers)
    other = form.indicators[receiver]
    assert zeroed.weight is not None and other.weight is not None
    weight = other.weight + zeroed.weight
    form = with_indicator(form, receiver, replace(other, weight=weight, score=weight))
    zero = Decimal("0.00")
    return with_scored(form, index, replace(zeroed, weight=zero, score=zero, note=None))
