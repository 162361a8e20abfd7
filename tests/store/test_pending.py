"""Pending uploads wait under a token until saved, discarded or expired."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from jixiao.store.pending import create_pending, delete_pending, get_pending, purge_expired
from jixiao.store.tables import PendingUpload, utcnow


def test_pending_upload_lifecycle(engine: Engine) -> None:
    with Session(engine) as session:
        token = create_pending(session, [("a.txt", b"one"), ("b.txt", b"\x00two")], "shanghai")
        session.commit()
    with Session(engine) as session:
        found = get_pending(session, token)
        assert found is not None
        upload, files = found
        assert upload.profile == "shanghai"
        assert [(f.name, f.content) for f in files] == [("a.txt", b"one"), ("b.txt", b"\x00two")]
        assert delete_pending(session, token)
        session.commit()
        assert get_pending(session, token) is None
        assert not delete_pending(session, token)


def test_expired_uploads_are_purged(engine: Engine) -> None:
    with Session(engine) as session:
        old = create_pending(session, [("old.txt", b"x")], "national-2020")
        new = create_pending(session, [("new.txt", b"y")], "national-2020")
        session.execute(
            update(PendingUpload)
            .where(PendingUpload.token == old)
            .values(created_at=utcnow() - dt.timedelta(days=2))
        )
        session.commit()
        assert purge_expired(session, dt.timedelta(hours=24)) == 1
        session.commit()
        assert get_pending(session, old) is None
        assert get_pending(session, new) is not None
