"""Scoring: the reference score of every form, with its formula shown.

Step 4 of the pipeline (read → recognise → **score** → review). Pure functions over the
model: nothing here reads files or mutates a form. A reference score is a *suggestion*
computed by the official rules (domain.md, "Scoring"; 财预〔2020〕10号) and shown beside what
the unit printed; disagreements become review findings, never silent corrections.

Every score is rounded by `jixiao.numbers.round_score` (half-up to 0.01), and every
number of a formula is printed by `jixiao.numbers.fmt`/`fmt_score`: the rounding policy
lives in `jixiao.numbers`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.model import Declaration, Form, Indicator, SelfEvaluation, quick_init
from jixiao.numbers import HUNDRED, ONE, ZERO, below, fmt, fmt_score, round_score
from jixiao.profile import LeFormula, Profile
from jixiao.values import Achievement, Blank, Grade, Op, Qualitative, Quantity
from jixiao.vocabulary.normalise import bare_text
from jixiao.vocabulary.units import comparable_unit

_TWO = Decimal(2)

# Qualitative bands (财预〔2020〕10号 附件2): share of the weight, low and high end.
BANDS: dict[Grade, tuple[Decimal, Decimal]] = {
    Grade.ACHIEVED: (Decimal("0.8"), ONE),
    Grade.PARTIAL: (Decimal("0.6"), Decimal("0.8")),
    Grade.NOT_ACHIEVED: (ZERO, Decimal("0.6")),
}
GRADE_LABELS = {
    Grade.ACHIEVED: "达成",
    Grade.PARTIAL: "部分达成",
    Grade.NOT_ACHIEVED: "未达成",
}
# Grades of the total (domain.md): 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
GRADE_BOUNDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优"),
    (Decimal(80), "良"),
    (Decimal(60), "中"),
)


# --- grades ------------------------------------------------------------------------------


def grade_for(total: Decimal) -> str:
    """The grade of a total: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    for bound, grade in GRADE_BOUNDS:
        if total >= bound:
            return grade
    return "差"


# --- results ---------------------------------------------------------------------------


@quick_init
@dataclass(frozen=True, slots=True)
class Reference:
    """A reference score and how it was reached.

    `value` is None when it cannot be computed; `formula` then says why (in Chinese).
    `low`/`high` bound the qualitative band the score must fall in.
    """

    value: Decimal | None
    formula: str
    low: Decimal | None = None
    high: Decimal | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class IndicatorScore:
    indicator: Indicator
    reference: Reference


@quick_init
@dataclass(frozen=True, slots=True)
class FormScore:
    budget: Reference | None  # None for declarations
    indicators: tuple[IndicatorScore, ...]  # same order as form.indicators
    total: Reference | None  # None for declarations
    grade: str | None  # grade of the reference total


@quick_init
@dataclass(frozen=True, slots=True)
class BudgetCells:
    """The funds total row's 分值 and 得分 as the form means them.

    `swapped` is True when the form printed them in each other's column (the weight
    cell then holds the score); `weight` and `score` are already put right.
    """

    weight: Decimal | None
    score: Decimal | None
    swapped: bool = False
    weight_printed: bool = True


# --- budget execution --------------------------------------------------------------------


def budget_cells(form: SelfEvaluation, profile: Profile) -> BudgetCells:
    """The budget weight and score of a form, its swapped columns put right."""
    row = form.funds.total
    weight, score = row.weight, row.score
    if weight is None:
        return BudgetCells(profile.budget_weight, score, weight_printed=False)
    if score is not None and score > weight and _columns_swapped(form, weight, score, profile):
        return BudgetCells(score, weight, swapped=True)
    return BudgetCells(weight, score)


def _columns_swapped(
    form: SelfEvaluation, weight: Decimal, score: Decimal, profile: Profile
) -> bool:
    """The 分数 cell holds a score and the 得分 cell the weight: swapping them makes the
    weights add up (or, without weights, the score cell is the budget weight and the
    weight cell the score its rate earns)."""
    weights = [i.weight for i in form.indicators]
    expected = form.total_weight if form.total_weight is not None else HUNDRED
    tolerance = profile.sum_tolerance
    if weights and all(w is not None for w in weights):
        total = sum((w for w in weights if w is not None), ZERO)
        return abs(total + score - expected) <= tolerance < abs(total + weight - expected)
    rate = _execution_ratio(form)
    if score != profile.budget_weight or rate is None:
        return False
    return abs(weight - score * min(rate, ONE)) <= Decimal("0.05")


def _execution_ratio(form: SelfEvaluation) -> Decimal | None:
    row = form.funds.total
    if row.adjusted is None or row.executed is None or row.adjusted <= 0:
        return None
    return row.executed / row.adjusted


