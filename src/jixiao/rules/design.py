"""Indicator design rules (ID…, warnings): the target cannot measure what it should.

Part of the review step. These rules read the indicator table of both kinds of form:
a self-evaluation reuses its declaration's indicators, so a design defect shows on
both. Keyword tests come from `jixiao.vocabulary.measures` and err towards precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.numbers import HUNDRED, fmt
from jixiao.rules.context import FormContext, IndicatorFacts
from jixiao.rules.figures import GOAL_LABELS, shares_words
from jixiao.rules.registry import BOTH, DECLARATION, SELF, Rule
from jixiao.values import Blank, Malformed, Op, Quantity
from jixiao.vocabulary.framework import COST_LEVEL2, FRAMEWORK
from jixiao.vocabulary.measures import (
    AMOUNT_NAME_RE,
    BAD_EVENT_RE,
    BAD_SHARE_RE,
    ECOLOGY_RE,
    GOOD_SHARE_RE,
    GROWTH_RE,
    NOT_A_SHARE_RATE,
    NOT_SATISFACTION_RE,
    QUALITY_WORD_RE,
    SATISFACTION_ALIKE_RE,
    SATISFACTION_RE,
    SATISFACTION_SURVEY_RE,
    SAVING_RE,
    SHARE_NAME_RE,
    TIME_WORD_RE,
)
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import (
    BARE_NUMBER_UNIT_RE,
    COUNT_UNITS,
    PERCENT_UNITS,
    comparable_unit,
    count_units_agree,
    is_money_unit,
    money_unit_problem,
    norm_unit,
)

_BASIS_TARGETS = "财预〔2020〕10号 附件1 绩效目标申报表；财预〔2021〕101号（绩效指标应当细化、量化，指标值可衡量）"
_BASIS_FRAMEWORK = "财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》"

COST_WRONG_DIRECTION = CatalogueEntry(
    "ID001",
    "cost-indicator-wrong-direction",
    Severity.WARNING,
    "design",
    "成本指标方向错误",
    "成本指标以 ≥ 或 > 设定下限：成本应当设上限（≤），否则花得越多越“达标”。"
    "衡量节约、降低的成本指标（如成本节约率）除外。",
    _BASIS_FRAMEWORK,
)
QUANTITY_WRONG_DIRECTION = CatalogueEntry(
    "ID002",
    "quantity-indicator-wrong-direction",
    Severity.WARNING,
    "design",
    "数量指标方向错误",
    "数量指标（产出数量）以 ≤ 或 < 设定上限：产出应当设下限，否则少做也“达标”。"
    "故障、投诉等坏事件的数量与时长类指标除外（它们的上限是对的，见 ID010 指标归类错误）。",
    _BASIS_FRAMEWORK,
)
INDICATOR_WRONG_DIRECTION = CatalogueEntry(
    "ID003",
    "indicator-wrong-direction",
    Severity.WARNING,
    "design",
    "指标方向错误",
    "其他方向错误：满意度以 ≤/< 设上限；完成率、覆盖率等应当高的比率以 ≤/< 设上限；"
    "投诉率、差错率等应当低的比率以 ≥/> 设下限；比率以 ≥/> 设定超过 100% 的下限（增长率除外）。",
    _BASIS_FRAMEWORK,
)
UNIT_MISMATCH = CatalogueEntry(
    "ID004",
    "unit-mismatch",
    Severity.WARNING,
    "design",
    "计量单位不符",
    "单位无法计量该指标所衡量的东西：比率、比例、占比或满意度以百分比以外的单位计量"
    "（人、件、户、次……；每十万人、‰ 等比率单位与满意度的“分”除外）；成本、费用、金额类指标"
    "以不完整的货币单位（「万」「千」）或非货币单位计量；单位是一个数字（如「(2.87)」）；"
    "实际完成值与年度指标值的单位不同；或目标文字对同一事项用了另一计数单位"
    "（文字写 56000 份，表中为 56000 册；文字写人次，表中为人）。",
    _BASIS_TARGETS,
)
MISSING_UNIT = CatalogueEntry(
    "ID005",
    "missing-unit",
    Severity.WARNING,
    "design",
    "缺少计量单位",
    "数值型年度指标值没有计量单位（如「=8400」）。",
    _BASIS_TARGETS,
)
MISSING_TARGET_VALUE = CatalogueEntry(
    "ID006",
    "missing-target-value",
    Severity.WARNING,
    "design",
    "缺少指标值",
    "年度指标值为空（或只印了「/」「—」等占位符），或只有运算符没有数值（如「≥」）。",
    _BASIS_TARGETS,
)
TARGET_REPEATS_NAME = CatalogueEntry(
    "ID007",
    "target-repeats-name",
    Severity.WARNING,
    "design",
    "指标值重复指标名称",
    "年度指标值照抄三级指标名称，没有给出可衡量的目标。",
    _BASIS_TARGETS,
)
ACTUAL_WRITTEN_AS_TARGET = CatalogueEntry(
    "ID008",
    "actual-written-as-target",
    Severity.WARNING,
    "design",
    "实际完成值写成指标值",
    "实际完成值带有运算符（如「≥10(人)」「=8400」）：应填写实际达到的数值。",
    "财预〔2020〕10号 附件2 项目支出绩效自评表（实际完成值）",
)
DUPLICATE_INDICATOR_NAME = CatalogueEntry(
    "ID009",
    "duplicate-indicator-name",
    Severity.WARNING,
    "design",
    "指标名称重复",
    "同一张表中两个三级指标名称相同。",
    _BASIS_FRAMEWORK,
)
INDICATOR_MISCLASSIFIED = CatalogueEntry(
    "ID010",
    "indicator-misclassified",
    Severity.WARNING,
    "design",
    "指标归类错误",
    "一级/二级指标组合不在指标框架内，或指标明显列错了二级：时效性指标列在质量或数量指标下，"
    "与时间无关的指标列在时效指标下，满意度指标列在其他一级指标下或非满意度指标列在满意度"
    "指标下，计数指标列在质量指标下，与生态无关的指标列在生态效益指标下，"
    "按时完成类产出列在效益指标下。",
    _BASIS_FRAMEWORK,
)
ZERO_WEIGHT_INDICATOR = CatalogueEntry(
    "ID011",
    "zero-weight-indicator",
    Severity.WARNING,
    "design",
    "指标分值为 0",
    "三级指标的分值为 0：该指标不参与评分，形同虚设。",
    "财预〔2020〕10号 附件2 项目支出绩效自评表（指标分值）",
)
MISSING_COST_INDICATOR = CatalogueEntry(
    "ID012",
    "missing-cost-indicator",
    Severity.WARNING,
    "design",
    "缺少成本指标",
    "申报表没有成本指标（方案要求成本为一级指标时，须有一级“成本指标”；否则产出指标下的"
    "成本指标亦可）。",
    _BASIS_FRAMEWORK,
)
MISSING_SATISFACTION_INDICATOR = CatalogueEntry(
    "ID013",
    "missing-satisfaction-indicator",
    Severity.WARNING,
    "design",
    "缺少满意度指标",
    "申报表没有一级“满意度指标”。",
    _BASIS_FRAMEWORK,
)
MISSING_BENEFIT_INDICATOR = CatalogueEntry(
    "ID014",
    "missing-benefit-indicator",
    Severity.WARNING,
    "design",
    "缺少效益指标",
    "申报表没有一级“效益指标”。",
    _BASIS_FRAMEWORK,
)

ENTRIES = (
    COST_WRONG_DIRECTION,
    QUANTITY_WRONG_DIRECTION,
    INDICATOR_WRONG_DIRECTION,
    UNIT_MISMATCH,
    MISSING_UNIT,
    MISSING_TARGET_VALUE,
    TARGET_REPEATS_NAME,
    ACTUAL_WRITTEN_AS_TARGET,
    DUPLICATE_INDICATOR_NAME,
    INDICATOR_MISCLASSIFIED,
    ZERO_WEIGHT_INDICATOR,
    MISSING_COST_INDICATOR,
    MISSING_SATISFACTION_INDICATOR,
    MISSING_BENEFIT_INDICATOR,
)


def _target(facts: IndicatorFacts) -> str:
    return (facts.indicator.target or "").strip()


def _is_share(name: str) -> bool:
    """A 率, 比例 or 占比 that is a share of a whole (so measured in %)."""
    if name.endswith(NOT_A_SHARE_RATE) and not name.endswith(_SHARES_ENDING_LIKE_RATES):
        return False
    return bool(SHARE_NAME_RE.search(name))


# Shares whose name ends like a rate that is not one: 有效率 is a share, 效率 is not.
_SHARES_ENDING_LIKE_RATES = ("有效率", "无效率")


def _is_satisfaction(name: str) -> bool:
    """A name that measures satisfaction (not dissatisfaction, nor the survey's reach)."""
    return (
        bool(SATISFACTION_RE.search(name))
        and not NOT_SATISFACTION_RE.search(name)
        and not SATISFACTION_SURVEY_RE.search(name)
    )


def check_cost_wrong_direction(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target_value
        if not facts.is_cost or not isinstance(target, Quantity) or target.op is None:
            continue
        if target.op.is_lower_bound and not SAVING_RE.search(facts.name):
            yield ctx.at_indicator(
                COST_WRONG_DIRECTION,
                facts,
                f"{ctx.indicator_place(facts)}：成本指标的年度指标值「{_target(facts)}」设的是下限，"
                "成本应以 ≤ 设上限",
                field="target",
            )


def check_quantity_wrong_direction(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target_value
        if facts.level2 != "数量指标" or not isinstance(target, Quantity) or target.op is None:
            continue
        if not target.op.is_upper_bound:
            continue
        unit = norm_unit(target.unit)
        if (unit is not None and is_money_unit(unit)) or BAD_EVENT_RE.search(facts.name):
            continue
        if _TIME_MEASURE_RE.search(facts.name):
            continue
        yield ctx.at_indicator(
            QUANTITY_WRONG_DIRECTION,
            facts,
            f"{ctx.indicator_place(facts)}：数量指标的年度指标值「{_target(facts)}」设的是上限，"
            "产出数量应以 ≥ 设下限",
            field="target",
        )


_NEGATIONS = ("不", "未", "非")


def _negated_good_share(name: str) -> bool:
    """A share that should be high, negated: 不满意率, 未完成率, 非正常率 should be low."""
    match = GOOD_SHARE_RE.search(name)
    return match is not None and name[: match.start()].endswith(_NEGATIONS)


def _direction_problem(facts: IndicatorFacts, target: Quantity) -> str | None:
    op = target.op
    if op is None:
        return None
    name = facts.name
    unit = norm_unit(target.unit)
    negated = _negated_good_share(name)
    if op.is_upper_bound:
        if _is_satisfaction(name):
            return "满意度设的是上限，应以 ≥ 设下限"
        if GOOD_SHARE_RE.search(name) and not negated:
            return "该比率应当越高越好，却以 ≤/< 设上限"
        return None
    if op.is_lower_bound and (BAD_SHARE_RE.search(name) or negated):
        return "该比率应当越低越好，却以 ≥/> 设下限"
    over = target.number > HUNDRED or (op is Op.GT and target.number >= HUNDRED)
    if (
        op.is_lower_bound
        and over
        and unit in PERCENT_UNITS
        and (_is_share(name) or _is_satisfaction(name))
        and not GROWTH_RE.search(name)
    ):
        return f"比率的下限 {fmt(target.number)}% 超过 100%，无法达到"
    return None


def check_indicator_wrong_direction(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target_value
        if not isinstance(target, Quantity) or facts.is_cost:
            continue
        problem = _direction_problem(facts, target)
        if problem is not None:
            yield ctx.at_indicator(
                INDICATOR_WRONG_DIRECTION,
                facts,
                f"{ctx.indicator_place(facts)}：年度指标值「{_target(facts)}」——{problem}",
                field="target",
            )


def _defines_a_share(unit: str, *, satisfaction: bool) -> bool:
    """A unit a share may be measured in: a percentage, a rate per so many (`/10万`,
    `例/万人`, `千分之`), or, for a satisfaction, the points of its survey scale (分)."""
    return unit in PERCENT_UNITS or "/" in unit or "分之" in unit or (satisfaction and unit == "分")


def _measures_money(facts: IndicatorFacts) -> bool:
    """An economic cost, or a name that says it is an amount (…成本, …费用, …资金, …金)."""
    if facts.level2 in COST_LEVEL2 and not facts.economic_cost:
        return False  # a social or ecological cost is counted in its own units
    return facts.economic_cost or bool(AMOUNT_NAME_RE.search(facts.name))


def _measure_problem(facts: IndicatorFacts, unit: str) -> str | None:
    """Why `unit` cannot measure what the indicator's name says it measures."""
    name = facts.name
    satisfaction = _is_satisfaction(name)
    if _is_share(name) or satisfaction:
        if _defines_a_share(unit, satisfaction=satisfaction):
            return None
        what = "满意度" if satisfaction else f"比率（{name[-3:]}）"
        return f"{what}以「{unit}」计量，应为 %"
    if _measures_money(facts) and unit not in PERCENT_UNITS:
        why = money_unit_problem(unit)
        if why is not None:
            return f"金额以「{unit}」计量，{why}，应为元、万元或亿元（可带 /人 等）"
    return None


def _unit_problems(facts: IndicatorFacts, with_actual: bool) -> list[str]:
    target_unit = facts.target_unit
    actual_unit = facts.actual_unit if with_actual else None
    if target_unit is None and actual_unit is None:
        return []
    problems: list[str] = []
    for unit, what in ((target_unit, "年度指标值"), (actual_unit, "实际完成值")):
        if unit is not None and BARE_NUMBER_UNIT_RE.match(unit):
            problems.append(f"{what}的单位「{unit}」是一个数字，不是计量单位")
    # What the unit measures is judged once: on the target's unit, else the actual's.
    unit = next(
        (u for u in (target_unit, actual_unit) if u and not BARE_NUMBER_UNIT_RE.match(u)), None
    )
    if unit is not None:
        problem = _measure_problem(facts, unit)
        if problem is not None:
            problems.append(problem)
    if (
        target_unit is not None
        and actual_unit is not None
        and comparable_unit(target_unit) != comparable_unit(actual_unit)
    ):
        problems.append(f"年度指标值单位「{target_unit}」与实际完成值单位「{actual_unit}」不同")
    return problems


def _value(facts: IndicatorFacts, actual: bool) -> Quantity | None:
    return facts.actual_quantity if actual else facts.target_quantity


def _text_units(ctx: FormContext) -> Iterator[Finding]:
    """The text counts an indicator's thing in another unit than the
    table (印刷 56000 份 against 计划印刷总量 56000 册; 1880 人次 against 慰问人数 1880 人)."""
    for field, _text, actual, figures, named in ctx.goal_figures:
        reported: set[int] = set()
        for figure, position in zip(figures, named, strict=True):
            if figure.unit not in COUNT_UNITS:
                continue
            if position is None:
                # A looser tie: the same number and words in common with one name.
                ties = [
                    i
                    for i, facts in enumerate(ctx.facts)
                    if (value := _value(facts, actual)) is not None
                    and value.number == figure.number
                    and shares_words(figure, facts.name)
                ]
                position = ties[0] if len(ties) == 1 else None
            if position is None or position in reported:
                continue
            facts = ctx.facts[position]
            value = _value(facts, actual)
            unit = norm_unit(value.unit) if value is not None else None
            if unit is None or unit not in COUNT_UNITS or count_units_agree(figure.unit, unit):
                continue
            reported.add(position)
            yield ctx.at_indicator(
                UNIT_MISMATCH,
                facts,
                f"{ctx.prefix}：{GOAL_LABELS[field]}写「{figure.quote}」，以「{figure.unit}」计，"
                f"而指标「{facts.indicator.name}」以「{unit}」计量",
                field="actual" if actual else "target",
            )


def check_unit_mismatch(ctx: FormContext) -> Iterator[Finding]:
    with_actual = ctx.self_evaluation is not None
    for facts in ctx.facts:
        problems = _unit_problems(facts, with_actual)
        if problems:
            yield ctx.at_indicator(
                UNIT_MISMATCH,
                facts,
                f"{ctx.indicator_place(facts)}：{'；'.join(problems)}",
                field="target",
            )
    yield from _text_units(ctx)


def check_missing_unit(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target_value
        if isinstance(target, Quantity) and target.unit is None:
            yield ctx.at_indicator(
                MISSING_UNIT,
                facts,
                f"{ctx.indicator_place(facts)}：年度指标值「{_target(facts)}」没有计量单位",
                field="target",
            )


_NO_NUMBER_REASONS = frozenset({"运算符后没有数值", "运算符后不是数值"})
# What a form prints in a cell it leaves empty: no target at all.
_PLACEHOLDER_TARGETS = frozenset({"/", "／", "\\", "-", "－", "—", "--", "——", "－－"})


def check_missing_target_value(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target_value
        if isinstance(target, Blank):
            message = "年度指标值为空"
        elif _target(facts) in _PLACEHOLDER_TARGETS:
            message = f"年度指标值只印了「{_target(facts)}」，没有给出指标值"
        elif isinstance(target, Malformed) and target.reason in _NO_NUMBER_REASONS:
            message = f"年度指标值「{_target(facts)}」只有运算符，没有数值"
        else:
            continue
        yield ctx.at_indicator(
            MISSING_TARGET_VALUE, facts, f"{ctx.indicator_place(facts)}：{message}", field="target"
        )


_PUNCTUATION_RE = re.compile(r"[\s，,。.;；:：、“”\"'‘’（）()]")


def check_target_repeats_name(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        target = facts.indicator.target
        if not target or abs(len(target) - len(facts.name)) > 8:
            continue
        if _PUNCTUATION_RE.sub("", norm_name(target)) == _PUNCTUATION_RE.sub("", facts.name):
            yield ctx.at_indicator(
                TARGET_REPEATS_NAME,
                facts,
                f"{ctx.indicator_place(facts)}：年度指标值「{target.strip()}」照抄了指标名称",
                field="target",
            )


_LEADING_OPERATOR_RE = re.compile(
    r"^\s*(?:≥|≤|>|<|=|＝|＞|＜|≧|≦|⩾|⩽|大于|小于|等于|不低于|不少于|不高于|不超过|不大于|不小于|不多于|高于|低于|多于|少于)"
)


def check_actual_written_as_target(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        actual = facts.indicator.actual
        if actual and _LEADING_OPERATOR_RE.match(actual):
            yield ctx.at_indicator(
                ACTUAL_WRITTEN_AS_TARGET,
                facts,
                f"{ctx.indicator_place(facts)}：实际完成值「{actual.strip()}」带有运算符，"
                "应填写实际达到的数值",
                field="actual",
            )


# A unit a writer appends to a name in brackets: 培训合格率(%) is 培训合格率.
_NAME_UNIT_RE = re.compile(r"[(（][^()（）]{1,6}[)）]$")


def check_duplicate_indicator_name(ctx: FormContext) -> Iterator[Finding]:
    first: dict[str, IndicatorFacts] = {}
    for facts in ctx.facts:
        name = _NAME_UNIT_RE.sub("", facts.name)
        if not name:
            continue
        earlier = first.get(name)
        if earlier is None:
            first[name] = facts
            continue
        yield ctx.at_indicator(
            DUPLICATE_INDICATOR_NAME,
            facts,
            f"{ctx.indicator_place(facts)}：与第 {earlier.position} 项指标"
            f"（{earlier.indicator.level2}，第 {earlier.indicator.source.line or '?'} 行）同名",
            field="name",
        )


_TIMELINESS_END_RE = re.compile(r"(及时性|及时率|及时|按时率|按期率|按时完成率|按期完成率|时效性)$")
_DURATION_END_RE = re.compile(
    r"(及时性|及时率|时长|时效|响应时间|恢复时间|办结时间|周期|用时|耗时)$"
)
# How long something takes to be handled (a speed, so a 时效 measure), as opposed to how
# long a service runs (连续服务时长, an availability: a 质量 measure).
_HANDLING_TIME_RE = re.compile(
    r"(恢复|响应|处理|办理|办结|等待|修复|到达|到场|审批|受理|排队|解决|反馈)"
    r"(平均)?(时长|时间|用时|耗时)$"
)
_ON_TIME_OUTPUT_RE = re.compile(r"按时完成|按期完成|及时完成|(及时性|及时率)$")
_IMPROVE_RE = re.compile(r"提升|提高|改善")
_SHARE_END_RE = re.compile(r"[率度性]$")
# Durations and waits, where less is better: capping them is right.
_TIME_MEASURE_RE = re.compile(r"时长|时间|及时|时效|周期|时限|期限|工期|等待|用时|耗时")


def _misclassification(facts: IndicatorFacts) -> str | None:
    l1, l2, name = facts.level1, facts.level2, facts.name
    if not l1 or not l2 or not name:
        return None
    if l1 not in FRAMEWORK:
        return f"一级指标「{l1}」不在指标框架（成本、产出、效益、满意度）内"
    if l2 not in FRAMEWORK[l1]:
        return f"二级指标「{l2}」不属于一级指标「{l1}」"
    if _is_satisfaction(name) and l1 != "满意度指标":
        return f"满意度指标列在「{l1}—{l2}」下，应列入满意度指标"
    if l1 == "满意度指标" and not SATISFACTION_ALIKE_RE.search(name):
        return "列在满意度指标下，但衡量的不是服务对象满意度"
    target_text = _target_text(facts)
    if l2 == "质量指标":
        if _TIMELINESS_END_RE.search(name) and not QUALITY_WORD_RE.search(name):
            return "衡量的是及时性，应列入时效指标，而不是质量指标"
        if _HANDLING_TIME_RE.search(name) and not QUALITY_WORD_RE.search(name):
            return "衡量的是办理或响应的时长，应列入时效指标，而不是质量指标"
        target = facts.indicator.target_value
        unit = norm_unit(target.unit) if isinstance(target, Quantity) else None
        if (
            unit in COUNT_UNITS
            and not BAD_EVENT_RE.search(name)
            and not QUALITY_WORD_RE.search(name)
            and not _SHARE_END_RE.search(name)
        ):
            return f"以「{unit}」计数，是数量指标，而不是质量指标"
    if l2 == "数量指标" and _DURATION_END_RE.search(name):
        return "衡量的是时长或及时性，应列入时效指标，而不是数量指标"
    if l2 == "时效指标" and not TIME_WORD_RE.search(name) and not TIME_WORD_RE.search(target_text):
        return f"指标与指标值「{target_text}」都不涉及时间，不是时效指标"
    if l2 == "生态效益指标" and not ECOLOGY_RE.search(name) and not ECOLOGY_RE.search(target_text):
        return "与生态环境无关，不是生态效益指标"
    if l1 == "效益指标" and _ON_TIME_OUTPUT_RE.search(name) and not _IMPROVE_RE.search(name):
        return "衡量的是按时完成（产出的时效），应列入产出指标—时效指标"
    return None


def _target_text(facts: IndicatorFacts) -> str:
    return norm_name(facts.indicator.target or "")


def check_indicator_misclassified(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        problem = _misclassification(facts)
        if problem is not None:
            yield ctx.at_indicator(
                INDICATOR_MISCLASSIFIED,
                facts,
                f"{ctx.indicator_place(facts)}（{facts.level1}—{facts.level2}）：{problem}",
                field="level2",
            )


def check_zero_weight_indicator(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        if facts.indicator.weight is not None and facts.indicator.weight == 0:
            yield ctx.at_indicator(
                ZERO_WEIGHT_INDICATOR,
                facts,
                f"{ctx.indicator_place(facts)}：分值为 0，该指标不参与评分",
                field="weight",
            )


def check_missing_cost_indicator(ctx: FormContext) -> Iterator[Finding]:
    if ctx.declaration is None or not ctx.facts or not ctx.profile.require_cost_indicator:
        return
    if ctx.profile.cost_as_level1:
        if any(f.level1 == "成本指标" for f in ctx.facts):
            return
        wanted = "一级指标“成本指标”"
    else:
        if any(f.is_cost for f in ctx.facts):
            return
        wanted = "成本指标（一级指标，或产出指标下的二级指标）"
    yield ctx.at_form(
        MISSING_COST_INDICATOR,
        f"{ctx.prefix}「{ctx.form.project}」：{len(ctx.facts)} 项绩效指标中没有{wanted}",
        field="indicators",
    )


def _level1s(ctx: FormContext) -> set[str]:
    return {f.level1 for f in ctx.facts}


def check_missing_satisfaction_indicator(ctx: FormContext) -> Iterator[Finding]:
    if ctx.declaration is None or not ctx.facts or not ctx.profile.require_satisfaction_indicator:
        return
    if "满意度指标" not in _level1s(ctx):
        yield ctx.at_form(
            MISSING_SATISFACTION_INDICATOR,
            f"{ctx.prefix}「{ctx.form.project}」：{len(ctx.facts)} 项绩效指标中没有一级指标“满意度指标”",
            field="indicators",
        )


def check_missing_benefit_indicator(ctx: FormContext) -> Iterator[Finding]:
    if ctx.declaration is None or not ctx.facts or not ctx.profile.require_benefit_indicator:
        return
    # 可持续影响指标 printed as a 一级 is a benefit indicator all the same.
    if not _level1s(ctx) & {"效益指标", "可持续影响指标"}:
        yield ctx.at_form(
            MISSING_BENEFIT_INDICATOR,
            f"{ctx.prefix}「{ctx.form.project}」：{len(ctx.facts)} 项绩效指标中没有一级指标“效益指标”",
            field="indicators",
        )


RULES = (
    Rule(COST_WRONG_DIRECTION, check_cost_wrong_direction, BOTH),
    Rule(QUANTITY_WRONG_DIRECTION, check_quantity_wrong_direction, BOTH),
    Rule(INDICATOR_WRONG_DIRECTION, check_indicator_wrong_direction, BOTH),
    Rule(UNIT_MISMATCH, check_unit_mismatch, BOTH),
    Rule(MISSING_UNIT, check_missing_unit, BOTH),
    Rule(MISSING_TARGET_VALUE, check_missing_target_value, BOTH),
    Rule(TARGET_REPEATS_NAME, check_target_repeats_name, BOTH),
    Rule(ACTUAL_WRITTEN_AS_TARGET, check_actual_written_as_target, SELF),
    Rule(DUPLICATE_INDICATOR_NAME, check_duplicate_indicator_name, BOTH),
    Rule(INDICATOR_MISCLASSIFIED, check_indicator_misclassified, BOTH),
    Rule(ZERO_WEIGHT_INDICATOR, check_zero_weight_indicator, SELF),
    Rule(MISSING_COST_INDICATOR, check_missing_cost_indicator, DECLARATION),
    Rule(MISSING_SATISFACTION_INDICATOR, check_missing_satisfaction_indicator, DECLARATION),
    Rule(MISSING_BENEFIT_INDICATOR, check_missing_benefit_indicator, DECLARATION),
)
