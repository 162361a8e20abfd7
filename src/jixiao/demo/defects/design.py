"""Defects of the indicator table's design: targets that cannot measure what they should.

Part of the demo. Both kinds of form: a cost floored with ≥, an output count or a share
capped with ≤, a unit that cannot measure the indicator (a 覆盖率 in 人, a cost in 场 or
in 「万」, an actual counted in 册 against a target in 份), a missing unit or target value,
a target copying the name, two indicators of one name, an indicator filed under the
wrong 二级, and declarations without their cost, benefit or satisfaction indicators.
Each function returns the spoiled form or None when the form offers nothing to spoil
that way; the goal texts quote the changed cells again.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from typing import TypeVar

from jixiao.demo import texts
from jixiao.demo.defects.edits import cell, cells, pick, quantity, with_indicator
from jixiao.model import Declaration, Indicator, SelfEvaluation

F = TypeVar("F", SelfEvaluation, Declaration)

# A count written in a unit that counts something else (the target's unit → the actual's).
OTHER_COUNT_UNIT = {"份": "册", "人次": "人", "人": "人次", "台": "套", "场": "次", "家": "个"}


def _is_cost(ind: Indicator) -> bool:
    return "成本" in ind.level1 + ind.level2


def _with_units(form: F, index: int, target: str, actual: str | None) -> F:
    """Indicator `index` with its target (and on a self-evaluation its actual) in new units."""
    ind = form.indicators[index]
    target_cells, actual_cells = cells(ind.target), cells(ind.actual)
    assert target_cells is not None
    op, number, _ = target_cells
    new_actual = ind.actual
    if actual is not None and actual_cells is not None:
        new_actual = cell(actual_cells[0], actual_cells[1], actual)
    return with_indicator(
        form, index, replace(ind, target=cell(op, number, target), actual=new_actual)
    )


def _with_op(form: F, index: int, op: str) -> F:
    ind = form.indicators[index]
    parsed = cells(ind.target)
    assert parsed is not None
    return with_indicator(form, index, replace(ind, target=cell(op, parsed[1], parsed[2])))


def cost_wrong_direction(form: F, rng: random.Random) -> F | None:
    index = pick(form, rng, lambda i: _is_cost(i) and (i.target or "")[:1] in "≤=")
    if index is None:
        return None
    return _with_op(form, index, "≥")


def quantity_upper_bound(form: F, rng: random.Random) -> F | None:
    """An output count capped: 「培训人次 ≤1200(人次)」."""

    def output_count(ind: Indicator) -> bool:
        parsed = cells(ind.target)
        return (
            ind.level2 == "数量指标"
            and parsed is not None
            and parsed[0] in "≥="
            and parsed[2] != texts.PERCENT
            and not texts.is_money(parsed[2])
        )

    index = pick(form, rng, output_count)
    return _with_op(form, index, "≤") if index is not None else None


def share_wrong_direction(form: F, rng: random.Random) -> F | None:
    """A share turned the wrong way: a 满意度 or 覆盖率 capped, a 投诉率 floored."""

    def share(ind: Indicator) -> bool:
        parsed = cells(ind.target)
        return parsed is not None and parsed[2] == texts.PERCENT and parsed[0] in "≥=≤"

    index = pick(form, rng, share)
    if index is None:
        return None
    op = (form.indicators[index].target or "")[:1]
    return _with_op(form, index, "≥" if op == "≤" else "≤")


def share_in_count_unit(form: F, rng: random.Random) -> F | None:
    """A share measured in 人 or 件: 「补贴对象覆盖率 =100.00(人)」."""
    index = pick(form, rng, lambda i: (p := cells(i.target)) is not None and p[2] == "%")
    if index is None:
        return None
    unit = rng.choice(("人", "件"))
    return _with_units(form, index, unit, unit)


def cost_in_count_unit(form: F, rng: random.Random) -> F | None:
    """A cost measured in what it is paid for (「元/场」 printed 「场」) or in 「万」."""

    def money_cost(ind: Indicator) -> bool:
        parsed = cells(ind.target)
        return _is_cost(ind) and parsed is not None and texts.is_money(parsed[2])

    index = pick(form, rng, money_cost)
    if index is None:
        return None
    parsed = cells(form.indicators[index].target)
    assert parsed is not None
    money, _, per = parsed[2].partition("/")
    unit = per if per else "万" if money == "万元" else None
    if unit is None:
        return None
    return _with_units(form, index, unit, unit)


def actual_unit_differs(form: SelfEvaluation, rng: random.Random) -> SelfEvaluation | None:
    """The actual counted in another unit than the target: 「=5000(份)」 against 「5000(册)」."""

    def counted(ind: Indicator) -> bool:
        target, actual = cells(ind.target), cells(ind.actual)
        return (
            target is not None
            and actual is not None
            and target[2] in OTHER_COUNT_UNIT
            and actual[2] == target[2]
        )

    index = pick(form, rng, counted)
    if index is None:
        return None
    ind = form.indicators[index]
    target, actual = cells(ind.target), cells(ind.actual)
    assert target is not None and actual is not None
    new_actual = cell(actual[0], actual[1], OTHER_COUNT_UNIT[target[2]])
    return with_indicator(form, index, replace(ind, actual=new_actual))


def missing_unit(form: F, rng: random.Random) -> F | None:
    index = pick(form, rng, lambda i: quantity(i) is not None)
    if index is None:
        return None
    ind = form.indicators[index]
    target = (ind.target or "").split("(")[0]
    actual = (ind.actual or "").split("(")[0] if ind.actual else ind.actual
    return with_indicator(form, index, replace(ind, target=target, actual=actual))


def missing_target(form: F, rng: random.Random) -> F | None:
    """A quantitative target left blank, or only its operator written (「≥」)."""
    index = pick(form, rng, lambda i: (p := cells(i.target)) is not None and p[0] != "")
    if index is None:
        return None
    ind = form.indicators[index]
    target = rng.choice(("", (ind.target or "")[:1]))
    return with_indicator(form, index, replace(ind, target=target))


def target_repeats_name(form: F, rng: random.Random) -> F | None:
    index = pick(form, rng, lambda i: quantity(i) is None and i.level1 != "满意度指标")
    if index is None:
        return None
    ind = form.indicators[index]
    return with_indicator(form, index, replace(ind, target=ind.name))


def _shape(ind: Indicator) -> tuple[str, str]:
    """What a target measures, as far as its name must fit it: operator and unit."""
    parsed = cells(ind.target)
    return (parsed[0], parsed[2]) if parsed is not None else ("", "")


def duplicate_name(form: F, rng: random.Random) -> F | None:
    """A copied row whose name was not changed: two indicators of one name. Only rows
    measured alike are copied (both qualitative, or one operator and unit), so that the
    copied name still fits the row's target."""
    groups: dict[tuple[str, str, tuple[str, str]], list[int]] = defaultdict(list)
    for i, ind in enumerate(form.indicators):
        groups[(ind.level1, ind.level2, _shape(ind))].append(i)
    pairs = [members for members in groups.values() if len(members) >= 2]
    if not pairs:
        return None
    first, second = sorted(rng.sample(rng.choice(pairs), 2))
    copied = form.indicators[second]
    return with_indicator(form, second, replace(copied, name=form.indicators[first].name))


def misclassified(form: F, rng: random.Random) -> F | None:
    index = pick(form, rng, lambda i: i.level2 == "时效指标")
    if index is None:
        return None
    ind = form.indicators[index]
    return with_indicator(form, index, replace(ind, level2="质量指标"))


def missing_satisfaction(form: Declaration, rng: random.Random) -> Declaration | None:
    kept = tuple(i for i in form.indicators if i.level1 != "满意度指标")
    return replace(form, indicators=kept) if len(kept) < len(form.indicators) else None


def missing_cost(form: Declaration, rng: random.Random) -> Declaration | None:
    """No cost indicator at all (neither a 一级 成本指标 nor one under 产出指标)."""
    kept = tuple(i for i in form.indicators if not _is_cost(i))
    return replace(form, indicators=kept) if len(kept) < len(form.indicators) else None


def missing_benefit(form: Declaration, rng: random.Random) -> Declaration | None:
    kept = tuple(i for i in form.indicators if i.level1 != "效益指标")
    return replace(form, indicators=kept) if len(kept) < len(form.indicators) else None
