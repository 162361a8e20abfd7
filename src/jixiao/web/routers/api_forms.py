"""`/api/forms`: the form list (filters, search, paging), one form, and its project link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from jixiao.store.counting import count_exactly
from jixiao.store.projects import linked_forms, relink
from jixiao.store.queries import get_form, read_page
from jixiao.store.tables import FormRow
from jixiao.web import present
from jixiao.web.deps import FormQueryDep, ReadSessionDep, SessionDep, StatsDep
from jixiao.web.errors import NotFoundError, form_not_found
from jixiao.web.openapi import FORM_NOT_FOUND, FORM_OR_PROJECT_NOT_FOUND
from jixiao.web.schemas import (
    FORM_ID,
    MAX_STORED_INT,
    FormDetailPublic,
    FormListPublic,
    FormSummaryPublic,
    FormUpdate,
)

router = APIRouter(prefix="/api/forms", tags=["表单"])

FormId = Annotated[int, Path(ge=0, le=MAX_STORED_INT, description=FORM_ID)]


@router.get("", summary="表单列表", response_description="符合条件的表单（一页）")
def api_list_forms(session: ReadSessionDep, query: FormQueryDep, stats: StatsDep) -> FormListPublic:
    """筛选、全文检索、排序与分页；返回 `{"items": [...], "total": N}`。"""
    filters = query.filters()
    # Counted exactly, first: with the length known, a page near the end is read from it.
    total = count_exactly(session, filters, stats)
    rows = read_page(
        session, filters, query.sort, limit=query.limit, offset=query.offset, total=total
    )
    return FormListPublic(
        items=[present.summary(r) for r in rows],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@router.get(
    "/{form_id}",
    summary="单张表单（交换格式，含问题与参考得分）",
    response_model=FormDetailPublic,
    response_description="这张表单：自评表或申报表，由 `kind` 区分",
    responses=FORM_NOT_FOUND,
)
def api_get_form(form_id: FormId, session: ReadSessionDep) -> dict[str, Any]:
    stored = get_form(session, form_id)
    if stored is None:
        raise form_not_found(form_id)
    return present.detail(stored, linked_forms(session, stored.row))


@router.patch(
    "/{form_id}",
    summary="修改项目关联",
    response_description="修改后的表单摘要",
    responses=FORM_OR_PROJECT_NOT_FOUND,
)
def api_update_form(form_id: FormId, body: FormUpdate, session: SessionDep) -> FormSummaryPublic:
    """把表单关联到另一个项目（`project_id`），或设为 `null` 使其单独成为一个项目。"""
    row = session.get(FormRow, form_id)
    if row is None:
        raise form_not_found(form_id)
    try:
        relink(session, row, body.project_id)
    except LookupError:
        raise NotFoundError(f"没有编号为 {body.project_id} 的项目") from None
    session.commit()
    return present.summary(row)
