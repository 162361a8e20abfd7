"""The upload workflow (presentation step): receive → read → preview → save or discard.

Shared by the upload page and `POST /api/uploads`. A request only keeps the received
files as a pending upload (`store.pending`) and hands the work to a job (`jixiao.jobs`):
`read_step` reads and reviews the files into the preview, `save_step` imports them with
the same importer as `jixiao import`, one transaction per file. Each step holds one
file at a time (a large upload is never in memory whole), says how far it is after each
file, and may be cut short and done again from its start (`store.pending` says how):
nothing it does is visible until it ends, but the files it stored, which are skipped the
second time by their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from functools import partial
from typing import Literal

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.intake import Intake, take_in
from jixiao.jobs.steps import Steps
from jixiao.store.engine import writing
from jixiao.store.importer import Importer
from jixiao.store.pending import (
    claim,
    create_pending,
    delete_pending,
    drop_files,
    end_step,
    held_bytes,
    job_state,
    kept_preview,
    pending_file,
    purge_expired,
    queue_save,
    renew,
    saved_outcome,
)
from jixiao.store.tables import Document
from jixiao.web.display import size_text
from jixiao.web.errors import NotFoundError, UploadQuotaError, UploadStateError
from jixiao.web.schemas import (
    FindingBrief,
    SavedFilePublic,
    SavedPublic,
    UploadFilePublic,
    UploadFormPublic,
    UploadPublic,
    dec,
)
from jixiao.web.settings import Settings
from jixiao.web.uploads import UploadedFile

GONE = "这次上传已放弃或已过期（{hours} 小时未处理）"
SAVE_BATCH_FILES = 20
SAVE_BATCH_BYTES = 16 * 1024 * 1024
# Any fixed number: on PostgreSQL, quota checks and the uploads they admit take turns.
_QUOTA_LOCK = 0x6A69_7869_7175


def check_quota(engine: Engine, client: str | None, coming: int, settings: Settings) -> None:
    """Refuse (429) an upload of `coming` bytes that would take the uploads waiting to
    be saved over the client's share or the server's whole quota."""
    with Session(engine) as session:
        _check_quota(session, client, coming, settings)


def _check_quota(session: Session, client: str | None, coming: int, settings: Settings) -> None:
    if client is not None:
        mine = held_bytes(session, client)
        if mine + coming > settings.max_pending_client_bytes:
            raise UploadQuotaError(
                f"您待保存的上传已有 {size_text(mine)}，再上传 {size_text(coming)} 将超过每人上限 "
                f"{size_text(settings.max_pending_client_bytes)}；请先保存或放弃已有的上传。",
                detail={"held_bytes": mine, "max_bytes": settings.max_pending_client_bytes},
            )
    everyone = held_bytes(session)
    if everyone + coming > settings.max_pending_total_bytes:
        raise UploadQuotaError(
            f"服务器上待保存的上传已有 {size_text(everyone)}，已接近总上限 "
            f"{size_text(settings.max_pending_total_bytes)}；请稍后再试，或先保存、放弃已有的上传。",
            detail={"held_bytes": everyone, "max_bytes": settings.max_pending_total_bytes},
        )


def stage(
    engine: Engine,
    files: list[UploadedFile],
    profile: str,
    settings: Settings,
    client: str | None = None,
) -> str:
    """Keep the received files as a pending upload queued to be read; returns its token.
    The quota is checked again here, in the transaction that admits the upload."""
    with Session(writing(engine)) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _QUOTA_LOCK})
        purge_expired(session, dt.timedelta(hours=settings.pending_hours))
        _check_quota(session, client, sum(len(f.data) for f in files), settings)
        token = create_pending(session, [(f.name, f.data) for f in files], profile, client=client)
        session.commit()
    return token


def brief(finding: Finding) -> FindingBrief:
    return FindingBrief(
        code=finding.code,
        kind=finding.kind,
        severity=finding.severity.value,
        message=finding.message,
        line=finding.line,
        indicator=finding.indicator,
        field=finding.field,
    )


def _files(
    engine: Engine, token: str, total: int, settings: Settings, profile: str
) -> Iterator[tuple[int, Intake]]:
    """The upload's files read and reviewed, one at a time, with whether each is stored."""
    for position in range(1, total + 1):
        with Session(engine) as session:
            file = pending_file(session, token, position)
            if file is None:
                continue
            name, content = file.name, file.content
        intake = take_in(content, name, profile, max_bytes=settings.max_upload_bytes)
        del content
        yield position, intake


