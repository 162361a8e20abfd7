"""The upload workflow (presentation step): receive → read → preview → save or discard.

Shared by the upload page and `POST /api/uploads`. A request only keeps the received
files as a pending upload as they arrive (`web.receiving`, `store.pending`) and hands
the work to a job (`jixiao.jobs`):
`read_step` reads and reviews the files into the preview, `save_step` imports them with
the same importer as `jixiao import`, a batch of files per transaction. Each step holds
one file at a time (a large upload is never in memory whole), and a large text rendering
a part at a time (`intake.take_in_parts`: its forms are never all held at once; saved
in one transaction all the same). It says how far it is after each file, and may be cut
short and done again from its start (`store.pending` says how): nothing it does is
visible until it ends, but the files it stored, which are skipped the second time by
their SHA-256.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.intake import (
    Intake,
    PartsDoNotFit,
    ReviewedForm,
    refusal_of,
    take_in,
    take_in_parts,
)
from jixiao.jobs.steps import Steps
from jixiao.store.engine import writing
from jixiao.store.importer import Importer, known_documents
from jixiao.store.pending import (
    JobState,
    KeptFile,
    Step,
    claim,
    delete_pending,
    drop_files,
    end_step,
    job_state,
    kept_results,
    pending_file,
    queue_save,
    renew,
)
from jixiao.store.prepared import prepare
from jixiao.web.errors import NotFoundError, UploadStateError
from jixiao.web.schemas import (
    FindingBrief,
    SavedFilePublic,
    SavedPublic,
    UploadFilePublic,
    UploadFormPublic,
    UploadProgressPublic,
    UploadPublic,
    dec,
)
from jixiao.web.settings import Settings

GONE = "这次上传已放弃或已过期（{hours} 小时未处理）"
# Files from this size on are read a part at a time, if they can be cut at their forms.
PARTS_FROM_BYTES = 8 * 1024 * 1024
# A file's preview lists its first forms; its counts are of all of them.
PREVIEW_FORMS = 1000
# A file from this size on may take longer than a lease: it is announced first.
LONG_FILE_BYTES = 4 * 1024 * 1024
SAVE_BATCH_FILES = 20
SAVE_BATCH_BYTES = 16 * 1024 * 1024


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


def _kept(engine: Engine, token: str, step: Step, position: int) -> KeptFile | None:
    """One of the upload's files, with its bytes. Before a large file, the step's lease
    is made long enough for it (`pending.lease_for`)."""
    with Session(engine) as session:
        file = pending_file(session, token, position)
    if file is not None and len(file.content) >= LONG_FILE_BYTES:
        _renewed(engine, token, step, position - 1, coming=len(file.content))
    return file


def _in_parts(file: KeptFile, profile: str) -> Iterator[Intake] | None:
    """A large text rendering read a part at a time (`intake.take_in_parts`), so that a
    60 MB file is never held as 40,000 forms at once; None for a file read whole. The
    parts take the file's bytes, and let them go once the first part is read."""
    if len(file.content) < PARTS_FROM_BYTES:
        return None
    data = file.take()
    streamed = take_in_parts(data, file.name, profile)
    if streamed is None:
        file.content = data  # not cut: read whole
    return streamed


def _read_file(
    engine: Engine, token: str, position: int, profile: str, settings: Settings
) -> UploadFilePublic | None:
    """One file's preview: read whole, or a part at a time when it is large."""
    file = _kept(engine, token, "read", position)
    if file is None:
        return None
    streamed = _in_parts(file, profile)
    if streamed is not None:
        try:
            return _parts_preview(engine, streamed)
        except PartsDoNotFit:
            file = _kept(engine, token, "read", position)  # read whole, below
            if file is None:
                return None
    intake = take_in(file.take(), file.name, profile, max_bytes=settings.max_upload_bytes)
    return _file_preview(intake, _known(engine, intake.sha256))


def _parts_preview(engine: Engine, streamed: Iterator[Intake]) -> UploadFilePublic:
    """The preview of a file read in parts: its counts over every part, its forms
    listed up to `PREVIEW_FORMS`."""
    first: Intake | None = None
    forms: list[UploadFormPublic] = []
    blocking: list[Finding] = []
    about_the_file: list[Finding] = []
    read = findings = 0
    for part in streamed:
        first = first or replace(part, data=b"")  # the bytes are not shown
        blocking.extend(part.blocking)
        about_the_file.extend(part.file_findings)
        read += len(part.forms)
        findings += part.finding_count
        room = PREVIEW_FORMS - len(forms)
        forms.extend(_form_preview(r) for r in part.forms[: max(room, 0)])
    assert first is not None  # a plan has parts
    refusal = refusal_of(first.name, blocking, forms=read)
    return _file_public(
        replace(first, file_findings=tuple(about_the_file)),
        _known(engine, first.sha256),
        refusal,
        forms,
        forms_read=read,
        findings=findings,
    )


def _known(engine: Engine, sha256: str) -> bool:
    with engine.connect() as connection:
        return sha256 in known_documents(connection, [sha256])


def _claimed(engine: Engine, token: str, step: Step) -> JobState | None:
    """The upload's job state, if this call won `step` of it (`pending.claim`)."""
    with Session(writing(engine)) as session:
        state = job_state(session, token) if claim(session, token, step) else None
        session.commit()
    return state


