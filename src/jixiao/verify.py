"""Verify: a form read is checked against its own arithmetic before anything trusts it.

Step 5 of the pipeline (decode → sniff → read → recognise → **verify**). A reader that
lost or doubled a row is caught by the form's own sums (Σ得分 + 预算执行得分 = 总分), and a
self-evaluation without its 年度资金总额 row or its 总分 was not read whole. The findings
are reading findings; the review's arithmetic rules judge the form itself later.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.catalogue import MISSING_FIELD, READ_SUMS_MISMATCH
from jixiao.findings import CatalogueEntry, Finding
from jixiao.model import Form, SelfEvaluation

# Scores are printed to 0.01: a sum may be off by one cent of rounding, not more.
_TOTAL_TOLERANCE = Decimal("0.011")


def verify_form(form: Form, index: int) -> list[Finding]:
    """What the form's own arithmetic says about how it was read (`index`: 1-based)."""
    if not isinstance(form, SelfEvaluation):
        return []
    found: list[Finding] = []

    def report(entry: CatalogueEntry, message: str, field: str) -> None:
        found.append(
            entry.finding(
                message,
                file=form.source.file,
                line=form.source.line,
                form=index,
                project=form.project or None,
                field=field,
            )
        )

    if form.funds.total.is_empty():
        report(MISSING_FIELD, "没有读到「年度资金总额」行", "funds.total")
    if form.total_score is None:
        report(MISSING_FIELD, f"表单「{form.project}」没有读到总分", "total_score")
        return found
    scores = [i.score for i in form.indicators]
    if form.indicators and all(s is not None for s in scores):
        summed = sum((s for s in scores if s is not None), Decimal(0))
        summed += form.funds.total.score or Decimal(0)
        if abs(summed - form.total_score) > _TOTAL_TOLERANCE:
            report(
                READ_SUMS_MISMATCH,
                f"读取的 {len(scores)} 个指标得分加预算执行得分合计 {summed}，"
                f"与总分 {form.total_score} 不符（可能漏读或多读一行）",
                "total_score",
            )
    return found
