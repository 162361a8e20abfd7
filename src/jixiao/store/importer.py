"""Importing documents (storage step): reviewed intakes → rows, each file whole or not at all.

- **Idempotent**: a document is known by the SHA-256 of its bytes; importing it again
  stores nothing and says so.
- **Transactional**: a document is stored whole or not at all. A file whose reading
  failed (see `Intake.refusal`) is refused before any write; a database failure rolls
  back everything the file wrote.
- **Bulk**: `add_many` writes a batch of documents in one transaction, one bulk write
  per table (`bulk.insert_rows`: COPY on PostgreSQL). Should the batch fail, it is rolled
  back and its documents are written again one transaction each, so that one bad file
  never takes the others down and never leaves half of itself behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from jixiao.intake import Intake
from jixiao.store import rows
from jixiao.store.bulk import insert_rows
from jixiao.store.projects import ensure_projects
from jixiao.store.stats import refresh_stats
from jixiao.store.tables import (
    Document,
    FindingRow,
    FormRow,
    FundsLine,
    Import,
    IndicatorRow,
    utcnow,
)

log = logging.getLogger(__name__)
Status = Literal["saved", "skipped", "refused"]
DEFAULT_BATCH = 50
ANALYZE_AFTER = 1000
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
        self._connection = engine.connect()
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
        outcomes = self._add_many(intakes)
        self.outcomes.extend(outcomes)
        return outcomes

    def _add_many(self, intakes: Sequence[Intake]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(intakes)
        todo: list[int] = []
        for i, intake in enumerate(intakes):
            refusal = intake.refusal
            if refusal is not None:
                outcomes[i] = Outcome(intake.name, "refused", refusal)
            else:
                todo.append(i)
        if todo:
            try:
                with self._connection.begin():
                    for i, outcome in zip(
                        todo, self._write([intakes[i] for i in todo]), strict=True
                    ):
                        outcomes[i] = outcome
            except DBAPIError as error:
                if len(todo) > 1:
                    # Find the file at fault: each document again in its own transaction.
                    for i in todo:
                        outcomes[i] = self._add_many([intakes[i]])[0]
                else:
                    outcomes[todo[0]] = self._recover(intakes[todo[0]], error)
        return [o for o in outcomes if o is not None]

    def _recover(self, intake: Intake, error: DBAPIError) -> Outcome:
        """After a failed write of one document (rolled back): skipped when another import
        stored the same file meanwhile, else refused with the database's reason."""
        known = _known(self._connection, [intake.sha256])
        self._connection.rollback()
        if intake.sha256 in known:
            return _skipped(intake, known[intake.sha256])
        log.warning("document %s not stored: %s", intake.name, error)
        reason = str(error.orig or error).strip().splitlines()[0]
        return Outcome(
            intake.name,
            "refused",
            f"文件「{intake.name}」无法存入数据库（{reason}），整个文件未保存",
        )

    def _write(self, intakes: list[Intake]) -> list[Outcome]:
        connection = self._connection
        known = _known(connection, [i.sha256 for i in intakes])
        outcomes: list[Outcome] = []
        fresh: list[Intake] = []
        for intake in intakes:
            if intake.sha256 in known:
                outcomes.append(_skipped(intake, known[intake.sha256]))
            elif any(f.sha256 == intake.sha256 for f in fresh):
                outcomes.append(_skipped(intake, None))
            else:
                fresh.append(intake)
                outcomes.append(Outcome(intake.name, "saved", ""))
        saved = iter(self._save(connection, fresh))
        return [next(saved) if o.status == "saved" else o for o in outcomes]

    def _save(self, connection: Connection, intakes: list[Intake]) -> list[Outcome]:
        if not intakes:
            return []
        now = utcnow()
        document_ids = insert_rows(
            connection,
            Document.__table__,  # type: ignore[arg-type]
            [
                {
                    "sha256": i.sha256,
                    "name": i.name,
                    "size": i.size,
                    "format": i.format,
                    "content": i.data,
                    "import_id": self.import_id,
                    "created_at": now,
                }
                for i in intakes
            ],
            ids=True,
        )
        placed = [
            (document_id, r)
            for document_id, intake in zip(document_ids, intakes, strict=True)
            for r in intake.forms
        ]
        project_ids = ensure_projects(connection, [r.form for _, r in placed])
        form_ids = insert_rows(
            connection,
            FormRow.__table__,  # type: ignore[arg-type]
            [
                {
                    **rows.form_values(
                        r.form, score=r.score, findings=r.findings, profile=self.profile
                    ),
                    "document_id": document_id,
                    "position": r.index,
                    "project_id": project_id,
                    "created_at": now,
                }
                for (document_id, r), project_id in zip(placed, project_ids, strict=True)
            ],
            ids=True,
        )
        insert_rows(
            connection,
            FundsLine.__table__,  # type: ignore[arg-type]
            [
                {**line, "form_id": form_id}
                for (_, r), form_id in zip(placed, form_ids, strict=True)
                for line in rows.funds_values(r.form)
            ],
        )
        indicator_rows = [
            {**values, "form_id": form_id}
            for (_, r), form_id in zip(placed, form_ids, strict=True)
            for values in rows.indicator_values(r.form, r.score)
        ]
        indicator_ids = insert_rows(
            connection,
            IndicatorRow.__table__,  # type: ignore[arg-type]
            indicator_rows,
            ids=True,
        )
        by_place = {
            (row["form_id"], row["position"]): id_
            for row, id_ in zip(indicator_rows, indicator_ids, strict=True)
        }
        findings: list[dict[str, Any]] = []
        counts: dict[int, int] = {}
        for document_id, intake in zip(document_ids, intakes, strict=True):
            before = len(findings)
            findings.extend(
                {
                    **rows.finding_values(f, "reading"),
                    "document_id": document_id,
                    "form_id": None,
                    "indicator_id": None,
                }
                for f in intake.file_findings
            )
            counts[document_id] = len(findings) - before
        for (document_id, r), form_id in zip(placed, form_ids, strict=True):
            for stage, found in (("reading", r.reading), ("review", r.review)):
                for finding in found:
                    position = rows.indicator_position(finding, r.form)
                    findings.append(
                        {
                            **rows.finding_values(finding, stage),
                            "document_id": document_id,
                            "form_id": form_id,
                            "indicator_id": by_place.get((form_id, position)),
                        }
                    )
                    counts[document_id] += 1
        insert_rows(connection, FindingRow.__table__, findings)  # type: ignore[arg-type]
        per_document: dict[int, list[int]] = {d: [] for d in document_ids}
        for (document_id, _), form_id in zip(placed, form_ids, strict=True):
            per_document[document_id].append(form_id)
        return [
            Outcome(
                intake.name,
                "saved",
                f"已保存 {len(per_document[d])} 张表单、{counts[d]} 项问题",
                document_id=d,
                form_ids=per_document[d],
                findings=counts[d],
            )
            for d, intake in zip(document_ids, intakes, strict=True)
        ]

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
                if refresh and summary.count("saved"):
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


def _known(connection: Connection, hashes: list[str]) -> dict[str, int]:
    """The stored documents among `hashes`: sha256 → document id."""
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        chunk = hashes[start : start + _CHUNK]
        query = select(Document.sha256, Document.id).where(Document.sha256.in_(chunk))
        found.update({sha: id_ for sha, id_ in connection.execute(query)})
    return found


def _skipped(intake: Intake, document_id: int | None) -> Outcome:
    where = f"（文档 #{document_id}）" if document_id is not None else "（同一批中重复）"
    return Outcome(
        intake.name,
        "skipped",
        f"文件「{intake.name}」已导入过{where}，未重复保存",
        document_id=document_id,
    )
