"""`jixiao export`: forms from files or from the store, one file per form, in the
official layout, read back by jixiao as the same forms."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import main
from jixiao.pipeline import read_bytes
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from tests.conftest import SEEDS
from tests.store.helpers import SEED_FORMS, import_seeds
from tests.support.latin import ALLOWED, latin_words


def _export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.output


def test_every_form_of_the_seeds_becomes_a_file_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "导出"
    code, output = _export(*map(str, SEEDS), "--format", "xlsx", "--out", str(out))
    assert code == 0, output
    files = sorted(out.iterdir())
    assert len(files) == SEED_FORMS  # one per form, no name overwritten
    assert all(f.suffix == ".xlsx" for f in files)
    assert f"导出完成：{SEED_FORMS} 个文件（xlsx）" in output
    projects = set()
    for file in files:
        (form,) = read_bytes(file.read_bytes(), file.name).forms
        projects.add(form.project)
        assert form.project in file.name
    assert len(projects) > 30


def test_forms_of_the_store_chosen_by_the_list_filters(tmp_path: Path) -> None:
    database = tmp_path / "库.db"
    engine = make_engine(str(database))
    upgrade(engine)
    import_seeds(engine)
    engine.dispose()
    out = tmp_path / "out"
    code, output = _export(
        "--db", str(database), "--kind", "申报表", "--format", "docx", "--out", str(out)
    )
    assert code == 0, output
    files = list(out.iterdir())
    assert len(files) == 7 and all("申报表" in f.name for f in files)
    for file in files:
        (form,) = read_bytes(file.read_bytes(), file.name).forms
        assert form.kind == "declaration"


def test_a_bad_layout_or_nothing_to_export_is_told_in_chinese(tmp_path: Path) -> None:
    code, output = _export(str(SEEDS[0]), "--layout", "没有这个表样", "--out", str(tmp_path))
    assert code == 2 and "--layout" in output and "national" in output
    empty = tmp_path / "空.txt"
    empty.write_text("各位领导：本年度项目进展顺利。\n", encoding="utf-8")
    code, output = _export(str(empty), "--out", str(tmp_path / "o"))
    assert code == 1 and "没有可导出的表单" in output
    allowed = ALLOWED | {"export", "national", "shanghai"}
    assert latin_words(output, allowed) == []


def test_both_cores_write_the_same_files(tmp_path: Path) -> None:
    """`--jobs 2` (forms sent to worker processes as exchange records) writes what one
    process writes, byte for byte where the format has no time stamp."""
    for fmt in ("csv", "json", "pdf"):
        one, two = tmp_path / f"{fmt}-1", tmp_path / f"{fmt}-2"
        for jobs, out in (("1", one), ("2", two)):
            code, output = _export(
                *map(str, SEEDS), "--format", fmt, "--out", str(out), "--jobs", jobs
            )
            assert code == 0, output
        names = sorted(p.name for p in one.iterdir())
        assert names == sorted(p.name for p in two.iterdir()) and len(names) == SEED_FORMS
        for name in names:
            assert (one / name).read_bytes() == (two / name).read_bytes(), (fmt, name)
