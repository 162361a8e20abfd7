"""Keep where every form, indicator and finding was read (page, cell, box); printed
texts of any length.

PDF and spreadsheet readers place a record by page, cell (`B12`) and the cell's box on
the page, beside the line of a text rendering (`jixiao.model.Source`); the form page uses
them to show the place a finding points at. The printed 金额单位 and 评分等级 (and the
statistics keys made of printed names) become unbounded text: a form prints what it
prints, and PostgreSQL refused a longer one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("forms", "indicators", "findings")


def upgrade() -> None:
    with op.batch_alter_table("forms") as batch:
        batch.alter_column("funds_unit", type_=sa.Text(), existing_nullable=False)
        batch.alter_column("grade", type_=sa.Text(), existing_nullable=True)
    with op.batch_alter_table("stat_counts") as batch:
        batch.alter_column("key", type_=sa.Text(), existing_nullable=False)
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("page", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("cell", sa.String(length=20), nullable=True))
            batch.add_column(sa.Column("box", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("box")
            batch.drop_column("cell")
            batch.drop_column("page")
    with op.batch_alter_table("stat_counts") as batch:
        batch.alter_column("key", type_=sa.String(200), existing_nullable=False)
    with op.batch_alter_table("forms") as batch:
        batch.alter_column("grade", type_=sa.String(20), existing_nullable=True)
        batch.alter_column("funds_unit", type_=sa.String(10), existing_nullable=False)
