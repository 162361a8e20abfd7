"""Writing prepared documents (storage step): their rows, tied together by ids drawn here.

`write_documents` writes a batch of `PreparedDocument`s in the caller's transaction: the
documents, the projects not seen before, the forms, their amounts, indicators and
findings, one bulk write per table (`bulk.insert_values`). Deciding what to write —
which files are refused or already known, one transaction per batch or per file — is
the importer's (`importer.py`); this module only adds the ids and the import's time to
rows made elsewhere (`prepared.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, Table

from jixiao.store.bulk import bound, insert_values
from jixiao.store.chunks import CHUNK_BYTES, pieces
from jixiao.store.prepared import FINDING, FORM, FUNDS, INDICATOR, PreparedDocument
from jixiao.store.projects import ensure_projects
from jixiao.store.tables import Document, DocumentChunk, utcnow

_CHUNK = 500
DOCUMENT_COLUMNS = ("sha256", "name", "size", "format", "import_id", "created_at")
CHUNK_COLUMNS = ("document_id", "seq", "data")
# The files' chunks go to the database this many bytes at a time (one bulk write).
_CHUNK_BATCH_BYTES = 4 * CHUNK_BYTES


@dataclass(frozen=True, slots=True)
class Written:
    """What one document became: its id, its forms' ids, its findings stored."""

    document_id: int
    form_ids: list[int]
    findings: int


def write_documents(
    connection: Connection, documents: Sequence[PreparedDocument], *, import_id: int
) -> list[Written]:
    """Write `documents` (none refused, none already stored) in the caller's transaction."""
    if not documents:
        return []
    document_ids = write_document_rows(connection, documents, import_id=import_id)
    form_ids = write_forms(connection, list(zip(document_ids, documents, strict=True)))
    return [
        Written(d, ids, document.finding_count)
        for d, ids, document in zip(document_ids, form_ids, documents, strict=True)
    ]


def write_document_rows(
    connection: Connection, documents: Sequence[PreparedDocument], *, import_id: int
) -> list[int]:
    """The `documents` rows and the files themselves (their chunks); their ids."""
    documents_table: Table = Document.__table__  # type: ignore[assignment]
    created = bound(connection, documents_table.c.created_at, utcnow())
    ids = insert_values(
        connection,
        documents_table,
        DOCUMENT_COLUMNS,
        [(d.sha256, d.name, d.size, d.format, import_id, created) for d in documents],
        ids=True,
    )
    write_document_chunks(connection, [(i, d.content) for i, d in zip(ids, documents, strict=True)])
    return ids


def write_document_chunks(connection: Connection, files: Sequence[tuple[int, bytes]]) -> None:
    """The bytes of documents (`(document id, bytes)`), a chunk a row (`store.chunks`):
    the chunks of many small files in one bulk write, a large file's a few at a time."""
    chunks_table: Table = DocumentChunk.__table__  # type: ignore[assignment]
    batch: list[tuple[int, int, memoryview]] = []
    held = 0
    for document_id, content in files:
        for seq, data in enumerate(pieces(content)):
            batch.append((document_id, seq, data))
            held += len(data)
            if held >= _CHUNK_BATCH_BYTES or len(batch) >= _CHUNK:
                insert_values(connection, chunks_table, CHUNK_COLUMNS, batch)
                batch, held = [], 0
    insert_values(connection, chunks_table, CHUNK_COLUMNS, batch)


def write_forms(
    connection: Connection, documents: Sequence[tuple[int, PreparedDocument]]
) -> list[list[int]]:
    """The forms of documents whose rows are written (`write_document_rows`), with their
    amounts, indicators and findings, and the documents' own findings; each document's
    form ids. A large document may come a part at a time: each part is its forms."""
    now = utcnow()
    placed = [(document_id, form) for document_id, document in documents for form in document.forms]
    forms = [form for _, form in placed]
    project_ids = ensure_projects(
        connection, {form.project_key: form.project for form in forms}, now
    )
    created = bound(connection, FORM.table.c.created_at, now)
    form_ids = insert_values(
        connection,
        FORM.table,
        ("document_id", "project_id", "created_at", *FORM.columns),
        [
            (document_id, project_ids[form.project_key], created, *form.row)
            for document_id, form in placed
        ],
        ids=True,
    )
    insert_values(
        connection,
        FUNDS.table,
        ("form_id", *FUNDS.columns),
        [
            (form_id, *line)
            for form, form_id in zip(forms, form_ids, strict=True)
            for line in form.funds
        ],
    )
    indicator_ids = insert_values(
        connection,
        INDICATOR.table,
        ("form_id", *INDICATOR.columns),
        [
            (form_id, *indicator)
            for form, form_id in zip(forms, form_ids, strict=True)
            for indicator in form.indicators
        ],
        ids=True,
    )
    # Each form's indicators have consecutive places in `indicator_ids`, by position.
    starts = [0, *accumulate(len(form.indicators) for form in forms)]
    findings: list[tuple[Any, ...]] = [
        (document_id, None, None, *row)
        for document_id, document in documents
        for row in document.file_findings
    ]
    for start, (document_id, form), form_id in zip(starts[:-1], placed, form_ids, strict=True):
        findings.extend(
            (document_id, form_id, indicator_ids[start + position - 1] if position else None, *row)
            for position, row in form.findings
        )
    insert_values(
        connection,
        FINDING.table,
        ("document_id", "form_id", "indicator_id", *FINDING.columns),
        findings,
    )
    per_document: dict[int, list[int]] = {d: [] for d, _ in documents}
    for (document_id, _), form_id in zip(placed, form_ids, strict=True):
        per_document[document_id].append(form_id)
    return [per_document[d] for d, _ in documents]
