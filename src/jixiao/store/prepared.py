"""A reviewed document as the rows the store will write (storage step, no database).

`prepare` turns an `Intake` (a file read, scored and reviewed) into plain data: the row
each table receives (the values `rows.py` maps a form to, as the database stores them:
text, integers, bytes — `bulk.Stored`), plus the document's hash, size, name, format,
bytes and refusal. Nothing in it needs the database, so `jixiao import --jobs N` prepares
documents in worker processes, and the process that writes only writes: plain values are
cheap to send between processes (a `Decimal` or a model object is not), and converting
them is work done on every core.

The ids that tie the rows together (document, project, form, indicator) and the time of
the import are the writer's to add (`write.py`): here a form's rows are listed under it,
a finding names its indicator by position, and a form names its project by its link key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.intake import Intake
from jixiao.store import rows
from jixiao.store.bulk import Stored
from jixiao.store.projects import project_key
from jixiao.store.tables import FindingRow, FormRow, FundsLine, IndicatorRow

# The columns the writer fills in: ids, and the time of the import.
WRITER_COLUMNS = frozenset(
    {"id", "document_id", "project_id", "form_id", "indicator_id", "import_id", "created_at"}
)

Values = tuple[Any, ...]


def _stored(model: type) -> Stored:
    table = model.__table__  # type: ignore[attr-defined]
    return Stored(table, [c.name for c in table.columns if c.name not in WRITER_COLUMNS])


FORM = _stored(FormRow)
FUNDS = _stored(FundsLine)
INDICATOR = _stored(IndicatorRow)
FINDING = _stored(FindingRow)


@dataclass(frozen=True, slots=True)
class PreparedForm:
    """One form's rows (each in the column order of its `Stored`), without the ids."""

    row: Values  # `forms` (FORM.columns)
    project_key: str  # the automatic link key (`projects.project_key`)
    project: tuple[str, str | None, str | None]  # name, unit, department, for a new project
    funds: tuple[Values, ...]  # `funds_lines` (FUNDS.columns)
    indicators: tuple[Values, ...]  # `indicators` (INDICATOR.columns), by position 1, 2, …
    findings: tuple[tuple[int | None, Values], ...]  # (indicator position, FINDING.columns)


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """One file as the store writes it, whole, or (with a `refusal`) not at all."""

    name: str
    size: int
    sha256: str
    format: str
    content: bytes
    refusal: str | None  # why the file cannot be saved (Chinese); then no forms are prepared
    forms: tuple[PreparedForm, ...]
    file_findings: tuple[Values, ...]  # `findings` (FINDING.columns) about no single form

    @property
    def finding_count(self) -> int:
        return len(self.file_findings) + sum(len(form.findings) for form in self.forms)


def prepare(intake: Intake, profile: str) -> PreparedDocument:
    """The rows of a reviewed document (scored and reviewed under `profile`)."""
    refusal = intake.refusal
    if refusal is not None:
        # A refused file writes nothing, so there is nothing to prepare (nor to send).
        return PreparedDocument(
            intake.name, intake.size, intake.sha256, intake.format, b"", refusal, (), ()
        )
    forms = []
    for reviewed in intake.forms:
        form = reviewed.form
        row = rows.form_values(
            form, score=reviewed.score, findings=reviewed.findings, profile=profile
        )
        row["position"] = reviewed.index
        findings = tuple(
            (rows.indicator_position(finding, form), FINDING(rows.finding_values(finding, stage)))
            for stage, found in (("reading", reviewed.reading), ("review", reviewed.review))
            for finding in found
        )
        forms.append(
            PreparedForm(
                row=FORM(row),
                project_key=project_key(form.unit, form.department, form.project),
                project=(form.project, form.unit, form.department),
                funds=tuple(FUNDS(line) for line in rows.funds_values(form)),
                indicators=tuple(INDICATOR(i) for i in rows.indicator_values(form, reviewed.score)),
                findings=findings,
            )
        )
    return PreparedDocument(
        intake.name,
        intake.size,
        intake.sha256,
        intake.format,
        intake.data,
        None,
        tuple(forms),
        tuple(FINDING(rows.finding_values(f, "reading")) for f in intake.file_findings),
    )
