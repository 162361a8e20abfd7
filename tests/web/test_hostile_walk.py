"""Every route, walked with hostile values in every path and query parameter and body
field: no answer is a 500 (SQLite and PostgreSQL).

The routes are found from the routers themselves, so a route added later is walked too.
Each value is tried in one place at a time, the others holding plausible values.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import jixiao.web.routers
from jixiao.web.schemas import FindingQuery, FormQuery

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]

HOSTILE = (
    "-1",
    "0",
    str(2**31),
    str(2**63),
    "9" * 40,
    "1.5",
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    "\x1b[2J",
    "'; DROP TABLE forms; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%",
    "_",
    "\\",
    "*",
    "培" * 250,
    " ",
    "",
    "[]",
    "\u202e",
)
# Plausible values, for the parameters not being tried.
PLAIN = {"form_id": "1", "document_id": "1", "page": "1", "fmt": "xlsx", "token": "x" * 32}
QUERY_KEYS = sorted({*FormQuery.model_fields, *FindingQuery.model_fields})


@dataclass(frozen=True, slots=True)
class Walked:
    method: str
    path: str
    path_params: tuple[str, ...]
    query: bool  # the route takes the list's filters
    form_fields: tuple[str, ...]
    json_body: bool


def _names(dependant: Dependant, kind: str) -> list[str]:
    names = [p.name for p in getattr(dependant, kind)]
    for sub in dependant.dependencies:
        names += _names(sub, kind)
    return names


def routes() -> Iterator[Walked]:
    for module in pkgutil.iter_modules(jixiao.web.routers.__path__):
        router = getattr(
            importlib.import_module(f"{jixiao.web.routers.__name__}.{module.name}"), "router", None
        )
        for route in getattr(router, "routes", ()):
            if not isinstance(route, APIRoute):
                continue
            dependant = route.dependant
            body = [p.name for p in dependant.body_params]
            for method in sorted(route.methods):
                yield Walked(
                    method,
                    route.path,
                    tuple(dict.fromkeys(_names(dependant, "path_params"))),
                    "query" in _names(dependant, "query_params"),
                    tuple(name for name in body if name != "body"),
                    "body" in body,
                )


def _url(route: Walked, values: dict[str, str]) -> str:
    path = route.path.replace("{form_id:int}", "{form_id}")
    for name in route.path_params:
        path = path.replace("{" + name + "}", quote(values[name], safe=""))
    return path


async def _ask(client: httpx.AsyncClient, route: Walked, url: str, **kwargs: object) -> int:
    response = await client.request(route.method, url, **kwargs)  # type: ignore[arg-type]
    return response.status_code


def test_the_walk_finds_every_kind_of_route() -> None:
    found = list(routes())
    assert len(found) >= 30
    assert {r.method for r in found} >= {"GET", "POST", "PATCH", "DELETE"}
    assert any(r.query for r in found) and any(r.path_params for r in found)


async def test_no_hostile_value_answers_500(app: FastAPI) -> None:
    # The app's own exceptions become answers (500), to be counted, not raised here.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
        failures = await _walk(client)
    assert failures == []


async def _walk(client: httpx.AsyncClient) -> list[str]:
    failures: list[str] = []
    for route in routes():
        if route.method == "POST" and route.path in ("/api/uploads", "/upload"):
            continue  # uploads have their own hostile suites (names, sizes, formats)
        # Each path parameter in turn.
        for name in route.path_params:
            for value in HOSTILE:
                url = _url(route, {**PLAIN, name: value})
                if await _ask(client, route, url) >= 500:
                    failures.append(f"{route.method} {url!r}")
        plain = _url(route, PLAIN)
        # Each filter of the list in turn (downloads take them too).
        if route.query:
            for key in QUERY_KEYS:
                for value in HOSTILE:
                    if await _ask(client, route, plain, params={key: value}) >= 500:
                        failures.append(f"{route.method} {plain} ?{key}={value!r}")
        # Each field of a posted form, and a JSON body of hostile values.
        for field in route.form_fields:
            for value in HOSTILE:
                if await _ask(client, route, plain, data={field: value}) >= 500:
                    failures.append(f"{route.method} {plain} {field}={value!r}")
        if route.json_body:
            for value in HOSTILE:
                for body in ({"project_id": value}, {"project_id": None}, [value], value):
                    if await _ask(client, route, plain, json=body) >= 500:
                        failures.append(f"{route.method} {plain} json={body!r}")
    return failures
