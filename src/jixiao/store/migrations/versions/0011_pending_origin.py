"""An upload says who brought it in: `pending_uploads.origin`.

Uploads from the web page or the API are saved as an import of origin `upload`; files
that `jixiao import --queue` hands to the jobs are saved through the same uploads, and
their imports keep the command's origin, `cli`. Uploads kept before this revision came
from the web.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD and DROP COLUMN (SQLite ≥ 3.35), not a batch copy of the table: dropping the
# old copy would delete, by the cascade, the files of the uploads waiting.
def upgrade() -> None:
    op.add_column(
        "pending_uploads",
        sa.Column("origin", sa.String(20), nullable=False, server_default="upload"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE pending_uploads DROP COLUMN origin")
