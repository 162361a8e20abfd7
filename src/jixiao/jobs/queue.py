"""procrastinate's queue on PostgreSQL (jobs step): steps deferred as its jobs, so that
`jixiao worker` processes on any machine hear of them at once (LISTEN/NOTIFY) and share
them, with no service but the database.

A job names the upload and the step; the job is only the news of the step, and the
upload's row stays the record of it (`store.pending`): a job deferred twice, or done by
two workers, does the step once, since only one can claim it. A worker that dies leaves
its job "doing" in procrastinate's table and its upload's lease running out: each worker
looks every `SWEEP` seconds for steps whose lease ran out, and defers them again.

procrastinate's tables are created in the jixiao database the first time it is used
(`ensure_schema`, behind an advisory lock so that processes starting at once take turns).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import procrastinate
import psycopg_pool
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import JobDeferrer
from procrastinate.schema import SchemaManager
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from jixiao.jobs.steps import Steps, run_step
from jixiao.store.pending import Step, claimable

log = logging.getLogger(__name__)

QUEUE = "jixiao"
TASK = "jixiao.upload_step"
SWEEP = 30.0
# Any fixed number: processes that create procrastinate's tables take turns.
_SCHEMA_LOCK = 0x6A69_7869_7071


def conninfo(engine: Engine) -> str:
    """The libpq connection string of the engine's database."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK})
        if connection.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None:
            return
        # On psycopg's own connection (in this transaction): with no parameters, the
        # schema's `%` signs are not taken for placeholders.
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute(SchemaManager.get_schema())


# What a worker's task needs: set by `run_worker` before the first job is taken.
_WORKER: dict[str, Any] = {}
tasks = procrastinate.Blueprint()


@tasks.task(name=TASK, queue=QUEUE)
def upload_step(token: str, step: str) -> None:
    steps: Steps = _WORKER["steps"]
    if step in steps:  # a job of no known step (another version's) does nothing
        run_step(_WORKER["engine"], token, step, steps)  # type: ignore[arg-type]


def _job(app: procrastinate.App, token: str, step: Step) -> JobDeferrer:
    """The job of `step` of the upload `token`: one at a time may wait (its queueing
    lock), so deferring it again while it waits is refused (`AlreadyEnqueued`)."""
    return app.configure_task(TASK, queueing_lock=f"{step}:{token}")


def _app(engine: Engine) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(engine)))
    app.add_tasks_from(tasks, namespace="")
    return app


class QueueDeferrer:
    """Defers steps as procrastinate jobs (the web application's side), over a small
    pool of its own that keeps no connection open while nothing is deferred."""

    def __init__(self, engine: Engine) -> None:
        ensure_schema(engine)
        self.app = _app(engine)
        self._pool = psycopg_pool.ConnectionPool(
            conninfo(engine), min_size=0, max_size=4, max_idle=60, open=False
        )
        self._pool.open()
        self.app.open(self._pool)

    def defer(self, token: str, step: Step) -> None:
        # A job already waiting for this step is enough.
        with contextlib.suppress(AlreadyEnqueued):
            _job(self.app, token, step).defer(token=token, step=step)

    def close(self) -> None:
        self.app.close()
        self._pool.close()


def run_worker(engine: Engine, steps: Steps, *, concurrency: int = 1) -> None:
    """`jixiao worker` on PostgreSQL: take the steps as their jobs come, until stopped
    (SIGINT or SIGTERM let the step running finish)."""
    ensure_schema(engine)
    _WORKER.update(engine=engine, steps=steps)
    app = _app(engine)
    asyncio.run(_work(app, engine, concurrency))


async def _work(app: procrastinate.App, engine: Engine, concurrency: int) -> None:
    async with app.open_async():
        sweeper = asyncio.create_task(_sweep(app, engine))
        try:
            await app.run_worker_async(queues=[QUEUE], concurrency=concurrency, wait=True)
        finally:
            sweeper.cancel()


async def _sweep(app: procrastinate.App, engine: Engine) -> None:
    """Defer again the steps nobody holds: waiting ones whose job is gone, and running
    ones whose worker died (their lease ran out)."""
    while True:
        try:
            waiting = await asyncio.to_thread(_claimable, engine)
            for token, step in waiting:
                with contextlib.suppress(AlreadyEnqueued):
                    await _job(app, token, step).defer_async(token=token, step=step)
        except Exception:
            log.exception("jobs: sweeping for stalled steps failed")
        await asyncio.sleep(SWEEP)


def _claimable(engine: Engine) -> list[tuple[str, Step]]:
    with Session(engine) as session:
        return claimable(session)
