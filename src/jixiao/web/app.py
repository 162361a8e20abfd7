"""The application factory (presentation step): settings → database → routers.

`create_app` opens the database named by the settings, brings its schema to the newest
migration, and wires the routers, the static files and the error handlers. The
interactive API description at `/docs` is jixiao's own page (no CDN scripts).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

import jixiao.intake  # noqa: F401  (registers the review rules in the catalogue)
from jixiao.jobs import Jobs
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.store.stats import StatsCache, refresh_if_stale
from jixiao.web.deadlines import BodyDeadline
from jixiao.web.errors import install_error_handlers
from jixiao.web.openapi import TAGS, install_openapi
from jixiao.web.routers import (
    api_findings,
    api_forms,
    api_stats,
    api_uploads,
    docs,
    documents,
    downloads,
    form_exports,
    forms,
    links,
    overview,
    rules,
    site,
    upload,
)
from jixiao.web.security import SecurityHeaders
from jixiao.web.settings import Settings
from jixiao.web.staging import job_steps

DESCRIPTION = """jixiao（绩效）表单库的 JSON 接口：表单、问题、上传、统计与审核规则。

金额与得分一律为十进制数字文本（不用浮点数）。出错时返回统一的错误结构：
`{"error": {"status": 404, "code": "not_found", "message": "…"}}`（见 `ErrorResponse`）。"""


def _version() -> str:
    try:
        return version("jixiao")
    except PackageNotFoundError:  # pragma: no cover  (running from a source tree)
        return "0"


def read_engine(engine: Engine) -> Engine:
    """The engine for requests that only read. On PostgreSQL it runs in autocommit: a
    page's few queries need no snapshot of their own (stored forms do not change), and
    each transaction would cost two more round trips (BEGIN, ROLLBACK) per request."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    settings = settings or Settings()
    owns_engine = engine is None
    engine = engine or make_engine(settings.database_url, query_timeout=settings.query_timeout)
    upgrade(engine)
    # Figures an import stopped before its end left behind (stats.refresh_if_stale).
    refresh_if_stale(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Pages run in a thread pool (their database calls block). Many threads of one
        # process only take turns at the GIL; a few, with the rest of the requests
        # waiting their turn, answer sooner on the whole.
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        sys.setswitchinterval(settings.switch_interval)
        yield
        app.state.jobs.close()
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="jixiao 绩效表单库",
        description=DESCRIPTION,
        version=_version(),
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = read_engine(engine)
    app.state.stats_cache = StatsCache()
    app.state.jobs = Jobs(engine, job_steps(settings), in_process=settings.worker)
    # Uploads whose reading or saving a stopped server left unfinished.
    app.state.jobs.recover()
    install_error_handlers(app)
    app.add_middleware(
        BodyDeadline, idle_seconds=settings.body_idle_seconds, min_rate=settings.min_body_rate
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("jixiao.web", "static")]), name="static")
    for module in (
        api_forms,
        api_findings,
        api_stats,
        api_uploads,
        overview,
        form_exports,  # /forms/{id}.xlsx before /forms/{id}
        forms,
        downloads,
        links,
        upload,
        rules,
        documents,
        docs,
        site,
    ):
        app.include_router(module.router)
    install_openapi(app)
    return app
