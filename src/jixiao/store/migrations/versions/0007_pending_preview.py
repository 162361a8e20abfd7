"""An upload's preview is kept: `pending_uploads.preview`.

The preview of an upload (its files read and reviewed) was computed again on every view
of the preview page and of `GET /api/uploads/{token}`: a large upload read all its
files again each time. It is now kept, as the API's JSON of it, the first time it is
computed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pending_uploads", sa.Column("preview", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_uploads") as batch:
        batch.drop_column("preview")
