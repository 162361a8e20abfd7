"""Figures in the goal texts against the table (BT003 text-contradicts-table).

Part of the review step (read → recognise → score → **review**). Finds the figures the
年度总体目标 texts state (预期目标, 实际完成情况, 年度总体目标) with precompiled patterns: the
执行率, the year's spending, and any number with a unit (覆盖率 95%, 满意度 90%, 培训 300 人次,
补贴 12 万元 …) together with the phrase before it. A figure is compared with the table only
when it names the same thing unambiguously (the execution rate, the year's spending, or
exactly one indicator), allowing for the precision it was written to. Catalogue family
"text".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.numbers import HUNDRED, fmt, half_unit, ratio_interval, round_score
from jixiao.rules.context import FormContext, IndicatorFacts
from jixiao.rules.registry import BOTH, Rule
from jixiao.values import Quantity, parse_decimal
from jixiao.vocabulary.measures import NOT_SATISFACTION_RE, SATISFACTION_RE
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import PERCENT_UNITS, is_money_unit, norm_unit

_BASIS_TEXT = "财预〔2020〕10号 附件2 项目支出绩效自评表（年度总体目标：预期目标与实际完成情况）"

TEXT_CONTRADICTS_TABLE = CatalogueEntry(
    "BT003",
    "text-contradicts-table",
    Severity.WARNING,
    "text",
    "文字与表格矛盾",
    "目标文字中的数字与表格不符：实际完成情况写的执行率或全年支出与资金表不符；"
    "写到某项指标（名称唯一对应）的数值与该指标的实际完成值或年度指标值不符。",
    _BASIS_TEXT,
)

ENTRIES = (TEXT_CONTRADICTS_TABLE,)


_RATE_TEXT_RE = re.compile(
    r"执行率\s*(?:为|是|达到|达|约|:|：)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*(以上|以下)?"
)
_SPEND_TEXT_RE = re.compile(
    r"(?:全年总支出|全年支出|总支出|实际执行金额|执行金额|实际支出|支出总额|共支出|全年执行数|实际执行数)"
    r"\s*(?:为|是|达到|达|共计|共|合计)?\s*(\d+(?:\.\d+)?)\s*(万元|万|元)"
)
# A figure in a text: a number and its unit, then what precedes it (back to punctuation).
_FIGURE_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|人次|人|件|家|个|次|场|份|本|册|项|所|万元|万|元|小时|天|户|台|套)"
    r"(?P<qual>以上|以下|以内|余|多|左右)?"
)
# The phrase before a figure: a run of text without digits, spaces or punctuation.
_PHRASE_RUN_RE = re.compile(r"[^\d\s,，。;；、:：!！?？()（）“”\"《》〈〉【】\[\]/%]+")
_MAX_PHRASE = 40
_VERB_END_RE = re.compile(
    r"(?:达到|达|为|是|共计|共|约|均|保持在|超过|不少于|不低于|不足|低于|短于|少于)$"
)
_AT_LEAST = frozenset({"以上", "余", "多", "超过", "不少于", "不低于"})
_AT_MOST = frozenset({"以下", "以内", "不足", "低于", "短于", "少于"})
_APPROXIMATE = frozenset({"约", "左右"})
_PHRASE_PREFIX_RE = re.compile(
    r"^(?:年度|年|其中|全年|共计|共|实际|累计|本年|当年|完成|通过|使|对|为|的|和|及)+"
)
# The goal texts a figure is read from, and how a message names them.
GoalField = Literal["goal_actual", "goal_expected", "goal_annual"]
_GOAL_LABELS: dict[GoalField, str] = {
    "goal_actual": "实际完成情况",
    "goal_expected": "预期目标",
    "goal_annual": "年度总体目标",
}
_SATISFACTION_END_RE = re.compile(r"满意[度率]$")
_GENERIC_TAILS = ("", "总额", "总数", "总量", "数量", "数", "人数", "次数", "件数", "场次")


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


def _is_satisfaction(name: str) -> bool:
    return bool(SATISFACTION_RE.search(name)) and not NOT_SATISFACTION_RE.search(name)


def _match_indicator(
    phrase: str, candidates: list[tuple[IndicatorFacts, Quantity]], satisfaction_count: int
) -> tuple[IndicatorFacts, Quantity] | None:
    exact = [
        c
        for c in candidates
        if c[0].name == phrase or (len(c[0].name) >= 3 and phrase.endswith(c[0].name))
    ]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    clean = _PHRASE_PREFIX_RE.sub("", phrase)
    if len(clean) >= 4:
        # The text may drop a generic tail of the name: 人工成本 for 人工成本总额.
        endings = tuple(clean + tail for tail in _GENERIC_TAILS)
        suffix = [c for c in candidates if c[0].name.endswith(endings)]
        if len(suffix) == 1:
            return suffix[0]
        if suffix:
            return None
    if _SATISFACTION_END_RE.search(phrase) and satisfaction_count == 1:
        # The form's one satisfaction measure, whatever the text calls its respondents.
        sats = [c for c in candidates if _is_satisfaction(c[0].name)]
        if len(sats) == 1:
            return sats[0]
    return None


def _units_compatible(text_unit: str, value_unit: str | None) -> bool:
    text_percent = text_unit in ("%", "％")
    unit = norm_unit(value_unit)
    if text_percent or unit in PERCENT_UNITS:
        return text_percent and unit in PERCENT_UNITS
    text_money = text_unit in ("万元", "万", "元")
    if text_money or (unit is not None and is_money_unit(unit)):
        if unit is None or not is_money_unit(unit) or not text_money:
            return False
        text_wan = text_unit in ("万元", "万")
        return text_wan == unit.startswith("万")
    return True


def _indicator_mentions(
    ctx: FormContext, text: str, field: GoalField, *, actual: bool
) -> Iterator[Finding]:
    candidates: list[tuple[IndicatorFacts, Quantity]] = []
    for facts in ctx.facts:
        value = facts.actual_quantity if actual else facts.target_quantity
        if value is not None:
            candidates.append((facts, value))
    if not candidates:
        return
    satisfaction_count = sum(1 for f in ctx.facts if _is_satisfaction(f.name))
    reported: set[int] = set()
    label = _GOAL_LABELS[field]
    runs = {m.end(): m.start() for m in _PHRASE_RUN_RE.finditer(text)}
    for match in _FIGURE_RE.finditer(text):
        start = match.start()
        begin = runs.get(start)
        if begin is None:
            continue
        head = text[max(begin, start - _MAX_PHRASE) : start]
        verb_match = _VERB_END_RE.search(head)
        verb = verb_match.group(0) if verb_match is not None else None
        phrase = head[: verb_match.start()] if verb_match is not None else head
        if len(phrase) < 2 or "执行率" in phrase:
            continue
        found = _match_indicator(phrase, candidates, satisfaction_count)
        if found is None:
            continue
        facts, value = found
        if facts.position in reported or not _units_compatible(match.group("unit"), value.unit):
            continue
        stated = parse_decimal(match.group("num"))
        if stated is None:
            continue
        words = {verb, match.group("qual")}
        if words & _APPROXIMATE:
            continue
        half = half_unit(stated)
        number = value.number
        if not actual:
            consistent = abs(number - stated) <= half
        elif words & _AT_LEAST:
            consistent = number >= stated - half
        elif words & _AT_MOST:
            consistent = number <= stated + half
        else:
            consistent = abs(number - stated) <= half
        if consistent:
            continue
        reported.add(facts.position)
        printed = (facts.indicator.actual if actual else facts.indicator.target) or ""
        what = "实际完成值" if actual else "年度指标值"
        yield ctx.at_form(
            TEXT_CONTRADICTS_TABLE,
            f"{ctx.prefix}：{label}写「{head}{match.group(0)}」，而指标「{facts.indicator.name}」的"
            f"{what}为 {printed.strip()}",
            field=field,
        )


def check_text_contradicts_table(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    if isinstance(form, SelfEvaluation):
        if form.goal_actual:
            text = norm_name(form.goal_actual)
            yield from _rate_mentions(ctx, form, text)
            yield from _spend_mentions(ctx, form, text)
            yield from _indicator_mentions(ctx, text, "goal_actual", actual=True)
        if form.goal_expected:
            yield from _indicator_mentions(
                ctx, norm_name(form.goal_expected), "goal_expected", actual=False
            )
    elif form.goal_annual:
        yield from _indicator_mentions(
            ctx, norm_name(form.goal_annual), "goal_annual", actual=False
        )


RULES = (Rule(TEXT_CONTRADICTS_TABLE, check_text_contradicts_table, BOTH),)
