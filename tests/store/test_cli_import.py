"""`jixiao import PATH...`: files and folders, a summary, idempotent, refusals reported."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import COMMANDS, main
from tests.conftest import SEEDS
from tests.store.helpers import SEED_FORMS


def test_import_a_folder_then_again(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    first = CliRunner().invoke(
        main, ["import", str(folder), "--db", database_url, "--profile", "shanghai"]
    )
    assert first.exit_code == 0, first.output
    assert f"{len(SEEDS)} 个文件存入 {SEED_FORMS} 张表单" in first.output
    again = CliRunner().invoke(main, ["import", *map(str, SEEDS), "--db", database_url])
    assert again.exit_code == 0
    assert "0 个文件存入 0 张表单" in again.output
    assert f"{len(SEEDS)} 个文件已导入过" in again.output


def test_database_url_from_the_environment(database_url: str) -> None:
    result = CliRunner().invoke(
        main, ["import", str(SEEDS[0])], env={"JIXIAO_DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    assert "1 个文件存入 8 张表单" in result.output


def test_bad_files_are_reported_and_exit_non_zero(database_url: str, tmp_path: Path) -> None:
    binary = tmp_path / "scan.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = CliRunner().invoke(main, ["import", str(binary), str(SEEDS[2]), "--db", database_url])
    assert result.exit_code == 1
    assert "scan.png" in result.output and "整个文件未保存" in result.output
    assert "1 个文件存入 7 张表单" in result.output and "1 个文件无法导入" in result.output


def test_bad_database_and_profile(tmp_path: Path) -> None:
    unreachable = CliRunner().invoke(
        main, ["import", str(SEEDS[0]), "--db", "postgresql://nobody@127.0.0.1:1/none"]
    )
    assert unreachable.exit_code == 1 and "无法打开数据库" in unreachable.output
    assert "postgresql+psycopg://nobody@127.0.0.1:1/none" in unreachable.output
    profile = CliRunner().invoke(
        main, ["import", str(SEEDS[0]), "--db", str(tmp_path / "x.db"), "--profile", "mars"]
    )
    assert profile.exit_code == 2 and "mars" in profile.output


def test_every_store_command_has_help() -> None:
    for name in ("import", "serve", "demo"):
        assert name in COMMANDS
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "--db" in result.output
