"""The API's OpenAPI document (presentation step): its tags and its error responses.

Every failure of the API answers with one body (`jixiao.web.errors`), described by
`ErrorResponse`. A route names the failures it can give with the `responses=` below
(404 for an id or a token, 400 and 413 for an upload). The 422 of a request whose
parameters fail validation is FastAPI's to document (it adds one to every route with
parameters), but in its own English shape, `HTTPValidationError`, which jixiao never
sends: `install_openapi` puts jixiao's in its place, once, when the document is built,
and drops it where no request can fail validation.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from jixiao.web.schemas import ErrorResponse

# The tags of the routers (`APIRouter(tags=[...])`), in the order `/docs` shows them.
TAGS: list[dict[str, Any]] = [
    {"name": "表单", "description": "表单库中的申报表与自评表：列表、单张表单与项目关联。"},
    {"name": "问题", "description": "读取与审核发现的问题，可按类型、级别、规则与表单筛选。"},
    {"name": "上传", "description": "上传文件：读取并审核后预览，确认后保存，或放弃。"},
    {"name": "统计与规则", "description": "总览统计与审核规则目录。"},
]

Responses = dict[int | str, dict[str, Any]]

_REF = "#/components/schemas/"
# What FastAPI's default 422 points to, and the two schemas it adds for it.
_FASTAPI_422 = {"$ref": _REF + "HTTPValidationError"}
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")
_PLAIN = {"type", "title", "description"}


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


FORM_NOT_FOUND: Responses = {404: _error("没有此编号的表单（`not_found`）")}
FORM_OR_PROJECT_NOT_FOUND: Responses = {
    404: _error("没有此编号的表单，或没有要关联的项目（`not_found`）")
}
UPLOAD_GONE: Responses = {404: _error("这次上传已放弃，或已过期（`not_found`）")}
UPLOAD_STATE: Responses = {
    409: _error("这次上传还在读取中或处理失败，不能保存或放弃（`upload_state`）")
}
UPLOAD_REFUSED: Responses = {
    400: _error(
        "请求有误（`bad_request`）：不是 `multipart/form-data`、没有文件、文件过多、"
        "表单字段过长或评分方案未知"
    ),
    413: _error(
        "文件或本次上传合计超过大小上限，已拒绝（`upload_too_large`）；`detail` 给出文件名与上限"
    ),
    429: _error("待保存的上传已达每人或全部的容量上限（`upload_quota`）；请先保存或放弃已有的上传"),
}
INVALID_REQUEST = {
    "description": "请求参数无效（`invalid_request`）；`detail` 列出各出错参数",
    "content": {"application/json": {"schema": {"$ref": _REF + ErrorResponse.__name__}}},
}


def _always_valid(parameter: dict[str, Any]) -> bool:
    # A path segment is text: a plain text path parameter (an upload's token) never fails.
    schema = parameter.get("schema", {})
    return parameter["in"] == "path" and schema.get("type") == "string" and set(schema) <= _PLAIN


def can_fail_validation(operation: dict[str, Any]) -> bool:
    """Whether FastAPI can refuse the operation's request (a 422): FastAPI documents one
    wherever there are parameters, even when none of them can fail."""
    parameters = operation.get("parameters", [])
    return "requestBody" in operation or not all(_always_valid(p) for p in parameters)


def use_jixiao_errors(spec: dict[str, Any]) -> dict[str, Any]:
    """The document with jixiao's 422 wherever FastAPI put its own and the request can
    fail validation (changed in place)."""
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            invalid = responses.get("422", {})
            if invalid.get("content", {}).get("application/json", {}).get("schema") != _FASTAPI_422:
                continue
            if can_fail_validation(operation):
                responses["422"] = copy.deepcopy(INVALID_REQUEST)
            else:
                del responses["422"]
    # `ErrorResponse` is there already: the routes' own 404s, 400s and 413s name it.
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_SCHEMAS:
        schemas.pop(name, None)
    return spec


def install_openapi(app: FastAPI) -> None:
    """Have `app.openapi()` (and `/openapi.json`, `/docs`) give the document with
    jixiao's errors, built once."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = use_jixiao_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
