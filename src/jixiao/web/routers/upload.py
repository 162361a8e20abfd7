"""`/upload`: drop files → read → review → preview forms and findings → save or discard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jixiao.profile import available_profiles
from jixiao.web import staging
from jixiao.web.deps import EngineDep, SettingsDep
from jixiao.web.display import size_text
from jixiao.web.errors import ApiError
from jixiao.web.schemas import SavedPublic
from jixiao.web.templating import render
from jixiao.web.upload_jobs import ask_and_wait, jobs, receive_and_stage

router = APIRouter(include_in_schema=False)


def _upload_page(
    request: Request, settings: SettingsDep, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "upload.html",
        {
            "title": "上传表单",
            "nav": "upload",
            "error": error,
            "discarded": request.query_params.get("discarded"),
            "profiles": available_profiles(),
            "profile": settings.profile,
            "max_size": size_text(settings.max_upload_bytes),
            "max_bytes": settings.max_upload_bytes,
        },
        status_code=status_code,
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _upload_page(request, settings)


@router.post("/upload")
async def upload_files(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    try:
        token = await receive_and_stage(request, engine, settings)
    except ApiError as exc:
        # The page is shown again with the message: nothing was kept.
        return _upload_page(request, settings, error=exc.message, status_code=exc.status_code)
    return RedirectResponse(f"/upload/{token}", status_code=303)


@router.get("/upload/{token}", response_class=HTMLResponse)
def preview_page(
    request: Request, token: str, engine: EngineDep, settings: SettingsDep
) -> Response:
    """The upload: its progress while its job runs (the page follows it live), its
    preview once read, and, once saved, the forms it stored."""
    upload = staging.upload_state(engine, token, settings)
    if upload.saved is not None:
        return _saved(request, upload.saved)
    if upload.state in staging.RUNNING_STATES:
        jobs(request).wake()  # a step whose worker died is taken up again
    return render(
        request,
        "preview.html",
        {"title": "上传预览", "nav": "upload", "upload": upload},
    )


def _saved(request: Request, saved: SavedPublic) -> Response:
    request.app.state.stats_cache.clear()
    return RedirectResponse(
        f"/forms?import_id={saved.import_id}&saved={saved.forms}", status_code=303
    )


@router.post("/upload/{token}/save")
def save_upload(request: Request, token: str, engine: EngineDep, settings: SettingsDep) -> Response:
    ask_and_wait(request, engine, token, settings)
    upload = staging.upload_state(engine, token, settings)
    if upload.saved is not None:
        return _saved(request, upload.saved)
    return RedirectResponse(f"/upload/{token}", status_code=303)


@router.post("/upload/{token}/discard")
def discard_upload(token: str, engine: EngineDep) -> Response:
    staging.discard(engine, token)
    return RedirectResponse("/upload?discarded=1", status_code=303)
