"""Uploads read and saved by jobs (SQLite and PostgreSQL): the request answers at once
with the job's progress, the job goes on behind it, a step cut short (a worker killed
with SIGKILL) is taken up again and finished with nothing stored twice or half, a step
that fails is retried and then reported, and the quotas on what waits are kept.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from jixiao.store.pending import MAX_ATTEMPTS, job_state, queue_save
from jixiao.store.tables import Document, FindingRow, FormRow, IndicatorRow, PendingUpload
from jixiao.web import staging
from jixiao.web.app import create_app
from jixiao.web.receiving import stage
from jixiao.web.settings import Settings
from tests.conftest import SEEDS
from tests.store.helpers import SEED_FORMS
from tests.support.processes import children, descendants, wait_gone
from tests.web.helpers import assert_error_body, seed_files, settled, upload

ROOT = Path(__file__).resolve().parents[2]

# The async tests run on anyio; the others are plain functions, which the mark leaves be.
pytestmark = pytest.mark.anyio


def _copies(count: int) -> list[tuple[str, bytes]]:
    """`count` distinct files (the seeds, told apart by trailing blank lines)."""
    seeds = [seed.read_bytes() for seed in SEEDS]
    return [
        (f"{n:03}_{SEEDS[n % len(SEEDS)].name}", seeds[n % len(SEEDS)] + b"\n" * n)
        for n in range(count)
    ]


def _state(engine: Engine, token: str) -> str:
    with Session(engine) as session:
        state = job_state(session, token)
    assert state is not None
    return state.state


def _wait_for(engine: Engine, token: str, states: set[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _state(engine, token)
        if state in states:
            return state
        time.sleep(0.02)
    raise AssertionError(f"upload {token} still {_state(engine, token)}")


@pytest.fixture
def slow_settings(settings: Settings) -> Settings:
    # Answer at once: every request sees its job still running.
    return settings.model_copy(update={"job_wait": 0.0})


async def test_an_upload_answers_at_once_and_its_job_goes_on(
    engine: Engine, slow_settings: Settings
) -> None:
    app = create_app(slow_settings, engine=engine)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            posted = await upload(client, seed_files())
            assert posted.status_code == 202
            body = posted.json()
            assert body["state"] in ("queued", "reading") and body["total"] == len(SEEDS)
            assert body["files"] == []
            # The page says so, and follows the job with its script (no inline code).
            page = (await client.get(f"/upload/{body['token']}")).text
            if "正在读取与审核" in page:
                assert 'src="/static/job.js"' in page and 'id="job-bar"' in page
            ready = await settled(client, posted)
            assert ready.status_code == 201
            assert ready.json()["savable_forms"] == SEED_FORMS
            # What the page polls: the state alone, without the preview.
            progress = (await client.get(f"/api/uploads/{body['token']}/progress")).json()
            assert progress == {
                "token": body["token"],
                "state": "ready",
                "done": len(SEEDS),
                "total": len(SEEDS),
                "failure": None,
            }
            gone = await client.get("/api/uploads/nosuchtoken/progress")
            assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
            saving = await client.post(f"/api/uploads/{body['token']}/save")
            assert saving.status_code in (200, 202)
            saved = await settled(client, saving)
            assert saved.status_code == 200 and saved.json()["forms"] == SEED_FORMS
            assert (await client.get("/api/forms")).json()["total"] == SEED_FORMS
    finally:
        app.state.jobs.close()


async def test_saving_an_upload_still_being_read_is_refused(
    engine: Engine, settings: Settings
) -> None:
    token = stage(engine, _copies(1), "shanghai", settings)  # queued, no worker told
    # No worker in this process, none elsewhere: nobody reads it, it stays queued.
    app = create_app(settings.model_copy(update={"job_wait": 0.0, "worker": False}), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        refused = await client.post(f"/api/uploads/{token}/save")
        error = assert_error_body(refused, 409, "upload_state")
        assert "读取中" in error["message"]
    assert _state(engine, token) == "queued"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(FormRow)) == 0


async def test_the_quotas_on_waiting_uploads(engine: Engine, settings: Settings) -> None:
    size = len(SEEDS[0].read_bytes())
    small = settings.model_copy(
        update={"max_pending_client_bytes": int(size * 1.5), "max_pending_total_bytes": size * 3}
    )
    app = create_app(small, engine=engine)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = await upload(client, seed_files(SEEDS[:1]))
            assert first.status_code in (201, 202)
            second = await upload(client, seed_files(SEEDS[:1]))
            error = assert_error_body(second, 429, "upload_quota")
            assert "每人上限" in error["message"] and "请先保存或放弃" in error["message"]
            # Saving the first frees the client's share.
            token = first.json()["token"]
            await settled(client, first)
            await settled(client, await client.post(f"/api/uploads/{token}/save"))
            third = await upload(client, seed_files(SEEDS[:1]))
            assert third.status_code in (201, 202)
        # Others' uploads count towards the whole server's quota.
        for n in range(2):
            stage(engine, _copies(1), "shanghai", small, client=f"10.0.0.{n}")
        with pytest.raises(Exception, match="总上限") as refused:
            stage(engine, _copies(1), "shanghai", small, client="10.0.0.9")
        assert getattr(refused.value, "status_code", None) == 429
    finally:
        app.state.jobs.close()


def test_a_step_that_fails_is_retried_then_reported(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    real = staging.take_in
    monkeypatch.setattr(staging, "take_in", flaky)
    from jixiao.jobs.steps import run_step

    token = stage(engine, _copies(1), "shanghai", settings)
    assert not run_step(engine, token, "read", staging.job_steps(settings))  # failed, given back
    assert _state(engine, token) == "queued"
    assert run_step(engine, token, "read", staging.job_steps(settings))
    assert _state(engine, token) == "ready"

    def broken(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(staging, "take_in", broken)
    token = stage(engine, _copies(1), "shanghai", settings)
    for _ in range(MAX_ATTEMPTS):
        run_step(engine, token, "read", staging.job_steps(settings))
    with Session(engine) as session:
        state = job_state(session, token)
    assert state is not None and state.state == "failed"
    assert state.failure is not None and "读取失败" in state.failure
    assert "No space left on device" in state.failure


def _worker(database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "jixiao", "worker", "--db", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """As `jixiao serve` stops its worker: SIGTERM, then SIGKILL after 30 s."""
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()


def _wait_running(engine: Engine, token: str, running: str) -> None:
    """Until the step runs and has done some of its files, not all."""
    deadline = time.monotonic() + 60
    while True:
        with Session(engine) as session:
            state = job_state(session, token)
        assert state is not None
        if state.state == running and 1 <= state.done < state.total:
            return
        assert state.state not in ("ready", "saved"), "the step ended before the kill"
        assert time.monotonic() < deadline, state
        time.sleep(0.005)


def _expire_lease(engine: Engine, token: str) -> None:
    # The lease of the killed worker runs out (time passing, without waiting for it).
    with Session(engine) as session:
        session.execute(
            update(PendingUpload)
            .where(PendingUpload.token == token)
            .values(lease_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        )
        session.commit()


@pytest.mark.parametrize("step", ["read", "save"])
def test_a_worker_killed_mid_step_leaves_nothing_half_done(
    engine: Engine, database_url: str, settings: Settings, step: str
) -> None:
    files = _copies(60)
    token = stage(engine, files, "shanghai", settings)
    if step == "save":
        assert staging.read_step(engine, token, settings)
        with Session(engine) as session:
            assert queue_save(session, token)
            session.commit()
    running = "reading" if step == "read" else "saving"
    worker = _worker(database_url)
    try:
        _wait_running(engine, token, running)
        helpers = descendants(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        # The step's own process ends with the worker (nothing of it goes on writing).
        wait_gone(helpers)
    finally:
        if worker.poll() is None:
            worker.kill()
    with Session(engine) as session:
        state = job_state(session, token)
        assert state is not None and state.state == running  # cut short, not ended
        documents = session.scalar(select(func.count()).select_from(Document))
        # What was stored is whole: every stored form has its indicators, every
        # finding its form, and no form lacks its document.
        orphans = session.scalar(
            select(func.count())
            .select_from(IndicatorRow)
            .where(~IndicatorRow.form_id.in_(select(FormRow.id)))
        )
        assert orphans == 0
        assert (
            session.scalar(
                select(func.count())
                .select_from(FindingRow)
                .where(FindingRow.form_id.is_not(None), ~FindingRow.form_id.in_(select(FormRow.id)))
            )
            == 0
        )
    if step == "read":
        assert documents == 0
    _expire_lease(engine, token)
    restarted = _worker(database_url)
    try:
        done = "ready" if step == "read" else "saved"
        _wait_for(engine, token, {done}, seconds=120)
    finally:
        _stop(restarted)
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Document))
        forms = session.scalar(select(func.count()).select_from(FormRow))
    if step == "save":
        # Each file stored once, whole: all the seeds' forms, once per copy of them.
        assert stored == len(files)
        assert forms == SEED_FORMS * len(files) // len(SEEDS)


def test_a_step_whose_process_is_killed_is_done_again(
    engine: Engine, database_url: str, settings: Settings
) -> None:
    """Each step runs in a process of its own (`commands.step_processes`): killed (the
    out-of-memory killer, say), its step is given back and done again by the worker,
    which goes on."""
    token = stage(engine, _copies(60), "shanghai", settings)
    worker = _worker(database_url)
    try:
        _wait_running(engine, token, "reading")
        # The step's process: the one under the fork server (the worker's child).
        (stepping,) = [p for d in children(worker.pid) for p in children(d)]
        os.kill(stepping, signal.SIGKILL)
        assert _wait_for(engine, token, {"ready", "failed"}, seconds=120) == "ready"
        with Session(engine) as session:
            upload = session.get(PendingUpload, token)
            assert upload is not None and upload.failure is None
        assert worker.poll() is None  # the worker itself goes on
    finally:
        _stop(worker)


def test_a_server_started_again_takes_up_what_was_cut_short(
    engine: Engine, settings: Settings
) -> None:
    token = stage(engine, _copies(2), "shanghai", settings)
    with Session(engine) as session:  # as a server killed while reading leaves it
        session.execute(
            update(PendingUpload)
            .where(PendingUpload.token == token)
            .values(state="reading", lease_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        )
        session.commit()
    app = create_app(settings, engine=engine)
    try:
        assert _wait_for(engine, token, {"ready"}) == "ready"
    finally:
        app.state.jobs.close()