def _known(engine: Engine, sha256: str) -> bool:
    with Session(engine) as session:
        return session.scalar(select(Document.id).where(Document.sha256 == sha256)) is not None


def read_step(engine: Engine, token: str, settings: Settings) -> bool:
    """Read and review the upload's files and keep its preview (the job's first step).
    False when there was nothing to do: another process has the step, or it is done."""
    with Session(writing(engine)) as session:
        won = claim(session, token, "read")
        state = job_state(session, token) if won else None
        session.commit()
    if state is None:
        return False
    files = []
    for position, intake in _files(engine, token, state.total, settings, state.profile):
        files.append(_file_preview(intake, _known(engine, intake.sha256)))
        with Session(writing(engine)) as session:
            renew(session, token, "read", position)
            session.commit()
    savable = sum(len(f.forms) for f in files if f.status == "ready")
    computed = UploadPublic(
        token=token,
        profile=state.profile,
        state="ready",
        done=len(files),
        total=state.total,
        files=files,
        savable_forms=savable,
        url=f"/upload/{token}",
    )
    with Session(writing(engine)) as session:
        end_step(session, token, "read", preview=computed.model_dump_json())
        session.commit()
    return True


def save_step(engine: Engine, token: str, settings: Settings) -> bool:
    """Import the upload's files (the job's second step, once the reviewer asks): each
    file in its own transaction, a file stored already (by an earlier attempt of this
    step, or by anyone) skipped. The files are dropped when the step ends."""
    with Session(writing(engine)) as session:
        won = claim(session, token, "save")
        state = job_state(session, token) if won else None
        session.commit()
    if state is None:
        return False
    with Importer(engine, origin="upload", profile=state.profile) as importer:
        batch: list[Intake] = []
        for position, intake in _files(engine, token, state.total, settings, state.profile):
            batch.append(intake)
            # A batch of files is one transaction (a file refused by the database is
            # then written alone): bounded in files and in bytes held.
            if len(batch) >= SAVE_BATCH_FILES or sum(i.size for i in batch) > SAVE_BATCH_BYTES:
                importer.add_many(batch)
                batch = []
                with Session(writing(engine)) as session:
                    renew(session, token, "save", position)
                    session.commit()
        importer.add_many(batch)
        summary = importer.finish()
    saved = SavedPublic(
        import_id=summary.import_id,
        forms=summary.forms,
        findings=summary.findings,
        form_ids=summary.form_ids,
        files=[
            SavedFilePublic(
                name=o.name, status=o.status, message=o.message, document_id=o.document_id
            )
            for o in summary.outcomes
        ],
        url=f"/forms?import_id={summary.import_id}",
    )
    with Session(writing(engine)) as session:
        drop_files(session, token)
        end_step(session, token, "save", outcome=saved.model_dump_json())
        session.commit()
    return True


