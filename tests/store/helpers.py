"""Helpers of the storage tests: the seeds, imported."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from jixiao.intake import take_in_path
from jixiao.store.importer import ImportSummary, import_intakes
from tests.conftest import SEEDS

SEED_FORMS = 51
PROFILE = "shanghai"


def import_seeds(engine: Engine) -> ImportSummary:
    intakes = [take_in_path(path, PROFILE) for path in SEEDS]
    return import_intakes(engine, intakes, origin="cli", profile=PROFILE)


@pytest.fixture
def seeded(engine: Engine) -> ImportSummary:
    return import_seeds(engine)
