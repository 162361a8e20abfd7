"""Budget and text rules (BT…, info or warning): the money moved a lot, was not spent,
or the goal texts say something the table does not.

Part of the review step. The text rules read the 年度总体目标 texts (预期目标, 实际完成情况,
年度总体目标) with precompiled patterns; a figure in a text is compared with the table only
when it names the same thing unambiguously (the execution rate, the year's spending, or
exactly one indicator).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.rules.context import FormContext, IndicatorFacts
from jixiao.rules.registry import BOTH, SELF, Rule
from jixiao.scoring import HUNDRED, ONE, ZERO, fmt, half_unit, ratio_interval, round_score
from jixiao.values import Quantity, parse_decimal
from jixiao.vocabulary.measures import NOT_SATISFACTION_RE, SATISFACTION_RE
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import PERCENT_UNITS, is_money_unit, norm_unit

_BASIS_FUNDS = "财预〔2020〕10号 附件2 项目支出绩效自评表（年初预算数、全年预算数、执行率）"
_BASIS_TEXT = "财预〔2020〕10号 附件2 项目支出绩效自评表（年度总体目标：预期目标与实际完成情况）"

LARGE_BUDGET_ADJUSTMENT = CatalogueEntry(
    "BT001",
    "large-budget-adjustment",
    Severity.INFO,
    "budget",
    "预算大幅调整",
    "全年预算数与年初预算数相差达方案阈值（默认 30%）以上，或年初预算数为 0 而全年预算数不为 0。",
    _BASIS_FUNDS,
)
LOW_EXECUTION_RATE = CatalogueEntry(
    "BT002",
    "low-execution-rate",
    Severity.WARNING,
    "budget",
    "预算执行率偏低",
    "年度资金总额的执行率低于方案阈值（默认 90%）：多数地区要求说明原因。",
    _BASIS_FUNDS,
)
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
GOAL_ACTUAL_REPEATS_EXPECTED = CatalogueEntry(
    "BT004",
    "goal-actual-repeats-expected",
    Severity.WARNING,
    "text",
    "实际完成情况照抄预期目标",
    "实际完成情况照抄预期目标：预期目标 80% 以上的分句原样出现在实际完成情况中。照抄部分占"
    "实际完成情况 70% 以上为警告；写了完成情况、又重复预期目标全文的为提示。",
    _BASIS_TEXT,
)
GARBLED_TEXT = CatalogueEntry(
    "BT005",
    "garbled-text",
    Severity.WARNING,
    "text",
    "文字重复或残缺",
    "文字中有紧邻重复的片段（政策宣传政策宣传）、上一句的残片（全覆盖。覆盖。）、"
    "列举中缺了数字的项（补贴个，），或一个指标名称里叠着另一个指标的名称。",
    _BASIS_TEXT,
)
WRONG_YEAR_IN_TEXT = CatalogueEntry(
    "BT006",
    "wrong-year-in-text",
    Severity.WARNING,
    "text",
    "目标文字年份错误",
    "预期目标（申报表的年度总体目标）把往年的计划当作本年度的计划（如 2024 年度的表写"
    "“2023年预计送达文书”），多是照抄旧表。",
    _BASIS_TEXT,
)

ENTRIES = (
    LARGE_BUDGET_ADJUSTMENT,
    LOW_EXECUTION_RATE,
    TEXT_CONTRADICTS_TABLE,
    GOAL_ACTUAL_REPEATS_EXPECTED,
    GARBLED_TEXT,
    WRONG_YEAR_IN_TEXT,
)


# --- budget ---------------------------------------------------------------------------


def check_large_budget_adjustment(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None:
        return
    row = form.funds.total
    initial, adjusted = row.initial, row.adjusted
    if initial is None or adjusted is None:
        return
    place = ctx.funds_place("total")
    if initial == 0:
        if adjusted != 0:
            yield ctx.at_funds(
                LARGE_BUDGET_ADJUSTMENT,
                "total",
                f"{place}：年初预算数为 0，全年预算数为 {adjusted} {form.funds_unit}（年中新增）",
                field="funds.total.adjusted",
            )
        return
    change = (adjusted - initial) / initial
    if abs(change) >= ctx.profile.large_adjustment_ratio:
        sign = "+" if change > 0 else "−"
        yield ctx.at_funds(
            LARGE_BUDGET_ADJUSTMENT,
            "total",
            f"{place}：年初预算数 {initial} 调整为全年预算数 {adjusted} {form.funds_unit}"
            f"（{sign}{fmt(round_score(abs(change) * HUNDRED))}%）",
            field="funds.total.adjusted",
        )


def _execution_rate(form: SelfEvaluation) -> Decimal | None:
    row = form.funds.total
    if row.rate is not None:
        return row.rate
    if row.executed is None or row.adjusted is None or row.adjusted <= 0:
        return None
    return round_score(row.executed / row.adjusted * HUNDRED)


def check_low_execution_rate(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None:
        return
    rate = _execution_rate(form)
    if rate is not None and rate < ctx.profile.low_execution_rate:
        yield ctx.at_funds(
            LOW_EXECUTION_RATE,
            "total",
            f"{ctx.funds_place('total')}：执行率 {fmt(rate)}%，低于 {fmt(ctx.profile.low_execution_rate)}%"
            f"（全年执行数 {form.funds.total.executed} / 全年预算数 "
            f"{form.funds.total.adjusted} {form.funds_unit}）",
            field="funds.total.rate",
        )


# --- text against table -------------------------------------------------------------------

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
    ctx: FormContext, text: str, field: str, *, actual: bool
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
    label = {
        "goal_actual": "实际完成情况",
        "goal_expected": "预期目标",
        "goal_annual": "年度总体目标",
    }[field]
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


# --- copied, garbled, wrong year ----------------------------------------------------------

_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;、！!？?：:]+")
_COPY_SHARE = Decimal("0.8")  # of the expected text found in the actual text
_COPY_FILLS = Decimal("0.7")  # of the actual text made of the copy: a plain copy
_MIN_COPY_LENGTH = 15


def copied_share(expected: str, actual: str) -> tuple[Decimal, Decimal]:
    """How much of the expected text reappears verbatim in the actual text, clause by
    clause (split at punctuation): (share of the expected text, share of the actual text
    that the copied clauses fill)."""
    clauses = [c for c in _CLAUSE_SPLIT_RE.split(expected) if len(c) >= 2]
    total = sum(len(c) for c in clauses)
    if total == 0 or not actual:
        return ZERO, ZERO
    copied = sum(len(c) for c in clauses if c in actual)
    actual_letters = len(_CLAUSE_SPLIT_RE.sub("", actual))
    return Decimal(copied) / Decimal(total), min(ONE, Decimal(copied) / Decimal(actual_letters))


def check_goal_actual_repeats_expected(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or not form.goal_expected or not form.goal_actual:
        return
    expected, actual = norm_name(form.goal_expected), norm_name(form.goal_actual)
    if len(expected) < _MIN_COPY_LENGTH:
        return
    of_expected, of_actual = copied_share(expected, actual)
    if of_expected < _COPY_SHARE:
        return
    if expected == actual:
        message = "与预期目标完全相同，没有写出实际完成了什么"
        severity = None
    elif of_actual >= _COPY_FILLS:
        message = (
            f"原样照抄了预期目标 {fmt(round_score(of_expected * HUNDRED))}% 的文字，"
            f"照抄部分占实际完成情况的 {fmt(round_score(of_actual * HUNDRED))}%"
        )
        severity = None
    else:
        # Results are reported, and the goal is then restated word for word: worth a note.
        message = (
            f"写明部分完成情况之外，原样重复了预期目标 {fmt(round_score(of_expected * HUNDRED))}% "
            "的文字"
        )
        severity = Severity.INFO
    yield ctx.at_form(
        GOAL_ACTUAL_REPEATS_EXPECTED,
        f"{ctx.prefix}：实际完成情况{message}",
        field="goal_actual",
        severity=severity,
    )


_REPEAT_RE = re.compile(r"([\u4e00-\u9fff]{3,20})\1")
_SENTENCE_SPLIT_RE = re.compile(r"[。！!？?]")
_CJK_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_MISSING_NUMBER_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<![一二三四五六七八九十两几各这那某整每哪半单])(个|家|件|场|份)(?=[，,、；;。])"
)


@lru_cache(maxsize=16384)
def garbled_fragments(text: str, *, enumerations: bool) -> tuple[str, ...]:
    """What is broken in a text: repeated runs, sentence fragments, enumerated items
    without a number."""
    problems: list[str] = []
    repeat = _REPEAT_RE.search(text)
    if repeat is not None:
        problems.append(f"「{repeat.group(0)}」中「{repeat.group(1)}」紧邻重复")
    for previous, current in pairwise(_SENTENCE_SPLIT_RE.split(text)):
        if _CJK_ONLY_RE.match(current) and previous.endswith(current):
            problems.append(f"「{current}。」是上一句「{previous[-12:]}」的残片")
            break
    if enumerations:
        for match in _MISSING_NUMBER_RE.finditer(text):
            unit = match.group(1)
            if len(re.findall(rf"\d\s*{unit}", text)) >= 2:
                start = max(0, match.start() - 8)
                problems.append(f"列举中「{text[start : match.end()]}」缺少数字")
                break
    return tuple(problems)


_TEXT_FIELDS = (
    ("goal_expected", "预期目标"),
    ("goal_actual", "实际完成情况"),
    ("goal_overall", "项目总目标"),
    ("goal_annual", "年度总体目标"),
)


def check_garbled_text(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    for field, label in _TEXT_FIELDS:
        raw: str | None = getattr(form, field, None)
        if not raw:
            continue
        problems = garbled_fragments(norm_name(raw), enumerations=True)
        if problems:
            yield ctx.at_form(
                GARBLED_TEXT,
                f"{ctx.prefix}：{label}文字残缺或重复：{'；'.join(problems)}",
                field=field,
            )
    long_names = [(f, f.indicator.name) for f in ctx.facts if len(f.indicator.name) >= 6]
    for facts in ctx.facts:
        ind = facts.indicator
        stacked = _stacked_name(facts, ind.name, long_names) if len(ind.name.split()) > 1 else None
        if stacked is not None:
            yield ctx.at_indicator(
                GARBLED_TEXT,
                facts,
                f"{ctx.indicator_place(facts)}：指标名称里叠着第 {stacked.position} 项指标的名称"
                f"「{stacked.indicator.name}」",
                field="name",
            )
            continue
        for value, label, field in ((ind.name, "指标名称", "name"), (ind.note, "偏差原因", "note")):
            if not value:
                continue
            problems = garbled_fragments(norm_name(value), enumerations=False)
            if problems:
                yield ctx.at_indicator(
                    GARBLED_TEXT,
                    facts,
                    f"{ctx.indicator_place(facts)}：{label}文字残缺或重复：{'；'.join(problems)}",
                    field=field,
                )


def _stacked_name(
    facts: IndicatorFacts, name: str, long_names: list[tuple[IndicatorFacts, str]]
) -> IndicatorFacts | None:
    """Another indicator whose whole name starts this one, followed by a space: two
    cells of the printed table run together (`…售后服务次数 系统硬件售后服务次数`)."""
    for other, other_name in long_names:
        if (
            other is not facts
            and name.startswith(other_name)
            and name[len(other_name) : len(other_name) + 1].isspace()
        ):
            return other
    return None


_PLAN_YEAR_RE = re.compile(
    r"(?<![\d〔\[（(自从至])((?:19|20)\d{2})年度?(?:的)?(预计|计划|拟|将|力争|争取|目标)"
)


def check_wrong_year_in_text(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    if form.year is None:
        return
    fields = ("goal_expected",) if isinstance(form, SelfEvaluation) else ("goal_annual",)
    labels = dict(_TEXT_FIELDS)
    for field in fields:
        raw: str | None = getattr(form, field, None)
        if not raw:
            continue
        for match in _PLAN_YEAR_RE.finditer(norm_name(raw)):
            year = int(match.group(1))
            # An earlier year's plan is a copy of an old form; a later year may be an aim.
            if year < form.year:
                yield ctx.at_form(
                    WRONG_YEAR_IN_TEXT,
                    f"{ctx.prefix}（{form.year} 年度）：{labels[field]}写「{match.group(0)}」，"
                    f"把 {year} 年的计划当作本年度的",
                    field=field,
                )
                break


RULES = (
    Rule(LARGE_BUDGET_ADJUSTMENT, check_large_budget_adjustment, SELF),
    Rule(LOW_EXECUTION_RATE, check_low_execution_rate, SELF),
    Rule(TEXT_CONTRADICTS_TABLE, check_text_contradicts_table, BOTH),
    Rule(GOAL_ACTUAL_REPEATS_EXPECTED, check_goal_actual_repeats_expected, SELF),
    Rule(GARBLED_TEXT, check_garbled_text, BOTH),
    Rule(WRONG_YEAR_IN_TEXT, check_wrong_year_in_text, BOTH),
)
