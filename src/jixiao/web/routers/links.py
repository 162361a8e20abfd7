"""`/forms/{id}/project`: see and change which project a form is linked to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jixiao.store.projects import candidate_projects, linked_forms, relink
from jixiao.store.tables import FormRow
from jixiao.web.deps import ReadSessionDep, SessionDep
from jixiao.web.errors import BadRequestError, NotFoundError, form_not_found
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/forms/{form_id}/project", response_class=HTMLResponse)
def relink_page(request: Request, form_id: int, session: ReadSessionDep) -> HTMLResponse:
    row = session.get(FormRow, form_id)
    if row is None:
        raise form_not_found(form_id)
    return render(
        request,
        "relink.html",
        {
            "title": f"调整项目关联：{row.project}",
            "nav": "forms",
            "row": row,
            "linked": linked_forms(session, row),
            "candidates": candidate_projects(session, row),
        },
    )


@router.post("/forms/{form_id}/project")
def relink_form(
    form_id: int, session: SessionDep, project_id: Annotated[str, Form()] = ""
) -> Response:
    """`project_id`: another project's id, or `new` for a project of the form's own."""
    raw = project_id.strip()
    if not (raw == "new" or raw.isdigit()):
        raise BadRequestError("请选择要关联的项目")
    row = session.get(FormRow, form_id)
    if row is None:
        raise form_not_found(form_id)
    try:
        relink(session, row, None if raw == "new" else int(raw))
    except LookupError:
        raise NotFoundError(f"没有编号为 {raw} 的项目") from None
    session.commit()
    return RedirectResponse(f"/forms/{form_id}?relinked=1#links", status_code=303)
