"""Writing behind the reading: batches stored in order, whole, and errors not lost."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import Engine, func, select

from jixiao.intake import take_in_path
from jixiao.store.background import BackgroundWriter
from jixiao.store.importer import Importer, ImportSummary, Outcome
from jixiao.store.prepared import PreparedDocument, prepare
from jixiao.store.tables import Document
from tests.conftest import SEEDS
from tests.store.helpers import PROFILE, SEED_FORMS


def _documents() -> list[PreparedDocument]:
    return [prepare(take_in_path(seed, PROFILE), PROFILE) for seed in SEEDS]


def test_batches_are_stored_in_order(engine: Engine) -> None:
    documents = _documents()
    with BackgroundWriter(Importer(engine, origin="cli", profile=PROFILE)) as writer:
        for document in documents:
            writer.submit([document])
        writer.submit([])  # an empty batch (the last one, often) is no batch
        summary = writer.finish()
    assert [o.name for o in summary.outcomes] == [str(seed) for seed in SEEDS]
    assert summary.forms == SEED_FORMS and summary.count("saved") == len(SEEDS)


class Failing(Importer):
    """An importer whose second batch fails the way a bug or a lost connection does."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, origin="cli", profile=PROFILE)
        self.batches = 0

    def add_prepared(self, documents: Sequence[PreparedDocument]) -> list[Outcome]:
        self.batches += 1
        if self.batches == 2:
            raise RuntimeError("connection lost")
        return super().add_prepared(documents)

    def finish(self, *, refresh: bool = True) -> ImportSummary:
        raise AssertionError("a failed run is not recorded as finished")


def test_an_error_in_the_writer_reaches_the_caller(engine: Engine) -> None:
    documents = _documents()
    importer = Failing(engine)
    with pytest.raises(RuntimeError, match="connection lost"), BackgroundWriter(importer) as writer:
        for document in documents:
            writer.submit([document])
        writer.finish()
    # The first batch was committed whole; nothing was written after the failure.
    assert importer.batches == 2
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Document)).scalar_one() == 1
