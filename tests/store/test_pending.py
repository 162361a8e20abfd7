"""Pending uploads wait under a token until saved, discarded or expired."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from jixiao.store.chunks import CHUNK_BYTES
from jixiao.store.engine import make_engine, writing
from jixiao.store.migrate import upgrade
from jixiao.store.pending import (
    LEASE,
    LEASE_RATE,
    KeptFile,
    claim,
    claimable,
    create_pending,
    delete_pending,
    job_state,
    pending_file,
    purge_expired,
    renew,
)
from jixiao.store.tables import PendingChunk, PendingUpload, utcnow


def test_pending_upload_lifecycle(engine: Engine) -> None:
    with Session(engine) as session:
        token = create_pending(session, [("a.txt", b"one"), ("b.txt", b"\x00two")], "shanghai")
        session.commit()
    with Session(engine) as session:
        state = job_state(session, token)
        assert state is not None and state.profile == "shanghai" and state.total == 2
        assert pending_file(session, token, 1) == KeptFile("a.txt", b"one")
        assert pending_file(session, token, 2) == KeptFile("b.txt", b"\x00two")
        assert pending_file(session, token, 3) is None
        assert delete_pending(session, token)
        session.commit()
        assert job_state(session, token) is None
        assert pending_file(session, token, 1) is None
        assert not delete_pending(session, token)


def test_a_large_file_is_kept_in_chunks_and_read_back_whole(engine: Engine) -> None:
    data = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 3)  # two chunks and a bit
    with Session(engine) as session:
        token = create_pending(session, [("big.tsv", data)], "shanghai")
        session.commit()
    with Session(engine) as session:
        chunks = session.scalars(select(func.length(PendingChunk.data))).all()
        assert sorted(chunks) == [768, CHUNK_BYTES, CHUNK_BYTES]
        assert pending_file(session, token, 1) == KeptFile("big.tsv", data)
        assert delete_pending(session, token)
        session.commit()
        # The chunks go with their upload (the foreign keys cascade).
        assert session.scalar(select(func.count()).select_from(PendingChunk)) == 0


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
        assert job_state(session, old) is None
        assert job_state(session, new) is not None
        # The expired upload's chunks went with it: only the new one's are left.
        assert session.scalar(select(func.count()).select_from(PendingChunk)) == 1


def test_a_step_starting_a_large_file_gets_a_lease_long_enough_for_it(engine: Engine) -> None:
    """On SQLite, saving a large file holds the write lock until it is whole: the step
    cannot renew its lease meanwhile, so it asks, before, for time enough for the file."""
    with Session(engine) as session:
        token = create_pending(session, [("big.tsv", b"x")], "shanghai")
        assert claim(session, token, "read")
        before = utcnow()
        renew(session, token, "read", 0, coming=60 * LEASE_RATE)
        session.commit()
        lease = session.scalar(
            select(PendingUpload.lease_until).where(PendingUpload.token == token)
        )
        assert lease is not None
        if lease.tzinfo is None:  # SQLite gives back what it keeps: UTC, without its zone
            lease = lease.replace(tzinfo=dt.UTC)
        given = lease - before
        assert LEASE + dt.timedelta(seconds=59) < given < LEASE + dt.timedelta(seconds=62)
        # Not claimable meanwhile by another process: the lease has not run out.
        assert not claim(session, token, "read")


def test_an_upload_kept_leaves_the_checkpoint_to_the_next_writer(tmp_path: Path) -> None:
    """SQLite: the commit of a kept upload does not copy the write-ahead log into the
    database file (the user waits on it); the connection, back in its pool, checkpoints
    again, and the next writer's commit does it."""
    engine = make_engine(str(tmp_path / "c.db"))
    upgrade(engine)
    wal = tmp_path / "c.db-wal"
    data = bytes(range(256)) * (CHUNK_BYTES // 256 * 8)  # 8 MB: over the 1,000 pages
    with Session(writing(engine, checkpoint_later=True)) as session:
        create_pending(session, [("a.tsv", data)], "shanghai")
        session.commit()
    database = tmp_path / "c.db"
    # The upload is in the log alone: nothing was copied into the database file.
    assert database.stat().st_size < len(data) < wal.stat().st_size
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 1000
    with Session(writing(engine)) as session:  # the next writer
        create_pending(session, [("b.tsv", b"small")], "shanghai")
        session.commit()
    assert database.stat().st_size > len(data)
    engine.dispose()


def test_the_steps_waiting_of_one_upload(engine: Engine) -> None:
    with Session(engine) as session:
        first = create_pending(session, [("a.txt", b"one")], "shanghai")
        second = create_pending(session, [("b.txt", b"two")], "shanghai")
        session.commit()
        assert {token for token, _ in claimable(session)} == {first, second}
        assert claimable(session, token=second) == [(second, "read")]
        assert claimable(session, token="nobody") == []
