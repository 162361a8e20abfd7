"""`/forms/{id}/project`: see and change which project a form is linked to.

A change of link moves a form between projects and changes what every linked form page
shows, so it takes two steps: the choice, then a confirmation that says what will move
where. The form page then offers to undo it (a relink back to the project it left,
which is never deleted).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jixiao.store.projects import candidate_projects, linked_forms, project_size, relink
from jixiao.store.tables import FormRow, Project
from jixiao.web.deps import ReadSessionDep, SessionDep
from jixiao.web.errors import BadRequestError, NotFoundError, form_not_found
from jixiao.web.schemas import MAX_STORED_INT, StoredId
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)

NEW = "new"


def _form(session: Session, form_id: int) -> FormRow:
    row = session.get(FormRow, form_id)
    if row is None:
        raise form_not_found(form_id)
    return row


def _target(session: Session, raw: str) -> Project | None:
    """The chosen project (None: a project of the form's own), or a clear refusal."""
    raw = raw.strip()
    if raw == NEW:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise BadRequestError("请选择要关联的项目")
    # (An id beyond what the column holds names no project; the database would refuse it.)
    project = session.get(Project, int(raw)) if int(raw) <= MAX_STORED_INT else None
    if project is None:
        raise NotFoundError(f"没有编号为 {raw} 的项目")
    return project


@router.get("/forms/{form_id}/project", response_class=HTMLResponse)
def relink_page(request: Request, form_id: StoredId, session: ReadSessionDep) -> HTMLResponse:
    row = _form(session, form_id)
    return render(
        request,
        "relink.html",
        {
            "title": f"调整项目关联：{row.project}",
            "nav": "forms",
            "row": row,
            "present_project": session.get(Project, row.project_id),
            "linked": linked_forms(session, row),
            "candidates": candidate_projects(session, row),
        },
    )


@router.post("/forms/{form_id}/project", response_model=None)
def relink_form(
    request: Request,
    form_id: StoredId,
    session: SessionDep,
    project_id: Annotated[str, Form(max_length=40)] = "",
    confirm: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """`project_id`: another project's id, or `new` for a project of the form's own.
    Without `confirm=1` nothing changes: the answer is the page that asks to confirm."""
    row = _form(session, form_id)
    target = _target(session, project_id)
    if target is not None and target.id == row.project_id:
        return RedirectResponse(f"/forms/{form_id}?relinked=same#links", status_code=303)
    if confirm != "1":
        current = session.get(Project, row.project_id)
        return render(
            request,
            "relink_confirm.html",
            {
                "title": f"确认调整项目关联：{row.project}",
                "nav": "forms",
                "row": row,
                "present_project": current,
                "current_size": project_size(session, row.project_id),
                "target": target,
                "target_size": project_size(session, target.id) if target else 0,
                "choice": NEW if target is None else str(target.id),
            },
        )
    left = row.project_id
    relink(session, row, None if target is None else target.id)
    session.commit()
    return RedirectResponse(f"/forms/{form_id}?relinked={left}#links", status_code=303)
