"""`/api/uploads`: upload files → read and review → preview → save or discard."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from jixiao.web import staging
from jixiao.web.deps import EngineDep, SettingsDep
from jixiao.web.errors import NotFoundError
from jixiao.web.schemas import SavedPublic, UploadPublic
from jixiao.web.uploads import received_files

router = APIRouter(prefix="/api/uploads", tags=["上传"])


@router.post(
    "",
    status_code=201,
    summary="上传文件（multipart 字段 files，可多个；可选字段 profile）",
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
                            },
                            "profile": {"type": "string"},
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
    """文件读取并审核后暂存，返回预览与 token；保存或放弃前不写入表单库。"""
    files, profile = await received_files(request, settings)
    token = await run_in_threadpool(staging.stage, engine, files, profile, settings)
    return await run_in_threadpool(staging.preview, engine, token, settings)


@router.get("/{token}", summary="上传预览")
def api_upload_preview(token: str, engine: EngineDep, settings: SettingsDep) -> UploadPublic:
    return staging.preview(engine, token, settings)


@router.post("/{token}/save", summary="保存上传的表单")
def api_upload_save(
    request: Request, token: str, engine: EngineDep, settings: SettingsDep
) -> SavedPublic:
    saved = staging.save(engine, token, settings)
    request.app.state.stats_cache.clear()
    return saved


@router.delete("/{token}", status_code=204, summary="放弃上传")
def api_upload_discard(token: str, engine: EngineDep, settings: SettingsDep) -> Response:
    if not staging.discard(engine, token):
        raise NotFoundError(staging.GONE.format(hours=settings.pending_hours))
    return Response(status_code=204)
