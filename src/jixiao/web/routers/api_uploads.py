"""`/api/uploads`: upload files → read and review → preview → save or discard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from jixiao.web import staging
from jixiao.web.deps import EngineDep, SettingsDep
from jixiao.web.errors import NotFoundError
from jixiao.web.openapi import UPLOAD_GONE, UPLOAD_REFUSED, UPLOAD_STATE
from jixiao.web.schemas import (
    PROFILE,
    UPLOAD_TOKEN,
    SavedPublic,
    UploadProgressPublic,
    UploadPublic,
)
from jixiao.web.upload_jobs import ask_and_wait, jobs, receive_and_stage

router = APIRouter(prefix="/api/uploads", tags=["上传"])

Token = Annotated[str, Path(description=UPLOAD_TOKEN)]


def _wake_if_running(request: Request, state: str) -> None:
    """A step still running when its upload is looked at: the jobs are woken, so that
    one whose worker died is taken up again."""
    if state in staging.RUNNING_STATES:
        jobs(request).wake()


@router.post(
    "",
    status_code=201,
    summary="上传文件（`multipart/form-data`：字段 `files` 可多个，可选字段 `profile`）",
    response_description="已读取并审核、暂存待保存：预览与 `token`",
    responses={
        **UPLOAD_REFUSED,
        202: {
            "model": UploadPublic,
            "description": "文件已收下，仍在读取：返回进度与 `token`，"
            "之后以 `GET /api/uploads/{token}` 查看进度与预览",
        },
    },
    # The body is read as a stream (`received_files`), not by FastAPI: describe it here.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": "表单文件，可多个",
                            },
                            "profile": {
                                "type": "string",
                                "description": f"{PROFILE}；不填则用默认方案",
                            },
                        },
                        "required": ["files"],
                    }
                }
            },
            "required": True,
        }
    },
)
async def api_upload(
    request: Request, response: Response, engine: EngineDep, settings: SettingsDep
) -> UploadPublic:
    """文件暂存后在后台读取并审核；读取在几秒内完成时直接返回预览（201），否则返回进度（202）。
    保存或放弃前不写入表单库。"""
    token = await receive_and_stage(request, engine, settings)
    upload = await run_in_threadpool(staging.upload_state, engine, token, settings)
    if upload.state != "ready":
        response.status_code = 202
    return upload


@router.get(
    "/{token}",
    summary="上传预览",
    response_description="这次上传的预览",
    responses=UPLOAD_GONE,
)
def api_upload_preview(
    request: Request, token: Token, engine: EngineDep, settings: SettingsDep
) -> UploadPublic:
    """这次上传的状态与进度；读取完成后含预览，保存后含保存结果。"""
    upload = staging.upload_state(engine, token, settings)
    _wake_if_running(request, upload.state)
    return upload


@router.get(
    "/{token}/progress",
    summary="上传的处理进度",
    response_description="这次上传的状态与进度（不含预览）",
    responses=UPLOAD_GONE,
)
def api_upload_progress(
    request: Request, token: Token, engine: EngineDep, settings: SettingsDep
) -> UploadProgressPublic:
    """后台任务运行时轮询此地址：只含状态与进度；预览与保存结果见 `GET /api/uploads/{token}`。"""
    progress = staging.upload_progress(engine, token, settings)
    _wake_if_running(request, progress.state)
    return progress


@router.post(
    "/{token}/save",
    summary="保存上传的表单",
    response_description="已保存：导入批次与各文件的结果",
    responses={
        **UPLOAD_GONE,
        **UPLOAD_STATE,
        202: {
            "model": UploadPublic,
            "description": "正在后台保存：返回进度，之后以 `GET /api/uploads/{token}` 查看结果",
        },
    },
    response_model=SavedPublic | UploadPublic,
)
def api_upload_save(
    request: Request, response: Response, token: Token, engine: EngineDep, settings: SettingsDep
) -> SavedPublic | UploadPublic:
    """在后台保存；几秒内完成时直接返回保存结果，否则返回进度（202）。重复保存只保存一次。"""
    state = ask_and_wait(request, engine, token, settings)
    upload = staging.upload_state(engine, token, settings)
    if state == "saved" and upload.saved is not None:
        request.app.state.stats_cache.clear()
        return upload.saved
    response.status_code = 202
    return upload


@router.delete(
    "/{token}",
    status_code=204,
    summary="放弃上传",
    response_description="已放弃：暂存的文件已删除",
    responses={**UPLOAD_GONE, **UPLOAD_STATE},
)
def api_upload_discard(token: Token, engine: EngineDep, settings: SettingsDep) -> Response:
    if not staging.discard(engine, token):
        raise NotFoundError(staging.GONE.format(hours=settings.pending_hours))
    return Response(status_code=204)
