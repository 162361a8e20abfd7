"""Importing documents (storage step): reviewed intakes → rows, each file whole or not at all.

- **Idempotent**: a document is known by the SHA-256 of its bytes; importing it again
  stores nothing and says so.
- **Transactional**: a document is stored whole or not at all. A file whose reading
  failed (see `Intake.refusal`) is refused before any write; a database failure rolls
  back everything the file wrote.
- **Bulk**: `add_many` writes a batch of documents in one transaction, one bulk write
  per table (`write.write_documents`: COPY on PostgreSQL). Should the batch fail, it is
  rolled back and its documents are written again one transaction each, so that one bad
  file never takes the others down and never leaves half of itself behind.
- **Rows prepared anywhere**: a document is turned into its rows (`prepared.prepare`)
  before its transaction begins; `add_prepared` takes documents prepared elsewhere (the
  worker processes of `jixiao import --jobs N`), so that this process only writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from types import TracebackType
from typing import Literal

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from jixiao.intake import Intake
from jixiao.store.engine import writing
from jixiao.store.prepared import PreparedDocument, prepare
from jixiao.store.stats import refresh_stats
from jixiao.store.tables import Document, Import, utcnow
from jixiao.store.write import (
    Written,
    write_document_rows,
    write_documents,
    write_forms,
)

log = logging.getLogger(__name__)
Status = Literal["saved", "skipped", "refused"]
DEFAULT_BATCH = 50
ANALYZE_AFTER = 1000
# A long import recomputes the figures as it goes, whenever this many forms have been
# stored since they were computed: each look at the overview counts the forms stored
# since (`stats.forms_stored_since`), and would count ever more of them, while the
# import holds the database busy.
REFRESH_EVERY = 20_000
ANALYZED = ("documents", "projects", "forms", "funds_lines", "indicators", "findings")
_CHUNK = 500


@dataclass(slots=True)
class Outcome:
    """What became of one document."""

    name: str
    status: Status
    message: str
    document_id: int | None = None
    form_ids: list[int] = field(default_factory=list)
    findings: int = 0


@dataclass(slots=True)
class ImportSummary:
    import_id: int
    outcomes: list[Outcome]

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def forms(self) -> int:
        return sum(len(o.form_ids) for o in self.outcomes)

    @property
    def findings(self) -> int:
        return sum(o.findings for o in self.outcomes if o.status == "saved")

    @property
    def form_ids(self) -> list[int]:
        return [i for o in self.outcomes for i in o.form_ids]


class Importer:
    """One import run: `add` (or `add_many`) documents, then `finish`.

    Holds one connection for the run (a transaction per document or batch), so that
    importing thousands of files does not check a connection out thousands of times.
    """

    def __init__(self, engine: Engine, *, origin: str, profile: str) -> None:
        self.engine = engine
        self.profile = profile
        self.outcomes: list[Outcome] = []
        # Files and forms stored since the figures were last computed.
        self._files_since = self._forms_since = 0
        # On SQLite each transaction takes the write lock as it begins: it reads (which
        # files are known, the next ids) before it writes (see `engine.WRITE_LOCK`).
        self._connection = writing(engine).connect()
        with self._connection.begin():
            self.import_id: int = self._connection.execute(
                insert(Import)
                .values(
                    origin=origin,
                    profile=profile,
                    started_at=utcnow(),
                    documents_new=0,
                    documents_skipped=0,
                    documents_failed=0,
                    forms=0,
                    findings=0,
                )
                .returning(Import.id)
            ).scalar_one()

    def __enter__(self) -> Importer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    def add(self, intake: Intake) -> Outcome:
        return self.add_many([intake])[0]

    def add_many(self, intakes: Sequence[Intake]) -> list[Outcome]:
        """Store a batch of documents (one transaction; one per document on failure)."""
        return self.add_prepared([prepare(intake, self.profile) for intake in intakes])

    def add_prepared(self, documents: Sequence[PreparedDocument]) -> list[Outcome]:
        """`add_many` for documents already turned into rows (`prepared.prepare`), as the
        worker processes of `jixiao import --jobs N` send them."""
        outcomes = self._add_many(documents)
        self.outcomes.extend(outcomes)
        self._count(outcomes)
        return outcomes

    def add_in_parts(self, parts: Iterable[PreparedDocument]) -> Outcome:
        """Store one large document given a part at a time (each the rows of some of its
        forms, the first with the file's bytes): all its parts in one transaction, so
        that it is stored whole or not at all, while only one part is held at a time. A
        refused part refuses the file; an exception from `parts` (the caller found the
        parts do not read as the whole file) rolls back what was written of it."""
        iterator = iter(parts)
        # The first part is handed over, not held here: `_in_parts` lets it go.
        outcome = self._in_parts(next(iterator), iterator)
        self.outcomes.append(outcome)
        self._count([outcome])
        return outcome

    def _count(self, stored: Sequence[Outcome]) -> None:
        """Recompute the figures once `REFRESH_EVERY` forms have been stored since."""
        self._files_since += sum(o.status == "saved" for o in stored)
        self._forms_since += sum(len(o.form_ids) for o in stored)
        if self._forms_since >= REFRESH_EVERY:
            with self._connection.begin():
                refresh_stats(self._connection)
            self._files_since = self._forms_since = 0

    def _in_parts(self, first: PreparedDocument, rest: Iterator[PreparedDocument]) -> Outcome:
        if first.refusal is not None:
            return Outcome(first.name, "refused", first.refusal)
        connection = self._connection
        try:
            with connection.begin():
                known = known_documents(connection, [first.sha256])
                if first.sha256 in known:
                    return _skipped(first.name, known[first.sha256])
                # The file's bytes go first, in chunks, and are let go before its parts.
                (document_id,) = write_document_rows(connection, [first], import_id=self.import_id)
                first = replace(first, content=b"")
                form_ids: list[int] = []
                findings = 0
                for part in chain([first], rest):
                    if part.refusal is not None:
                        raise _Refused(part.refusal)
                    (ids,) = write_forms(connection, [(document_id, part)])
                    form_ids.extend(ids)
                    findings += part.finding_count
        except _Refused as refused:
            return Outcome(first.name, "refused", refused.reason)
        except DBAPIError as error:
            return self._recover(first, error)
        return _saved(first.name, Written(document_id, form_ids, findings))

    def _add_many(self, documents: Sequence[PreparedDocument]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(documents)
        todo: list[int] = []
        for i, document in enumerate(documents):
            if document.refusal is not None:
                outcomes[i] = Outcome(document.name, "refused", document.refusal)
            else:
                todo.append(i)
        if todo:
            try:
                with self._connection.begin():
                    for i, outcome in zip(
                        todo, self._write([documents[i] for i in todo]), strict=True
                    ):
                        outcomes[i] = outcome
            except DBAPIError as error:
                if len(todo) > 1:
                    # Find the file at fault: each document again in its own transaction.
                    for i in todo:
                        outcomes[i] = self._add_many([documents[i]])[0]
                else:
                    outcomes[todo[0]] = self._recover(documents[todo[0]], error)
        return [o for o in outcomes if o is not None]

    def _recover(self, document: PreparedDocument, error: DBAPIError) -> Outcome:
        """After a failed write of one document (rolled back): skipped when another import
        stored the same file meanwhile, else refused with the database's reason."""
        known = known_documents(self._connection, [document.sha256])
        self._connection.rollback()
        if document.sha256 in known:
            return _skipped(document.name, known[document.sha256])
        log.warning("document %s not stored: %s", document.name, error)
        reason = str(error.orig or error).strip().splitlines()[0]
        return Outcome(
            document.name,
            "refused",
            f"文件「{document.name}」无法存入数据库（{reason}），整个文件未保存",
        )

    def _write(self, documents: list[PreparedDocument]) -> list[Outcome]:
        connection = self._connection
        known = known_documents(connection, [d.sha256 for d in documents])
        outcomes: list[Outcome] = []
        fresh: list[PreparedDocument] = []
        hashes: set[str] = set()
        for document in documents:
            if document.sha256 in known:
                outcomes.append(_skipped(document.name, known[document.sha256]))
            elif document.sha256 in hashes:
                outcomes.append(_skipped(document.name, None))
            else:
                fresh.append(document)
                hashes.add(document.sha256)
                outcomes.append(Outcome(document.name, "saved", ""))
        written = iter(write_documents(connection, fresh, import_id=self.import_id))
        return [_saved(o.name, next(written)) if o.status == "saved" else o for o in outcomes]

    def finish(self, *, refresh: bool = True) -> ImportSummary:
        """Record the run's counts, recompute the dashboard, and release the connection."""
        summary = ImportSummary(self.import_id, list(self.outcomes))
        try:
            with self._connection.begin():
                self._connection.execute(
                    update(Import)
                    .where(Import.id == self.import_id)
                    .values(
                        finished_at=utcnow(),
                        documents_new=summary.count("saved"),
                        documents_skipped=summary.count("skipped"),
                        documents_failed=summary.count("refused"),
                        forms=summary.forms,
                        findings=summary.findings,
                    )
                )
                if refresh and self._files_since:
                    refresh_stats(self._connection)
            if self._connection.dialect.name == "postgresql" and summary.forms >= ANALYZE_AFTER:
                # Fresh statistics and visibility at once: the planner chooses the list's
                # indexes by them (index-only scans need the visibility map), and
                # autovacuum would take its time to notice a large import.
                vacuum = self._connection.execution_options(isolation_level="AUTOCOMMIT")
                vacuum.execute(text(f"VACUUM (ANALYZE) {', '.join(ANALYZED)}"))
        finally:
            self.close()
        return summary


class _Refused(Exception):
    """A part of a document given in parts was refused: the document is not stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def import_intakes(
    engine: Engine,
    intakes: Iterable[Intake],
    *,
    origin: str,
    profile: str,
    batch: int = DEFAULT_BATCH,
) -> ImportSummary:
    with Importer(engine, origin=origin, profile=profile) as importer:
        pending: list[Intake] = []
        for intake in intakes:
            pending.append(intake)
            if len(pending) >= batch:
                importer.add_many(pending)
                pending = []
        importer.add_many(pending)
        return importer.finish()


def known_documents(connection: Connection, hashes: list[str]) -> dict[str, int]:
    """The stored documents among `hashes`: sha256 → document id."""
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        chunk = hashes[start : start + _CHUNK]
        query = select(Document.sha256, Document.id).where(Document.sha256.in_(chunk))
        found.update({sha: id_ for sha, id_ in connection.execute(query)})
    return found


def _saved(name: str, written: Written) -> Outcome:
    return Outcome(
        name,
        "saved",
        f"已保存 {len(written.form_ids)} 张表单、{written.findings} 项问题",
        document_id=written.document_id,
        form_ids=written.form_ids,
        findings=written.findings,
    )


def _skipped(name: str, document_id: int | None) -> Outcome:
    where = f"（文档 #{document_id}）" if document_id is not None else "（同一批中重复）"
    return Outcome(
        name,
        "skipped",
        f"文件「{name}」已导入过{where}，未重复保存",
        document_id=document_id,
    )
