"""Budget rules (BT001–BT002): the money moved a lot during the year, or was not spent.

Part of the review step (read → recognise → score → **review**). Reads the 年度资金总额 row
of a self-evaluation's funds table only; thresholds come from the profile
(`large_adjustment_ratio`, `low_execution_rate`). Catalogue family "budget".
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.numbers import HUNDRED, fmt, round_score
from jixiao.rules.context import FormContext
from jixiao.rules.registry import SELF, Rule

_BASIS_FUNDS = "财预〔2020〕10号 附件2 项目支出绩效自评表（年初预算数、全年预算数、执行率）"

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

ENTRIES = (LARGE_BUDGET_ADJUSTMENT, LOW_EXECUTION_RATE)


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


RULES = (
    Rule(LARGE_BUDGET_ADJUSTMENT, check_large_budget_adjustment, SELF),
    Rule(LOW_EXECUTION_RATE, check_low_execution_rate, SELF),
)
