"""Errors of the web application: exception classes carrying their HTTP status.

One handler maps them, and FastAPI's own validation and routing errors, to the one
canonical JSON body of the API (pages get the same message as an HTML page):

    {"error": {"status": 404, "code": "not_found", "message": "没有编号为 7 的表单"}}

`detail` is added where there is more to say (the fields that failed validation).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao.store.engine import is_query_timeout
from jixiao.web.templating import render
from jixiao.web.validation import explain

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Base class: subclasses fix the status and the code; the message is in Chinese."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequestError(ApiError):
    status_code = 400
    code = "bad_request"


class NotFoundError(ApiError):
    status_code = 404
    code = "not_found"


class UploadTooLargeError(ApiError):
    status_code = 413
    code = "upload_too_large"


class RequestTimeoutError(ApiError):
    """The request's body stopped arriving, or arrives too slowly (`web.deadlines`)."""

    status_code = 408
    code = "request_timeout"


class UploadQuotaError(ApiError):
    """The uploads waiting to be saved already hold what a client (or everyone) may."""

    status_code = 429
    code = "upload_quota"


class StorageFullError(ApiError):
    """The disk of the server's database, where uploads are kept too, is full."""

    status_code = 507
    code = "storage_full"


STORAGE_FULL = "服务器磁盘空间不足，这次上传未能保存，未保存任何内容；请联系管理员清理空间后再试"


def is_storage_full(exc: BaseException) -> bool:
    """A database error saying the disk is full (SQLite's SQLITE_FULL, PostgreSQL's
    disk_full), known by its code."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == 13
    return getattr(orig, "sqlstate", None) == "53100"


class UploadStateError(ApiError):
    """The upload is not in the state the request needs (saving one still being read)."""

    status_code = 409
    code = "upload_state"


def form_not_found(form_id: int) -> NotFoundError:
    return NotFoundError(f"没有编号为 {form_id} 的表单")


# The code of a 503: the database cannot be reached, or is busy (see `on_database_unavailable`).
DATABASE_UNAVAILABLE = "database_unavailable"
# The code of a 503: a statement ran over the server's `query_timeout`.
QUERY_TIMEOUT = "query_timeout"
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "upload_too_large",
    422: "invalid_request",
}
_HTTP_MESSAGES = {
    404: "没有这个页面或资源",
    405: "不支持此请求方法",
}


def error_body(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "code": code, "message": message}
    if detail is not None:
        error["detail"] = detail
    return {"error": error}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path.startswith("/openapi")


def _respond(
    request: Request, status: int, code: str, message: str, detail: Any = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(status, code, message, detail), status_code=status)
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "title": "出错了"},
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _respond(request, exc.status_code, exc.code, exc.message, exc.detail)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if not _wants_json(request) and all(
            tuple(e.get("loc", ("",)))[:1] == ("path",) for e in errors
        ):
            # A page address whose id is not an id (`/forms/3.xlsx`): no such page.
            return _respond(request, 404, "not_found", _HTTP_MESSAGES[404])
        messages = [explain(err, with_key=_wants_json(request)) for err in errors]
        detail = [
            {"loc": list(err.get("loc", ())), "msg": msg}
            for err, msg in zip(errors, messages, strict=True)
        ]
        sentences = "；".join(dict.fromkeys(messages))
        return _respond(request, 422, "invalid_request", f"请求无效：{sentences}。", detail)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.__cause__, ApiError):
            # FastAPI's "error parsing the body" around one of ours (a body too slow).
            return await on_api_error(request, exc.__cause__)
        status = exc.status_code
        code = _HTTP_CODES.get(status, "http_error")
        message = _HTTP_MESSAGES.get(status) or str(exc.detail)
        return _respond(request, status, code, message)

    async def on_database_unavailable(request: Request, exc: Exception) -> Response:
        # The database went away (restarted, the network dropped) or is busy beyond the
        # wait: nothing is wrong with the request. The pool replaces the connections the
        # server dropped, so the next request finds it again.
        if is_storage_full(exc):
            # Nothing half-saved: the transaction that met the full disk rolled back.
            log.error("storage full on %s: %s", request.url.path, exc)
            return _respond(request, 507, StorageFullError.code, STORAGE_FULL)
        if is_query_timeout(exc):
            # Stopped by the server's bound (store.engine's query_timeout): its
            # transaction was undone, so nothing of the request was saved.
            log.warning("query timeout on %s: %s", request.url.path, exc)
            response = _respond(
                request,
                503,
                QUERY_TIMEOUT,
                "查询用时超过服务器的上限，已中止，未保存任何内容；请缩小筛选或搜索范围，或稍后再试",
            )
            response.headers["retry-after"] = "5"
            return response
        log.warning("database unavailable on %s: %s", request.url.path, exc)
        response = _respond(
            request, 503, DATABASE_UNAVAILABLE, "数据库暂时无法连接或正忙，请稍后再试"
        )
        response.headers["retry-after"] = "5"
        return response

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        return _respond(request, 500, "internal_error", "服务器内部错误，请稍后再试")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(OperationalError, on_database_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