def score_budget(form: SelfEvaluation, profile: Profile) -> Reference:
    """10 × 全年执行数/全年预算数, the ratio counted as 1 above 1, on the 年度资金总额 row only (the printed 分值 is
    the weight when printed, else the profile's)."""
    row = form.funds.total
    weight = budget_cells(form, profile).weight
    assert weight is not None  # budget_cells falls back on the profile's weight
    if row.adjusted is None or row.executed is None:
        return Reference(None, "全年预算数或全年执行数未填写，无法计算预算执行得分")
    if row.adjusted <= 0:
        if row.executed == 0:
            return Reference(None, "全年预算数为 0，执行率无法计算")
        return Reference(None, f"全年预算数为 {fmt(row.adjusted)}，执行率无法计算")
    w, e, a = fmt(weight), fmt(row.executed), fmt(row.adjusted)
    if row.executed > row.adjusted:
        # Over 100 %: the rate counts as 1, said in words rather than as `min(…, 1)`.
        return Reference(
            round_score(weight), f"{fmt_score(weight)} = {w} × 1（{e}/{a} 超过 1，按 1 计）"
        )
    if row.executed == row.adjusted:
        return Reference(round_score(weight), f"{fmt_score(weight)} = {w} × {e}/{a}")
    value = round_score(weight * max(row.executed, ZERO) / row.adjusted)
    return Reference(value, f"{fmt_score(value)} = {w} × {e}/{a}")


# --- indicators ----------------------------------------------------------------------------


def effective_op(target: Quantity) -> Op:
    """A bare number target (`100(%)`) is read as `=`."""
    return target.op if target.op is not None else Op.EQ


def target_met(indicator: Indicator) -> bool | None:
    """Whether a quantitative target was met by the printed actual (None when either is
    not a number)."""
    target, actual = indicator.target_value, indicator.actual_value
    if not isinstance(target, Quantity) or not isinstance(actual, Quantity):
        return None
    op = effective_op(target)
    if op.is_upper_bound:
        return actual.number <= target.number
    return actual.number >= target.number


def score_indicator(indicator: Indicator, profile: Profile) -> Reference:
    """The reference score of one indicator of a self-evaluation."""
    weight = indicator.weight
    if weight is None:
        return Reference(None, "未填写分值，无法计分")
    target, actual = indicator.target_value, indicator.actual_value
    if isinstance(actual, Achievement):
        return _band(
            weight,
            actual.grade,
            profile.partial_band_upper_inclusive,
            f"实际完成值「{actual.text.strip()}」",
        )
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        return _quantitative(weight, target, actual, profile)
    if isinstance(actual, Blank):
        return Reference(None, "未填写实际完成值，无法计分")
    if (
        isinstance(actual, Qualitative)
        and indicator.target is not None
        and bare_text(actual.text) == bare_text(indicator.target)
    ):
        # `及时` for a target of `及时`: the unit says the target was reached as worded.
        return _band(
            weight,
            Grade.ACHIEVED,
            profile.partial_band_upper_inclusive,
            "实际完成值与年度指标值一致，按达成计",
        )
    if isinstance(target, Quantity):
        return Reference(None, f"实际完成值「{actual.text.strip()}」不是数值，无法按公式计分")
    return Reference(None, f"实际完成值「{actual.text.strip()}」不是达成等级，无法确定得分区间")


def band_bounds(weight: Decimal, grade: Grade) -> tuple[Decimal, Decimal]:
    low_share, high_share = BANDS[grade]
    return weight * low_share, weight * high_share


# References depend only on the numbers (not on how they were printed), so the common
# ones are computed once: real forms repeat weights, grades and targets a great deal.
@lru_cache(maxsize=16384)
def _band(weight: Decimal, grade: Grade, inclusive: bool, why: str) -> Reference:
    low, high = band_bounds(weight, grade)
    label = GRADE_LABELS[grade]
    if grade is Grade.ACHIEVED or inclusive:
        value = round_score(high)
        span = f"{fmt_score(low)} ≤ 得分 ≤ {fmt_score(high)}"
    else:
        value = below(high)
        span = f"{fmt_score(low)} ≤ 得分 < {fmt_score(high)}"
    return Reference(
        value, f"{fmt_score(value)}（{label}：{span}，建议取区间上端；{why}）", low=low, high=high
    )


def _quantitative(
    weight: Decimal, target: Quantity, actual: Quantity, profile: Profile
) -> Reference:
    target_unit, actual_unit = comparable_unit(target.unit), comparable_unit(actual.unit)
    if target_unit is not None and actual_unit is not None and target_unit != actual_unit:
        return Reference(
            None,
            f"年度指标值单位「{target.unit}」与实际完成值单位「{actual.unit}」不同，无法按公式计分",
        )
    return _formula(weight, effective_op(target), target.number, actual.number, profile.le_formula)


