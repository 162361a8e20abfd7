"""Every response carries the security headers (`web.security`): pages, the API, static
files, errors; the printable form keeps its own policy, which still runs no inline script."""

from __future__ import annotations

import httpx
import pytest

from jixiao.web.security import CONTENT_SECURITY_POLICY, HEADERS, PRINTABLE_CSP

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/forms",
        "/forms?q=培训",
        "/forms/1",
        "/forms/1/project",
        "/upload",
        "/rules",
        "/docs",
        "/api/forms",
        "/api/forms/1",
        "/openapi.json",
        "/static/style.css",
        "/forms/987654",  # 404
        "/forms?year=abc",  # 422
        "/api/forms/1.5",  # 422 (API)
    ],
)
async def test_every_response_carries_the_headers(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    for name, value in HEADERS:
        assert response.headers[name.decode()] == value.decode(), (url, name)


async def test_the_policy_runs_no_inline_script_and_allows_no_framing() -> None:
    for policy in (CONTENT_SECURITY_POLICY, PRINTABLE_CSP):
        directives = dict(d.split(" ", 1) for d in policy.split("; "))
        assert directives["script-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


async def test_the_printable_form_keeps_its_own_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/forms/1.html")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == PRINTABLE_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
