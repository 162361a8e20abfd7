"""Storage: the step after review (read → recognise → score → review → **store** → present).

SQLAlchemy 2 tables (`tables`), repository functions (`importer`, `queries`, `stats`,
`pending`, `projects`) and the Alembic migrations that are the source of truth for the
schema (`migrations/`, applied by `migrate.upgrade`). A SQLite file by default,
PostgreSQL by URL. Money and scores are exact decimals on both (`types.ExactDecimal`).

Nothing in the core imports this package; it imports the core.
"""
