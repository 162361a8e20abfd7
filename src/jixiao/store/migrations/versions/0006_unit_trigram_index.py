"""The list's 实施单位 filter (a substring of the unit) from a trigram index on PostgreSQL.

`unit LIKE '%…%'` had no index to use: among a million forms, counting the forms of one
unit read every row. A `pg_trgm` GIN index over `forms.unit` serves the substring as
`ix_forms_search_trgm` serves the search (terms of three characters or more; a unit's
name has many). SQLite keeps scanning its local file.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_forms_unit_trgm",
        "forms",
        ["unit"],
        postgresql_using="gin",
        postgresql_ops={"unit": "gin_trgm_ops"},
    )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_index("ix_forms_unit_trgm", table_name="forms")
