"""A stored document's bytes are kept a chunk a row: `document_chunks`.

`documents.content` held each stored file in one value, in the middle of its row. A
large file cost a copy of its whole size to write (SQLite builds the row it is part
of, 60 MB of zeros before the bytes written into it), and reading any column after it
(the document's import, its date) walked the whole file. The bytes now live in
`document_chunks`, 1 MB a row in order, as a pending upload's do (`store.chunks`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# `store.chunks.CHUNK_BYTES` as it was when this revision was written.
_CHUNK_BYTES = 1024 * 1024


def upgrade() -> None:
    op.create_table(
        "document_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "seq"),
    )
    bind = op.get_bind()
    documents = bind.execute(sa.text("SELECT id FROM documents ORDER BY id")).scalars().all()
    for document_id in documents:  # one file held at a time
        content = bind.execute(
            sa.text("SELECT content FROM documents WHERE id = :id"), {"id": document_id}
        ).scalar_one()
        for seq, start in enumerate(range(0, len(content or b""), _CHUNK_BYTES)):
            bind.execute(
                sa.text("INSERT INTO document_chunks (document_id, seq, data) VALUES (:d, :s, :b)"),
                {"d": document_id, "s": seq, "b": content[start : start + _CHUNK_BYTES]},
            )
    # A plain DROP COLUMN (SQLite ≥ 3.35), not a batch copy of the table: dropping the
    # old copy would delete, by the cascade, the chunks just written.
    op.execute("ALTER TABLE documents DROP COLUMN content")


def downgrade() -> None:
    op.add_column("documents", sa.Column("content", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    documents = bind.execute(sa.text("SELECT id FROM documents")).scalars().all()
    for document_id in documents:  # each file joined from its chunks, one at a time
        chunks = bind.execute(
            sa.text("SELECT data FROM document_chunks WHERE document_id = :id ORDER BY seq"),
            {"id": document_id},
        ).scalars()
        bind.execute(
            sa.text("UPDATE documents SET content = :content WHERE id = :id"),
            {"content": b"".join(chunks), "id": document_id},
        )
    op.drop_table("document_chunks")
