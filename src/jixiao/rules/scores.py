"""Self-scoring rules (SC…, warnings): the unit's own score does not follow the rules.

Part of the review step. Each rule compares the printed 得分 of an indicator with its
reference score (`jixiao.scoring`) and with the 偏差原因分析及改进措施 beside it: a lost
point needs a reason, a met target keeps its points, a missed one does not keep them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.numbers import HUNDRED, fmt, fmt_score, round_score
from jixiao.rules.context import FormContext, IndicatorFacts
from jixiao.rules.registry import SELF, Rule
from jixiao.scoring import effective_op, target_met
from jixiao.values import Achievement, Grade, Quantity
from jixiao.vocabulary.measures import EMPTY_NOTES, NO_DEVIATION_RE
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import comparable_unit

_BASIS = (
    "财预〔2020〕10号 附件2 项目支出绩效自评表填表说明（定量指标按完成比例计分，定性指标分档计分）"
)
_BASIS_REASON = "财预〔2020〕10号 附件2 项目支出绩效自评表（偏差原因分析及改进措施）"
_ROUNDING = Decimal("0.005")  # half a printed cent

SCORE_DEDUCTED_WITHOUT_REASON = CatalogueEntry(
    "SC001",
    "score-deducted-without-reason",
    Severity.WARNING,
    "scoring",
    "扣分未说明原因",
    "得分低于分值，但“偏差原因分析及改进措施”为空（或只写“无”“/”）。",
    _BASIS_REASON,
)
REASON_CONTRADICTS_DEDUCTION = CatalogueEntry(
    "SC002",
    "reason-contradicts-deduction",
    Severity.WARNING,
    "scoring",
    "扣分与完成情况或原因矛盾",
    "得分低于分值，但定量目标已经达到（大幅超额并已说明的除外；以 ≤ 设限、实际为 0"
    "即活动未开展的除外），或偏差原因写的是“无偏差”“已完成”。",
    _BASIS_REASON,
)
FULL_SCORE_TARGET_NOT_MET = CatalogueEntry(
    "SC003",
    "full-score-target-not-met",
    Severity.WARNING,
    "scoring",
    "未达目标却得满分",
    "定量指标的实际完成值未达到年度指标值（按公式的参考得分低于分值），自评却给了满分。",
    _BASIS,
)
LENIENT_SCORE_TARGET_MISSED = CatalogueEntry(
    "SC004",
    "lenient-score-target-missed",
    Severity.WARNING,
    "scoring",
    "未达目标计分过宽",
    "定量指标未达目标，自评保留的分值比例比按公式应得的比例高出方案阈值（默认 20 个百分点）以上。",
    _BASIS,
)
QUALITATIVE_BAND_OUT_OF_RANGE = CatalogueEntry(
    "SC005",
    "qualitative-band-out-of-range",
    Severity.WARNING,
    "scoring",
    "定性指标得分越档",
    "得分不在达成等级对应的区间内：达成 80%–100%（含 80%），部分达成 60%–80%（含 60%，"
    "不含 80%），未达成 0–60%（不含 60%）。",
    "财预〔2020〕10号 附件2 填表说明（定性指标分三档，分别按分值区间 100–80%（含）、"
    "80–60%（含）、60–0% 确定分值）",
)
TARGET_FAR_EXCEEDED = CatalogueEntry(
    "SC006",
    "target-far-exceeded",
    Severity.WARNING,
    "scoring",
    "大幅超额完成",
    "实际完成值达到年度指标值的 1.3 倍以上（提示）；2 倍以上为警告：目标可能定得过低，"
    "单位须说明，超额不加分。",
    "财预〔2020〕10号 附件2 填表说明；domain.md（实际/目标 ≥ 1.3 须说明）",
)

ENTRIES = (
    SCORE_DEDUCTED_WITHOUT_REASON,
    REASON_CONTRADICTS_DEDUCTION,
    FULL_SCORE_TARGET_NOT_MET,
    LENIENT_SCORE_TARGET_MISSED,
    QUALITATIVE_BAND_OUT_OF_RANGE,
    TARGET_FAR_EXCEEDED,
)


def _note_empty(note: str | None) -> bool:
    return note is None or norm_name(note) in EMPTY_NOTES


def _deduction(facts: IndicatorFacts) -> Decimal | None:
    """Points lost (weight − score), or None when none were lost or a cell is empty."""
    ind = facts.indicator
    if ind.weight is None or ind.score is None or ind.score >= ind.weight:
        return None
    return ind.weight - ind.score


def _quantities(facts: IndicatorFacts) -> tuple[Quantity, Quantity] | None:
    """The target and actual quantities, when their numbers measure the same thing: not
    when both print units that differ (人 against 人次, 万人 against 人), whose ratio means
    nothing (the reference score does not compare them either)."""
    target, actual = facts.target_quantity, facts.actual_quantity
    if target is None or actual is None:
        return None
    target_unit, actual_unit = comparable_unit(target.unit), comparable_unit(actual.unit)
    if target_unit is not None and actual_unit is not None and target_unit != actual_unit:
        return None
    return target, actual


def _exceed_ratio(target: Quantity, actual: Quantity) -> Decimal | None:
    """actual/target for a floor (`≥`, `>`, `=`) with a positive target."""
    if effective_op(target).is_upper_bound or target.number <= 0:
        return None
    return actual.number / target.number


def check_score_deducted_without_reason(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        lost = _deduction(facts)
        if lost is None or not _note_empty(facts.indicator.note):
            continue
        ind = facts.indicator
        yield ctx.at_indicator(
            SCORE_DEDUCTED_WITHOUT_REASON,
            facts,
            f"{ctx.indicator_place(facts)}：得分 {ind.score} 低于分值 {ind.weight}（扣 {lost} 分），"
            "但未填写偏差原因分析及改进措施",
            field="note",
        )


def _met_despite_deduction(ctx: FormContext, facts: IndicatorFacts) -> str | None:
    pair = _quantities(facts)
    if pair is None or target_met(facts.indicator) is not True:
        return None
    target, actual = pair
    if effective_op(target).is_upper_bound and actual.number == 0:
        # Nothing spent or done under a cap: the activity did not take place (未搬迁),
        # and losing its points is the unit's fair judgement, not a contradiction.
        return None
    ratio = _exceed_ratio(target, actual)
    if (
        ratio is not None
        and ratio >= ctx.profile.far_exceeded_ratio
        and not _note_empty(facts.indicator.note)
    ):
        return None  # far over-achievement, explained: a deduction is allowed (domain.md)
    return (
        f"实际完成值「{(facts.indicator.actual or '').strip()}」已达到年度指标值"
        f"「{(facts.indicator.target or '').strip()}」"
    )


def check_reason_contradicts_deduction(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        lost = _deduction(facts)
        if lost is None:
            continue
        reasons: list[str] = []
        met = _met_despite_deduction(ctx, facts)
        if met is not None:
            reasons.append(met)
        note = facts.indicator.note
        if note is not None and NO_DEVIATION_RE.search(norm_name(note)):
            reasons.append(f"偏差原因写的是「{note.strip()}」")
        if reasons:
            ind = facts.indicator
            yield ctx.at_indicator(
                REASON_CONTRADICTS_DEDUCTION,
                facts,
                f"{ctx.indicator_place(facts)}：{'，'.join(reasons)}，"
                f"却扣了 {lost} 分（得分 {ind.score}，分值 {ind.weight}）",
                field="score",
            )


def check_full_score_target_not_met(ctx: FormContext) -> Iterator[Finding]:
    for facts in ctx.facts:
        ind = facts.indicator
        reference = facts.reference.value
        if _quantities(facts) is None or reference is None:
            continue
        if ind.weight is None or ind.score is None or ind.score < ind.weight:
            continue
        if reference < ind.weight:
            yield ctx.at_indicator(
                FULL_SCORE_TARGET_NOT_MET,
                facts,
                f"{ctx.indicator_place(facts)}：实际完成值「{(ind.actual or '').strip()}」未达到年度指标值"
                f"「{(ind.target or '').strip()}」，却得满分 {ind.score}（参考得分 {facts.reference.formula}）",
                field="score",
            )


def check_lenient_score_target_missed(ctx: FormContext) -> Iterator[Finding]:
    margin = ctx.profile.lenient_margin
    for facts in ctx.facts:
        ind = facts.indicator
        reference = facts.reference.value
        if _quantities(facts) is None or reference is None:
            continue
        if ind.weight is None or ind.weight <= 0 or ind.score is None:
            continue
        if not reference < ind.score < ind.weight:
            continue
        kept = ind.score / ind.weight
        earned = reference / ind.weight
        if kept - earned >= margin:
            yield ctx.at_indicator(
                LENIENT_SCORE_TARGET_MISSED,
                facts,
                f"{ctx.indicator_place(facts)}：按完成情况应得 {facts.reference.formula}"
                f"（{fmt(round_score(earned * HUNDRED))}% 的分值），自评 {ind.score} 分"
                f"（{fmt(round_score(kept * HUNDRED))}%），多保留了 {fmt_score(ind.score - reference)} 分",
                field="score",
            )


def check_qualitative_band_out_of_range(ctx: FormContext) -> Iterator[Finding]:
    inclusive = ctx.profile.partial_band_upper_inclusive
    for facts in ctx.facts:
        ind = facts.indicator
        low, high = facts.reference.low, facts.reference.high
        if low is None or high is None or ind.score is None or ind.weight is None:
            continue
        if ind.weight <= 0:
            continue  # no points, no bands (ID011 reports the weight, AR003 a score above it)
        actual = ind.actual_value
        achieved = not isinstance(actual, Achievement) or actual.grade is Grade.ACHIEVED
        too_low = ind.score < low - _ROUNDING
        if achieved or inclusive:
            too_high = ind.score > high
            span = f"{fmt_score(low)} ≤ 得分 ≤ {fmt_score(high)}"
        else:
            too_high = ind.score > high - _ROUNDING
            span = f"{fmt_score(low)} ≤ 得分 < {fmt_score(high)}"
        if too_low or too_high:
            grade = (ind.actual or "").strip()
            yield ctx.at_indicator(
                QUALITATIVE_BAND_OUT_OF_RANGE,
                facts,
                f"{ctx.indicator_place(facts)}：实际完成值「{grade}」对应得分区间 {span}"
                f"（分值 {ind.weight}），自评得分 {ind.score} 不在区间内",
                field="score",
            )


def check_target_far_exceeded(ctx: FormContext) -> Iterator[Finding]:
    far = ctx.profile.far_exceeded_ratio
    warn = ctx.profile.far_exceeded_warning_ratio
    for facts in ctx.facts:
        pair = _quantities(facts)
        if pair is None:
            continue
        ratio = _exceed_ratio(*pair)
        if ratio is None or ratio < far:
            continue
        ind = facts.indicator
        severity = Severity.WARNING if ratio >= warn else Severity.INFO
        yield ctx.at_indicator(
            TARGET_FAR_EXCEEDED,
            facts,
            f"{ctx.indicator_place(facts)}：实际完成值「{(ind.actual or '').strip()}」是年度指标值"
            f"「{(ind.target or '').strip()}」的 {fmt(round_score(ratio))} 倍，"
            "目标可能定得过低，须说明原因（超额不加分）",
            field="actual",
            severity=severity,
        )


RULES = (
    Rule(SCORE_DEDUCTED_WITHOUT_REASON, check_score_deducted_without_reason, SELF),
    Rule(REASON_CONTRADICTS_DEDUCTION, check_reason_contradicts_deduction, SELF),
    Rule(FULL_SCORE_TARGET_NOT_MET, check_full_score_target_not_met, SELF),
    Rule(LENIENT_SCORE_TARGET_MISSED, check_lenient_score_target_missed, SELF),
    Rule(QUALITATIVE_BAND_OUT_OF_RANGE, check_qualitative_band_out_of_range, SELF),
    Rule(TARGET_FAR_EXCEEDED, check_target_far_exceeded, SELF),
)
