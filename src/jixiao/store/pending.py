"""Uploads and the jobs that read and save them (storage step).

An upload's files wait here, in the database, under an unguessable token, so that any
server or worker process can do its work and a restart loses nothing. Nothing reaches
the forms tables until the reviewer saves it. Each upload carries the state of its job:

    receiving → queued → reading → ready → save_queued → saving → saved   (or failed)

An upload is kept as it arrives (`open_pending`, `keep_received`, `close_pending`): each
piece of its files a short transaction of its own, so that the request's own writing
overlaps its receiving and no other writer waits on a slow client. While `receiving` it
is no job's and counts in the quotas; if its request ends badly it is deleted, and if its
server dies, it is purged once its lease (renewed by every piece) has run out.

A process takes a step by *claiming* it (`claim`): one conditional UPDATE moves the
upload from the step's waiting state to its running state and gives it a lease. Only
one claimant can win it; a claimant that dies (a crash, `kill -9`) stops renewing its
lease, and once the lease has run out the step can be claimed again and is done again
from its start: reading keeps nothing until it ends, and saving skips the files an
earlier attempt stored (a file is known by its SHA-256). A step claimed `MAX_ATTEMPTS`
times without finishing fails, with its reason. Stale uploads are purged after
`max_age`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from jixiao.store.chunks import joined, pieces
from jixiao.store.tables import PendingChunk, PendingFile, PendingUpload, utcnow

DEFAULT_MAX_AGE = dt.timedelta(hours=24)
# How long a claimed step is held without a sign of life (`renew`) before another
# process may take it up: a step renews it with every file it finishes.
LEASE = dt.timedelta(seconds=120)
# A large file is read or saved in one go (on SQLite, saved in one transaction, during
# which nothing else can write, the lease neither): the step says first how large it
# is, and is given time for it at this rate (bytes a second), far below any real one.
LEASE_RATE = 100_000
MAX_ATTEMPTS = 3

Step = Literal["read", "save"]
# The state a step waits in, the state it runs in, and the state it ends in.
WAITING: dict[Step, str] = {"read": "queued", "save": "save_queued"}
RUNNING: dict[Step, str] = {"read": "reading", "save": "saving"}
ENDED: dict[Step, str] = {"read": "ready", "save": "saved"}
UNFINISHED = frozenset({*WAITING.values(), *RUNNING.values()})
RECEIVING = "receiving"
# What `create_pending` makes (`secrets.token_urlsafe`). Anything else names no upload
# and is never asked of the database (PostgreSQL refuses a NUL in text).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _may_exist(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


@dataclass(slots=True)
class KeptFile:
    """A pending file read back whole, for a job to read: its name and its bytes."""

    name: str
    content: bytes

    def take(self) -> bytes:
        """The bytes, handed over: this holds them no more, so that whoever takes them
        can let a large file go as soon as it is done with it."""
        content, self.content = self.content, b""
        return content


def create_pending(
    session: Session,
    files: Sequence[tuple[str, bytes]],
    profile: str,
    *,
    client: str | None = None,
) -> str:
    """Keep the files (name, bytes) of one upload, queued to be read, in this
    transaction; returns its token. The request receiving an upload keeps it the same
    way, a piece at a time as it arrives (`open_pending`, `keep_received`,
    `close_pending`), each piece in a transaction of its own."""
    token = open_pending(session, profile, client=client)
    for position, (name, data) in enumerate(files, start=1):
        keep_received(session, token, file_pieces(position, name, data))
    size = sum(len(data) for _, data in files)
    close_pending(session, token, profile, files=len(files), size=size)
    return token


@dataclass(frozen=True, slots=True)
class Received:
    """A piece of an upload as it arrived: a file's start (its `name`) or a chunk of it
    (`seq`, `data`), the file known by its position in the upload."""

    position: int
    name: str | None = None
    seq: int = 0
    data: bytes | memoryview = b""


def file_pieces(position: int, name: str, data: bytes) -> list[Received]:
    """A file already in memory as the pieces of an upload: its start, its chunks (views
    of `data`, `chunks.pieces`)."""
    chunks = (Received(position, seq=seq, data=c) for seq, c in enumerate(pieces(data)))
    return [Received(position, name=name), *chunks]


def open_pending(
    session: Session,
    profile: str,
    *,
    client: str | None = None,
    size: int = 0,
    origin: str = "upload",
) -> str:
    """A new upload, `receiving` (no job's yet) and counted in the quotas at `size` (what
    the client announced), saved as an import of `origin`; returns its token."""
    token = secrets.token_urlsafe(24)
    session.add(
        PendingUpload(
            token=token,
            profile=profile,
            created_at=utcnow(),
            state=RECEIVING,
            done=0,
            total=0,
            attempts=0,
            client=client,
            bytes=size,
            lease_until=utcnow() + LEASE,
            origin=origin,
        )
    )
    session.flush()
    return token


def keep_received(session: Session, token: str, received: Sequence[Received]) -> bool:
    """Keep pieces of a `receiving` upload (files begun, chunks of them), renewing its
    lease: the request that receives it is alive. False, and nothing kept, when it is
    no longer receiving (abandoned, or purged once its lease ran out)."""
    alive = session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == RECEIVING)
        .values(lease_until=utcnow() + LEASE)
    )
    if not getattr(alive, "rowcount", 0):
        return False
    ids: dict[int, int] = {}
    chunks: list[dict[str, object]] = []
    for piece in received:
        if piece.name is not None:
            # Core, not the ORM: the session would keep every chunk until its end.
            ids[piece.position] = session.execute(
                insert(PendingFile)
                .values(token=token, position=piece.position, name=piece.name)
                .returning(PendingFile.id)
            ).scalar_one()
            continue
        file_id = ids.get(piece.position)
        if file_id is None:
            file_id = ids[piece.position] = session.execute(
                select(PendingFile.id).where(
                    PendingFile.token == token, PendingFile.position == piece.position
                )
            ).scalar_one()
        chunks.append({"file_id": file_id, "seq": piece.seq, "data": piece.data})
    if chunks:  # one statement for them all, run as the driver runs many
        session.execute(insert(PendingChunk), chunks)
    return True


def close_pending(
    session: Session, token: str, profile: str, *, files: int, size: int, then: Step = "read"
) -> bool:
    """The upload has arrived whole: queued for its step `then` (read for a preview; or
    saved at once, as `jixiao import --queue` asks), under its scoring `profile`, counted
    at its files' `size`. False when it was purged meanwhile (its lease ran out)."""
    closed = session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == RECEIVING)
        .values(
            state=WAITING[then],
            profile=profile,
            total=files,
            bytes=size,
            lease_until=None,
            created_at=utcnow(),
        )
    )
    return bool(getattr(closed, "rowcount", 0))


