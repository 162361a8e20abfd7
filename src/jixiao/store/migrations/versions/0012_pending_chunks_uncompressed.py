"""PostgreSQL keeps an upload's chunks uncompressed: `pending_chunks.data` STORAGE EXTERNAL.

The chunks of an upload are written while its request waits (`web.receiving`), and read
once by its jobs before they are dropped. PostgreSQL compressed each 1 MB chunk (pglz)
as it stored it: for a 240 MB upload of text, over a second of the database's CPU
inside the request, to save space for the hours at most that the chunks are kept.
Stored out of line and uncompressed, they cost the copy alone. SQLite never compresses:
nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE pending_chunks ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE pending_chunks ALTER COLUMN data SET STORAGE EXTENDED")
