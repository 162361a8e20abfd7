"""`check` and `import` judge a file alike, and findings come in the order of the file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.intake import take_in_path
from jixiao.pipeline import read_path
from jixiao.profile import load_profile
from jixiao.review import review_result
from tests.conftest import SEEDS


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", ["shanghai", "national-2020"])
def test_import_stores_the_findings_check_reports(seed: Path, profile: str) -> None:
    checked = review_result(read_path(seed), profile=load_profile(profile)).findings
    intake = take_in_path(seed, profile)
    imported = [*intake.file_findings, *(f for form in intake.forms for f in form.findings)]
    assert Counter(imported) == Counter(checked)
    assert checked  # the seeds have findings: a comparison of nothing would prove nothing


def test_findings_print_in_line_order_within_a_file() -> None:
    result = CliRunner().invoke(main, ["check", "--profile", "shanghai", *map(str, SEEDS)])
    place = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): [A-Z]{2}\d{3} ")
    lines: dict[str, list[int]] = {}
    for text in result.output.splitlines():
        match = place.match(text)
        if match:
            lines.setdefault(match["file"], []).append(int(match["line"]))
    assert len(lines) == len(SEEDS)
    for numbers in lines.values():
        assert numbers == sorted(numbers)
