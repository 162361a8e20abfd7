"""Stored rows → the API's public shapes (presentation step).

The form record is the core's exchange format (`jixiao.exchange`), rebuilt from the
stored rows, with the review's reference scores and the findings added beside it; the
API never invents a second description of a form.
"""

from __future__ import annotations

from typing import Any

from jixiao.catalogue import all_entries
from jixiao.exchange import form_to_exchange
from jixiao.store.projects import LinkedForm
from jixiao.store.queries import StoredForm
from jixiao.store.stats import Stats
from jixiao.store.tables import Document, FindingRow, FormRow, IndicatorRow
from jixiao.web.labels import finding_title
from jixiao.web.schemas import (
    DepartmentCount,
    DocumentPublic,
    FindingCounts,
    FindingKindCount,
    FindingPublic,
    FindingWithFormPublic,
    FormSummaryPublic,
    LinkedFormPublic,
    RateBand,
    ReferencePublic,
    RulePublic,
    ScorePublic,
    StatsPublic,
    dec,
)


def form_url(form_id: int) -> str:
    return f"/forms/{form_id}"


def summary(row: FormRow) -> FormSummaryPublic:
    return FormSummaryPublic(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]  # the column holds only the two kinds
        year=row.year,
        project=row.project,
        department=row.department,
        unit=row.unit,
        funds_unit=row.funds_unit,
        funds_amount=dec(row.funds_amount),
        funds_wan=dec(row.funds_wan),
        execution_rate=dec(row.execution_rate),
        total_score=dec(row.total_score),
        ref_total=dec(row.ref_total),
        grade=row.grade,
        ref_grade=row.ref_grade,
        findings=FindingCounts(
            error=row.error_count, warning=row.warning_count, info=row.info_count
        ),
        project_id=row.project_id,
        document_id=row.document_id,
        url=form_url(row.id),
    )


def finding(row: FindingRow) -> FindingPublic:
    return FindingPublic(
        id=row.id,
        code=row.code,
        kind=row.kind,
        severity=row.severity,  # type: ignore[arg-type]  # stored from Severity values
        message=row.message,
        basis=row.basis,
        stage=row.stage,  # type: ignore[arg-type]  # reading | review
        line=row.line,
        page=row.page,
        cell=row.cell,
        box=row.box,
        indicator=row.indicator,
        field=row.field,
        form_id=row.form_id,
        indicator_id=row.indicator_id,
        document_id=row.document_id,
    )


def finding_with_form(row: FindingRow, form: FormRow | None) -> FindingWithFormPublic:
    return FindingWithFormPublic(
        **finding(row).model_dump(),
        project=form.project if form else None,
        unit=form.unit if form else None,
        year=form.year if form else None,
    )


def document(row: Document) -> DocumentPublic:
    return DocumentPublic(
        id=row.id,
        name=row.name,
        sha256=row.sha256,
        size=row.size,
        format=row.format,
        import_id=row.import_id,
        url=f"/documents/{row.id}",
    )


def _indicator_reference(row: IndicatorRow) -> dict[str, Any]:
    return ReferencePublic(
        value=dec(row.ref_score),
        formula=row.ref_formula,
        low=dec(row.ref_low),
        high=dec(row.ref_high),
    ).model_dump()


def _score(row: FormRow) -> ScorePublic:
    budget = (
        ReferencePublic(
            value=dec(row.ref_budget_score),
            formula=row.ref_budget_formula,
            low=dec(row.ref_budget_low),
            high=dec(row.ref_budget_high),
        )
        if row.ref_budget_formula is not None or row.ref_budget_score is not None
        else None
    )
    total = (
        ReferencePublic(
            value=dec(row.ref_total),
            formula=row.ref_total_formula,
            low=dec(row.ref_total_low),
            high=dec(row.ref_total_high),
        )
        if row.ref_total_formula is not None or row.ref_total is not None
        else None
    )
    return ScorePublic(budget=budget, total=total, grade=row.ref_grade)


def detail(stored: StoredForm, linked: list[LinkedForm]) -> dict[str, Any]:
    """The API's record of a stored form (validated against `FormDetailPublic` on output)."""
    record = form_to_exchange(stored.form)
    for item, row in zip(record["indicators"], stored.indicators, strict=True):
        item["id"] = row.id
        item["reference"] = _indicator_reference(row)
    record.update(
        id=stored.row.id,
        project_id=stored.row.project_id,
        profile=stored.row.profile,
        reference=_score(stored.row),
        findings=[finding(f) for f in stored.findings],
        document=document(stored.document),
        linked_forms=[
            LinkedFormPublic(
                id=f.id,
                kind=f.kind,  # type: ignore[arg-type]
                year=f.year,
                project=f.project,
                unit=f.unit,
                url=form_url(f.id),
            )
            for f in linked
        ],
    )
    return record


def stats(data: Stats) -> StatsPublic:
    return StatsPublic(
        forms=data.forms,
        documents=data.documents,
        projects=data.projects,
        findings=data.findings,
        by_kind=data.by_kind,
        by_year=data.by_year,
        grades=data.grades,
        ref_grades=data.ref_grades,
        execution_rates=[RateBand(band=b, forms=n) for b, n in data.rates],
        finding_kinds=[
            FindingKindCount(kind=k, title=finding_title(k), forms=f, findings=n)
            for k, f, n in data.finding_kinds
        ],
        severities={k: n for k, (_, n) in data.severities.items()},
        departments=[
            DepartmentCount(department=d, forms=f, findings=n) for d, f, n in data.departments
        ],
        stored_since=data.stored_since,
    )


def rules() -> list[RulePublic]:
    return [
        RulePublic(
            code=e.code,
            kind=e.kind,
            severity=e.severity.value,
            family=e.family,
            title=e.title,
            description=e.description,
            basis=e.basis,
        )
        for e in all_entries()
    ]
