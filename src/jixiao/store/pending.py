"""Uploads and the jobs that read and save them (storage step).

An upload's files wait here, in the database, under an unguessable token, so that any
server or worker process can do its work and a restart loses nothing. Nothing reaches
the forms tables until the reviewer saves it. Each upload carries the state of its job:

    queued → reading → ready → save_queued → saving → saved        (or failed)

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from jixiao.store.chunks import CHUNK_BYTES, joined, pieces
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
# What `create_pending` makes (`secrets.token_urlsafe`). Anything else names no upload
# and is never asked of the database (PostgreSQL refuses a NUL in text).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _may_exist(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


class Source(Protocol):
    """A file to keep: its name, its size, and its bytes a chunk at a time (read once)."""

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int: ...

    def chunks(self, size: int) -> Iterator[bytes | memoryview]: ...


@dataclass(frozen=True, slots=True)
class InMemory:
    """A `Source` already in memory."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def chunks(self, size: int) -> Iterator[bytes | memoryview]:
        return pieces(self.data, size)


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
    files: Sequence[Source | tuple[str, bytes]],
    profile: str,
    *,
    client: str | None = None,
) -> str:
    """Keep the files of one upload, queued to be read; returns its token. The files
    are read and written a chunk (`CHUNK_BYTES`) at a time, so that an upload of large
    files is never in memory whole, nor any file of it."""
    sources = [InMemory(*f) if isinstance(f, tuple) else f for f in files]
    token = secrets.token_urlsafe(24)
    session.add(
        PendingUpload(
            token=token,
            profile=profile,
            created_at=utcnow(),
            state=WAITING["read"],
            done=0,
            total=len(sources),
            attempts=0,
            client=client,
            bytes=sum(source.size for source in sources),
        )
    )
    session.flush()
    for position, source in enumerate(sources, start=1):
        # Core, not the ORM: the session would keep every chunk until its end.
        file_id = session.execute(
            insert(PendingFile)
            .values(token=token, position=position, name=source.name)
            .returning(PendingFile.id)
        ).scalar_one()
        for seq, data in enumerate(source.chunks(CHUNK_BYTES)):
            session.execute(insert(PendingChunk).values(file_id=file_id, seq=seq, data=data))
    return token


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


def job_state(session: Session, token: str) -> JobState | None:
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
        ).where(PendingUpload.token == token)
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


def claimable(session: Session, limit: int = 100) -> list[tuple[str, Step]]:
    """Steps waiting for a process, oldest upload first: queued ones, and running ones
    whose lease has run out (their process died)."""
    now = utcnow()
    rows = session.execute(
        select(PendingUpload.token, PendingUpload.state)
        .where(
            or_(
                PendingUpload.state.in_(WAITING.values()),
                and_(PendingUpload.state.in_(RUNNING.values()), PendingUpload.lease_until < now),
            )
        )
        .order_by(PendingUpload.created_at)
        .limit(limit)
    )
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
    cutoff = utcnow() - max_age
    tokens = list(
        session.scalars(select(PendingUpload.token).where(PendingUpload.created_at < cutoff))
    )
    for token in tokens:
        delete_pending(session, token)
    return len(tokens)
