"""`jixiao parse`: the exchange JSON on stdout, reading problems on stderr, exit codes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli import COMMANDS, main
from tests.conftest import SEEDS, gold_records


def test_json_output_carries_every_gold_key_in_document_order() -> None:
    result = CliRunner().invoke(main, ["parse", "--json", *map(str, SEEDS)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    gold = [r for seed in SEEDS for r in gold_records(seed)]
    assert len(records) == len(gold) == 51
    for record, expected in zip(records, gold, strict=True):
        assert record["kind"] == expected["kind"]
        assert record["project"] == expected["project"]
        for key in expected:
            if key not in ("seed", "ordinal"):
                assert key in record
        assert record["format"] == 1
        assert record["source"]["line"] >= 1


def test_summary_and_reading_problems_go_to_their_streams() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEEDS[1])])
    assert result.exit_code == 0
    assert "自评表 2024 「职业培训」" in result.stdout
    # The real arithmetic errors of seed 001 show as reading findings, editor style.
    assert f"{SEEDS[1]}:311: RD008 警告" in result.stderr


def test_nothing_usable_exits_non_zero(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("随便写的一些文字\n没有任何表格\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(junk)])
    assert result.exit_code == 1
    assert f"{junk}: RD003 错误" in result.stderr
    assert "Traceback" not in result.output


def test_folders_are_expanded(tmp_path: Path) -> None:
    for seed in SEEDS:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    result = CliRunner().invoke(main, ["parse", "--json", str(tmp_path)])
    assert len(json.loads(result.stdout)) == 51


def test_hidden_means_hidden_inside_the_folder_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = tmp_path / ".cache" / "forms"
    (forms / ".trash").mkdir(parents=True)
    seed = SEEDS[0]
    (forms / seed.name).write_bytes(seed.read_bytes())
    (forms / ".trash" / seed.name).write_bytes(seed.read_bytes())  # hidden: not read
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    expected = len(gold_records(seed))
    for given in (str(forms), "../.cache/forms"):
        result = CliRunner().invoke(main, ["parse", "--json", given])
        assert len(json.loads(result.stdout)) == expected, given
        assert "中有 1 个隐藏的文件或文件夹" in result.stderr  # .trash, said


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from jixiao.cli import main;"
        "r = CliRunner().invoke(main, ['--help']); print(r.output);"
        "print('HEAVY' if any(m in sys.modules for m in ('sqlalchemy', 'fastapi', 'jixiao.read')) else 'LIGHT')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for name in COMMANDS:
        assert name in out
    assert out.strip().endswith("LIGHT")


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "用法：" in result.output


def test_a_long_document_shows_its_pages_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jixiao.commands.common import PageProgress

    shown = PageProgress()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert shown.on(Path("扫描件.pdf")) is None  # a log or a pipe gets no progress line
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    progress = shown.on(Path("扫描件.pdf"))
    assert progress is not None
    for page in range(1, 13):
        progress(page, 12)
    shown.clear()
    err = capsys.readouterr().err
    assert "读取「扫描件.pdf」：第 1/12 页" in err and "第 12/12 页" in err
    assert err.endswith("\r\x1b[K")  # the line is cleared for what follows


def test_a_pipe_or_a_device_is_reported_not_opened(tmp_path: Path) -> None:
    # Opening a named pipe waits for a writer forever and /dev/zero never ends: neither
    # is opened, each is an RD002 finding naming what it is.
    fifo = tmp_path / "forms.txt"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "parse", str(fifo), "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert f"{fifo}: RD002 错误 这是命名管道，不是普通文件，未读取" in done.stdout + done.stderr
    assert "/dev/zero: RD002 错误 这是设备文件，不是普通文件，未读取" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_folder_that_cannot_be_opened_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "locked").mkdir()
    seed = SEEDS[0]
    (tmp_path / "a" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "locked" / seed.name).write_bytes(seed.read_bytes())
    locked = str(tmp_path / "locked")
    scandir, listdir = os.scandir, os.listdir

    # (The tests run as root, whom no permission stops: the refusal is made here.)
    def refusing(path: Any = ".") -> Any:
        if str(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", locked)
        return scandir(path)

    def refusing_list(path: Any = ".") -> Any:
        if str(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", locked)
        return listdir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    monkeypatch.setattr(os, "listdir", refusing_list)
    result = CliRunner().invoke(main, ["parse", "--json", "--jobs", "1", str(tmp_path)])
    assert len(json.loads(result.stdout)) == len(gold_records(seed))  # the readable one
    assert f"{locked}: RD002 错误 无法打开文件夹：" in result.stderr
    assert "其中的文件未读取" in result.stderr
