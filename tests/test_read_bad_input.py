"""Bad input gets a clear finding with its place — never an exception, never half a form."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

from jixiao.catalogue import INPUT_TOO_LARGE
from jixiao.findings import Severity
from jixiao.intake import take_in_path
from jixiao.pipeline import read_bounded, read_bytes, read_path
from tests.conftest import SEEDS


def _kinds(data: bytes, name: str = "x.txt") -> list[str]:
    return [f.kind for f in read_bytes(data, name).findings]


def test_empty_file() -> None:
    result = read_bytes(b"  \n\n", "empty.txt")
    assert not result.forms
    assert [f.kind for f in result.findings] == ["empty-input"]
    assert result.findings[0].file == "empty.txt"


def test_binary_file() -> None:
    noise = random.Random(3).randbytes(4096)
    result = read_bytes(noise, "noise.bin")
    assert not result.forms
    assert result.findings[0].kind == "unreadable-input"
    assert result.findings[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office"),
    ],
)
def test_binary_formats_named_in_message(head: bytes, kind: str) -> None:
    result = read_bytes(head + b"\x00" * 100, "upload")
    assert result.findings[0].kind == "unreadable-input"
    assert kind in result.findings[0].message


def test_random_text_is_no_form() -> None:
    rng = random.Random(5)
    text = "\n".join(
        "".join(
            rng.choice("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就")
            for _ in range(30)
        )
        for _ in range(100)
    )
    result = read_bytes(text.encode(), "random.txt")
    assert not result.forms
    assert [f.kind for f in result.findings] == ["no-form-found"]


def test_truncated_file_keeps_complete_forms_and_reports_the_cut_one() -> None:
    text = SEEDS[1].read_bytes()
    cut = text[:6000]  # two whole forms, the third cut in its header
    result = read_bytes(cut, "cut.txt")
    assert [f.project for f in result.forms] == ["职业培训", "业务培训"]
    truncated = [f for f in result.findings if f.kind == "truncated-form"]
    assert truncated and truncated[0].severity is Severity.ERROR
    assert truncated[0].line is not None and truncated[0].project == "课题与规划"


def test_gb18030_file_is_decoded_and_noted() -> None:
    text = SEEDS[1].read_text("utf-8")
    result = read_bytes(text.encode("gb18030"), "gbk.txt")
    assert len(result.forms) == 36
    assert "encoding-fallback" in [f.kind for f in result.findings]


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    result = read_path(big, max_bytes=1024)
    assert not result.forms
    assert result.findings[0].kind == "input-too-large"
    assert "MB" in result.findings[0].message


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    result = read_path(tmp_path / "nope.txt")
    assert result.findings[0].kind == "unreadable-input"


def test_large_file_is_read_in_bounded_time() -> None:
    # ~12 MB of real forms (1,800 forms): linear time, no pathological backtracking.
    data = SEEDS[1].read_bytes() * 50
    start = time.perf_counter()
    result = read_bytes(data, "large.txt")
    elapsed = time.perf_counter() - start
    assert len(result.forms) == 36 * 50
    assert elapsed < 30


def test_pathological_lines_do_not_hang() -> None:
    data = ("≥" * 20000 + "1" * 20000 + "\t" * 5000 + "|" * 5000 + "\n").encode() * 5
    start = time.perf_counter()
    read_bytes(data, "weird.txt")
    assert time.perf_counter() - start < 10


def test_json_that_is_not_the_exchange_format() -> None:
    assert _kinds(b'{"hello": 1}', "x.json") == ["invalid-exchange"]
    assert _kinds(b"[1, 2", "x.json") == ["invalid-exchange"]


def test_an_unreadable_declaration_amount_names_its_field() -> None:
    seed = SEEDS[2].read_text(encoding="utf-8")
    damaged = seed.replace("当年财政拨款\t510,000.00", "当年财政拨款\t五十一万元", 1)
    assert damaged != seed
    result = read_bytes(damaged.encode(), "decl.txt")
    (finding,) = [f for f in result.findings if f.kind == "row-not-understood"]
    # The field as the exchange format, the store and the findings workbook name it.
    assert finding.field == "funds.annual_appropriation" and finding.indicator is None
    assert "当年财政拨款" in finding.message and "五十一万元" in finding.message


def test_a_file_larger_than_its_stat_said_is_refused_unread_beyond_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `stat` may say 0 (a file still being written, some special files): the reading
    # itself stops at the limit.
    big = tmp_path / "growing.txt"
    big.write_bytes(b"x" * 5000)
    real_stat = Path.stat

    def says_empty(path: Path, **kwargs: Any) -> os.stat_result:
        info = real_stat(path, **kwargs)
        if path == big:
            return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:]))
        return info

    monkeypatch.setattr(Path, "stat", says_empty)
    assert len(read_bounded(big, 1000)) == 1001  # read only as far as to know it is over
    result = read_path(big, max_bytes=1000)
    assert [f.code for f in result.findings] == [INPUT_TOO_LARGE.code]
    assert take_in_path(big, "national-2020", max_bytes=1000).refusal is not None