@lru_cache(maxsize=16384)
def _formula(weight: Decimal, op: Op, t: Decimal, a: Decimal, le_formula: LeFormula) -> Reference:
    """The quantitative rules of domain.md ("Scoring"), t the target, a the actual."""
    w = fmt(weight)
    full = round_score(weight)
    if op.is_upper_bound:
        if t == 0:
            if a <= 0:
                return Reference(full, f"{fmt_score(full)} = {w}（实际 {fmt(a)} ≤ 目标 0）")
            return Reference(ZERO, f"0.00（目标 {op.value}0，实际 {fmt(a)} 超出）")
        if t < 0:
            return Reference(None, f"目标值 {fmt(t)} 为负数，无法按比例计分")
        if a <= t:
            hint = "；实际为 0，请核实活动是否开展" if a == 0 else ""
            return Reference(
                full, f"{fmt_score(full)} = {w}（实际 {fmt(a)} ≤ 目标 {fmt(t)}{hint}）"
            )
        if le_formula == "ratio":
            value = round_score(weight * t / a)
            return Reference(value, f"{fmt_score(value)} = {w} × {fmt(t)}/{fmt(a)}")
        if a >= _TWO * t:
            return Reference(ZERO, f"0.00（实际 {fmt(a)} ≥ 2 × 目标 {fmt(t)}）")
        value = round_score(weight * (ONE - (a - t) / t))
        return Reference(value, f"{fmt_score(value)} = {w} × (1 − ({fmt(a)}−{fmt(t)})/{fmt(t)})")
    if t == 0:
        if op is Op.EQ:
            if a <= 0:
                return Reference(full, f"{fmt_score(full)} = {w}（目标 =0，实际 {fmt(a)}）")
            return Reference(ZERO, f"0.00（目标 =0，实际 {fmt(a)}）")
        if a >= 0:
            return Reference(full, f"{fmt_score(full)} = {w}（实际 {fmt(a)} ≥ 目标 0）")
        return Reference(ZERO, f"0.00（实际 {fmt(a)} < 目标 0）")
    if a >= t:
        return Reference(full, f"{fmt_score(full)} = {w}（实际 {fmt(a)} ≥ 目标 {fmt(t)}）")
    if t < 0:
        return Reference(None, f"目标值 {fmt(t)} 为负数，无法按比例计分")
    if a <= 0:
        return Reference(ZERO, f"0.00 = {w} × {fmt(a)}/{fmt(t)}（不计负分）")
    value = round_score(weight * a / t)
    return Reference(value, f"{fmt_score(value)} = {w} × {fmt(a)}/{fmt(t)}")


# --- the form ----------------------------------------------------------------------------------

_DECLARATION_REASON = "申报表不计分"


def score_form(form: Form, profile: Profile) -> FormScore:
    """The reference scores of a form (declarations carry targets only: no scores)."""
    if isinstance(form, Declaration):
        none = Reference(None, _DECLARATION_REASON)
        return FormScore(
            budget=None,
            indicators=tuple(IndicatorScore(i, none) for i in form.indicators),
            total=None,
            grade=None,
        )
    budget = score_budget(form, profile)
    indicators = tuple(IndicatorScore(i, score_indicator(i, profile)) for i in form.indicators)
    total = _total(form, budget, indicators, profile)
    grade = grade_for(total.value) if total.value is not None else None
    return FormScore(budget=budget, indicators=indicators, total=total, grade=grade)


def _total(
    form: SelfEvaluation,
    budget: Reference,
    indicators: tuple[IndicatorScore, ...],
    profile: Profile,
) -> Reference:
    substituted: list[str] = []
    missing: list[str] = []
    budget_value = budget.value
    if budget_value is None:
        printed = budget_cells(form, profile).score
        if printed is None:
            missing.append("预算执行")
        else:
            budget_value = printed
            substituted.append(f"预算执行按填报得分 {fmt_score(printed)} 计")
    indicator_sum = ZERO
    for item in indicators:
        value = item.reference.value
        if value is None:
            value = item.indicator.score
            if value is None:
                missing.append(f"「{item.indicator.name}」")
                continue
            substituted.append(f"「{item.indicator.name}」按填报得分 {fmt_score(value)} 计")
        indicator_sum += value
    if missing:
        return Reference(None, f"{'、'.join(missing)}的得分无法计算，参考总分从缺")
    assert budget_value is not None
    total = round_score(budget_value + indicator_sum)
    formula = (
        f"{fmt_score(total)} = {fmt_score(budget_value)} + {fmt_score(indicator_sum)}"
        f"（预算执行 + {len(indicators)} 项指标）"
    )
    if substituted:
        formula += "；" + "；".join(substituted)
    return Reference(total, formula)
