"""The downloads of the current list (same filters and order as `/forms`), and of the store.

- `/forms.csv`, `/forms.xlsx`: the list, one row per form;
- `/findings.xlsx`: 问题清单, one row per finding of the forms of the list;
- `/opinions.docx`: the 审核意见 of one 实施单位 or 主管部门 (a filter of the list);
- `/datapackage.zip`: the open-data package (Frictionless) of the store or of a filter.

Each is bounded: a list of `MAX_EXPORT_ROWS` rows at most (the whole database is better
had as a backup), an opinion of `MAX_OPINION_FORMS` forms.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from jixiao.export.datapackage import write_package, zip_package
from jixiao.export.findings_book import finding_place, findings_xlsx
from jixiao.export.listing import LinkFor, Value, csv_chunks, xlsx_bytes
from jixiao.export.opinion import OpinionFinding, OpinionForm, opinion_docx
from jixiao.findings import Severity
from jixiao.money import in_common_unit
from jixiao.store.queries import FormFilters, count_forms, forms_query
from jixiao.store.tables import FindingRow, FormRow
from jixiao.web.deps import EngineDep, FormQueryDep, ReadSessionDep
from jixiao.web.errors import BadRequestError, NotFoundError
from jixiao.web.labels import finding_title, kind_label, severity_label
from jixiao.web.responses import attachment

router = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXPORT_HEADER = (
    "编号",
    "表单类型",
    "年度",
    "项目名称",
    "主管部门",
    "实施单位",
    "全年预算数/年度资金申请总额（万元）",
    "全年执行数（万元）",
    "表上金额单位",
    "执行率(%)",
    "总分",
    "参考总分",
    "评分等级",
    "参考评分等级",
    "错误",
    "警告",
    "提示",
)
# The columns of money (万元), printed with at least two decimals.
EXPORT_AMOUNTS = (6, 7)
# The download of a list is bounded; the whole database is better had as a backup.
MAX_EXPORT_ROWS = 200_000
# An opinion is a letter to one unit: a department of more forms is asked to narrow it.
MAX_OPINION_FORMS = 300
# The forms whose findings are read in one query.
_FINDINGS_BATCH = 500
_SEVERITY_RANK = {s.value: s.rank for s in Severity}


def form_link(request: Request) -> LinkFor:
    """The address of a form's page, from its 编号. Absolute, on the address the file was
    downloaded from: a workbook opened from disk resolves a relative link against its own
    folder, where no form page is."""
    base = str(request.base_url).rstrip("/")

    def address(form_id: Value) -> str | None:
        return f"{base}/forms/{form_id}" if isinstance(form_id, int) else None

    return address


def export_row(row: FormRow) -> list[Value]:
    return [
        row.id,
        kind_label(row.kind),
        row.year,
        row.project,
        row.department,
        row.unit,
        row.funds_wan,
        in_common_unit(row.funds_executed, row.funds_unit),
        row.funds_unit,
        row.execution_rate,
        row.total_score,
        row.ref_total,
        row.grade,
        row.ref_grade,
        row.error_count,
        row.warning_count,
        row.info_count,
    ]


def _rows(engine: Engine, filters: FormFilters, sort: str | None) -> Iterator[list[Value]]:
    """The rows of a download, read in batches as they are written. The session is the
    generator's own: a streamed response outlives the request's dependencies."""
    query = forms_query(filters, sort).limit(MAX_EXPORT_ROWS).execution_options(yield_per=1000)
    with Session(engine) as session:
        for row in session.scalars(query):
            yield export_row(row)


@router.get("/forms.csv")
def forms_csv(engine: EngineDep, query: FormQueryDep) -> StreamingResponse:
    return StreamingResponse(
        csv_chunks(EXPORT_HEADER, _rows(engine, query.filters(), query.sort)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment("表单列表.csv", "forms.csv")},
    )


@router.get("/forms.xlsx")
def forms_xlsx(request: Request, engine: EngineDep, query: FormQueryDep) -> Response:
    data = xlsx_bytes(
        EXPORT_HEADER,
        _rows(engine, query.filters(), query.sort),
        amounts=EXPORT_AMOUNTS,
        link=form_link(request),
    )
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": attachment("表单列表.xlsx", "forms.xlsx")},
    )


# --- findings --------------------------------------------------------------------------------


def findings_of(
    session: Session, forms: Sequence[FormRow], *, limit: int = MAX_EXPORT_ROWS
) -> Iterator[tuple[FormRow, FindingRow]]:
    """The findings of `forms`, form by form in their order, errors first within each
    (then as stored), at most `limit` in all; read for a batch of forms at a time."""
    given = 0
    for start in range(0, len(forms), _FINDINGS_BATCH):
        batch = forms[start : start + _FINDINGS_BATCH]
        found: dict[int | None, list[FindingRow]] = {}
        query = select(FindingRow).where(FindingRow.form_id.in_([r.id for r in batch]))
        for finding in session.scalars(query.order_by(FindingRow.id)):
            found.setdefault(finding.form_id, []).append(finding)
        for row in batch:
            listed = sorted(found.get(row.id, []), key=lambda f: _SEVERITY_RANK.get(f.severity, 3))
            for finding in listed[: limit - given]:
                given += 1
                yield row, finding
            if given >= limit:
                return


def finding_row(row: FormRow, finding: FindingRow) -> list[Value]:
    place = finding_place(
        row.kind,
        page=finding.page,
        line=finding.line,
        cell=finding.cell,
        indicator=finding.indicator,
        field=finding.field,
    )
    return [
        row.id,
        kind_label(row.kind),
        row.year,
        row.department,
        row.unit,
        row.project,
        finding.code,
        finding_title(finding.kind),
        severity_label(finding.severity),
        place,
        finding.message,
        finding.basis,
    ]


def _finding_rows(engine: Engine, filters: FormFilters, sort: str | None) -> Iterator[list[Value]]:
    """The rows of `/findings.xlsx`. The list's ids are read first (in its order), then its
    forms and their findings a batch at a time: no cursor stays open across queries."""
    ids = forms_query(filters, sort).with_only_columns(FormRow.id).limit(MAX_EXPORT_ROWS)
    every_form = forms_query(FormFilters())
    given = 0
    with Session(engine) as session:
        listed = list(session.scalars(ids))
        for start in range(0, len(listed), _FINDINGS_BATCH):
            chunk = listed[start : start + _FINDINGS_BATCH]
            rows = {r.id: r for r in session.scalars(every_form.where(FormRow.id.in_(chunk)))}
            forms = [rows[i] for i in chunk]
            for row, finding in findings_of(session, forms, limit=MAX_EXPORT_ROWS - given):
                given += 1
                yield finding_row(row, finding)
            if given >= MAX_EXPORT_ROWS:
                return


@router.get("/findings.xlsx")
def findings_workbook(request: Request, engine: EngineDep, query: FormQueryDep) -> Response:
    data = findings_xlsx(
        _finding_rows(engine, query.filters(), query.sort), link=form_link(request)
    )
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": attachment("问题清单.xlsx", "findings.xlsx")},
    )


# --- the opinion of a unit -------------------------------------------------------------------


def _names(values: list[str | None]) -> list[str]:
    """The distinct names, the most frequent first."""
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return sorted(counts, key=lambda name: -counts[name])


@router.get("/opinions.docx")
def opinion(session: ReadSessionDep, query: FormQueryDep) -> Response:
    filters = query.filters()
    if not (filters.unit or filters.department):
        raise BadRequestError("请指定实施单位或主管部门：审核意见按单位出具")
    subject = "实施单位" if filters.unit else "主管部门"
    total = count_forms(session, filters, cap=MAX_OPINION_FORMS)
    if total > MAX_OPINION_FORMS:
        raise BadRequestError(
            f"符合条件的表单超过 {MAX_OPINION_FORMS} 张：请加上年度、表单类型等条件缩小范围"
        )
    rows = list(session.scalars(forms_query(filters, query.sort)))
    if not rows:
        named = (
            f"实施单位包含「{filters.unit}」"
            if filters.unit
            else f"主管部门为「{filters.department}」"
        )
        raise NotFoundError(f"没有符合条件的表单（{named}）")
    findings: dict[int, list[OpinionFinding]] = {}
    for row, finding in findings_of(session, rows):
        findings.setdefault(row.id, []).append(
            OpinionFinding(
                finding.severity, finding.code, finding_title(finding.kind), finding.message
            )
        )
    forms = [
        OpinionForm(
            project=row.project,
            kind=kind_label(row.kind),
            year=row.year,
            total_score=row.total_score,
            ref_total=row.ref_total,
            grade=row.grade,
            findings=findings.get(row.id, []),
        )
        for row in rows
    ]
    # A unit filter matches part of a name: each unit it matched is named. A department
    # is one whatever its printed spacing: named as most of its forms print it.
    names = (
        _names([r.unit for r in rows]) if filters.unit else _names([r.department for r in rows])[:1]
    )
    data = opinion_docx(subject=subject, names=names, forms=forms, day=dt.date.today())
    return Response(
        data,
        media_type=DOCX,
        headers={
            "Content-Disposition": attachment(f"审核意见-{names[0][:40]}.docx", "opinion.docx")
        },
    )


# --- open data -------------------------------------------------------------------------------


@router.get("/datapackage.zip")
def datapackage(engine: EngineDep, query: FormQueryDep) -> FileResponse:
    """Built in a temporary folder and zipped to a temporary file, which is streamed and
    then removed: the package of a large store never sits in memory. (Its tables are
    read in batches, through cursors that need a transaction: not the read engine's
    autocommit.)"""
    handle, name = tempfile.mkstemp(prefix="jixiao-", suffix=".zip")
    os.close(handle)
    target = Path(name)
    try:
        with tempfile.TemporaryDirectory(prefix="jixiao-") as folder, Session(engine) as session:
            write_package(session, Path(folder), query.filters(), limit=MAX_EXPORT_ROWS)
            with target.open("wb") as out:
                zip_package(Path(folder), out)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return FileResponse(
        target,
        media_type="application/zip",
        headers={"Content-Disposition": attachment("开放数据包.zip", "datapackage.zip")},
        background=BackgroundTask(target.unlink, missing_ok=True),
    )
