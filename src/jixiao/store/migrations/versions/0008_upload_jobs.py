"""Uploads are read and saved by jobs: `pending_uploads` holds each upload's job state.

An upload was read and reviewed inside the request that received it, and saved inside
the request that asked for it: a large upload held its request for minutes. Now the
request only keeps the files, and a job (`jixiao.jobs`) reads them and, when asked,
saves them. The job's state lives with the upload, so that any server or worker
process can show its progress, and a job cut short (a crash, a `kill -9`) is taken up
again once its lease has run out:

- `state`: queued → reading → ready → save_queued → saving → saved, or failed;
- `done` of `total` files: the progress of the step running;
- `lease_until`: until when the process that claimed the step holds it;
- `attempts`: how many times a step was claimed (a step that fails every time stops);
- `client` and `bytes`: who sent the upload and how large it is, for the quotas;
- `outcome`: what saving stored (the API's JSON of it), shown once the files are gone;
- `failure`: why the job stopped, in Chinese.

Uploads kept before this revision were read already (their preview is kept) or are read
again by a job: they start `ready` or `queued`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "state",
    "done",
    "total",
    "lease_until",
    "attempts",
    "client",
    "bytes",
    "outcome",
    "failure",
)


def upgrade() -> None:
    with op.batch_alter_table("pending_uploads") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="queued"))
        batch.add_column(sa.Column("done", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("total", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("client", sa.String(64), nullable=True))
        batch.add_column(sa.Column("bytes", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("failure", sa.Text(), nullable=True))
    op.execute("UPDATE pending_uploads SET state = 'ready' WHERE preview IS NOT NULL")
    op.execute(
        "UPDATE pending_uploads SET total = (SELECT count(*) FROM pending_files"
        " WHERE pending_files.token = pending_uploads.token)"
    )
    op.create_index("ix_pending_uploads_state", "pending_uploads", ["state"])
    op.create_index("ix_pending_uploads_client", "pending_uploads", ["client"])


def downgrade() -> None:
    op.drop_index("ix_pending_uploads_client", "pending_uploads")
    op.drop_index("ix_pending_uploads_state", "pending_uploads")
    with op.batch_alter_table("pending_uploads") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
