"""The API reference (`/openapi.json` and `/docs`): in Chinese, complete, and true.

Every text a reader of the reference reads is Chinese (code in backticks aside), every
schema, field and parameter is described, and the errors it documents are the bodies
the API really sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from jixiao.web.errors import ApiError
from jixiao.web.routers.docs import inline_markdown
from jixiao.web.schemas import ErrorResponse
from tests.support.latin import latin_words, visible_text
from tests.web.conftest import MAX_UPLOAD_BYTES
from tests.web.helpers import upload

pytestmark = pytest.mark.anyio

_REF = "#/components/schemas/"
_CODE_SPAN = re.compile(r"`[^`]*`")
_METHODS = ("get", "post", "put", "patch", "delete")
# The requests FastAPI can refuse (422): an integer id, a query, a JSON body. An upload's
# token is any text, and the upload's body is read by jixiao, not FastAPI.
_CAN_BE_INVALID = {
    ("get", "/api/forms"),
    ("get", "/api/forms/{form_id}"),
    ("patch", "/api/forms/{form_id}"),
    ("get", "/api/findings"),
}


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def _texts(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every description and summary of the document, with where it is. Keys named
    `description` that hold a schema (a field of that name) are not texts."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield f"{where}/{key}", value
            else:
                yield from _texts(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")


def _english(text: str) -> list[str]:
    """The English of a text, code spans (in backticks) aside."""
    return latin_words(_CODE_SPAN.sub(" ", text))


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Each operation: its path, its method and itself."""
    for path, item in spec["paths"].items():
        for method in _METHODS:
            if method in item:
                yield path, method, item[method]


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    assert ref.startswith(_REF), ref
    resolved: dict[str, Any] = spec["components"]["schemas"][ref.removeprefix(_REF)]
    return resolved


def _problems(value: Any, schema: dict[str, Any], spec: dict[str, Any], at: str) -> list[str]:
    """Where `value` breaks `schema`: the part of JSON Schema the error body uses."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema:
        options = [_problems(value, s, spec, at) for s in schema["anyOf"]]
        return [] if any(not p for p in options) else [f"{at}: none of {options}"]
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
    }
    kind = schema.get("type")
    if kind == "null":
        return [] if value is None else [f"{at}: not null"]
    if kind in kinds and not isinstance(value, kinds[kind]):
        return [f"{at}: not {kind}"]
    problems: list[str] = []
    if kind == "array":
        for i, item in enumerate(value):
            problems += _problems(item, schema.get("items", {}), spec, f"{at}[{i}]")
    if kind == "object":
        properties = schema.get("properties", {})
        problems += [f"{at}: {k} missing" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in properties:
                problems += _problems(item, properties[key], spec, f"{at}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{at}: {key} not documented")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += _problems(item, schema["additionalProperties"], spec, f"{at}.{key}")
    return problems


def _documented(spec: dict[str, Any], path: str, method: str, status: int | str) -> dict[str, Any]:
    """The schema of a documented response's JSON body."""
    response = spec["paths"][path][method]["responses"][str(status)]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def _assert_true_to(
    response: httpx.Response, spec: dict[str, Any], path: str, method: str = "get"
) -> None:
    schema = _documented(spec, path, method, response.status_code)
    body = response.json()
    assert _problems(body, schema, spec, "body") == []
    ErrorResponse.model_validate(body)


async def test_every_text_of_the_document_is_chinese(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    english = {
        where: words
        for where, text in [("/info/title", spec["info"]["title"]), *_texts(spec)]
        if (words := _english(text))
    }
    assert english == {}
    tags = {tag["name"]: tag.get("description") for tag in spec.get("tags", [])}
    for path, method, op in _operations(spec):
        (tag,) = op["tags"]
        assert tags.get(tag), f"{method} {path}: tag {tag} is not described"
        assert not latin_words(tag)


async def test_the_docs_page_shows_no_english_and_no_markdown(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert "`" not in text
    assert _english(text) == []
    # Code in a description is shown as code.
    assert "<code>self_evaluation</code> 自评表" in response.text
    assert "<code>null</code>" in response.text


def test_markdown_is_code_spans_and_escaped_text() -> None:
    assert inline_markdown("a <b> & `x<y>` `z`") == (
        "a &lt;b&gt; &amp; <code>x&lt;y&gt;</code> <code>z</code>"
    )
    assert inline_markdown("only `one") == "only `one"


async def test_every_schema_field_and_parameter_is_described(
    client: httpx.AsyncClient,
) -> None:
    spec = await _spec(client)
    schemas = spec["components"]["schemas"]
    undescribed = []
    for name, schema in schemas.items():
        if not schema.get("description"):
            undescribed.append(name)
        for field, prop in schema.get("properties", {}).items():
            # pydantic drops a bare `$ref`'s description when it repeats the referenced
            # schema's own: that description is then the field's.
            if not (prop.get("description") or _resolve(prop, spec).get("description")):
                undescribed.append(f"{name}.{field}")
    for path, method, op in _operations(spec):
        for parameter in op.get("parameters", []):
            if not parameter.get("description"):
                undescribed.append(f"{method} {path} {parameter['name']}")
        for content in op.get("requestBody", {}).get("content", {}).values():
            for field, prop in content["schema"].get("properties", {}).items():
                if not prop.get("description"):
                    undescribed.append(f"{method} {path} body {field}")
    assert undescribed == []


async def test_errors_are_documented_where_they_happen(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    error = _REF + ErrorResponse.__name__
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])
    for path, method, op in _operations(spec):
        responses = op["responses"]
        for status in responses:
            if status.startswith(("4", "5")):
                assert _documented(spec, path, method, status) == {"$ref": error}
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            assert "404" in responses, f"{method} {path}: an id or a token, and no 404"
        assert ("422" in responses) == ((method, path) in _CAN_BE_INVALID), f"{method} {path}"
    upload_responses = spec["paths"]["/api/uploads"]["post"]["responses"]
    assert {"400", "413"} <= set(upload_responses)
    # Every error code jixiao raises is named where the body's `code` is described.
    codes = {ApiError.code} | {cls.code for cls in ApiError.__subclasses__()}
    described = spec["components"]["schemas"]["ErrorBody"]["properties"]["code"]["description"]
    assert {c for c in codes if f"`{c}`" not in described} == set()


async def test_real_errors_are_what_the_document_says(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    not_found = await client.get("/api/forms/999999")
    assert not_found.status_code == 404
    _assert_true_to(not_found, spec, "/api/forms/{form_id}")
    invalid = await client.get("/api/forms", params={"limit": "abc"})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["detail"]  # the parameter that failed
    _assert_true_to(invalid, spec, "/api/forms")
    gone = await client.delete("/api/uploads/no-such-upload")
    assert gone.status_code == 404
    _assert_true_to(gone, spec, "/api/uploads/{token}", "delete")
    not_an_upload = await client.post("/api/uploads", json={"files": []})
    assert not_an_upload.status_code == 400
    _assert_true_to(not_an_upload, spec, "/api/uploads", "post")
    big = [("files", ("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "text/plain"))]
    too_large = await upload(client, big)
    assert too_large.status_code == 413
    _assert_true_to(too_large, spec, "/api/uploads", "post")


async def test_schema_names_read_as_names(client: httpx.AsyncClient) -> None:
    """One model per record type: no `module__Name__1` duplicates, no doubled kind."""
    names = list((await _spec(client))["components"]["schemas"])
    assert "SelfEvaluationFundsRow" in names
    for name in names:
        assert "__" not in name, name
        assert not re.match(r"(SelfEvaluation|Declaration)\1", name), name
