"""The upload workflow (presentation step): read → review → preview → save or discard.

Shared by the upload page and `POST /api/uploads`. Received files wait in
`pending_uploads` under a token; the preview reads and reviews them (reading is fast and
deterministic, so it is simply done again rather than cached); saving imports them with
the same importer as `jixiao import`, one transaction per file.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.findings import Finding
from jixiao.intake import Intake, take_in
from jixiao.store.engine import writing
from jixiao.store.importer import Importer
from jixiao.store.pending import (
    create_pending,
    delete_pending,
    get_pending,
    keep_preview,
    kept_preview,
    purge_expired,
)
from jixiao.store.tables import Document
from jixiao.web.errors import NotFoundError
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

GONE = "这次上传已保存或已放弃，或已过期（{hours} 小时未处理）"


def stage(engine: Engine, files: list[UploadedFile], profile: str, settings: Settings) -> str:
    """Keep the received files as a pending upload; returns its token."""
    with Session(writing(engine)) as session:
        purge_expired(session, dt.timedelta(hours=settings.pending_hours))
        token = create_pending(session, [(f.name, f.data) for f in files], profile)
        session.commit()
    return token


def _intakes(engine: Engine, token: str, settings: Settings) -> tuple[str, list[Intake], set[str]]:
    with Session(engine) as session:
        pending = get_pending(session, token)
        if pending is None:
            raise NotFoundError(GONE.format(hours=settings.pending_hours))
        upload, files = pending
        intakes = [
            take_in(f.content, f.name, upload.profile, max_bytes=settings.max_upload_bytes)
            for f in files
        ]
        hashes = [i.sha256 for i in intakes]
        known = set(session.scalars(select(Document.sha256).where(Document.sha256.in_(hashes))))
    return upload.profile, intakes, known


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


def preview(engine: Engine, token: str, settings: Settings) -> UploadPublic:
    """The upload's preview: computed the first time (its files read and reviewed), then
    kept and shown as it was. Which files were already imported is as of that moment;
    saving checks again (a file imported since is skipped, not stored twice)."""
    with Session(engine) as session:
        kept = kept_preview(session, token)
    if kept is not None:
        return UploadPublic.model_validate_json(kept)
    profile, intakes, known = _intakes(engine, token, settings)
    files = [_file_preview(intake, intake.sha256 in known) for intake in intakes]
    savable = sum(len(f.forms) for f in files if f.status == "ready")
    computed = UploadPublic(
        token=token, profile=profile, files=files, savable_forms=savable, url=f"/upload/{token}"
    )
    with Session(writing(engine)) as session:
        keep_preview(session, token, computed.model_dump_json())
        session.commit()
    return computed


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


def save(engine: Engine, token: str, settings: Settings) -> SavedPublic:
    profile, intakes, _ = _intakes(engine, token, settings)
    with Importer(engine, origin="upload", profile=profile) as importer:
        importer.add_many(intakes)
        summary = importer.finish()
    discard(engine, token)
    return SavedPublic(
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


def discard(engine: Engine, token: str) -> bool:
    with Session(writing(engine)) as session:
        found = delete_pending(session, token)
        session.commit()
    return found
