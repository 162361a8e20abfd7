"""`/api/uploads`: upload files → read and review → preview → save or discard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from jixiao.web import staging
from jixiao.web.deps import EngineDep, SettingsDep
from jixiao.web.errors import NotFoundError
from jixiao.web.openapi import UPLOAD_GONE, UPLOAD_REFUSED
from jixiao.web.schemas import PROFILE, UPLOAD_TOKEN, SavedPublic, UploadPublic
from jixiao.web.uploads import received_files

router = APIRouter(prefix="/api/uploads", tags=["上传"])

Token = Annotated[str, Path(description=UPLOAD_TOKEN)]


@router.post(
    "",
    status_code=201,
    summary="上传文件（`multipart/form-data`：字段 `files` 可多个，可选字段 `profile`）",
    response_description="已读取并审核、暂存待保存：预览与 `token`",
    responses=UPLOAD_REFUSED,
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
async def api_upload(request: Request, engine: EngineDep, settings: SettingsDep) -> UploadPublic:
    """文件读取并审核后暂存，返回预览与 `token`；保存或放弃前不写入表单库。"""
    files, profile = await received_files(request, settings)
    token = await run_in_threadpool(staging.stage, engine, files, profile, settings)
    return await run_in_threadpool(staging.preview, engine, token, settings)


@router.get(
    "/{token}",
    summary="上传预览",
    response_description="这次上传的预览",
    responses=UPLOAD_GONE,
)
def api_upload_preview(token: Token, engine: EngineDep, settings: SettingsDep) -> UploadPublic:
    return staging.preview(engine, token, settings)


@router.post(
    "/{token}/save",
    summary="保存上传的表单",
    response_description="已保存：导入批次与各文件的结果",
    responses=UPLOAD_GONE,
)
def api_upload_save(
    request: Request, token: Token, engine: EngineDep, settings: SettingsDep
) -> SavedPublic:
    saved = staging.save(engine, token, settings)
    request.app.state.stats_cache.clear()
    return saved


@router.delete(
    "/{token}",
    status_code=204,
    summary="放弃上传",
    response_description="已放弃：暂存的文件已删除",
    responses=UPLOAD_GONE,
)
def api_upload_discard(token: Token, engine: EngineDep, settings: SettingsDep) -> Response:
    if not staging.discard(engine, token):
        raise NotFoundError(staging.GONE.format(hours=settings.pending_hours))
    return Response(status_code=204)