def pending_file(session: Session, token: str, position: int) -> KeptFile | None:
    """One file of an upload, with its bytes: a job holds one file at a time. Its
    chunks are fetched one by one (`chunks.joined`)."""
    if not _may_exist(token):
        return None
    found = session.execute(
        select(PendingFile.id, PendingFile.name).where(
            PendingFile.token == token, PendingFile.position == position
        )
    ).first()
    if found is None:
        return None
    chunks = session.scalars(
        select(PendingChunk.data)
        .where(PendingChunk.file_id == found.id)
        .order_by(PendingChunk.seq)
        .execution_options(yield_per=1)
    )
    return KeptFile(found.name, joined(chunks))


@dataclass(frozen=True, slots=True)
class JobState:
    """Where an upload's job is: its state, and `done` of `total` files of the step."""

    state: str
    done: int
    total: int
    failure: str | None
    profile: str
    bytes: int  # of the upload's files
    origin: str  # of the import that saves it: upload, or cli (`jixiao import --queue`)


def job_state(session: Session, token: str) -> JobState | None:
    """The upload's job state; None for no upload, and for one still being received (it
    is no job's yet, and its request alone knows its token)."""
    if not _may_exist(token):
        return None
    row = session.execute(
        select(
            PendingUpload.state,
            PendingUpload.done,
            PendingUpload.total,
            PendingUpload.failure,
            PendingUpload.profile,
            PendingUpload.bytes,
            PendingUpload.origin,
        ).where(PendingUpload.token == token, PendingUpload.state != RECEIVING)
    ).first()
    return None if row is None else JobState(*row)


def claim(session: Session, token: str, step: Step) -> bool:
    """Take `step` of the upload `token` for this process, if it waits for one, or if
    the process that took it has let its lease run out. True when this call won it."""
    if not _may_exist(token):
        return False
    now = utcnow()
    claimed = session.execute(
        update(PendingUpload)
        .where(
            PendingUpload.token == token,
            or_(
                PendingUpload.state == WAITING[step],
                and_(PendingUpload.state == RUNNING[step], PendingUpload.lease_until < now),
            ),
        )
        .values(
            state=RUNNING[step],
            done=0,
            lease_until=now + LEASE,
            attempts=PendingUpload.attempts + 1,
        )
    )
    return bool(getattr(claimed, "rowcount", 0))


def attempts(session: Session, token: str) -> int:
    return session.scalar(select(PendingUpload.attempts).where(PendingUpload.token == token)) or 0


