"""Import: the seeds stored whole, idempotently, transactionally, and linked by project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy.orm import Session

from jixiao.exchange import form_to_exchange
from jixiao.intake import take_in, take_in_path
from jixiao.pipeline import read_path
from jixiao.store import write as write_module
from jixiao.store.chunks import CHUNK_BYTES
from jixiao.store.importer import Importer, ImportSummary, import_intakes
from jixiao.store.prepared import PreparedDocument
from jixiao.store.projects import linked_forms, relink
from jixiao.store.queries import document_content, get_form
from jixiao.store.tables import (
    Document,
    DocumentChunk,
    FindingRow,
    FormRow,
    Import,
    IndicatorRow,
    Project,
)
from tests.conftest import SEEDS
from tests.store.helpers import PROFILE, SEED_FORMS, import_seeds


def _count(engine: Engine, table: type) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_seeds_are_stored_whole(engine: Engine, seeded: ImportSummary) -> None:
    assert seeded.forms == SEED_FORMS
    assert seeded.count("saved") == len(SEEDS)
    assert _count(engine, FormRow) == SEED_FORMS
    assert _count(engine, Document) == len(SEEDS)
    stored_findings = _count(engine, FindingRow)
    assert stored_findings == seeded.findings > 0
    with Session(engine) as session:
        kept = session.execute(select(Document.id, Document.name)).all()
        files = {name: document_content(session, id_) for id_, name in kept}
    assert files == {str(p): p.read_bytes() for p in SEEDS}


def test_a_large_file_is_kept_a_chunk_a_row_and_read_back_exactly(engine: Engine) -> None:
    """A file's bytes are kept in chunks of `CHUNK_BYTES` (a large one's written a few at a
    time, small ones' in one write) and joined again exactly, a NUL and all."""
    large = bytes(range(256)) * (CHUNK_BYTES // 256 * 9) + b"\x00end"  # 9 chunks and a bit
    with engine.begin() as connection:
        import_id = connection.execute(
            Import.__table__.insert().values(
                origin="cli",
                profile=PROFILE,
                documents_new=0,
                documents_skipped=0,
                documents_failed=0,
                forms=0,
                findings=0,
            )
        ).inserted_primary_key[0]
        files = [large, b"", b"\x00small"]
        rows = [
            PreparedDocument(f"{n}.tsv", len(d), f"{n:064x}", "tsv", d, None, (), ())
            for n, d in enumerate(files)
        ]
        ids = write_module.write_document_rows(connection, rows, import_id=import_id)
    with Session(engine) as session:
        assert [document_content(session, i) for i in ids] == files
        sizes = session.execute(
            select(DocumentChunk.document_id, func.length(DocumentChunk.data)).order_by(
                DocumentChunk.document_id, DocumentChunk.seq
            )
        ).all()
    assert [size for d, size in sizes if d == ids[0]] == [CHUNK_BYTES] * 9 + [4]
    assert [size for d, size in sizes if d != ids[0]] == [6]  # the empty file has no chunk


def test_stored_forms_read_back_as_read(engine: Engine, seeded: ImportSummary) -> None:
    read = [form for path in SEEDS for form in read_path(path).forms]
    with Session(engine) as session:
        stored = [get_form(session, form_id) for form_id in seeded.form_ids]
    assert len(stored) == len(read)
    for form, back in zip(read, stored, strict=True):
        assert back is not None
        assert form_to_exchange(back.form, extras=False) == form_to_exchange(form, extras=False)


def test_review_scores_and_findings_are_stored(engine: Engine, seeded: ImportSummary) -> None:
    intakes = [take_in_path(path, PROFILE) for path in SEEDS]
    reviewed = [r for intake in intakes for r in intake.forms]
    with Session(engine) as session:
        for form_id, r in zip(seeded.form_ids, reviewed, strict=True):
            stored = get_form(session, form_id)
            assert stored is not None
            assert [f.code for f in stored.findings] == [f.code for f in r.findings]
            if r.score is not None and r.score.total is not None:
                assert stored.row.ref_total == r.score.total.value
                assert stored.row.ref_total_formula == r.score.total.formula
            refs = [s.reference.value for s in r.score.indicators] if r.score else []
            assert [i.ref_score for i in stored.indicators] == refs


def test_indicator_findings_point_at_their_row(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        rows = session.execute(
            select(FindingRow, IndicatorRow).join(
                IndicatorRow, IndicatorRow.id == FindingRow.indicator_id
            )
        ).all()
        assert rows
        for finding, indicator in rows:
            assert finding.indicator == indicator.name
            assert finding.form_id == indicator.form_id


def test_importing_again_stores_nothing_new(engine: Engine, seeded: ImportSummary) -> None:
    before = [_count(engine, t) for t in (Document, FormRow, FindingRow, IndicatorRow)]
    again = import_seeds(engine)
    assert again.count("skipped") == len(SEEDS)
    assert again.forms == 0
    assert "已导入过" in again.outcomes[0].message
    assert [_count(engine, t) for t in (Document, FormRow, FindingRow, IndicatorRow)] == before


def test_a_file_that_fails_to_read_is_refused_whole(engine: Engine) -> None:
    binary = take_in(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "scan.png", PROFILE)
    garbage = take_in("这不是表单。\n只是一些文字。\n".encode(), "notes.txt", PROFILE)
    # Seed 002 with the label 项目名称 of its first form removed: six forms read fine,
    # one does not — the file is refused whole.
    damaged = SEEDS[2].read_bytes().replace("项目名称".encode(), b"", 1)
    half = take_in(damaged, "half.txt", PROFILE)
    assert len(half.forms) == 7
    invalid_record = take_in(
        b'[{"kind": "declaration", "year": 2025, "project": "X"}, {"kind": "self_evaluation"}]',
        "records.json",
        PROFILE,
    )
    summary = import_intakes(
        engine, [binary, garbage, half, invalid_record], origin="cli", profile=PROFILE
    )
    messages = {o.name: o.message for o in summary.outcomes}
    assert [o.status for o in summary.outcomes] == ["refused"] * 4
    assert "PNG" in messages["scan.png"]
    assert "未找到" in messages["notes.txt"]
    assert "第 1 张表单：表单缺少项目名称" in messages["half.txt"]
    assert "第 2 条记录" in messages["records.json"]
    assert all("未保存" in m for m in messages.values())
    for table in (Document, FormRow, IndicatorRow, FindingRow, Project):
        assert _count(engine, table) == 0


def test_a_failure_while_saving_leaves_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = take_in_path(SEEDS[0], PROFILE)
    original = write_module.insert_values

    def failing(connection: Connection, table: Table, *args: Any, **kw: Any) -> list[int]:
        # The last table of the document: its document, forms and indicators are written.
        if table.name == "findings":
            raise RuntimeError("disk full")
        return original(connection, table, *args, **kw)

    monkeypatch.setattr(write_module, "insert_values", failing)
    importer = Importer(engine, origin="cli", profile=PROFILE)
    with pytest.raises(RuntimeError, match="disk full"):
        importer.add(intake)
    for table in (Document, FormRow, IndicatorRow, FindingRow, Project):
        assert _count(engine, table) == 0
    monkeypatch.setattr(write_module, "insert_values", original)
    assert importer.add(intake).status == "saved"
    importer.close()


def test_forms_of_one_project_are_linked_across_kinds_and_years(
    engine: Engine, seeded: ImportSummary
) -> None:
    with Session(engine) as session:
        rows = session.scalars(
            select(FormRow).where(
                FormRow.project == "鉴定、认定费", FormRow.unit == "上海市闵行区社会保障服务中心"
            )
        ).all()
        assert {(r.kind, r.year) for r in rows} == {
            ("self_evaluation", 2024),
            ("declaration", 2026),
        }
        assert len({r.project_id for r in rows}) == 1
        # Same name, other unit: not linked.
        training = session.scalars(select(FormRow).where(FormRow.project == "业务培训")).all()
        assert len({r.unit for r in training}) == len({r.project_id for r in training}) > 1


def test_unit_spellings_differing_in_width_are_one_project(engine: Engine) -> None:
    record = '{{"kind": "declaration", "year": {year}, "project": "宣传费", "unit": "{unit}", "indicators": []}}'
    one = take_in(
        f"[{record.format(year=2025, unit='某中心（本级）')}]".encode(), "a.json", PROFILE
    )
    two = take_in(f"[{record.format(year=2026, unit='某中心(本级)')}]".encode(), "b.json", PROFILE)
    summary = import_intakes(engine, [one, two], origin="cli", profile=PROFILE)
    assert summary.forms == 2
    with Session(engine) as session:
        assert len(set(session.scalars(select(FormRow.project_id)))) == 1


def test_relinking_is_kept(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        declaration = session.scalars(
            select(FormRow).where(FormRow.kind == "declaration", FormRow.project == "鉴定、认定费")
        ).one()
        assert len(linked_forms(session, declaration)) == 1
        relink(session, declaration, None)
        session.commit()
        assert linked_forms(session, declaration) == []
        other = session.scalars(select(FormRow).where(FormRow.project == "宣传费")).first()
        assert other is not None
        relink(session, declaration, other.project_id)
        session.commit()
        assert other.id in {f.id for f in linked_forms(session, declaration)}
        with pytest.raises(LookupError):
            relink(session, declaration, 999_999)


def test_funds_are_exact(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        huge = session.scalars(select(FormRow).where(FormRow.project == "征地养老费支出")).all()
    amounts = {r.kind: r.funds_amount for r in huge}
    assert amounts == {
        "self_evaluation": Decimal("109491.00"),
        "declaration": Decimal("1047173000.00"),
    }
    assert str(amounts["declaration"]) == "1047173000.00"


def test_a_file_the_database_refuses_does_not_take_the_batch_down(engine: Engine) -> None:
    good = [take_in_path(path, PROFILE) for path in SEEDS[:2]]
    record = '[{"kind": "declaration", "year": 2025, "project": "宣传费", "unit": "某中心"}]'
    # A file name longer than the column allows: PostgreSQL refuses it (SQLite would not).
    long_name = take_in(record.encode(), "长" * 600 + ".json", PROFILE)
    # A NUL inside a text: PostgreSQL refuses it in any text column (SQLite stores it).
    bad_text = take_in(
        b'[{"kind": "self_evaluation", "year": 2024, "project": "X", "grade": "\\u0000"}]',
        "nul.json",
        PROFILE,
    )
    with Importer(engine, origin="cli", profile=PROFILE) as importer:
        outcomes = importer.add_many([good[0], long_name, bad_text, good[1]])
        summary = importer.finish()
    statuses = [o.status for o in outcomes]
    assert statuses[0] == statuses[3] == "saved"
    if engine.dialect.name == "postgresql":
        assert statuses[1:3] == ["refused", "refused"]
        assert "无法存入数据库" in outcomes[1].message and "整个文件未保存" in outcomes[1].message
        assert _count(engine, Document) == 2
    assert summary.forms == sum(len(o.form_ids) for o in outcomes)
    assert _count(engine, FormRow) == summary.forms
