"""The overview's figures stay true of the stored forms: forms stored since they were
computed are counted and said, a server that starts recomputes figures an import left
behind, and recomputations at once do not collide (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from jixiao.demo.generator import iter_documents
from jixiao.intake import take_in
from jixiao.store import importer as importer_module
from jixiao.store.engine import writing
from jixiao.store.importer import Importer
from jixiao.store.stats import (
    StatsCache,
    forms_stored_since,
    load_stats,
    refresh_if_stale,
    refresh_stats,
)
from jixiao.store.tables import FormRow
from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.store.helpers import PROFILE, SEED_FORMS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _store_without_figures(engine: Engine, forms: int) -> int:
    """Store demo documents as an import stopped before its end leaves them: every batch
    committed, the figures never recomputed. How many forms were stored."""
    documents = list(iter_documents(forms, seed=5, per_document=10))
    importer = Importer(engine, origin="cli", profile=PROFILE)
    try:
        outcomes = importer.add_many([take_in(d.to_bytes(), d.name, PROFILE) for d in documents])
    finally:
        importer.close()
    return sum(len(o.form_ids) for o in outcomes)


def _stored(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(FormRow)).scalar_one()


@pytest.mark.usefixtures("seeded")
def test_forms_stored_since_are_counted_then_recomputed(engine: Engine) -> None:
    added = _store_without_figures(engine, 30)
    assert added == 30
    with Session(engine) as session:
        stats = StatsCache().get(session)
    assert (stats.forms, stats.stored_since) == (SEED_FORMS, added)
    assert refresh_if_stale(engine) is True
    with Session(engine) as session:
        stats = StatsCache().get(session)
    assert (stats.forms, stats.stored_since) == (_stored(engine), 0)
    assert refresh_if_stale(engine) is False  # nothing left behind: nothing recomputed


@pytest.mark.usefixtures("seeded")
def test_recomputations_at_once_do_not_collide(engine: Engine) -> None:
    _store_without_figures(engine, 20)
    errors: list[BaseException] = []

    def recompute() -> None:
        try:
            with writing(engine).begin() as connection:
                refresh_stats(connection)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=recompute) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        assert load_stats(session).forms == _stored(engine)


@pytest.mark.anyio
@pytest.mark.usefixtures("seeded")
async def test_the_overview_says_what_it_does_not_count_yet(
    engine: Engine, database_url: str
) -> None:
    app = create_app(Settings(database_url=database_url), engine=engine)
    added = _store_without_figures(engine, 20)  # while the server runs
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
        page = (await client.get("/")).text
        body = (await client.get("/api/stats")).json()
    assert f"统计之后又存入了 {added} 张表单" in page
    assert f'<span class="figure">{SEED_FORMS + added}</span><span class="label">张表单' in page
    assert (body["forms"], body["stored_since"]) == (SEED_FORMS, added)
    # A server that starts recomputes them.
    app = create_app(Settings(database_url=database_url), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://jixiao.test") as client:
        body = (await client.get("/api/stats")).json()
    assert (body["forms"], body["stored_since"]) == (SEED_FORMS + added, 0)


def test_a_long_import_recomputes_the_figures_as_it_goes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `REFRESH_EVERY` forms an import recomputes the figures, so that the forms
    the overview counts at each look (those stored since) stay few while it runs."""
    monkeypatch.setattr(importer_module, "REFRESH_EVERY", 10)
    documents = list(iter_documents(60, seed=6, per_document=10))
    importer = Importer(engine, origin="cli", profile=PROFILE)
    seen, expected = [], []
    stored = counted = 0
    try:
        for batch in (documents[:2], documents[2:4], documents[4:]):
            outcomes = importer.add_many([take_in(d.to_bytes(), d.name, PROFILE) for d in batch])
            stored += sum(len(o.form_ids) for o in outcomes)
            if stored - counted >= 10:
                counted = stored  # recomputed: the figures hold every form stored so far
            expected.append((counted, stored - counted))
            with Session(engine) as session:
                stats = load_stats(session)
                seen.append((stats.forms, forms_stored_since(session, stats.last_form_id or 0)))
        summary = importer.finish()
    finally:
        importer.close()
    assert seen == expected
    assert any(counted for counted, _ in expected[:-1])  # recomputed before the end
    with Session(engine) as session:
        assert load_stats(session).forms == summary.forms == 60