def lease_for(coming: int) -> dt.timedelta:
    """A lease long enough for a step to do `coming` more bytes before its next sign of
    life (`LEASE_RATE`)."""
    return LEASE + dt.timedelta(seconds=coming / LEASE_RATE)


def renew(session: Session, token: str, step: Step, done: int, *, coming: int = 0) -> None:
    """A sign of life from the step running: `done` files finished, the lease renewed;
    long enough for the `coming` bytes of a large file it starts now (`lease_for`)."""
    session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == RUNNING[step])
        .values(done=done, lease_until=utcnow() + lease_for(coming))
    )


def end_step(session: Session, token: str, step: Step, **values: str | None) -> None:
    """The step has ended: the upload moves on (`ENDED`), keeping `values` (the preview
    of a read, the outcome of a save)."""
    session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == RUNNING[step])
        .values(state=ENDED[step], lease_until=None, attempts=0, **values)
    )


def release(session: Session, token: str, step: Step) -> None:
    """Give a step back, to be claimed again at once (it failed, and may be retried)."""
    session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == RUNNING[step])
        .values(state=WAITING[step], lease_until=None)
    )


def fail(session: Session, token: str, reason: str) -> None:
    session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state.in_(UNFINISHED))
        .values(state="failed", lease_until=None, failure=reason)
    )


def queue_save(session: Session, token: str) -> bool:
    """Ask for the upload to be saved; False unless its preview is ready."""
    if not _may_exist(token):
        return False
    queued = session.execute(
        update(PendingUpload)
        .where(PendingUpload.token == token, PendingUpload.state == ENDED["read"])
        .values(state=WAITING["save"], done=0, attempts=0)
    )
    return bool(getattr(queued, "rowcount", 0))


def claimable(
    session: Session, limit: int = 100, *, token: str | None = None
) -> list[tuple[str, Step]]:
    """Steps waiting for a process, oldest upload first: queued ones, and running ones
    whose lease has run out (their process died); of the upload `token` alone, if named."""
    now = utcnow()
    query = select(PendingUpload.token, PendingUpload.state).where(
        or_(
            PendingUpload.state.in_(WAITING.values()),
            and_(PendingUpload.state.in_(RUNNING.values()), PendingUpload.lease_until < now),
        )
    )
    if token is not None:
        query = query.where(PendingUpload.token == token)
    rows = session.execute(query.order_by(PendingUpload.created_at).limit(limit))
    steps = {state: step for step, state in (*WAITING.items(), *RUNNING.items())}
    return [(token, steps[state]) for token, state in rows]


def held_bytes(session: Session, client: str | None = None) -> int:
    """The bytes of the uploads not yet saved or discarded (of one client, if named)."""
    query = select(func.coalesce(func.sum(PendingUpload.bytes), 0)).where(
        PendingUpload.state != ENDED["save"]
    )
    if client is not None:
        query = query.where(PendingUpload.client == client)
    return int(session.scalar(query) or 0)


def drop_files(session: Session, token: str) -> None:
    """The files of a saved upload: stored now, no longer kept here. Chunks first:
    SQLite only cascades when foreign keys are on, and this must not depend on a
    connection setting."""
    files = select(PendingFile.id).where(PendingFile.token == token).scalar_subquery()
    session.execute(delete(PendingChunk).where(PendingChunk.file_id.in_(files)))
    session.execute(delete(PendingFile).where(PendingFile.token == token))


def kept_results(session: Session, token: str) -> tuple[str | None, str | None]:
    """What the upload's job kept (`end_step`): its preview once read, and its outcome
    once saved (the API's JSON of each), or None for a step not ended."""
    if not _may_exist(token):
        return None, None
    row = session.execute(
        select(PendingUpload.preview, PendingUpload.outcome).where(PendingUpload.token == token)
    ).first()
    return (None, None) if row is None else (row[0], row[1])


def delete_pending(session: Session, token: str) -> bool:
    if not _may_exist(token):
        return False
    drop_files(session, token)
    deleted = session.execute(delete(PendingUpload).where(PendingUpload.token == token))
    return bool(getattr(deleted, "rowcount", 0))


def purge_expired(session: Session, max_age: dt.timedelta = DEFAULT_MAX_AGE) -> int:
    """Delete the uploads older than `max_age`, and those whose receiving stopped (their
    request's server died: the lease it renewed has run out)."""
    now = utcnow()
    tokens = list(
        session.scalars(
            select(PendingUpload.token).where(
                or_(
                    PendingUpload.created_at < now - max_age,
                    and_(PendingUpload.state == RECEIVING, PendingUpload.lease_until < now),
                )
            )
        )
    )
    for token in tokens:
        delete_pending(session, token)
    return len(tokens)
