"""Uploads handed to their jobs (presentation step): what the upload page and the API
share between receiving the files and answering.

The request checks the quota (from the length the client announced, before reading the
body), receives the files and keeps them as they arrive (`web.receiving`), defers their
reading to the application's `Jobs`, and waits a moment (`Settings.job_wait`) so that a small upload is answered
with its preview at once; a large one (over `WAIT_UP_TO_BYTES`) is answered at once
with its progress while its job goes on. Saving is asked and waited for the same way.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from jixiao.jobs import Jobs
from jixiao.web import staging
from jixiao.web.receiving import Receiving
from jixiao.web.settings import Settings
from jixiao.web.uploads import received_files

# A request waits for its job (`Settings.job_wait`) only when the upload may be read in
# that time: a larger one is answered at once with its progress.
WAIT_UP_TO_BYTES = 16 * 1024 * 1024


def jobs(request: Request) -> Jobs:
    found: Jobs = request.app.state.jobs
    return found


def client_of(request: Request) -> str | None:
    """Whose upload it is, for the quota: the client's address until accounts exist."""
    return request.client.host if request.client else None


def _announced(request: Request) -> int:
    length = request.headers.get("content-length", "")
    return int(length) if length.isdigit() else 0


async def receive_and_stage(request: Request, engine: Engine, settings: Settings) -> str:
    """Receive the upload, keep it and defer its reading; its token, once the job has
    ended or `job_wait` has passed."""
    receiving = Receiving(engine, settings, client_of(request), _announced(request))
    token = await run_in_threadpool(receiving.open)
    try:
        files, profile = await received_files(request, settings, receiving.keep)
        await run_in_threadpool(receiving.close, profile, files)
    except BaseException:
        await run_in_threadpool(receiving.abandon)
        raise
    jobs(request).defer(token, "read")
    if sum(f.size for f in files) <= WAIT_UP_TO_BYTES:
        await run_in_threadpool(staging.wait, engine, token, settings.job_wait)
    return token


def ask_and_wait(request: Request, engine: Engine, token: str, settings: Settings) -> str:
    """Ask for the upload to be saved (in a thread of the pool); its state once the save
    has ended or `job_wait` has passed."""
    job = staging.ask_to_save(engine, token, settings)
    if job.state == "saved":
        return job.state
    jobs(request).defer(token, "save")
    wait = settings.job_wait if job.bytes <= WAIT_UP_TO_BYTES else 0.0
    return staging.wait(engine, token, wait) or job.state
