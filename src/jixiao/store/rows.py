"""Model ↔ rows (storage step): a reviewed form as table rows, and stored rows as a form.

Pure mapping, no database access. Going in, a form becomes one `forms` row, its amount
rows, its indicator rows (each with the review's reference score) and its findings.
Coming out, the rows become the same immutable `Form` again, so that the API and the
pages reuse the exchange format and the core's own labels instead of re-describing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jixiao.findings import Finding, Severity
from jixiao.model import (
    DECLARATION_FUNDS,
    FUNDS_ROWS,
    Declaration,
    DeclarationFunds,
    Form,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
    Source,
)
from jixiao.scoring import FormScore, Reference
from jixiao.store.search import search_text
from jixiao.store.tables import FormRow, FundsLine, IndicatorRow
from jixiao.vocabulary.normalise import search_key

_FUNDS_FIELDS = ("initial", "adjusted", "executed", "weight", "rate", "score")


def form_values(
    form: Form,
    *,
    score: FormScore | None,
    findings: Sequence[Finding],
    profile: str,
) -> dict[str, Any]:
    """The `forms` row of a form (without the ids of its document and project)."""
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    row: dict[str, Any] = {
        "line": form.source.line,
        "kind": form.kind,
        "profile": profile,
        "year": form.year,
        "project": form.project,
        "department": form.department,
        "department_key": search_key(form.department) if form.department else None,
        "unit": form.unit,
        "funds_unit": form.funds_unit,
        "extra": [list(pair) for pair in form.extra] or None,
        "error_count": counts[Severity.ERROR],
        "warning_count": counts[Severity.WARNING],
        "info_count": counts[Severity.INFO],
        "finding_count": len(findings),
        "search_text": search_text(form),
        "nature": None,
        "category": None,
        "start_date": None,
        "end_date": None,
        "goal_expected": None,
        "goal_actual": None,
        "goal_overall": None,
        "goal_annual": None,
        "total_weight": None,
        "total_score": None,
        "grade": None,
        "funds_executed": None,
        "execution_rate": None,
    }
    if isinstance(form, SelfEvaluation):
        total = form.funds.total
        row.update(
            goal_expected=form.goal_expected,
            goal_actual=form.goal_actual,
            total_weight=form.total_weight,
            total_score=form.total_score,
            grade=form.grade,
            funds_amount=total.adjusted,
            funds_executed=total.executed,
            execution_rate=total.rate,
        )
    else:
        row.update(
            nature=form.nature,
            category=form.category,
            start_date=form.start,
            end_date=form.end,
            goal_overall=form.goal_overall,
            goal_annual=form.goal_annual,
            funds_amount=form.funds.annual_total,
        )
    row.update(_score_values(score))
    return row


def _score_values(score: FormScore | None) -> dict[str, Any]:
    budget = score.budget if score else None
    total = score.total if score else None
    return {
        "ref_budget_score": budget.value if budget else None,
        "ref_budget_formula": budget.formula if budget else None,
        "ref_budget_low": budget.low if budget else None,
        "ref_budget_high": budget.high if budget else None,
        "ref_total": total.value if total else None,
        "ref_total_formula": total.formula if total else None,
        "ref_total_low": total.low if total else None,
        "ref_total_high": total.high if total else None,
        "ref_grade": score.grade if score else None,
    }


def funds_values(form: Form) -> list[dict[str, Any]]:
    """The `funds_lines` rows of a form (without `form_id`); empty rows are kept out."""
    rows: list[dict[str, Any]] = []
    if isinstance(form, SelfEvaluation):
        for position, name in enumerate(FUNDS_ROWS, start=1):
            funds = form.funds.row(name)
            if funds.is_empty():
                continue
            values = {f: getattr(funds, f) for f in _FUNDS_FIELDS}
            rows.append({"line": name, "position": position, "amount": None, **values})
    else:
        for position, name in enumerate(DECLARATION_FUNDS, start=1):
            amount = form.funds.amount(name)
            if amount is None:
                continue
            empty = dict.fromkeys(_FUNDS_FIELDS)
            rows.append({"line": name, "position": position, "amount": amount, **empty})
    return rows


def indicator_values(form: Form, score: FormScore | None) -> list[dict[str, Any]]:
    """The `indicators` rows of a form (without `form_id`), reference scores beside."""
    references = _references_by_position(form, score)
    rows = []
    for position, ind in enumerate(form.indicators, start=1):
        ref = references.get(position)
        rows.append(
            {
                "position": position,
                "line": ind.source.line,
                "level1": ind.level1,
                "level2": ind.level2,
                "name": ind.name,
                "target": ind.target,
                "actual": ind.actual,
                "weight": ind.weight,
                "score": ind.score,
                "note": ind.note,
                "ref_score": ref.value if ref else None,
                "ref_formula": ref.formula if ref else None,
                "ref_low": ref.low if ref else None,
                "ref_high": ref.high if ref else None,
            }
        )
    return rows


def _references_by_position(form: Form, score: FormScore | None) -> dict[int, Reference]:
    if score is None:
        return {}
    out: dict[int, Reference] = {}
    taken: set[int] = set()
    for scored in score.indicators:
        # Match by identity first (the score holds the form's own indicator records),
        # then by equality, so that equal twin rows each get their own reference.
        for position, ind in enumerate(form.indicators, start=1):
            if position not in taken and ind is scored.indicator:
                break
        else:
            for position, ind in enumerate(form.indicators, start=1):
                if position not in taken and ind == scored.indicator:
                    break
            else:
                continue
        taken.add(position)
        out[position] = scored.reference
    return out


def indicator_position(finding: Finding, form: Form) -> int | None:
    """The 1-based indicator row a finding is about (by name; by line among twins)."""
    if not finding.indicator:
        return None
    matches = [p for p, ind in enumerate(form.indicators, start=1) if ind.name == finding.indicator]
    if len(matches) > 1 and finding.line is not None:
        for position in matches:
            if form.indicators[position - 1].source.line == finding.line:
                return position
    return matches[0] if matches else None


def finding_values(finding: Finding, stage: str) -> dict[str, Any]:
    return {
        "stage": stage,
        "code": finding.code,
        "kind": finding.kind,
        "severity": finding.severity.value,
        "message": finding.message,
        "basis": finding.basis,
        "line": finding.line,
        "indicator": finding.indicator,
        "field": finding.field,
    }


# -- rows → model ------------------------------------------------------------------------


def form_from_rows(
    row: FormRow,
    funds: Sequence[FundsLine],
    indicators: Sequence[IndicatorRow],
    *,
    file: str,
) -> Form:
    """The stored form as the core's immutable record."""
    source = Source(file=file, line=row.line)
    inds = tuple(
        Indicator(
            level1=i.level1,
            level2=i.level2,
            name=i.name,
            target=i.target,
            actual=i.actual,
            weight=i.weight,
            score=i.score,
            note=i.note,
            source=Source(file=file, line=i.line),
        )
        for i in sorted(indicators, key=lambda i: i.position)
    )
    extra = tuple((str(pair[0]), str(pair[1])) for pair in row.extra or ())
    lines = {line.line: line for line in funds}
    if row.kind == "self_evaluation":
        rows = {
            name: FundsRow(**{f: getattr(lines[name], f) for f in _FUNDS_FIELDS})
            if name in lines
            else FundsRow()
            for name in FUNDS_ROWS
        }
        return SelfEvaluation(
            year=row.year,
            project=row.project,
            department=row.department,
            unit=row.unit,
            funds_unit=row.funds_unit,
            funds=SelfEvaluationFunds(**rows),
            goal_expected=row.goal_expected,
            goal_actual=row.goal_actual,
            indicators=inds,
            total_weight=row.total_weight,
            total_score=row.total_score,
            grade=row.grade,
            source=source,
            extra=extra,
        )
    amounts: dict[str, Decimal | None] = {
        name: lines[name].amount if name in lines else None for name in DECLARATION_FUNDS
    }
    return Declaration(
        year=row.year,
        project=row.project,
        nature=row.nature,
        category=row.category,
        department=row.department,
        unit=row.unit,
        start=row.start_date,
        end=row.end_date,
        funds_unit=row.funds_unit,
        funds=DeclarationFunds(**amounts),
        goal_overall=row.goal_overall,
        goal_annual=row.goal_annual,
        indicators=inds,
        source=source,
        extra=extra,
    )
