"""A pending file's bytes are kept a chunk a row: `pending_chunks`.

`pending_files.content` held each uploaded file in one value. Writing a 60 MB file bound
it whole into one statement (SQLite copies a bound value, and builds the row from it:
the server held the file three times over), and reading it back fetched it in one
piece. The bytes now live in `pending_chunks`, 1 MB a row in order, written as they are
read from the upload's spool and read back one chunk at a time (`store.pending`).

The files of uploads kept before this revision become one chunk each.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["pending_files.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file_id", "seq"),
    )
    op.execute(
        "INSERT INTO pending_chunks (file_id, seq, data)"
        " SELECT id, 0, content FROM pending_files WHERE content IS NOT NULL"
    )
    # A plain DROP COLUMN (SQLite ≥ 3.35), not a batch copy of the table: dropping the
    # old copy would delete, by the cascade, the chunks just written.
    op.execute("ALTER TABLE pending_files DROP COLUMN content")


def downgrade() -> None:
    op.add_column("pending_files", sa.Column("content", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    files = bind.execute(sa.text("SELECT id FROM pending_files")).scalars().all()
    for file_id in files:  # each file joined from its chunks, one file at a time
        chunks = bind.execute(
            sa.text("SELECT data FROM pending_chunks WHERE file_id = :id ORDER BY seq"),
            {"id": file_id},
        ).scalars()
        bind.execute(
            sa.text("UPDATE pending_files SET content = :content WHERE id = :id"),
            {"content": b"".join(chunks), "id": file_id},
        )
    op.drop_table("pending_chunks")
