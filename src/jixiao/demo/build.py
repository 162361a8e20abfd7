"""Building the demo database: synthetic documents → intake → importer (SQLite).

The synthetic documents go through exactly the path a real upload takes — read (as the
exchange format), score, review, store — so the demo shows what jixiao does with files,
not a shortcut around it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, select

from jixiao.demo.generator import DemoDocument, iter_documents
from jixiao.intake import take_in
from jixiao.store.importer import DEFAULT_BATCH, Importer, ImportSummary
from jixiao.store.tables import FormRow

DEFAULT_FORMS = 300
DEFAULT_SEED = 2024
DEMO_PROFILE = "national-2020"


def stored_forms(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(FormRow)).scalar_one()


def build_demo(
    engine: Engine,
    *,
    forms: int = DEFAULT_FORMS,
    seed: int = DEFAULT_SEED,
    profile: str = DEMO_PROFILE,
    progress: Callable[[DemoDocument], None] | None = None,
) -> ImportSummary:
    """Generate `forms` synthetic forms and import them into `engine`'s database."""
    with Importer(engine, origin="demo", profile=profile) as importer:
        batch = []
        for document in iter_documents(forms, seed=seed):
            batch.append(take_in(document.to_bytes(), document.name, profile))
            if len(batch) >= DEFAULT_BATCH:
                importer.add_many(batch)
                batch = []
            if progress is not None:
                progress(document)
        importer.add_many(batch)
        return importer.finish()
