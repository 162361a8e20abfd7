"""Rendering pages: the Jinja2 environment, its filters, and `render`.

Templates ship inside the package (`jixiao/web/templates`). Undefined names fail
loudly, so a template mistake is a test failure rather than a blank cell.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jixiao.vocabulary.grades import GRADES
from jixiao.web import labels
from jixiao.web.display import compared, inline_markdown, money, score, size_text


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """The current list's query with some parameters changed (None removes one)."""
    merged = {**params, **changes}
    clean = {k: v for k, v in merged.items() if v is not None and v != ""}
    return urlencode(clean)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jixiao.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        # Templates are package data: checking their files for changes on every render
        # costs a stat() per template per request for nothing.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        money=money,
        score=score,
        size=size_text,
        code_spans=inline_markdown,
        kind_label=labels.kind_label,
        severity_label=labels.severity_label,
        finding_title=labels.finding_title,
        family_label=labels.family_label,
        format_label=labels.format_label,
        profile_title=labels.profile_title,
    )
    env.globals.update(
        query_string=query_string,
        compared=compared,
        KIND_LABELS=labels.KIND_LABELS,
        KIND_TITLES=labels.KIND_TITLES,
        SEVERITY_LABELS=labels.SEVERITY_LABELS,
        STAGE_LABELS=labels.STAGE_LABELS,
        GRADES=GRADES,
    )
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
