"""A large upload is read and saved a part at a time (SQLite and PostgreSQL): what it
previews and stores is what reading it whole previews and stores, while only one part's
forms are held at once."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from jixiao import intake
from jixiao.demo.generator import iter_forms
from jixiao.store.pending import queue_save
from jixiao.store.queries import document_content
from jixiao.store.tables import Document, FindingRow, FormRow, IndicatorRow
from jixiao.web import staging
from jixiao.web.receiving import stage
from jixiao.web.settings import Settings
from tests.support.render import to_tsv


@pytest.fixture(scope="module")
def large_tsv() -> bytes:
    data = to_tsv(list(iter_forms(800, seed=5))).encode("utf-8")
    assert len(data) > 1024 * 1024  # large enough to be cut (`parts.MIN_BYTES`)
    return data


def _upload(engine: Engine, settings: Settings, data: bytes) -> tuple[object, tuple[int, ...]]:
    token = stage(engine, [("large.tsv", data)], "shanghai", settings)
    assert staging.read_step(engine, token, settings)
    preview = staging.upload_state(engine, token, settings).model_dump(
        exclude={"token", "url", "state", "done", "total"}
    )
    with Session(engine) as session:
        assert queue_save(session, token)
        session.commit()
    assert staging.save_step(engine, token, settings)
    with Session(engine) as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Document, FormRow, IndicatorRow, FindingRow)
        )
    return preview, counts


def test_a_large_file_in_parts_is_the_file_read_whole(
    engine: Engine, settings: Settings, large_tsv: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut: list[int] = []
    real = intake.take_in_parts

    def spy(data: bytes, name: str, profile: str, **_: object) -> object:
        parts = real(data, name, profile, part_bytes=256 * 1024)
        assert parts is not None

        def counted() -> object:
            for part in parts:
                cut.append(len(part.forms))
                yield part

        return counted()

    settings = settings.model_copy(update={"max_upload_bytes": 64 * 1024 * 1024})
    monkeypatch.setattr(staging, "PARTS_FROM_BYTES", 1)
    monkeypatch.setattr(staging, "take_in_parts", spy)
    monkeypatch.setattr(staging, "PREVIEW_FORMS", 100)
    in_parts, stored_in_parts = _upload(engine, settings, large_tsv)
    assert len(cut) > 2 * 2 and sum(cut) == 2 * 800  # read in parts, twice (preview, save)
    files = in_parts["files"]  # type: ignore[index]
    assert files[0]["forms_read"] == 800 and len(files[0]["forms"]) == 100
    assert stored_in_parts[:2] == (1, 800)
    # The file itself is kept whole (a chunk a row).
    with Session(engine) as session:
        assert document_content(session, session.scalars(select(Document.id)).one()) == large_tsv

    # The same bytes read whole, into an emptied store.
    with Session(engine) as session:
        for table in (FindingRow, IndicatorRow, FormRow, Document):
            session.execute(table.__table__.delete())  # type: ignore[attr-defined]
        session.commit()
    monkeypatch.setattr(staging, "PARTS_FROM_BYTES", 1 << 40)
    whole, stored_whole = _upload(engine, settings, large_tsv)
    assert in_parts == whole
    assert stored_in_parts == stored_whole
