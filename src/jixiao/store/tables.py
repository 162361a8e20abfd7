"""The tables (storage step): what a stored document, form, indicator and finding are.

The schema itself is created by the Alembic migrations (`migrations/versions`); these
classes describe it for queries, and a test checks that both agree.

- `imports`: one run of `jixiao import`, one saved upload, one demo build;
- `documents`, `document_chunks`: each source file kept byte for byte, a chunk a row,
  with its SHA-256 (the hash makes import idempotent);
- `projects`: one project across kinds and years (same unit and project name), the link
  that an editor may change;
- `forms`, `funds_lines`, `indicators`: the forms as printed, with the reference scores
  of the review beside the printed ones and a few columns denormalised for lists;
- `findings`: reading and review findings, placed at their form, indicator and field;
- `pending_uploads`, `pending_files`, `pending_chunks`: uploads read and reviewed but not
  yet saved, their files' bytes a chunk a row;
- `stat_counts`: the dashboard's figures, recomputed after each import;
- `forms_search`, on SQLite only: the FTS5 trigram index of `forms.search_text`, kept by
  triggers (migration 0005, `jixiao.store.search`); not a model, as FTS5 tables are not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jixiao.store.types import ExactDecimal

# Stable constraint names, so that migrations written today match the models tomorrow.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Import(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(20))  # cli | upload | demo | benchmark
    profile: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    documents_skipped: Mapped[int] = mapped_column(Integer, default=0)
    documents_failed: Mapped[int] = mapped_column(Integer, default=0)
    forms: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(40))
    # The file itself is kept (`DocumentChunk`), so that a finding can always be checked
    # against the source.
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentChunk(Base):
    """A piece of a stored document's bytes, in order (`seq`; migration 0010), written
    and read a chunk at a time (`store.chunks`)."""

    __tablename__ = "document_chunks"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the normalised (unit, project name): the automatic link key. A project
    # created by hand when an editor splits a link gets a key of its own.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # Indexed for the form page's list of projects a form could be linked to.
    name: Mapped[str] = mapped_column(Text, index=True)
    unit: Mapped[str | None] = mapped_column(Text, index=True)
    department: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


SQLITE_FILTERS = ("kind", "year", "project", "department", "unit", "grade")


class FormRow(Base):
    __tablename__ = "forms"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        Index("ix_forms_year_kind", "year", "kind"),
        # Chinese full-text search on PostgreSQL: trigram GIN index serving LIKE '%…%'.
        Index(
            "ix_forms_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # … and the 实施单位 filter, a substring of the unit (migration 0006).
        Index(
            "ix_forms_unit_trgm",
            "unit",
            postgresql_using="gin",
            postgresql_ops={"unit": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # On SQLite (a local file) plain indexes serve the list's equality filters.
        *(Index(f"ix_forms_{c}", c).ddl_if(dialect="sqlite") for c in SQLITE_FILTERS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 1-based in the document
    # Where the form starts in its document (jixiao.model.Source; the file is the document).
    line: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    cell: Mapped[str | None] = mapped_column(String(20))
    box: Mapped[list[float] | None] = mapped_column(JSON)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer)
    project: Mapped[str] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(Text)
    # The department as one name whatever its printed spacing or width: what the
    # overview groups by and the department filter compares (jixiao.vocabulary.normalise.search_key).
    department_key: Mapped[str | None] = mapped_column(Text, index=True)
    unit: Mapped[str | None] = mapped_column(Text)
    nature: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    funds_unit: Mapped[str] = mapped_column(Text)
    goal_expected: Mapped[str | None] = mapped_column(Text)
    goal_actual: Mapped[str | None] = mapped_column(Text)
    goal_overall: Mapped[str | None] = mapped_column(Text)
    goal_annual: Mapped[str | None] = mapped_column(Text)
    total_weight: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    total_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    grade: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[list[Any] | None] = mapped_column(JSON)
    # Denormalised for lists and the dashboard: 全年预算数 (or 年度资金申请总额),
    # 全年执行数 and the printed 执行率 of the 年度资金总额 row.
    funds_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    funds_executed: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    # `funds_amount` converted exactly to 万元 (jixiao.money): what the list shows, sorts
    # and totals, whatever unit each form printed. NULL when the printed unit is not money.
    funds_wan: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    execution_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    # The review's reference scores (a suggestion with its formula, never a correction).
    ref_budget_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_budget_formula: Mapped[str | None] = mapped_column(Text)
    ref_budget_low: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_budget_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_total: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_total_formula: Mapped[str | None] = mapped_column(Text)
    ref_total_low: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_total_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_grade: Mapped[str | None] = mapped_column(String(20))
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    info_count: Mapped[int] = mapped_column(Integer, default=0)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    # Project, units, goals and indicator names, NFKC-normalised and lower-cased, for
    # substring search (Chinese has no spaces to tokenise on).
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The list's sort keys → their column. On PostgreSQL each has an index
# (column NULLS FIRST, id), read forwards for an ascending sort and backwards for a
# descending one: a page of a hundred thousand forms is then an index range, in any
# order. Missing values (NULL) count as the lowest either way, which is how SQLite
# orders them natively. The same indexes serve the equality filters.
SORT_COLUMNS = {
    "year": "year",
    "project": "project",
    "department": "department",
    "unit": "unit",
    "kind": "kind",
    "funds": "funds_wan",
    "rate": "execution_rate",
    "score": "total_score",
    "ref_score": "ref_total",
    "grade": "grade",
    "findings": "finding_count",
    "errors": "error_count",
}
for _column in dict.fromkeys(SORT_COLUMNS.values()):
    Index(
        f"ix_forms_sort_{_column}",
        FormRow.__table__.c[_column].asc().nulls_first(),
        FormRow.__table__.c.id,
    ).ddl_if(dialect="postgresql")


class FundsLine(Base):
    """One amount row: a 项目资金 row of a self-evaluation, or one declaration amount."""

    __tablename__ = "funds_lines"
    __table_args__ = (UniqueConstraint("form_id", "line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    line: Mapped[str] = mapped_column(String(30))  # total | appropriation | annual_total …
    position: Mapped[int] = mapped_column(Integer)
    initial: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    adjusted: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    executed: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    weight: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # declarations


class IndicatorRow(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("form_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based in the form
    line: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    cell: Mapped[str | None] = mapped_column(String(20))
    box: Mapped[list[float] | None] = mapped_column(JSON)
    level1: Mapped[str] = mapped_column(Text)
    level2: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    note: Mapped[str | None] = mapped_column(Text)
    ref_score: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_formula: Mapped[str | None] = mapped_column(Text)
    ref_low: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    ref_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        # Serve "forms having a finding of kind/severity X" as an index-only EXISTS.
        Index("ix_findings_kind_form", "kind", "form_id"),
        Index("ix_findings_severity_form", "severity", "form_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    # None for a finding about the whole file (nothing could be attached to a form).
    form_id: Mapped[int | None] = mapped_column(
        ForeignKey("forms.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicators.id", ondelete="SET NULL")
    )
    stage: Mapped[str] = mapped_column(String(10))  # reading | review
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    cell: Mapped[str | None] = mapped_column(String(20))
    box: Mapped[list[float] | None] = mapped_column(JSON)
    indicator: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(100))


class PendingUpload(Base):
    """An upload: its files wait here to be read (a preview), then saved or discarded."""

    __tablename__ = "pending_uploads"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    profile: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The preview as it was first computed (the API's JSON of it): shown again without
    # reading and reviewing the files again (migration 0007).
    preview: Mapped[str | None] = mapped_column(Text, deferred=True)
    # The job that reads and saves it (migration 0008; `store.pending` says the states).
    state: Mapped[str] = mapped_column(String(16), server_default="queued", index=True)
    done: Mapped[int] = mapped_column(Integer, server_default="0")
    total: Mapped[int] = mapped_column(Integer, server_default="0")
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    client: Mapped[str | None] = mapped_column(String(64), index=True)
    bytes: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # Who brought it in, the origin of the import that saves it (migration 0011).
    origin: Mapped[str] = mapped_column(String(20), server_default="upload")
    outcome: Mapped[str | None] = mapped_column(Text, deferred=True)
    failure: Mapped[str | None] = mapped_column(Text)


class PendingFile(Base):
    __tablename__ = "pending_files"
    __table_args__ = (UniqueConstraint("token", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(ForeignKey("pending_uploads.token", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))


class PendingChunk(Base):
    """A piece of a pending file's bytes, in order (`seq`; migration 0009). A file is
    written and read a chunk at a time, so that neither the server keeping an upload nor
    the database binding it ever holds a large file in one piece."""

    __tablename__ = "pending_chunks"
    __table_args__ = (UniqueConstraint("file_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("pending_files.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StatCount(Base):
    """One precomputed figure of the dashboard: `(dimension, key) → forms, findings`."""

    __tablename__ = "stat_counts"

    dimension: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    forms: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
