"""Helpers of the storage tests: the seeds, imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from jixiao.intake import take_in_path
from jixiao.store.importer import ImportSummary, import_intakes
from tests.conftest import SEEDS

if TYPE_CHECKING:
    from tests.databases import DatabaseTemplates

SEED_FORMS = 51
PROFILE = "shanghai"


def import_seeds(engine: Engine) -> ImportSummary:
    intakes = [take_in_path(path, PROFILE) for path in SEEDS]
    return import_intakes(engine, intakes, origin="cli", profile=PROFILE)


@pytest.fixture
def seeded(engine: Engine, database_templates: DatabaseTemplates) -> ImportSummary:
    """The seeds imported into the test's database, and what the import reported.

    The database fixtures (tests/databases.py) see that the test takes `seeded` and give
    it a database in the state `import_seeds` leaves: a copy of a SQLite file the seeds
    were imported into once this session, or the PostgreSQL tables refilled with the rows
    of that one import. The summary is that import's (a copy of it).
    """
    return database_templates.summary(engine.dialect.name)
