"""Request time limits: a statement over the server's `query_timeout` is stopped and
answered 503 `query_timeout` (nothing saved); a request body that stops arriving, or
arrives too slowly, is answered 408 `request_timeout`, and nothing of it is kept."""

from __future__ import annotations

import socket
import time

import anyio
import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from starlette.types import Message, Scope

from jixiao.store.engine import is_query_timeout, make_engine
from jixiao.store.tables import PendingUpload
from jixiao.web.app import create_app
from jixiao.web.deadlines import BodyDeadline
from jixiao.web.errors import QUERY_TIMEOUT, install_error_handlers
from jixiao.web.settings import Settings
from tests.web.live import live_server

pytestmark = pytest.mark.anyio

# Seconds of work on either database, far over the timeouts below.
SLOW = (
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 300000000)"
    " SELECT count(*) FROM r"
)


def test_a_statement_over_the_timeout_is_stopped(database_url: str) -> None:
    engine = make_engine(database_url, query_timeout=0.3)
    try:
        with engine.connect() as connection:
            started = time.monotonic()
            with pytest.raises(OperationalError) as stopped:
                connection.execute(text(SLOW))
            assert is_query_timeout(stopped.value)
            assert time.monotonic() - started < 3
        with engine.connect() as connection:  # the connection is good for the next one
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_an_engine_without_a_timeout_lets_a_statement_run(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            count = (
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 200000)"
            )
            assert connection.execute(text(count + " SELECT count(*) FROM r")).scalar() == 200000
    finally:
        engine.dispose()


@pytest.fixture
def slow_app(database_url: str, engine: Engine) -> FastAPI:
    """The app as `jixiao serve` makes it (its own engine, from the settings), with a
    route whose query runs long."""
    app = create_app(Settings(database_url=database_url, query_timeout=0.3, job_wait=0))

    @app.get("/api/slow")
    @app.get("/slow")
    def slow(request: Request) -> int:
        with request.app.state.read_engine.connect() as connection:
            return int(connection.execute(text(SLOW)).scalar() or 0)

    return app


async def test_a_request_whose_query_runs_over_answers_503(slow_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=slow_app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
            answer = await client.get("/api/slow")
            assert answer.status_code == 503
            assert answer.json()["error"]["code"] == QUERY_TIMEOUT
            assert "查询用时超过服务器的上限" in answer.json()["error"]["message"]
            page = await client.get("/slow")
            assert page.status_code == 503
            assert "已中止" in page.text
            # The server goes on answering.
            assert (await client.get("/api/stats")).status_code == 200
    finally:
        slow_app.state.jobs.close()
        slow_app.state.engine.dispose()


def _pending(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(PendingUpload)) or 0)


def test_an_upload_whose_body_stops_arriving_answers_408(database_url: str, engine: Engine) -> None:
    settings = Settings(database_url=database_url, body_idle_seconds=0.5, job_wait=0)
    app = create_app(settings, engine=engine)
    head = (
        "POST /api/uploads HTTP/1.1\r\nHost: jixiao.test\r\n"
        "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n"
        '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.tsv"\r\n\r\n'
        "绩效自评表\t"
    ).encode()
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(head)  # and then nothing more
            started = time.monotonic()
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                answer += chunk
            waited = time.monotonic() - started
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"408", answer[:300]
    assert b'"request_timeout"' in rest
    assert "没有继续送达".encode() in rest
    assert 0.4 < waited < 5
    assert _pending(engine) == 0


async def test_a_body_arriving_too_slowly_answers_408() -> None:
    """A body that keeps coming, but slower than `min_rate` once the grace is over."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/echo")
    async def echo(request: Request) -> int:
        return len(await request.body())

    bounded = BodyDeadline(app, idle_seconds=5, min_rate=1024 * 1024, grace_seconds=0.1)
    chunks = [b"x" * 10 for _ in range(30)]

    async def trickle() -> Message:
        await anyio.sleep(0.02)
        body = chunks.pop() if chunks else b""
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    sent: list[Message] = []

    async def collect(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/echo",
        "raw_path": b"/api/echo",
        "query_string": b"",
        "headers": [(b"host", b"jixiao.test")],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("jixiao.test", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
    }
    await bounded(scope, trickle, collect)
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 408
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b"request_timeout" in body
    assert "送达过慢".encode() in body
    assert chunks, "the body was cut off before its end"
