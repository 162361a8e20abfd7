"""Search on SQLite through an FTS5 trigram index over `forms.search_text`.

A search was a `LIKE '%…%'` scan of every form's search text. `forms_search` is an FTS5
table with the trigram tokenizer over the same column (external content: it keeps the
index only, the text stays in `forms`), so that the terms of three characters or more
find their candidate forms from the index; `LIKE` then keeps the semantics exactly
(`jixiao.store.search`). Triggers keep the index in step with every insert, change of
`search_text` and delete; the forms stored before this revision are indexed here.

PostgreSQL needs nothing: its `pg_trgm` GIN index (0001) already serves `LIKE '%…%'`.

A later migration that rebuilds `forms` on SQLite (`batch_alter_table` copies the table
and drops the old one) drops these triggers with it: it must create them again, and a
test checks that they exist at the head revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen as of this revision (jixiao.store.search names the same table): a migration
# creates what it created when it was written, whatever the code becomes later.
_CREATE = (
    "CREATE VIRTUAL TABLE forms_search USING fts5("
    "search_text, content='forms', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER forms_search_insert AFTER INSERT ON forms BEGIN"
    " INSERT INTO forms_search(rowid, search_text) VALUES (new.id, new.search_text);"
    " END",
    # An external-content index forgets a row by being told its old text.
    "CREATE TRIGGER forms_search_delete AFTER DELETE ON forms BEGIN"
    " INSERT INTO forms_search(forms_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " END",
    "CREATE TRIGGER forms_search_update AFTER UPDATE OF id, search_text ON forms BEGIN"
    " INSERT INTO forms_search(forms_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO forms_search(rowid, search_text) VALUES (new.id, new.search_text);"
    " END",
    # The forms stored before this revision: read from the content table, `forms`.
    "INSERT INTO forms_search(forms_search) VALUES ('rebuild')",
)
_DROP = (
    "DROP TRIGGER IF EXISTS forms_search_update",
    "DROP TRIGGER IF EXISTS forms_search_delete",
    "DROP TRIGGER IF EXISTS forms_search_insert",
    "DROP TABLE IF EXISTS forms_search",
)


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for statement in _CREATE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for statement in _DROP:
        op.execute(statement)
