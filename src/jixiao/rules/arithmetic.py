"""Arithmetic and consistency rules (AR…, errors): the form contradicts itself.

Part of the review step. Every amount is compared as an interval: a value printed to
0.01 may have been anything within half a cent of it, so a recomputed ratio is
consistent when *some* true value in the interval gives the printed one (domain.md,
"Money"). A form whose own arithmetic holds raises nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import DECLARATION_FUNDS_LABELS, FUNDS_ROW_LABELS, FUNDS_ROWS, FundsRow
from jixiao.numbers import (
    HUNDRED,
    ONE,
    ZERO,
    fmt_score,
    half_unit,
    printed_rate_range,
    ratio_interval,
    round_score,
    truncate_cents,
)
from jixiao.rules.context import FormContext
from jixiao.rules.registry import DECLARATION, SELF, Rule
from jixiao.scoring import grade_for
from jixiao.vocabulary.grades import normalise_grade

_BASIS_SCORING = (
    "财预〔2020〕10号 附件2 项目支出绩效自评表（总分 100 分，预算执行率 10 分，指标 90 分）"
)
_BASIS_FUNDS = "财预〔2020〕10号 附件2 项目支出绩效自评表（执行率 = 全年执行数 / 全年预算数）"

TOTAL_NOT_SUM = CatalogueEntry(
    "AR001",
    "total-not-sum",
    Severity.ERROR,
    "arithmetic",
    "总分不等于各项得分之和",
    "印刷的总分与预算执行得分加各项指标得分之和相差超过 0.01。",
    _BASIS_SCORING,
)
WEIGHTS_NOT_100 = CatalogueEntry(
    "AR002",
    "weights-not-100",
    Severity.ERROR,
    "arithmetic",
    "分值合计不是 100",
    "预算执行分值加各项指标分值之和与印刷的总分值不符，或总分值不是 100。",
    _BASIS_SCORING,
)
SCORE_EXCEEDS_WEIGHT = CatalogueEntry(
    "AR003",
    "score-exceeds-weight",
    Severity.ERROR,
    "arithmetic",
    "得分超过分值",
    "某项指标（或预算执行）的得分高于其分值。",
    _BASIS_SCORING,
)
FUNDS_SCORE_MISMATCH = CatalogueEntry(
    "AR004",
    "funds-score-mismatch",
    Severity.ERROR,
    "arithmetic",
    "预算执行得分与执行率不符",
    "年度资金总额的得分不等于 分值 × 执行率（执行率超过 100% 按 100% 计；按印刷金额的舍入区间判断）。",
    _BASIS_FUNDS,
)
SCORE_COLUMNS_SWAPPED = CatalogueEntry(
    "AR005",
    "score-columns-swapped",
    Severity.ERROR,
    "arithmetic",
    "分值与得分两栏互换",
    "年度资金总额行的“分数/分值”与“得分”两格内容互换：得分格印的是分值，分值格印的是得分。",
    _BASIS_FUNDS,
)
EXECUTION_RATE_MISMATCH = CatalogueEntry(
    "AR006",
    "execution-rate-mismatch",
    Severity.ERROR,
    "arithmetic",
    "执行率与金额不符",
    "印刷的执行率不在印刷金额所允许的范围内（按方案的四舍五入或截断规则），"
    "或在金额全为 0 的行上印了非 0 的执行率。",
    _BASIS_FUNDS,
)
FUNDS_ROWS_NOT_SUM = CatalogueEntry(
    "AR007",
    "funds-rows-not-sum",
    Severity.ERROR,
    "arithmetic",
    "资金总额不等于各来源之和",
    "年度资金总额行的年初预算数、全年预算数或全年执行数不等于当年财政拨款、上年结转资金、"
    "其他资金三行之和（允许各数的舍入误差）。",
    _BASIS_FUNDS,
)
GRADE_MISMATCH = CatalogueEntry(
    "AR008",
    "grade-mismatch",
    Severity.ERROR,
    "arithmetic",
    "评分等级与总分不符",
    "印刷的评分等级与印刷总分对应的等级不符（优 ≥ 90，良 80–<90，中 60–<80，差 < 60）。",
    "财预〔2020〕10号 第二十九条（绩效评价结果采取评分和评级相结合的方式）",
)
DECLARATION_FUNDS_NOT_SUM = CatalogueEntry(
    "AR009",
    "declaration-funds-not-sum",
    Severity.ERROR,
    "arithmetic",
    "申报资金不等于各来源之和",
    "申报表的年度资金申请总额不等于当年财政拨款、上年结转资金、其他资金之和"
    "（项目资金总额不等于财政资金与其他资金之和亦同）。",
    "财预〔2020〕10号 附件1 项目支出绩效目标申报表",
)

ENTRIES = (
    TOTAL_NOT_SUM,
    WEIGHTS_NOT_100,
    SCORE_EXCEEDS_WEIGHT,
    FUNDS_SCORE_MISMATCH,
    SCORE_COLUMNS_SWAPPED,
    EXECUTION_RATE_MISMATCH,
    FUNDS_ROWS_NOT_SUM,
    GRADE_MISMATCH,
    DECLARATION_FUNDS_NOT_SUM,
)


def check_total_not_sum(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or form.total_score is None or ctx.budget is None:
        return
    budget = ctx.budget.score
    scores = [i.score for i in form.indicators]
    if budget is None or any(s is None for s in scores):
        return  # the reader reports a missing cell
    indicator_sum = sum((s for s in scores if s is not None), ZERO)
    total = budget + indicator_sum
    if abs(total - form.total_score) > ctx.profile.sum_tolerance:
        yield ctx.at_form(
            TOTAL_NOT_SUM,
            f"{ctx.prefix}：总分印为 {form.total_score}，而预算执行得分 {fmt_score(budget)} 加 "
            f"{len(scores)} 项指标得分 {fmt_score(indicator_sum)} 合计 {fmt_score(total)}"
            f"（相差 {fmt_score(form.total_score - total)}）",
            field="total_score",
        )


def check_weights_not_100(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or ctx.budget is None:
        return
    weights = [i.weight for i in form.indicators]
    budget = ctx.budget.weight
    if budget is None or not weights or any(w is None for w in weights):
        return
    indicator_sum = sum((w for w in weights if w is not None), ZERO)
    total = budget + indicator_sum
    tolerance = ctx.profile.sum_tolerance
    expected = form.total_weight if form.total_weight is not None else HUNDRED
    budget_text = f"预算执行分值 {fmt_score(budget)}" + (
        "" if ctx.budget.weight_printed else "（未印，按方案）"
    )
    if not ctx.budget.weight_printed and abs(indicator_sum - expected) <= tolerance:
        return  # no budget weight printed: the indicators alone may carry the 100 points
    if abs(total - expected) > tolerance:
        printed = "印刷的总分值" if form.total_weight is not None else "应有的"
        yield ctx.at_form(
            WEIGHTS_NOT_100,
            f"{ctx.prefix}：{budget_text}加 {len(weights)} 项指标分值 {fmt_score(indicator_sum)} "
            f"合计 {fmt_score(total)}，与{printed} {fmt_score(expected)} 不符",
            field="total_weight",
        )
    elif abs(expected - HUNDRED) > tolerance:
        yield ctx.at_form(
            WEIGHTS_NOT_100,
            f"{ctx.prefix}：总分值印为 {fmt_score(expected)}，不是 100",
            field="total_weight",
        )


def check_score_exceeds_weight(ctx: FormContext) -> Iterator[Finding]:
    if ctx.self_evaluation is None or ctx.budget is None:
        return
    cells = ctx.budget
    if cells.score is not None and cells.weight is not None and cells.score > cells.weight:
        yield ctx.at_funds(
            SCORE_EXCEEDS_WEIGHT,
            "total",
            f"{ctx.funds_place('total')}：得分 {cells.score} 高于分值 {cells.weight}",
            field="funds.total.score",
        )
    for facts in ctx.facts:
        ind = facts.indicator
        if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
            yield ctx.at_indicator(
                SCORE_EXCEEDS_WEIGHT,
                facts,
                f"{ctx.indicator_place(facts)}：得分 {ind.score} 高于分值 {ind.weight}",
                field="score",
            )


def _score_range(
    weight: Decimal, ratio_low: Decimal, ratio_high: Decimal, truncate: bool
) -> tuple[Decimal, Decimal]:
    low_exact = weight * min(max(ratio_low, ZERO), ONE)
    high_exact = weight * min(max(ratio_high, ZERO), ONE)
    low, high = round_score(low_exact), round_score(high_exact)
    if truncate:
        low = min(low, truncate_cents(low_exact))
    return low, high


def check_funds_score_mismatch(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or ctx.budget is None:
        return
    score, weight = ctx.budget.score, ctx.budget.weight
    if score is None or weight is None:
        return
    row = form.funds.total
    truncate = ctx.profile.rate_rounding == "truncate"
    ranges: list[tuple[Decimal, Decimal]] = []
    if row.executed is not None and row.adjusted is not None:
        interval = ratio_interval(row.executed, row.adjusted)
        if interval is not None:
            ranges.append(_score_range(weight, *interval, truncate))
    if row.rate is not None:
        # A system may score from the printed (rounded or truncated) rate.
        rate = row.rate / HUNDRED
        ranges.append(_score_range(weight, rate, rate, truncate))
    if not ranges or any(low <= score <= high for low, high in ranges):
        return
    reference = ctx.score.budget
    expected = (
        f"按执行率应为 {fmt_score(reference.value)}（{reference.formula}）"
        if reference is not None and reference.value is not None
        else f"按印刷执行率 {row.rate}% 应为 {fmt_score(ranges[-1][0])}"
    )
    yield ctx.at_funds(
        FUNDS_SCORE_MISMATCH,
        "total",
        f"{ctx.funds_place('total')}：得分 {score}，{expected}",
        field="funds.total.score",
    )


def check_score_columns_swapped(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or ctx.budget is None or not ctx.budget.swapped:
        return
    row = form.funds.total
    yield ctx.at_funds(
        SCORE_COLUMNS_SWAPPED,
        "total",
        f"{ctx.funds_place('total')}：分值栏印 {row.weight}、得分栏印 {row.score}，两栏互换"
        f"（分值应为 {row.score}，得分 {row.weight}；其余核对按互换后的数值进行）",
        field="funds.total.score",
    )


def _rate_quantum(rate: Decimal) -> Decimal:
    exponent = rate.as_tuple().exponent
    return Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal("0.01")


def _check_rate(ctx: FormContext, name: str, row: FundsRow) -> Finding | None:
    rate = row.rate
    if rate is None or row.executed is None or row.adjusted is None:
        return None
    place = ctx.funds_place(name)
    field = f"funds.{name}.rate"
    if row.adjusted == 0 and row.executed == 0:
        if rate != 0:
            return ctx.at_funds(
                EXECUTION_RATE_MISMATCH,
                name,
                f"{place}：全年预算数与全年执行数均为 0，却印有执行率 {rate}%",
                field=field,
            )
        return None
    interval = ratio_interval(row.executed, row.adjusted)
    if interval is None:
        return None
    low, high = printed_rate_range(*interval, ctx.profile.rate_rounding, _rate_quantum(rate))
    if low <= rate <= high:
        return None
    exact = round_score(row.executed / row.adjusted * HUNDRED) if row.adjusted else None
    allowed = f"{low}%" if low == high else f"{low}%–{high}%"
    how = "四舍五入或截断" if ctx.profile.rate_rounding == "truncate" else "四舍五入"
    return ctx.at_funds(
        EXECUTION_RATE_MISMATCH,
        name,
        f"{place}：执行率印为 {rate}%，而全年执行数 {row.executed} / 全年预算数 "
        f"{row.adjusted} = {exact}%（按印刷金额{how}只能印作 {allowed}）",
        field=field,
    )


def check_execution_rate_mismatch(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None:
        return
    for name in FUNDS_ROWS:
        finding = _check_rate(ctx, name, form.funds.row(name))
        if finding is not None:
            yield finding


_FUNDS_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


def _sum_mismatch(total: Decimal, parts: list[Decimal]) -> Decimal | None:
    """The difference when `total` cannot be the rounded sum of the rounded `parts`."""
    tolerance = half_unit(total) + sum((half_unit(p) for p in parts), ZERO)
    difference = total - sum(parts, ZERO)
    return difference if abs(difference) > tolerance else None


def check_funds_rows_not_sum(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None:
        return
    rows = [form.funds.row(name) for name in ("appropriation", "carryover", "other")]
    for column, label in _FUNDS_COLUMNS:
        total: Decimal | None = getattr(form.funds.total, column)
        values: list[Decimal | None] = [getattr(row, column) for row in rows]
        parts = [v for v in values if v is not None]
        if total is None or not parts:
            continue
        difference = _sum_mismatch(total, parts)
        if difference is None:
            continue
        terms = " + ".join(
            f"{FUNDS_ROW_LABELS[name]} {v if v is not None else '（空）'}"
            for name, v in zip(("appropriation", "carryover", "other"), values, strict=True)
        )
        yield ctx.at_funds(
            FUNDS_ROWS_NOT_SUM,
            "total",
            f"{ctx.funds_place('total')}的{label} {total} 不等于 {terms} = "
            f"{sum(parts, ZERO)}（相差 {difference}）",
            field=f"funds.total.{column}",
        )


def check_grade_mismatch(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or form.total_score is None or form.grade is None:
        return
    printed = normalise_grade(form.grade)
    if printed is None:
        return
    expected = grade_for(form.total_score)
    if printed != expected:
        yield ctx.at_form(
            GRADE_MISMATCH,
            f"{ctx.prefix}：评分等级印为「{form.grade}」，而总分 {form.total_score} 对应「{expected}」",
            field="grade",
        )


_DECLARATION_SUMS = (
    ("annual_total", ("annual_appropriation", "annual_carryover", "annual_other")),
    ("project_total", ("project_fiscal", "project_other")),
)


def check_declaration_funds_not_sum(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.declaration
    if form is None:
        return
    for total_name, part_names in _DECLARATION_SUMS:
        total = form.funds.amount(total_name)
        values = [form.funds.amount(name) for name in part_names]
        parts = [v for v in values if v is not None]
        if total is None or not parts:
            continue
        difference = _sum_mismatch(total, parts)
        if difference is None:
            continue
        terms = " + ".join(
            f"{DECLARATION_FUNDS_LABELS[name].removeprefix('其中：')} {v if v is not None else '（空）'}"
            for name, v in zip(part_names, values, strict=True)
        )
        yield ctx.at_form(
            DECLARATION_FUNDS_NOT_SUM,
            f"{ctx.prefix}：{DECLARATION_FUNDS_LABELS[total_name]} {total} {form.funds_unit} 不等于 {terms} = "
            f"{sum(parts, ZERO)}（相差 {difference}）",
            field=f"funds.{total_name}",
        )


RULES = (
    Rule(TOTAL_NOT_SUM, check_total_not_sum, SELF),
    Rule(WEIGHTS_NOT_100, check_weights_not_100, SELF),
    Rule(SCORE_EXCEEDS_WEIGHT, check_score_exceeds_weight, SELF),
    Rule(FUNDS_SCORE_MISMATCH, check_funds_score_mismatch, SELF),
    Rule(SCORE_COLUMNS_SWAPPED, check_score_columns_swapped, SELF),
    Rule(EXECUTION_RATE_MISMATCH, check_execution_rate_mismatch, SELF),
    Rule(FUNDS_ROWS_NOT_SUM, check_funds_rows_not_sum, SELF),
    Rule(GRADE_MISMATCH, check_grade_mismatch, SELF),
    Rule(DECLARATION_FUNDS_NOT_SUM, check_declaration_funds_not_sum, DECLARATION),
)
