"""Group departments by a normalised key: `…(汇总)` and `… (汇总)` are one department.

The printed name stays in `forms.department`; `department_key` (NFKC, lower case, no
whitespace, as `jixiao.vocabulary.normalise.search_key`) is what the overview groups by and what
the list's department filter compares.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _normalise(text: str) -> str:
    # Frozen copy of jixiao.vocabulary.normalise.search_key as of this revision: a
    # migration must compute what it computed when it was written, whatever the code
    # becomes later.
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def upgrade() -> None:
    op.add_column("forms", sa.Column("department_key", sa.Text(), nullable=True))
    bind = op.get_bind()
    forms = sa.table(
        "forms",
        sa.column("id", sa.Integer),
        sa.column("department", sa.Text),
        sa.column("department_key", sa.Text),
    )
    names = bind.execute(sa.select(forms.c.department).distinct()).scalars().all()
    for name in names:
        if name is not None:
            bind.execute(
                forms.update()
                .where(forms.c.department == name)
                .values(department_key=_normalise(name))
            )
    op.create_index("ix_forms_department_key", "forms", ["department_key"])


def downgrade() -> None:
    op.drop_index("ix_forms_department_key", table_name="forms")
    op.drop_column("forms", "department_key")
