"""An upload kept as it arrives (presentation step, between receiving and its jobs).

The request opens a pending upload (`store.pending`, `receiving`) once the quotas admit
what the client announced, keeps each piece of the body in a short transaction of its
own as `web.uploads` hands it over (on a thread, while the next piece arrives), and
closes it, queued to be read, once the body has ended well. When anything goes wrong
(a refusal, a broken connection, a full disk) it is abandoned: deleted, so that nothing
of it is kept; if the server itself dies meanwhile, the upload's lease runs out and the
next upload's opening purges it. Until it is closed no job sees it, and it counts in
the quotas all along.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from jixiao.store.engine import writing
from jixiao.store.pending import (
    Received,
    Step,
    close_pending,
    delete_pending,
    file_pieces,
    held_bytes,
    keep_received,
    open_pending,
    purge_expired,
)
from jixiao.web.display import size_text
from jixiao.web.errors import UploadQuotaError, UploadStateError
from jixiao.web.settings import Settings
from jixiao.web.uploads import ReceivedFile

log = logging.getLogger(__name__)

# Any fixed number: on PostgreSQL, quota checks and the uploads they admit take turns.
_QUOTA_LOCK = 0x6A69_7869_7175
LAPSED = "上传接收时间过长，已被清除，未保存任何内容；请重新上传"


@dataclasses.dataclass(slots=True)
class Receiving:
    """One upload being received: `open`, `keep` as pieces arrive, then `close` (or
    `abandon`). `client` is whose quota it counts in; `announced` the bytes the client
    said it sends (0 when it did not)."""

    engine: Engine
    settings: Settings
    client: str | None = None
    announced: int = 0
    origin: str = "upload"  # of the import that will save it
    token: str = ""

    def open(self) -> str:
        """Admit the upload (429 beyond a quota), purging what has expired; its token."""
        with Session(writing(self.engine)) as session:
            _quota_turn(session)
            purge_expired(session, dt.timedelta(hours=self.settings.pending_hours))
            _check_quota(session, self.client, self.announced, self.settings)
            self.token = open_pending(
                session,
                self.settings.profile,
                client=self.client,
                size=self.announced,
                origin=self.origin,
            )
            session.commit()
        return self.token

    def keep(self, pieces: list[Received]) -> None:
        """Keep pieces of the body, in a transaction of their own. Its commit leaves the
        checkpoint of what it wrote to the upload's job (`store.engine.CHECKPOINT_LATER`:
        on SQLite, one of a commit a chunk would copy the log into the database each
        time)."""
        with Session(writing(self.engine, checkpoint_later=True)) as session:
            kept = keep_received(session, self.token, pieces)
            session.commit()
        if not kept:
            raise UploadStateError(LAPSED)

    def close(self, profile: str, files: Sequence[ReceivedFile], then: Step = "read") -> None:
        """The body has arrived whole: the upload counted at its files' size, within the
        quotas still, and queued for its step `then` (read, or saved at once)."""
        with Session(writing(self.engine)) as session:
            _quota_turn(session)
            size = sum(file.size for file in files)
            # It has counted at what was announced (nothing, for a body of unknown length).
            _check_quota(session, self.client, size - self.announced, self.settings)
            if not close_pending(
                session, self.token, profile, files=len(files), size=size, then=then
            ):
                raise UploadStateError(LAPSED)
            session.commit()

    def abandon(self) -> None:
        """Delete what was kept. A database that cannot do it now (gone, full) leaves it
        to the purge, once the upload's lease has run out."""
        if not self.token:
            return
        try:
            with Session(writing(self.engine)) as session:
                delete_pending(session, self.token)
                session.commit()
        except Exception:
            log.exception("upload %s: what was received could not be deleted", self.token)


def stage(
    engine: Engine,
    files: Sequence[tuple[str, bytes]],
    profile: str,
    settings: Settings,
    client: str | None = None,
    *,
    then: Step = "read",
    origin: str = "upload",
) -> str:
    """Keep files already in memory (name, bytes) as an upload queued for its step
    `then`, saved as an import of `origin`, as a request keeps what it receives; returns
    its token."""
    size = sum(len(data) for _, data in files)
    receiving = Receiving(engine, settings, client, size, origin)
    receiving.open()
    try:
        for position, (name, data) in enumerate(files, start=1):
            receiving.keep(file_pieces(position, name, data))
        receiving.close(profile, [ReceivedFile(n, len(d)) for n, d in files], then)
    except BaseException:
        receiving.abandon()
        raise
    return receiving.token


def _quota_turn(session: Session) -> None:
    """On PostgreSQL, quota checks and what they admit take turns (SQLite's write lock
    does this already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _QUOTA_LOCK})


def _check_quota(session: Session, client: str | None, coming: int, settings: Settings) -> None:
    """Refuse (429) `coming` bytes more that would take the uploads not yet saved over
    the client's share or the server's whole quota."""
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