def _renewed(engine: Engine, token: str, step: Step, done: int, *, coming: int = 0) -> None:
    """Say how far the step is (`done` files), renewing its lease (`pending.renew`)."""
    with Session(writing(engine)) as session:
        renew(session, token, step, done, coming=coming)
        session.commit()


def read_step(engine: Engine, token: str, settings: Settings) -> bool:
    """Read and review the upload's files and keep its preview (the job's first step).
    False when there was nothing to do: another process has the step, or it is done."""
    state = _claimed(engine, token, "read")
    if state is None:
        return False
    files = []
    for position in range(1, state.total + 1):
        preview = _read_file(engine, token, position, state.profile, settings)
        if preview is not None:
            files.append(preview)
        _renewed(engine, token, "read", position)
    savable = sum(f.forms_read for f in files if f.status == "ready")
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
    """Import the upload's files (the job's second step, once the reviewer asks): a batch
    of files per transaction, a large file alone and a part at a time, a file stored
    already (by an earlier attempt of this step, or by anyone) skipped. The files are
    dropped when the step ends."""
    state = _claimed(engine, token, "save")
    if state is None:
        return False
    with Importer(engine, origin=state.origin, profile=state.profile) as importer:
        batch: list[Intake] = []
        for position in range(1, state.total + 1):
            file = _kept(engine, token, "save", position)
            streamed = None if file is None else _in_parts(file, state.profile)
            if streamed is not None:
                importer.add_many(batch)  # the files before it, in their order
                batch = []
                try:
                    importer.add_in_parts(prepare(part, state.profile) for part in streamed)
                    file = None
                except PartsDoNotFit:
                    # Nothing of it was written: it is read whole.
                    file = _kept(engine, token, "save", position)
            if file is not None:
                batch.append(
                    take_in(
                        file.take(), file.name, state.profile, max_bytes=settings.max_upload_bytes
                    )
                )
            del file, streamed
            # A batch of files is one transaction (a file refused by the database is
            # then written alone): bounded in files and in bytes held.
            if len(batch) >= SAVE_BATCH_FILES or sum(i.size for i in batch) > SAVE_BATCH_BYTES:
                importer.add_many(batch)
                batch = []
            _renewed(engine, token, "save", position)
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


def upload_progress(engine: Engine, token: str, settings: Settings) -> UploadProgressPublic:
    """Where the upload's job is, without its preview: what a page polls while it runs
    (one small query; the preview of a large upload is megabytes)."""
    with Session(engine) as session:
        state = job_state(session, token)
    if state is None:
        raise NotFoundError(GONE.format(hours=settings.pending_hours))
    return UploadProgressPublic.model_validate({"token": token, **_progress(state)})


def _progress(state: JobState) -> dict[str, object]:
    """The fields of an upload's progress, as its job state says them."""
    return {
        "state": state.state,
        "done": state.done,
        "total": state.total,
        "failure": state.failure,
    }


def upload_state(engine: Engine, token: str, settings: Settings) -> UploadPublic:
    """Where the upload is: its progress, its preview once read, its result once saved.
    The preview is the one kept when it was read (its files are not read again);
    which files were already imported is as of that moment, and saving checks again."""
    with Session(engine) as session:
        state = job_state(session, token)
        if state is None:
            raise NotFoundError(GONE.format(hours=settings.pending_hours))
        kept, outcome = kept_results(session, token)
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
            **_progress(state),
            "saved": SavedPublic.model_validate_json(outcome) if outcome else None,
        }
    )


def _file_preview(intake: Intake, known: bool) -> UploadFilePublic:
    forms = [_form_preview(r) for r in intake.forms[:PREVIEW_FORMS]]
    return _file_public(
        intake,
        known,
        intake.refusal,
        forms,
        forms_read=len(intake.forms),
        findings=intake.finding_count,
    )


def _file_public(
    intake: Intake,
    known: bool,
    refusal: str | None,
    forms: list[UploadFormPublic],
    *,
    forms_read: int,
    findings: int,
) -> UploadFilePublic:
    status: Literal["ready", "refused", "known"]
    if refusal is not None:
        status, message = "refused", refusal
    elif known:
        status, message = "known", f"文件「{intake.name}」已导入过，保存时将跳过"
    else:
        status, message = "ready", f"读到 {forms_read} 张表单、{findings} 项问题，可以保存"
    return UploadFilePublic(
        name=intake.name,
        size=intake.size,
        format=intake.format,
        sha256=intake.sha256,
        status=status,
        message=message,
        findings=[brief(f) for f in intake.file_findings],
        forms=forms,
        forms_read=forms_read,
    )


def _form_preview(r: ReviewedForm) -> UploadFormPublic:
    return UploadFormPublic(
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


def ask_to_save(engine: Engine, token: str, settings: Settings) -> JobState:
    """Queue the upload to be saved; its job's state. Refused (409) while it is still
    being read or has failed; a save asked twice is one save."""
    with Session(writing(engine)) as session:
        queued = queue_save(session, token)
        state = job_state(session, token)
        session.commit()
    if state is None:
        raise NotFoundError(GONE.format(hours=settings.pending_hours))
    if queued or state.state in {"save_queued", "saving", "saved"}:
        return state
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
