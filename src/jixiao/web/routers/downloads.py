"""`/forms.csv`, `/forms.xlsx`: the current list (same filters and order) as a download."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.export.listing import Value, csv_chunks, xlsx_bytes
from jixiao.money import in_common_unit
from jixiao.store.queries import FormFilters, forms_query
from jixiao.store.tables import FormRow
from jixiao.web.deps import EngineDep, FormQueryDep
from jixiao.web.labels import kind_label
from jixiao.web.responses import attachment

router = APIRouter(include_in_schema=False)

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
# The download of a list is bounded; the whole database is better had as a backup.
MAX_EXPORT_ROWS = 200_000


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
def forms_xlsx(engine: EngineDep, query: FormQueryDep) -> Response:
    data = xlsx_bytes(EXPORT_HEADER, _rows(engine, query.filters(), query.sort))
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": attachment("表单列表.xlsx", "forms.xlsx")},
    )
