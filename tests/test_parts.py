"""A large text rendering cut at its forms reads as the whole file reads.

`jixiao.parts` cuts converter TSV and markdown at title lines; each part is read with
its first line and first form number. Read part by part, the forms (exchange records)
and findings equal the whole file's; where a part cannot know what the whole file knows
(a form at its start without a year), `fits` says so and the commands read the file
whole. The commands themselves are compared with one and two jobs in test_cli_jobs.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import parts
from jixiao.catalogue import ENCODING_FALLBACK
from jixiao.exchange import form_to_exchange
from jixiao.pipeline import read_bytes
from tests.support.render import to_markdown

SEED = next((Path(__file__).parent / "data" / "seeds").glob("001_*.txt"))


def _parts_read(data: bytes, name: str) -> tuple[list[dict[str, object]], list[object], bool]:
    plan = parts.plan(data, name, 8, min_bytes=1)
    assert plan is not None and len(plan.parts) >= 2
    forms, findings, fitted = [], list(plan.findings), True
    for part in plan.parts:
        result = parts.read(part)
        fitted = fitted and parts.fits(part, result)
        forms += [form_to_exchange(f) for f in result.forms]
        findings += result.findings
    return forms, findings, fitted


def _whole_read(data: bytes, name: str) -> tuple[list[dict[str, object]], list[object]]:
    result = read_bytes(data, name)
    return [form_to_exchange(f) for f in result.forms], list(result.findings)


@pytest.mark.parametrize("copies", [3, 12])
def test_tsv_parts_read_as_the_whole_file(copies: int) -> None:
    data = "\n".join([SEED.read_text(encoding="utf-8")] * copies).encode()
    forms, findings, fitted = _parts_read(data, "big.tsv")
    assert fitted
    whole_forms, whole_findings = _whole_read(data, "big.tsv")
    assert len(forms) == 36 * copies
    assert forms == whole_forms and findings == whole_findings


def test_markdown_parts_read_as_the_whole_file() -> None:
    forms = read_bytes(SEED.read_bytes(), SEED.name).forms
    data = "\n\n".join(to_markdown(forms, seed=i) for i in range(4)).encode()
    parts_forms, findings, fitted = _parts_read(data, "big.md")
    assert fitted
    assert (parts_forms, findings) == _whole_read(data, "big.md")


def test_a_part_opening_on_a_form_without_its_year_does_not_fit() -> None:
    # Every copy's first form loses its printed year: a part starting there would take
    # the year of the form after it, the whole file that of the form before.
    copy = re.sub(r"\(2024年度\)", "", SEED.read_text(encoding="utf-8"), count=1)
    data = "\n".join([copy] * 6).encode()
    plan = parts.plan(data, "big.tsv", 8, min_bytes=1)
    assert plan is not None
    later = [p for p in plan.parts if p.first_line > 1]
    assert later and not all(parts.fits(p, parts.read(p)) for p in later)


def test_plain_text_and_small_files_are_read_whole() -> None:
    plain = (Path(__file__).parent / "data" / "seeds").glob("000_*.txt")
    assert parts.plan(next(plain).read_bytes() * 100, "plain.txt", 8) is None  # pdftotext style
    assert parts.plan(SEED.read_bytes(), SEED.name, 8) is None  # below MIN_BYTES
    assert parts.plan(SEED.read_bytes() * 40, SEED.name, 1) is None  # one job


def test_the_commands_print_the_same_for_a_cut_file(tmp_path: Path) -> None:
    copy = re.sub(r"\(2024年度\)", "", SEED.read_text(encoding="utf-8"), count=1)
    (tmp_path / "big.tsv").write_text("\n".join([SEED.read_text(encoding="utf-8")] * 15))
    (tmp_path / "no_years.tsv").write_text("\n".join([copy] * 15))  # read whole, here

    def run(jobs: str) -> tuple[int, bytes, bytes]:
        done = subprocess.run(
            [sys.executable, "-m", "jixiao", "check", "--json", "--jobs", jobs, str(tmp_path)],
            capture_output=True,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    one, two = run("1"), run("2")
    assert one == two
    assert one[1].count(b'"kind": "self_evaluation"') == 2 * 15 * 36


def test_crlf_parts_read_as_the_whole_file() -> None:
    """Cut points are found on the text, not on a list of its lines: with Windows line
    ends the parts start at the same lines, numbered as the whole file numbers them."""
    text = "\n".join([SEED.read_text(encoding="utf-8")] * 4)
    data = text.replace("\n", "\r\n").encode()
    forms, findings, fitted = _parts_read(data, "big.tsv")
    assert fitted
    assert (forms, findings) == _whole_read(data, "big.tsv")


@pytest.mark.parametrize("odd_break", ["\u2028", "\x0c", "\r"])
def test_a_file_with_other_line_breaks_is_read_whole(odd_break: str) -> None:
    # `str.splitlines` breaks lines there too, so offsets would not give its line numbers.
    text = "\n".join([SEED.read_text(encoding="utf-8")] * 4)
    data = (text + f"说明{odd_break}完\n").encode()
    assert parts.plan(data, "big.tsv", 8, min_bytes=1) is None


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_parts_of_a_file_in_another_encoding_read_as_the_whole_file(encoding: str) -> None:
    """A UTF-8 file is cut on its own bytes; one with a BOM starts after it, and one in
    another encoding is cut on its text encoded as UTF-8: the same forms and findings
    (the decoding's finding said once) as the whole file."""
    data = "\n".join([SEED.read_text(encoding="utf-8")] * 4).encode(encoding)
    forms, findings, fitted = _parts_read(data, "big.tsv")
    assert fitted
    assert (forms, findings) == _whole_read(data, "big.tsv")
    assert (encoding == "gb18030") == any(f.code == ENCODING_FALLBACK.code for f in findings)


def test_the_cut_points_are_found_without_decoding_a_utf8_file_whole() -> None:
    # The plan keeps the file's own bytes, not a decoded copy of its text.
    data = "\n".join([SEED.read_text(encoding="utf-8")] * 4).encode()
    found = parts.cuts(data, "big.tsv", 8, min_bytes=1)
    assert found is not None and found.utf8 is data
    assert next(iter(found)).first_line == 1 and len(found.bounds) >= 2
