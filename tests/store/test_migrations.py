"""The Alembic migrations are the schema: they create exactly what the models describe.

Each test runs Alembic itself, on a brand-new database of its own (`fresh_engine`), not on
the migrated template the other storage tests copy."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.orm import Session

from jixiao.money import in_common_unit
from jixiao.store.chunks import CHUNK_BYTES
from jixiao.store.engine import make_engine
from jixiao.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    include_name,
    upgrade,
)
from jixiao.store.pending import KeptFile, create_pending, pending_file
from jixiao.store.queries import document_content
from jixiao.store.tables import Base, FormRow
from tests.store.helpers import import_seeds


def _other_dialects_indexes(dialect: str) -> set[str]:
    """Indexes the models create on another database only (`Index.ddl_if`)."""
    names = set()
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            only = getattr(index, "_ddl_if", None)
            if only is not None and only.dialect not in (None, dialect):
                names.add(str(index.name))
    return names


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
    elsewhere = _other_dialects_indexes(engine.dialect.name)
    return [
        d
        for d in diff
        if not (isinstance(d, tuple) and d[0] == "add_index" and d[1].name in elsewhere)
    ]


def test_migrations_create_the_models_schema(fresh_engine: Engine) -> None:
    assert _differences(fresh_engine) == []


def test_upgrade_is_at_head_and_idempotent(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_dialect_specific_indexes(fresh_engine: Engine) -> None:
    indexes = {i["name"] for i in inspect(fresh_engine).get_indexes("forms")}
    on_postgresql = fresh_engine.dialect.name == "postgresql"
    assert ("ix_forms_search_trgm" in indexes) == on_postgresql
    assert ("ix_forms_sort_total_score" in indexes) == on_postgresql
    assert ("ix_forms_department" in indexes) != on_postgresql
    assert not indexes & _other_dialects_indexes(fresh_engine.dialect.name)


def test_downgrade_then_upgrade(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "roundtrip.db"))
    try:
        upgrade(engine)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_funds_in_wan_are_filled_for_stored_forms(fresh_engine: Engine) -> None:
    """0004 converts the amounts of forms stored before it: 元 and 万元 to 万元, exactly."""
    import_seeds(fresh_engine)
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        rows = session.execute(select(FormRow.funds_amount, FormRow.funds_unit, FormRow.funds_wan))
        pairs = [(amount, unit, wan) for amount, unit, wan in rows if amount is not None]
    assert {unit for _, unit, _ in pairs} == {"元", "万元"}
    for amount, unit, wan in pairs:
        assert wan == in_common_unit(amount, unit)
        assert str(wan) == str(in_common_unit(amount, unit))  # the same digits, too
    assert any(unit == "元" and wan != amount for amount, unit, wan in pairs)


def test_sqlite_search_index_is_filled_and_kept(fresh_engine: Engine) -> None:
    """0005 indexes the forms stored before it; its triggers index those stored after."""
    if fresh_engine.dialect.name != "sqlite":
        with fresh_engine.connect() as connection:
            assert not is_search_index_present(connection)
        return
    import_seeds(fresh_engine)
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
        assert not is_search_index_present(connection)
    upgrade(fresh_engine)
    with fresh_engine.begin() as connection:
        assert is_search_index_present(connection)
        triggers = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'forms'"
        ).scalars()
        assert set(triggers) == {
            "forms_search_insert",
            "forms_search_update",
            "forms_search_delete",
        }
        connection.exec_driver_sql(
            "INSERT INTO forms_search(forms_search) VALUES ('integrity-check')"
        )
        indexed = connection.exec_driver_sql(
            "SELECT count(*) FROM forms_search WHERE forms_search MATCH '\"职业培训\"'"
        ).scalar_one()
        stored = connection.exec_driver_sql(
            "SELECT count(*) FROM forms WHERE search_text LIKE '%职业培训%'"
        ).scalar_one()
        assert indexed == stored > 0


def is_search_index_present(connection: Connection) -> bool:
    return "forms_search" in inspect(connection).get_table_names()


def test_pending_files_move_into_chunks_and_back(fresh_engine: Engine) -> None:
    """0009 keeps what uploads waiting at the upgrade hold: each file's bytes become its
    chunk, and going back joins a file's chunks into its bytes again."""
    big = bytes(range(256)) * (CHUNK_BYTES // 128)  # two chunks
    with Session(fresh_engine) as session:
        token = create_pending(session, [("a.tsv", b"\x00one"), ("b.tsv", big)], "shanghai")
        session.commit()
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")
    with fresh_engine.connect() as connection:
        kept = connection.execute(
            text("SELECT name, content FROM pending_files ORDER BY position")
        ).all()
    assert [tuple(row) for row in kept] == [("a.tsv", b"\x00one"), ("b.tsv", big)]
    upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        assert pending_file(session, token, 1) == KeptFile("a.tsv", b"\x00one")
        assert pending_file(session, token, 2) == KeptFile("b.tsv", big)


def test_documents_move_into_chunks_and_back(fresh_engine: Engine) -> None:
    """0010 keeps the stored files: each document's bytes become its chunks, and going
    back joins them into its row again."""
    big = bytes(range(256)) * (CHUNK_BYTES // 128) + b"\x00"  # two chunks and a byte
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    with fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO imports (id, origin, profile, started_at, documents_new,"
                " documents_skipped, documents_failed, forms, findings)"
                " VALUES (1, 'cli', 'p', :t, 0, 0, 0, 0, 0)"
            ),
            {"t": "2026-12-02 00:00:00"},
        )
        for id_, content in ((1, b"\x00one"), (2, big), (3, b"")):
            connection.execute(
                text(
                    "INSERT INTO documents (id, sha256, name, size, format, content, import_id,"
                    " created_at) VALUES (:id, :sha, 'f', :size, 'tsv', :content, 1, :t)"
                ),
                {
                    "id": id_,
                    "sha": f"{id_:064x}",
                    "size": len(content),
                    "content": content,
                    "t": "2026-12-02 00:00:00",
                },
            )
    upgrade(fresh_engine)
    with Session(fresh_engine) as session:
        assert [document_content(session, i) for i in (1, 2, 3)] == [b"\x00one", big, b""]
        chunks = session.execute(text("SELECT count(*) FROM document_chunks")).scalar_one()
        assert chunks == 1 + 3
    with fresh_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    with fresh_engine.connect() as connection:
        kept = connection.execute(text("SELECT content FROM documents ORDER BY id")).scalars()
        assert list(kept) == [b"\x00one", big, b""]
    upgrade(fresh_engine)


def test_pending_chunks_are_kept_uncompressed_on_postgresql(fresh_engine: Engine) -> None:
    """0012: PostgreSQL stores an upload's chunks out of line, not compressed (the request
    that keeps them waits on the compression); 0011's uploads say their origin."""
    with fresh_engine.connect() as connection:
        if fresh_engine.dialect.name == "postgresql":
            storage = connection.execute(
                text(
                    "SELECT attstorage FROM pg_attribute "
                    "WHERE attrelid = 'pending_chunks'::regclass AND attname = 'data'"
                )
            ).scalar_one()
            assert storage == "e"
        columns = {c["name"]: c for c in inspect(connection).get_columns("pending_uploads")}
        assert "upload" in str(columns["origin"]["default"])
