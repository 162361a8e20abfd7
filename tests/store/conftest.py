"""Storage tests run on SQLite and on PostgreSQL (see tests/databases.py)."""

from __future__ import annotations

from tests.databases import database_url, engine, postgres_url  # noqa: F401  (fixtures)
from tests.store.helpers import seeded  # noqa: F401  (fixture)
