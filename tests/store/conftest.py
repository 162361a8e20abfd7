"""Storage tests run on SQLite and on PostgreSQL (see tests/databases.py)."""

from __future__ import annotations

from tests.databases import (  # noqa: F401  (fixtures)
    database_templates,
    database_url,
    engine,
    fresh_engine,
    postgres_keeper,
    postgres_url,
)
from tests.store.helpers import seeded  # noqa: F401  (fixture)
