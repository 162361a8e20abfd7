"""The official table as a page to print: read back by jixiao's HTML reader as the same
forms, everything escaped, nothing fetched from outside, a print stylesheet for A4
landscape with the indicator header repeated."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.export.form_html import form_html
from jixiao.pipeline import read_bytes
from tests.conftest import GOLD
from tests.export.helpers import LAYOUTS, expected, first_of, gold_forms, got, layout


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_the_page(gold: Path, name: str) -> None:
    result = read_bytes(form_html(gold_forms(gold), layout(name)).encode("utf-8"), "x.html")
    assert result.format == "html"
    assert got(result.forms) == expected(gold)
    assert not result.errors


def test_everything_is_escaped() -> None:
    hostile = "<script>alert('项目')</script> & \"引号\""
    form = replace(first_of("declaration"), project=hostile, unit="<b>单位</b>")
    page = form_html([form], layout("national"))
    assert "<script>" not in page and "<b>单位" not in page
    assert "&lt;script&gt;" in page and "&amp;" in page
    # A browser shows the text as the form holds it.
    shown = html.unescape(re.sub(r"<[^>]+>", "\x00", page)).split("\x00")
    assert hostile in shown and "<b>单位</b>" in shown


def test_the_page_stands_alone_with_a_print_stylesheet() -> None:
    forms = [first_of("self_evaluation"), first_of("declaration")]
    page = form_html(forms, layout("national"))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert not re.search(r"https?:|<link|<script|<img|src=|url\(|@import", page)
    assert "@page { size: A4 landscape;" in page
    assert "thead { display: table-header-group; }" in page
    assert "tr { break-inside: avoid; }" in page
    assert '"Noto Serif CJK SC"' in page and '"SimSun"' in page
    assert "section.form + section.form { break-before: page; }" in page
    assert page.count('<section class="form">') == 2
    # The indicator table's header is the <thead> of a table of its own.
    theads = re.findall(r"<thead>(.*?)</thead>", page, re.S)
    assert len(theads) == 2 and all("一级指标" in t for t in theads)
    assert "<th" in theads[0] and "<td" not in theads[0]
