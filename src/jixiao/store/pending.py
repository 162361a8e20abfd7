"""Uploads waiting for 保存 or 放弃 (storage step).

An upload is read and reviewed at once and shown as a preview; nothing reaches the
forms tables until the reviewer saves it. Meanwhile the files wait here, in the
database, under an unguessable token, so that any server process can finish the job
and a restart loses nothing. Stale uploads are purged after `max_age`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, undefer

from jixiao.store.tables import PendingFile, PendingUpload, utcnow

DEFAULT_MAX_AGE = dt.timedelta(hours=24)
# What `create_pending` makes (`secrets.token_urlsafe`). Anything else names no upload
# and is never asked of the database (PostgreSQL refuses a NUL in text).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _may_exist(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


def create_pending(session: Session, files: Sequence[tuple[str, bytes]], profile: str) -> str:
    """Keep the files of one upload; returns its token."""
    token = secrets.token_urlsafe(24)
    session.add(PendingUpload(token=token, profile=profile, created_at=utcnow()))
    session.flush()
    session.add_all(
        PendingFile(token=token, position=position, name=name, content=data)
        for position, (name, data) in enumerate(files, start=1)
    )
    session.flush()
    return token


def get_pending(session: Session, token: str) -> tuple[PendingUpload, list[PendingFile]] | None:
    if not _may_exist(token):
        return None
    upload = session.get(PendingUpload, token)
    if upload is None:
        return None
    files = session.scalars(
        select(PendingFile)
        .where(PendingFile.token == token)
        .order_by(PendingFile.position)
        .options(undefer(PendingFile.content))
    )
    return upload, list(files)


def kept_preview(session: Session, token: str) -> str | None:
    """The preview kept for the upload `token` (`keep_preview`), if there is one."""
    if not _may_exist(token):
        return None
    return session.scalar(select(PendingUpload.preview).where(PendingUpload.token == token))


def keep_preview(session: Session, token: str, preview: str) -> None:
    """Keep the upload's preview (computed once: its files are not read again for it)."""
    session.execute(
        update(PendingUpload).where(PendingUpload.token == token).values(preview=preview)
    )


def delete_pending(session: Session, token: str) -> bool:
    if not _may_exist(token):
        return False
    # Files first: SQLite only cascades when foreign keys are on, and this must not
    # depend on a connection setting.
    session.execute(delete(PendingFile).where(PendingFile.token == token))
    deleted = session.execute(delete(PendingUpload).where(PendingUpload.token == token))
    return bool(getattr(deleted, "rowcount", 0))


def purge_expired(session: Session, max_age: dt.timedelta = DEFAULT_MAX_AGE) -> int:
    cutoff = utcnow() - max_age
    tokens = list(
        session.scalars(select(PendingUpload.token).where(PendingUpload.created_at < cutoff))
    )
    for token in tokens:
        delete_pending(session, token)
    return len(tokens)
