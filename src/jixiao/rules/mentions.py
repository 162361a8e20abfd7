"""Figures in the goal texts against the table (BT003 text-contradicts-table, and ID004
unit-mismatch when the text counts in another unit).

Part of the review step (read → recognise → score → **review**). The goal texts
(预期目标, 实际完成情况, 年度总体目标) state figures (`rules.figures`): the 执行率, the year's
spending and its parts, and numbers with units tied to one indicator by its name, by the
thing it measures or by the thing counted. A figure is compared with the table only when
it names one thing unambiguously, allowing for the precision it was written to and for
its qualifier (以上, 不足, 约). A contradiction about an indicator names it, so that it
shows at the indicator's row. Catalogue family "text".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.numbers import HUNDRED, fmt, half_unit, ratio_interval, round_score
from jixiao.rules.context import FormContext, GoalFigures, IndicatorFacts
from jixiao.rules.figures import GOAL_LABELS, Figure
from jixiao.rules.registry import BOTH, Rule
from jixiao.values import Quantity, parse_decimal
from jixiao.vocabulary.units import (
    count_units_agree,
    is_money_unit,
    is_percent_unit,
    norm_unit,
)

_BASIS_TEXT = "财预〔2020〕10号 附件2 项目支出绩效自评表（年度总体目标：预期目标与实际完成情况）"

TEXT_CONTRADICTS_TABLE = CatalogueEntry(
    "BT003",
    "text-contradicts-table",
    Severity.WARNING,
    "text",
    "文字与表格矛盾",
    "目标文字中的数字与表格不符：实际完成情况写的执行率或全年支出与资金表不符，"
    "或文字中的总额与其后列出的各项之和不符；写到某项指标（以指标名称、所衡量的事项如"
    "覆盖率、满意度、人数，或所计数的事项唯一对应）的数值与该指标的实际完成值或年度指标值不符"
    "（按文字写出的精度与“以上”“不足”等限定判断）。问题标在该指标所在行。",
    _BASIS_TEXT,
)

ENTRIES = (TEXT_CONTRADICTS_TABLE,)


_RATE_TEXT_RE = re.compile(
    r"执行率\s*(?:为|是|达到|达|约|:|：)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*(以上|以下)?"
)
# The year's spending, by the words a writer introduces it with.
_SPEND_TEXT_RE = re.compile(
    r"(?:全年总支出|全年共支出|全年实际支出|全年支出|总支出|实际执行金额|执行金额|实际支出|支出总额|"
    r"共支出|累计支出|全年执行数|实际执行数|实际使用资金|共使用资金)"
    r"\s*(?:为|是|达到|达|共计|共|合计)?\s*(\d+(?:\.\d+)?)\s*(万元|万|元)"
)
# A total followed by its parts: `支出 800.15 万，其中 A 136.83 万、B 574.64 万 …`.
_PARTS_RE = re.compile(r"^[,，]?\s*其中")
_SENTENCE_END = frozenset("。;；")
_MONEY_TEXT_UNITS = {
    "元": Decimal(1),
    "万元": Decimal(10000),
    "万": Decimal(10000),
    "亿元": Decimal(10**8),
}


def _to_funds_unit(amount: Decimal, text_unit: str, funds_unit: str) -> Decimal | None:
    text_wan = text_unit in ("万元", "万")
    if funds_unit == "万元":
        return amount if text_wan else amount / Decimal(10000)
    if funds_unit == "元":
        return amount * Decimal(10000) if text_wan else amount
    return None


def _rate_mentions(ctx: FormContext, form: SelfEvaluation, text: str) -> Iterator[Finding]:
    row = form.funds.total
    for match in _RATE_TEXT_RE.finditer(text):
        stated = parse_decimal(match.group(1))
        if stated is None:
            continue
        qualifier = match.group(2)
        candidates: list[tuple[Decimal, Decimal]] = []
        if row.rate is not None:
            candidates.append((row.rate, row.rate))
        if row.executed is not None and row.adjusted is not None:
            interval = ratio_interval(row.executed, row.adjusted)
            if interval is not None:
                candidates.append((interval[0] * HUNDRED, interval[1] * HUNDRED))
        if not candidates:
            continue

        if any(_rate_fits(low, high, stated, qualifier) for low, high in candidates):
            continue
        table = f"{row.rate}%" if row.rate is not None else f"{fmt(round_score(candidates[0][0]))}%"
        yield ctx.at_form(
            TEXT_CONTRADICTS_TABLE,
            f"{ctx.prefix}：实际完成情况写「{match.group(0).strip()}」，而资金表的执行率为 {table}",
            field="goal_actual",
        )


def _rate_fits(low: Decimal, high: Decimal, stated: Decimal, qualifier: str | None) -> bool:
    """A stated rate (to its own precision) agrees with a true rate in [low, high]."""
    half = half_unit(stated)
    if qualifier == "以上":
        return high >= stated - half
    if qualifier == "以下":
        return low <= stated + half
    return low - half <= stated <= high + half


def _spend_mentions(ctx: FormContext, form: SelfEvaluation, text: str) -> Iterator[Finding]:
    executed = form.funds.total.executed
    if executed is None:
        return
    for match in _SPEND_TEXT_RE.finditer(text):
        stated = parse_decimal(match.group(1))
        if stated is None:
            continue
        converted = _to_funds_unit(stated, match.group(2), form.funds_unit)
        half = _to_funds_unit(half_unit(stated), match.group(2), form.funds_unit)
        if converted is None or half is None:
            continue
        if abs(converted - executed) <= half + half_unit(executed):
            continue
        yield ctx.at_form(
            TEXT_CONTRADICTS_TABLE,
            f"{ctx.prefix}：实际完成情况写「{match.group(0).strip()}」，而资金表的全年执行数为 "
            f"{executed} {form.funds_unit}",
            field="goal_actual",
        )


def _money_factor(unit: str | None) -> Decimal | None:
    """元 per one of `unit` (`万元/人` → 10000), or None when it is not money."""
    if unit is None:
        return None
    return _MONEY_TEXT_UNITS.get(unit.split("/")[0]) if is_money_unit(unit) else None


def _in_table_units(figure: Figure, value_unit: str | None) -> Decimal | None:
    """How many of the table's unit one of the figure's unit is, when the two measure the
    same way (1 for 95% against a %, 10000 for 12 万 against 元); None when they do not
    (a count against a percentage, 人次 against 人: see `check_text_units`)."""
    unit = norm_unit(value_unit)
    if figure.percent or is_percent_unit(unit):
        return Decimal(1) if figure.percent and is_percent_unit(unit) else None
    text_money = _MONEY_TEXT_UNITS.get(figure.unit)
    table_money = _money_factor(unit)
    if text_money is not None or table_money is not None:
        if text_money is None or table_money is None:
            return None
        return text_money / table_money
    if unit is None:
        return None
    return Decimal(1) if count_units_agree(figure.unit, unit) else None


def _value(facts: IndicatorFacts, actual: bool) -> Quantity | None:
    return facts.actual_quantity if actual else facts.target_quantity


def _indicator_mentions(ctx: FormContext, goal: GoalFigures) -> Iterator[Finding]:
    actual = goal.actual
    reported: set[int] = set()
    label = GOAL_LABELS[goal.field]
    for figure, position in zip(goal.figures, goal.named, strict=True):
        if "执行率" in figure.phrase or figure.bound == "about":
            continue
        if position is None:
            continue
        facts = ctx.facts[position]
        value = _value(facts, actual)
        if value is None or facts.position in reported:
            continue
        factor = _in_table_units(figure, value.unit)
        if factor is None:
            continue
        stated = figure.number * factor
        slack = half_unit(figure.number) * factor + half_unit(value.number)
        number = value.number
        if actual and figure.bound == "at_least":
            consistent = number >= stated - slack
        elif actual and figure.bound == "at_most":
            consistent = number <= stated + slack
        else:
            consistent = abs(number - stated) <= slack
        if consistent:
            continue
        reported.add(facts.position)
        printed = (facts.indicator.actual if actual else facts.indicator.target) or ""
        what = "实际完成值" if actual else "年度指标值"
        yield ctx.at_indicator(
            TEXT_CONTRADICTS_TABLE,
            facts,
            f"{ctx.prefix}：{label}写「{figure.quote}」，而指标「{facts.indicator.name}」的"
            f"{what}为 {printed.strip()}",
            # The indicator's cell the text contradicts; the message names the text.
            field="actual" if actual else "target",
        )


def _parts_mentions(ctx: FormContext, text: str, figures: list[Figure]) -> Iterator[Finding]:
    """A total of money the text breaks down (`其中 …、…`) must be the sum of its parts."""
    for index, total in enumerate(figures):
        total_factor = _MONEY_TEXT_UNITS.get(total.unit)
        if total_factor is None or not _PARTS_RE.match(text[total.end :]):
            continue
        parts: list[Figure] = []
        for figure in figures[index + 1 :]:
            if not _SENTENCE_END.isdisjoint(text[total.end : figure.start]):
                break
            if figure.unit in _MONEY_TEXT_UNITS:
                parts.append(figure)
        if len(parts) < 2:
            continue
        in_yuan = [p.number * _MONEY_TEXT_UNITS[p.unit] for p in parts]
        slack = sum(half_unit(p.number) * _MONEY_TEXT_UNITS[p.unit] for p in parts)
        slack += half_unit(total.number) * total_factor
        added = sum(in_yuan, Decimal(0))
        if abs(added - total.number * total_factor) <= slack:
            continue
        yield ctx.at_form(
            TEXT_CONTRADICTS_TABLE,
            f"{ctx.prefix}：实际完成情况写「{total.quote}」，其后列出的 {len(parts)} 项合计 "
            f"{fmt(added / total_factor)} {total.unit}，与总数不符",
            field="goal_actual",
        )


def check_text_contradicts_table(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    for goal in ctx.goal_figures:
        if goal.field == "goal_actual" and isinstance(form, SelfEvaluation):
            yield from _rate_mentions(ctx, form, goal.text)
            yield from _spend_mentions(ctx, form, goal.text)
            yield from _parts_mentions(ctx, goal.text, goal.figures)
        yield from _indicator_mentions(ctx, goal)


RULES = (Rule(TEXT_CONTRADICTS_TABLE, check_text_contradicts_table, BOTH),)
