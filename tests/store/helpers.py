"""Helpers of the storage tests: the seeds, imported."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from jixiao.demo.generator import iter_documents
from jixiao.intake import take_in_path
from jixiao.store.importer import ImportSummary, import_intakes
from tests.conftest import SEEDS

if TYPE_CHECKING:
    from tests.databases import DatabaseTemplates

SEED_FORMS = 51
PROFILE = "shanghai"


def write_import_folder(root: Path, *, copies: int, documents: int, seed: int) -> Path:
    """A folder to import, as a user's looks: `copies` of the seeds that differ by
    trailing blank lines (the same forms in other bytes, stored again rather than
    skipped), demo documents of 10 forms, an exact duplicate (skipped), an empty file
    and a binary one (refused)."""
    for copy in range(copies):
        for path in SEEDS:
            (root / f"{copy:02}_{path.name}").write_bytes(path.read_bytes() + b"\n" * copy)
    for document in iter_documents(documents, seed=seed, per_document=10):
        (root / document.name).write_bytes(document.to_bytes())
    shutil.copy(SEEDS[0], root / "zz_duplicate.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    return root


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
