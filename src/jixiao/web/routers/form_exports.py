"""`/forms/{id}.xlsx` (and `.pdf`, `.docx`, `.csv`, `.json`): one stored form in the official
layout, as the form page's 导出 buttons download it; `/forms/{id}.html` the same table as a
page to print, without jixiao's notes (presentation step; the writing is `jixiao.export`).

The layout is the one the form's profile names; a form scored with a profile that is not
shipped (a file of the importer's own) is written in the national layout.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from jixiao.export.form_html import form_html
from jixiao.export.form_pdf import PdfUnavailable, TooLongToPrint
from jixiao.export.forms import FORMATS, export_forms, file_name
from jixiao.export.layout import load_layout
from jixiao.intake import profile_named
from jixiao.profile import DEFAULT_PROFILE, available_profiles
from jixiao.store.queries import get_form
from jixiao.web.deps import ReadSessionDep
from jixiao.web.errors import ApiError, BadRequestError, form_not_found
from jixiao.web.responses import attachment
from jixiao.web.schemas import StoredId
from jixiao.web.security import PRINTABLE_CSP

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


class ExportUnavailableError(ApiError):
    status_code = 503
    code = "export_unavailable"


@router.get("/forms/{form_id:int}.{fmt}")
def form_export(form_id: StoredId, fmt: str, session: ReadSessionDep) -> Response:
    if fmt not in (*FORMATS, "html"):
        raise form_not_found(form_id)  # /forms/3.exe is no page
    stored = get_form(session, form_id)
    if stored is None:
        raise form_not_found(form_id)
    profile = stored.row.profile if stored.row.profile in available_profiles() else DEFAULT_PROFILE
    layout = load_layout(profile_named(profile).layout)
    if fmt == "html":
        page = HTMLResponse(form_html([stored.form], layout))
        page.headers["content-security-policy"] = PRINTABLE_CSP
        return page
    try:
        data = export_forms([stored.form], fmt, layout)
    except PdfUnavailable as exc:
        raise ExportUnavailableError(str(exc)) from None
    except TooLongToPrint as exc:
        raise BadRequestError(str(exc)) from None
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": attachment(file_name(stored.form, fmt), f"form-{form_id}.{fmt}")
        },
    )
