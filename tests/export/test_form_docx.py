"""The official layout as a Word document: read back by jixiao's own Word reader as the
same forms; A4 landscape, header rows repeated, rows never split, Chinese font set."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.export.form_docx import write_docx
from jixiao.export.layout import lay_out
from jixiao.model import Form
from jixiao.pipeline import read_bytes
from tests.conftest import GOLD
from tests.export.helpers import LAYOUTS, expected, first_of, gold_forms, got, layout
from tests.support.strategies import forms as form_strategy
from tests.test_read_roundtrip import _comparable


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_the_document(gold: Path, name: str) -> None:
    result = read_bytes(write_docx(gold_forms(gold), layout(name)), "导出.docx")
    assert result.format == "docx"
    assert got(result.forms) == expected(gold)
    assert not result.errors


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms=st.lists(form_strategy, min_size=1, max_size=3), name=st.sampled_from(LAYOUTS))
def test_generated_forms_read_back_from_the_document(forms: list[Form], name: str) -> None:
    result = read_bytes(write_docx(forms, layout(name)), "x.docx")
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("kind", ["self_evaluation", "declaration"])
def test_the_document_prints_as_the_official_table(kind: str, name: str) -> None:
    form = first_of(kind)
    sheet = lay_out(form, layout(name))
    document = docx.Document(io.BytesIO(write_docx([form, form], layout(name))))
    (section,) = document.sections
    assert section.orientation == 1  # landscape
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    title, year = document.paragraphs[:2]
    assert title.text == sheet.title and title.runs[0].bold
    assert year.text.endswith("年度）") or year.text.endswith("年度)")
    # Two tables a form: the indicator table's header row first in its own, so that
    # Word repeats it on every page; no row of either splits across pages.
    assert len(document.tables) == 4
    upper, indicators = document.tables[:2]
    for table in (upper, indicators):
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    header = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in indicators.rows]
    assert header == [True] + [False] * (len(indicators.rows) - 1)
    assert "一级指标" in [cell.text for cell in indicators.rows[0].cells]
    assert len(upper.rows) + len(indicators.rows) == sheet.height - sheet.title_rows
    # The second form starts a page.
    second = [p for p in document.paragraphs if p.text == sheet.title][1]
    assert second.paragraph_format.page_break_before


def test_the_chinese_font_is_set_for_east_asian_text() -> None:
    data = write_docx([first_of("self_evaluation")], layout("national"))
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="宋体"' in styles
    normal = docx.Document(io.BytesIO(data)).styles["Normal"]
    assert normal.font.name == "宋体"


def test_merges_are_word_merges() -> None:
    form = first_of("self_evaluation")
    data = write_docx([form], layout("shanghai"))
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert '<w:gridSpan w:val="9"/>' not in body  # the title is a paragraph, not a row
    assert '<w:gridSpan w:val="7"/>' in body  # 项目名称's value
    assert '<w:vMerge w:val="restart"/>' in body and "<w:vMerge/>" in body
    # python-docx reads the merges as merges: 项目资金 spans five rows and two columns.
    upper = docx.Document(io.BytesIO(data)).tables[0]
    funds = upper.cell(2, 0)
    assert funds.text == "项目资金 (万元)"
    assert upper.cell(6, 1)._tc is funds._tc
