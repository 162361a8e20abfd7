"""An upload is kept as it arrives (`web.receiving`): its chunks are in the database
before its body has ended, no job sees it until then, a refused or broken one leaves
nothing, and one whose server died is purged once its lease has run out."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from jixiao.store.pending import (
    RECEIVING,
    Received,
    claimable,
    file_pieces,
    held_bytes,
    job_state,
    keep_received,
)
from jixiao.store.tables import PendingChunk, PendingFile, PendingUpload
from jixiao.web.app import create_app
from jixiao.web.errors import UploadQuotaError, UploadStateError
from jixiao.web.receiving import Receiving
from jixiao.web.settings import Settings
from jixiao.web.uploads import ReceivedFile
from tests.conftest import SEEDS
from tests.web.live import live_server

MB = 1024 * 1024
BOUNDARY = "jixiao"


def _rows(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in (PendingUpload, PendingFile, PendingChunk)
        )


def _head(filename: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"'
        "\r\nContent-Type: text/plain\r\n\r\n"
    ).encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


def test_the_chunks_are_kept_while_the_body_still_arrives(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(database_url=database_url, profile="shanghai", job_wait=0)
    app = create_app(settings, engine=engine)
    seen_mid_body: list[int] = []

    def body() -> Iterator[bytes]:
        yield _head("表单.tsv")
        yield SEEDS[1].read_bytes()
        for _ in range(4):
            yield b"\n" * MB
        # Half the body sent: what arrived is in the database already.
        deadline = time.monotonic() + 20
        while (chunks := _rows(engine)[2]) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_mid_body.append(chunks)
        with Session(engine) as session:  # … and no job may take it yet
            assert claimable(session) == []
        for _ in range(4):
            yield b"\n" * MB
        yield TAIL

    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post(
            "/api/uploads",
            content=body(),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert answer.status_code in (201, 202), answer.text
        token = answer.json()["token"]
    assert seen_mid_body and seen_mid_body[0] >= 3
    with Session(engine) as session:
        upload = session.get(PendingUpload, token)
        assert upload is not None and upload.state != RECEIVING and upload.total == 1
        size = len(SEEDS[1].read_bytes()) + 8 * MB
        assert upload.bytes == size  # counted at what arrived, not at what was announced
        data = session.scalars(
            select(PendingChunk.data).order_by(PendingChunk.seq)
        ).all()  # chunks of 1 MB, the last one the rest
        assert [len(d) for d in data] == [MB] * 8 + [size - 8 * MB]


def test_a_file_refused_after_some_of_it_was_kept_leaves_nothing(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(database_url=database_url, max_upload_bytes=3 * MB + 10)

    def body() -> Iterator[bytes]:  # no announced length: refused at the file's limit
        yield _head("大文件.txt")
        for _ in range(6):
            yield b"x" * MB
        yield TAIL

    app = create_app(settings, engine=engine)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post(
            "/api/uploads",
            content=body(),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert answer.status_code == 413
        assert "大文件.txt" in answer.json()["error"]["message"]
    assert _rows(engine) == (0, 0, 0)


def test_an_unknown_profile_named_after_the_files_leaves_nothing(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(database_url=database_url)
    app = create_app(settings, engine=engine)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        answer = client.post(
            "/api/uploads",
            files=[("files", ("a.tsv", SEEDS[1].read_bytes(), "text/plain"))],
            data={"profile": "没有这个方案"},
        )
        assert answer.status_code == 400 and "没有这个方案" in answer.json()["error"]["message"]
    assert _rows(engine) == (0, 0, 0)


def test_an_upload_being_received_counts_in_the_quota(database_url: str, engine: Engine) -> None:
    settings = Settings(database_url=database_url, max_pending_client_bytes=10 * MB)
    first = Receiving(engine, settings, "10.0.0.1", announced=8 * MB)
    first.open()
    with Session(engine) as session:
        assert held_bytes(session, "10.0.0.1") == 8 * MB
        assert job_state(session, first.token) is None  # no job's yet: no state shown
    with pytest.raises(UploadQuotaError):
        Receiving(engine, settings, "10.0.0.1", announced=4 * MB).open()
    first.abandon()
    Receiving(engine, settings, "10.0.0.1", announced=4 * MB).open()  # room again


def test_a_body_of_unknown_length_is_held_to_the_quota_when_it_ends(
    database_url: str, engine: Engine
) -> None:
    settings = Settings(database_url=database_url, max_pending_client_bytes=2 * MB)
    receiving = Receiving(engine, settings, "10.0.0.2")  # nothing announced
    receiving.open()
    receiving.keep(file_pieces(1, "a.tsv", b"x" * (3 * MB)))
    with pytest.raises(UploadQuotaError):
        receiving.close("shanghai", [ReceivedFile("a.tsv", 3 * MB)])
    receiving.abandon()
    assert _rows(engine) == (0, 0, 0)


def test_an_abandoned_upload_takes_no_more_pieces(database_url: str, engine: Engine) -> None:
    """A write still in flight when the request gave up (the delete ran first) keeps
    nothing: no orphan chunk."""
    settings = Settings(database_url=database_url)
    receiving = Receiving(engine, settings)
    receiving.open()
    receiving.keep([Received(1, name="a.tsv")])
    receiving.abandon()
    with Session(engine) as session:
        assert not keep_received(session, receiving.token, [Received(1, seq=0, data=b"x")])
        session.commit()
    with pytest.raises(UploadStateError):
        receiving.keep([Received(2, name="b.tsv")])
    assert _rows(engine) == (0, 0, 0)


def test_an_upload_whose_receiving_stopped_is_purged_at_the_next(
    database_url: str, engine: Engine
) -> None:
    """Its server died mid-body: nobody renews its lease, and once that has run out the
    next upload's opening purges it (and its quota is free again)."""
    settings = Settings(database_url=database_url)
    stalled = Receiving(engine, settings, "10.0.0.3", announced=MB)
    stalled.open()
    stalled.keep(file_pieces(1, "a.tsv", b"x" * (MB + 1)))
    alive = Receiving(engine, settings, "10.0.0.4", announced=MB)
    alive.open()  # the stalled one's lease has not run out: both are kept
    assert _rows(engine) == (2, 1, 2)
    with Session(engine) as session:
        session.execute(
            update(PendingUpload)
            .where(PendingUpload.token == stalled.token)
            .values(lease_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        )
        session.commit()
    Receiving(engine, settings, "10.0.0.5").open()
    with Session(engine) as session:
        assert session.get(PendingUpload, stalled.token) is None
        assert session.get(PendingUpload, alive.token) is not None
        assert held_bytes(session, "10.0.0.3") == 0
    assert _rows(engine)[1:] == (0, 0)