def upload_state(engine: Engine, token: str, settings: Settings) -> UploadPublic:
    """Where the upload is: its progress, its preview once read, its result once saved.
    The preview is the one kept when it was read (its files are not read again);
    which files were already imported is as of that moment, and saving checks again."""
    with Session(engine) as session:
        state = job_state(session, token)
        if state is None:
            raise NotFoundError(GONE.format(hours=settings.pending_hours))
        kept = kept_preview(session, token)
        outcome = saved_outcome(session, token) if state.state == "saved" else None
    base = (
        UploadPublic.model_validate_json(kept)
        if kept is not None
        else UploadPublic(
            token=token,
            profile=state.profile,
            files=[],
            savable_forms=0,
            url=f"/upload/{token}",
        )
    )
    return base.model_copy(
        update={
            "state": state.state,
            "done": state.done,
            "total": state.total,
            "failure": state.failure,
            "saved": SavedPublic.model_validate_json(outcome) if outcome else None,
        }
    )


def _file_preview(intake: Intake, known: bool) -> UploadFilePublic:
    refusal = intake.refusal
    status: Literal["ready", "refused", "known"]
    if refusal is not None:
        status, message = "refused", refusal
    elif known:
        status, message = "known", f"文件「{intake.name}」已导入过，保存时将跳过"
    else:
        n = len(intake.forms)
        status, message = "ready", f"读到 {n} 张表单、{intake.finding_count} 项问题，可以保存"
    forms = [
        UploadFormPublic(
            index=r.index,
            kind=r.form.kind,
            year=r.form.year,
            project=r.form.project,
            department=r.form.department,
            unit=r.form.unit,
            total_score=dec(getattr(r.form, "total_score", None)),
            ref_total=dec(r.score.total.value if r.score and r.score.total else None),
            grade=getattr(r.form, "grade", None),
            ref_grade=r.score.grade if r.score else None,
            findings=[brief(f) for f in r.findings],
        )
        for r in intake.forms
    ]
    return UploadFilePublic(
        name=intake.name,
        size=intake.size,
        format=intake.format,
        sha256=intake.sha256,
        status=status,
        message=message,
        findings=[brief(f) for f in intake.file_findings],
        forms=forms,
    )


def job_steps(settings: Settings) -> Steps:
    """The steps of an upload's job, as `jixiao.jobs` runs them."""
    return {
        "read": partial(read_step, settings=settings),
        "save": partial(save_step, settings=settings),
    }


RUNNING_STATES = frozenset({"queued", "reading", "save_queued", "saving"})


def wait(engine: Engine, token: str, seconds: float) -> str | None:
    """Wait up to `seconds` for the upload's job to stop running; its state then (or
    None if the upload is gone). A request waits so that a small upload is answered
    whole; a large one is answered with its progress, and its job goes on behind."""
    deadline = time.monotonic() + seconds
    pause = 0.02
    while True:
        with Session(engine) as session:
            state = job_state(session, token)
        if state is None or state.state not in RUNNING_STATES:
            return None if state is None else state.state
        if time.monotonic() >= deadline:
            return state.state
        time.sleep(pause)
        pause = min(pause * 1.5, 0.2)


def ask_to_save(engine: Engine, token: str, settings: Settings) -> str:
    """Queue the upload to be saved; its state. Refused (409) while it is still being
    read or has failed; a save asked twice is one save."""
    with Session(writing(engine)) as session:
        queued = queue_save(session, token)
        state = job_state(session, token)
        session.commit()
    if state is None:
        raise NotFoundError(GONE.format(hours=settings.pending_hours))
    if queued or state.state in {"save_queued", "saving", "saved"}:
        return state.state
    if state.state == "failed":
        raise UploadStateError(f"这次上传处理失败，不能保存：{state.failure}")
    raise UploadStateError("这次上传还在读取中，读取完成后才能保存", detail={"state": state.state})


def discard(engine: Engine, token: str) -> bool:
    """Forget the upload and its files; False if there was none. Refused (409) while it
    is being saved: the files stored so far would stay, the rest not."""
    with Session(writing(engine)) as session:
        state = job_state(session, token)
        if state is not None and state.state in {"save_queued", "saving"}:
            raise UploadStateError("这次上传正在保存，不能放弃")
        found = delete_pending(session, token)
        session.commit()
    return found
