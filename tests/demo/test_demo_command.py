"""`jixiao demo --no-serve` builds (then reuses) a SQLite demo database of synthetic forms."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from jixiao.cli import main
from jixiao.store.engine import make_engine
from jixiao.store.tables import Document, FindingRow, FormRow


def _count(database: Path, table: type) -> int:
    engine = make_engine(str(database))
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()


def test_demo_builds_then_reuses(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    first = CliRunner().invoke(
        main, ["demo", "--db", str(database), "--forms", "120", "--no-serve"]
    )
    assert first.exit_code == 0, first.output
    assert "已生成演示数据库" in first.output and "120 张表单" in first.output
    assert _count(database, FormRow) == 120
    assert _count(database, FindingRow) > 0
    documents = _count(database, Document)
    again = CliRunner().invoke(main, ["demo", "--db", str(database), "--no-serve"])
    assert again.exit_code == 0 and "使用已有的演示数据库" in again.output
    assert _count(database, FormRow) == 120 and _count(database, Document) == documents
    fresh = CliRunner().invoke(
        main, ["demo", "--db", str(database), "--forms", "50", "--fresh", "--no-serve"]
    )
    assert fresh.exit_code == 0, fresh.output
    assert _count(database, FormRow) == 50


def test_demo_refuses_a_taken_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["demo", "--db", str(tmp_path / "d.db"), "--port", str(port)]
        )
    assert result.exit_code != 0
    assert f"127.0.0.1:{port}" in result.output and "--port" in result.output
    assert not (tmp_path / "d.db").exists()  # refused before building anything
