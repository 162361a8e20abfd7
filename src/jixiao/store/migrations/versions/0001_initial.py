"""The initial schema: imports, documents, projects, forms, funds, indicators, findings,
pending uploads and the dashboard's precomputed counts.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The decimal type is jixiao's own (NUMERIC on PostgreSQL, exact text on SQLite); it is
# a stable part of the storage layer, so the migration may name it.
from jixiao.store.types import ExactDecimal

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The list's filter columns (indexed on SQLite) and sort columns (indexed on PostgreSQL),
# as of this revision; see jixiao.store.tables.
SQLITE_FILTERS = ("kind", "year", "project", "department", "unit", "grade")
SORTED = (
    "year",
    "project",
    "department",
    "unit",
    "kind",
    "funds_amount",
    "execution_rate",
    "total_score",
    "ref_total",
    "grade",
    "finding_count",
    "error_count",
)


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("documents_new", sa.Integer(), nullable=False),
        sa.Column("documents_skipped", sa.Integer(), nullable=False),
        sa.Column("documents_failed", sa.Integer(), nullable=False),
        sa.Column("forms", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_documents_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    _index("documents", "import_id")
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("department", sa.Text(), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("key", name=op.f("uq_projects_key")),
    )
    _index("projects", "name")
    _index("projects", "unit")
    _create_forms()
    op.create_table(
        "funds_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(30), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *(
            sa.Column(name, ExactDecimal(), nullable=True)
            for name in ("initial", "adjusted", "executed", "weight", "rate", "score", "amount")
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["forms.id"],
            name=op.f("fk_funds_lines_form_id_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds_lines")),
        sa.UniqueConstraint("form_id", "line", name=op.f("uq_funds_lines_form_id_line")),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("level1", sa.Text(), nullable=False),
        sa.Column("level2", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("weight", ExactDecimal(), nullable=True),
        sa.Column("score", ExactDecimal(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("ref_score", ExactDecimal(), nullable=True),
        sa.Column("ref_formula", sa.Text(), nullable=True),
        sa.Column("ref_low", ExactDecimal(), nullable=True),
        sa.Column("ref_high", ExactDecimal(), nullable=True),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["forms.id"],
            name=op.f("fk_indicators_form_id_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("form_id", "position", name=op.f("uq_indicators_form_id_position")),
    )
    _create_findings()
    op.create_table(
        "pending_uploads",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_uploads")),
    )
    op.create_table(
        "pending_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["token"],
            ["pending_uploads.token"],
            name=op.f("fk_pending_files_token_pending_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_files")),
        sa.UniqueConstraint("token", "position", name=op.f("uq_pending_files_token_position")),
    )
    op.create_table(
        "stat_counts",
        sa.Column("dimension", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("forms", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "key", name=op.f("pk_stat_counts")),
    )


def _create_forms() -> None:
    op.create_table(
        "forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("profile", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("department", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("nature", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("funds_unit", sa.String(10), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=True)
            for name in ("goal_expected", "goal_actual", "goal_overall", "goal_annual")
        ),
        sa.Column("total_weight", ExactDecimal(), nullable=True),
        sa.Column("total_score", ExactDecimal(), nullable=True),
        sa.Column("grade", sa.String(20), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("funds_amount", ExactDecimal(), nullable=True),
        sa.Column("funds_executed", ExactDecimal(), nullable=True),
        sa.Column("execution_rate", ExactDecimal(), nullable=True),
        sa.Column("ref_budget_score", ExactDecimal(), nullable=True),
        sa.Column("ref_budget_formula", sa.Text(), nullable=True),
        sa.Column("ref_budget_low", ExactDecimal(), nullable=True),
        sa.Column("ref_budget_high", ExactDecimal(), nullable=True),
        sa.Column("ref_total", ExactDecimal(), nullable=True),
        sa.Column("ref_total_formula", sa.Text(), nullable=True),
        sa.Column("ref_total_low", ExactDecimal(), nullable=True),
        sa.Column("ref_total_high", ExactDecimal(), nullable=True),
        sa.Column("ref_grade", sa.String(20), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("info_count", sa.Integer(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_forms_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_forms_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forms")),
        sa.UniqueConstraint("document_id", "position", name=op.f("uq_forms_document_id_position")),
    )
    _index("forms", "document_id")
    _index("forms", "project_id")
    op.create_index("ix_forms_year_kind", "forms", ["year", "kind"])
    if op.get_context().dialect.name != "postgresql":
        for column in SQLITE_FILTERS:
            _index("forms", column)
        return
    for column in SORTED:
        # (column NULLS FIRST, id): one index serves both directions of a sort.
        op.create_index(
            f"ix_forms_sort_{column}", "forms", [sa.text(f'"{column}" NULLS FIRST'), "id"]
        )
    # Trigram GIN index: serves LIKE '%…%' on Chinese text (no word boundaries needed).
    # pg_trgm is a trusted extension, so the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_forms_search_trgm",
        "forms",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def _create_findings() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(10), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("field", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_findings_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["form_id"], ["forms.id"], name=op.f("fk_findings_form_id_forms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_findings_indicator_id_indicators"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    _index("findings", "document_id")
    _index("findings", "form_id")
    op.create_index("ix_findings_kind_form", "findings", ["kind", "form_id"])
    op.create_index("ix_findings_severity_form", "findings", ["severity", "form_id"])


def downgrade() -> None:
    for table in (
        "stat_counts",
        "pending_files",
        "pending_uploads",
        "findings",
        "indicators",
        "funds_lines",
        "forms",
        "projects",
        "documents",
        "imports",
    ):
        op.drop_table(table)
