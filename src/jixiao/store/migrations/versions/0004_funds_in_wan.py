"""Every form's amount also in 万元: the list shows, sorts and totals one unit.

Forms print their amounts in 元 or 万元 (and sometimes 千元 or 亿元); the list sorted the
printed numbers, so 2,438.27 万元 ranked behind 1.3 million 元. `funds_wan` holds
`funds_amount` converted exactly (the decimal point moved, nothing rounded) and is the
list's 资金 sort key; on PostgreSQL its sort index replaces that of `funds_amount`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from jixiao.store.types import ExactDecimal

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of jixiao.money.UNIT_EXPONENTS as of this revision: a migration computes
# what it computed when it was written, whatever the code becomes later.
_EXPONENTS = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}
_BATCH = 1000
_CENT = Decimal("0.01")


def _in_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    exponent = _EXPONENTS.get(unit.strip())
    if amount is None or exponent is None:
        return None
    moved = amount.scaleb(exponent - 4)
    # Trailing zeros past the cents dropped, as jixiao.numbers.with_cents did then.
    trimmed = moved.normalize()
    if -int(trimmed.as_tuple().exponent) <= 2:
        return moved.quantize(_CENT)
    return trimmed


def upgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    with op.batch_alter_table("forms") as batch:
        batch.add_column(sa.Column("funds_wan", ExactDecimal(), nullable=True))
    forms = sa.table(
        "forms",
        sa.column("id", sa.Integer),
        sa.column("funds_unit", sa.Text),
        sa.column("funds_amount", ExactDecimal()),
        sa.column("funds_wan", ExactDecimal()),
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(forms.c.id, forms.c.funds_amount, forms.c.funds_unit)
            .where(forms.c.id > last, forms.c.funds_amount.is_not(None))
            .order_by(forms.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            forms.update().where(forms.c.id == sa.bindparam("form_id")),
            [{"form_id": r.id, "funds_wan": _in_wan(r.funds_amount, r.funds_unit)} for r in rows],
        )
        last = rows[-1].id
    if postgres:
        op.drop_index("ix_forms_sort_funds_amount", table_name="forms")
        op.create_index(
            "ix_forms_sort_funds_wan", "forms", [sa.text('"funds_wan" NULLS FIRST'), "id"]
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_index("ix_forms_sort_funds_wan", table_name="forms")
        op.create_index(
            "ix_forms_sort_funds_amount", "forms", [sa.text('"funds_amount" NULLS FIRST'), "id"]
        )
    with op.batch_alter_table("forms") as batch:
        batch.drop_column("funds_wan")
