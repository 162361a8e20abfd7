"""Model ↔ rows (storage step): a reviewed form as table rows, and stored rows as a form.

Pure mapping, no database access. Going in, a form becomes one `forms` row, its amount
rows, its indicator rows (each with the review's reference score) and its findings.
Coming out, the rows become the same immutable `Form` again, so that the API and the
pages reuse the exchange format and the core's own labels instead of re-describing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from jixiao.fields import (
    FieldSpec,
    ValueType,
    build,
    build_form,
    form_fields,
    record_fields,
    scalar_columns,
)
from jixiao.findings import Finding, Severity
from jixiao.model import (
    DECLARATION_FUNDS,
    FUNDS_ROWS,
    DeclarationFunds,
    Form,
    FormKind,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
    Source,
)
from jixiao.money import in_common_unit
from jixiao.scoring import FormScore, Reference
from jixiao.store.search import search_text
from jixiao.store.tables import FormRow, FundsLine, IndicatorRow
from jixiao.vocabulary.normalise import search_key

# The amounts of a funds row: the columns of `funds_lines` besides `amount`.
_FUNDS_FIELDS = tuple(spec.name for spec in record_fields(FundsRow))


_INDICATOR_FIELDS = record_fields(Indicator)


def source_values(source: Source) -> dict[str, Any]:
    """The columns that place a stored record in its document (the file is the document)."""
    return {
        "line": source.line,
        "page": source.page,
        "cell": source.cell,
        "box": list(source.box) if source.box is not None else None,
    }


def source_from(row: Any, file: str) -> Source:
    """The `Source` of a stored form, indicator or finding row."""
    box = row.box
    return Source(
        file=file,
        line=row.line,
        page=row.page,
        cell=row.cell,
        box=(float(box[0]), float(box[1]), float(box[2]), float(box[3])) if box else None,
    )


@cache
def _scalars(kind: FormKind) -> tuple[FieldSpec, ...]:
    return tuple(
        s for s in form_fields(kind) if s.value_type not in (ValueType.RECORD, ValueType.INDICATORS)
    )


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
        "department_key": search_key(form.department) if form.department else None,
        "extra": [list(pair) for pair in form.extra] or None,
        "error_count": counts[Severity.ERROR],
        "warning_count": counts[Severity.WARNING],
        "info_count": counts[Severity.INFO],
        "finding_count": len(findings),
        "search_text": search_text(form),
        **source_values(form.source),
    }
    # Every printed field of either kind has its column; a field of the other kind is NULL.
    row.update(dict.fromkeys(spec.column for spec in scalar_columns()))
    row.update({spec.column: getattr(form, spec.name) for spec in _scalars(form.kind)})
    # Denormalised for lists and the dashboard.
    if isinstance(form, SelfEvaluation):
        total = form.funds.total
        row.update(
            funds_amount=total.adjusted, funds_executed=total.executed, execution_rate=total.rate
        )
    else:
        row.update(funds_amount=form.funds.annual_total, funds_executed=None, execution_rate=None)
    row["funds_wan"] = in_common_unit(row["funds_amount"], form.funds_unit)
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
                **source_values(ind.source),
                **{spec.column: getattr(ind, spec.name) for spec in _INDICATOR_FIELDS},
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
        **source_values(finding.source or Source(file="")),
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
    kind: FormKind = "declaration" if row.kind == "declaration" else "self_evaluation"
    values: dict[str, Any] = {spec.name: getattr(row, spec.column) for spec in _scalars(kind)}
    values["indicators"] = tuple(
        build(
            Indicator,
            {
                **{spec.name: getattr(i, spec.column) for spec in _INDICATOR_FIELDS},
                "source": source_from(i, file),
            },
        )
        for i in sorted(indicators, key=lambda i: i.position)
    )
    lines = {line.line: line for line in funds}
    if kind == "self_evaluation":
        values["funds"] = SelfEvaluationFunds(
            **{
                name: build(FundsRow, {f: getattr(lines[name], f) for f in _FUNDS_FIELDS})
                if name in lines
                else FundsRow()
                for name in FUNDS_ROWS
            }
        )
    else:
        amounts = {name: lines[name].amount for name in DECLARATION_FUNDS if name in lines}
        values["funds"] = DeclarationFunds(**amounts)
    values["source"] = source_from(row, file)
    values["extra"] = tuple((str(pair[0]), str(pair[1])) for pair in row.extra or ())
    return build_form(kind, values)
