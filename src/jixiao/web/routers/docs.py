"""`/docs`: the API described from its OpenAPI document, as a plain page.

FastAPI's built-in `/docs` loads Swagger UI from a CDN; jixiao serves no third-party
scripts, so this page renders the same OpenAPI document (`/openapi.json`) itself.
Its texts are written with code in backticks, the one piece of Markdown they use:
that becomes `<code>`, and everything else is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from jixiao.web.display import inline_markdown
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)

_METHODS = ("get", "post", "put", "patch", "delete")
_PLACES = {"query": "查询", "path": "路径", "header": "请求头"}
_REF = "#/components/schemas/"


def paragraphs(text: str) -> list[Markup]:
    """`text`'s paragraphs (parted by blank lines), each as `inline_markdown`."""
    return [inline_markdown(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def type_of(schema: dict[str, Any]) -> str:
    """A short readable type: `int`, `str | null`, `list[FormSummaryPublic]` …"""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return " | ".join(type_of(s) for s in schema[union])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type")
    if kind == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        return f"dict[str, {type_of(extra) if isinstance(extra, dict) else 'any'}]"
    return str(kind or "any")


def refs_of(schema: dict[str, Any]) -> list[str]:
    """The names of the schemas `schema` refers to, for links to their descriptions."""
    if "$ref" in schema:
        return [str(schema["$ref"]).rsplit("/", 1)[-1]]
    inner = [*schema.get("anyOf", []), *schema.get("oneOf", [])]
    if isinstance(schema.get("items"), dict):
        inner.append(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        inner.append(schema["additionalProperties"])
    return [name for s in inner for name in refs_of(s)]


def description_of(prop: dict[str, Any], schemas: dict[str, Any]) -> str:
    """A property's description. pydantic leaves it out of a bare `$ref` when it repeats
    the referenced schema's own description: then that is the property's too."""
    if prop.get("description"):
        return str(prop["description"])
    ref = str(prop.get("$ref", ""))
    if ref.startswith(_REF):
        return str(schemas.get(ref.removeprefix(_REF), {}).get("description", ""))
    return ""


def _fields(schema: dict[str, Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_of(prop),
            "required": name in required,
            "description": inline_markdown(description_of(prop, schemas)),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(
    path: str, method: str, op: dict[str, Any], schemas: dict[str, Any]
) -> dict[str, Any]:
    body = op.get("requestBody", {}).get("content", {})
    return {
        "method": method.upper(),
        "path": path,
        "summary": inline_markdown(op.get("summary", "")),
        "description": paragraphs(op.get("description", "")),
        "parameters": [
            {
                "name": p["name"],
                "in": _PLACES.get(p["in"], p["in"]),
                "required": p.get("required", False),
                "type": type_of(p.get("schema", {})),
                "description": inline_markdown(
                    p.get("description") or p.get("schema", {}).get("description", "")
                ),
            }
            for p in op.get("parameters", [])
        ],
        "body": [
            {
                "type": ctype,
                "schema": type_of(c.get("schema", {})),
                "refs": refs_of(c.get("schema", {})),
                # A body described in place (the upload's multipart fields) has no schema
                # of its own below: its fields are listed with the operation.
                "fields": _fields(c.get("schema", {}), schemas),
            }
            for ctype, c in body.items()
        ],
        "responses": [
            {
                "status": status,
                "description": inline_markdown(r.get("description", "")),
                "schema": ", ".join(
                    type_of(c.get("schema", {})) for c in r.get("content", {}).values()
                ),
                "refs": [
                    name for c in r.get("content", {}).values() for name in refs_of(c["schema"])
                ],
            }
            for status, r in op.get("responses", {}).items()
        ],
    }


def _sections(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations grouped by tag, in the order of the document's tags."""
    schemas = spec.get("components", {}).get("schemas", {})
    sections: dict[str, dict[str, Any]] = {
        tag["name"]: {
            "name": tag["name"],
            "description": paragraphs(tag.get("description", "")),
            "operations": [],
        }
        for tag in spec.get("tags", [])
    }
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["其他"])[0]
            section = sections.setdefault(tag, {"name": tag, "description": [], "operations": []})
            section["operations"].append(_operation(path, method, op, schemas))
    return [s for s in sections.values() if s["operations"]]


def _schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    schemas = spec.get("components", {}).get("schemas", {})
    return [
        {
            "name": name,
            "description": paragraphs(schema.get("description", "")),
            "fields": _fields(schema, schemas),
        }
        for name, schema in sorted(schemas.items())
    ]


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    return render(
        request,
        "docs.html",
        {
            "title": "接口文档",
            "nav": "docs",
            "spec": spec,
            "description": paragraphs(spec["info"].get("description", "")),
            "sections": _sections(spec),
            "schemas": _schemas(spec),
        },
    )
