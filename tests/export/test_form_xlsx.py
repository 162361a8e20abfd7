"""The official layout as an Excel workbook: read back by jixiao's own spreadsheet reader as
the same forms, numbers as numbers printing their decimals, text never a formula, and the
print settings of an A4 landscape table."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.export.form_xlsx import sheet_name, write_xlsx
from jixiao.export.layout import lay_out
from jixiao.model import Form, SelfEvaluation
from jixiao.pipeline import read_bytes
from tests.conftest import GOLD
from tests.export.helpers import LAYOUTS, expected, first_of, gold_forms, got, layout
from tests.support.strategies import forms as form_strategy
from tests.test_read_roundtrip import _comparable


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_the_workbook(gold: Path, name: str) -> None:
    forms = gold_forms(gold)
    data = write_xlsx(forms, layout(name))
    result = read_bytes(data, "导出.xlsx")
    assert result.format == "xlsx"
    assert got(result.forms) == expected(gold)
    assert not result.errors
    assert len(_book(data).worksheets) == len(forms)  # one form a sheet


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms=st.lists(form_strategy, min_size=1, max_size=3), name=st.sampled_from(LAYOUTS))
def test_generated_forms_read_back_from_the_workbook(forms: list[Form], name: str) -> None:
    result = read_bytes(write_xlsx(forms, layout(name)), "x.xlsx")
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]


def test_numbers_are_numbers_that_print_their_decimals() -> None:
    form = first_of("self_evaluation")
    assert isinstance(form, SelfEvaluation)
    total = replace(
        form.funds.total,
        initial=Decimal("8400"),
        adjusted=Decimal("40.05"),
        executed=Decimal("1E+3"),  # no plain decimal: stays the text it prints
        rate=Decimal("12345678901234.567"),  # more digits than a double holds
    )
    form = replace(form, funds=replace(form.funds, total=total))
    sheet = lay_out(form, layout("national"))
    row = next(c.row for c in sheet.cells if c.text == "年度资金总额") + 1
    ws = _book(write_xlsx([form], layout("national"))).active
    initial, adjusted, executed = (ws.cell(row=row, column=col) for col in (4, 5, 6))
    assert (initial.value, initial.number_format, initial.data_type) == (8400, "0", "n")
    assert (adjusted.value, adjusted.number_format) == (40.05, "0.00")
    assert (executed.value, executed.data_type) == ("1E+3", "s")
    rate = ws.cell(row=row, column=8)
    assert (rate.value, rate.data_type) == ("12345678901234.567", "s")
    assert ws.cell(row=row + 1, column=7).value == "—"  # no score on this row
    (result,) = read_bytes(write_xlsx([form], layout("national")), "x.xlsx").forms
    assert isinstance(result, SelfEvaluation)
    assert result.funds.total.initial == Decimal("8400")
    assert str(result.funds.total.adjusted) == "40.05"


def test_text_that_looks_like_a_formula_stays_text() -> None:
    form = first_of("self_evaluation")
    indicator = replace(form.indicators[0], target="=8400", actual="@SUM(A1)", note="+1 -2")
    form = replace(form, indicators=(indicator, *form.indicators[1:]))
    ws = _book(write_xlsx([form], layout("shanghai"))).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ("=8400", "@SUM(A1)", "+1 -2"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert not cells[form.project].quotePrefix
    (back,) = read_bytes(write_xlsx([form], layout("shanghai")), "x.xlsx").forms
    assert (back.indicators[0].target, back.indicators[0].actual) == ("=8400", "@SUM(A1)")


@pytest.mark.parametrize("kind", ["self_evaluation", "declaration"])
def test_print_settings_make_the_official_table_on_a4_landscape(kind: str) -> None:
    form = first_of(kind)
    sheet = lay_out(form, layout("national"))
    ws = _book(write_xlsx([form], layout("national"))).active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    (header,) = sheet.header_rows
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    assert "一级指标" in [c.value for c in ws[header + 1]]
    # Merges, borders, wrapping, widths, bold labels.
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A1:{chr(ord('A') + sheet.width - 1)}1" in merged  # the title
    label = ws.cell(row=3, column=1)
    assert label.value == "项目名称" and label.font.b and label.border.left.style == "thin"
    assert label.alignment.wrap_text
    widths = [ws.column_dimensions[chr(ord("A") + k)].width for k in range(sheet.width)]
    assert widths == list(sheet.widths)


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [
        sheet_name(project, index, taken)
        for index, project in enumerate(
            ["a/b[c]:d*e?f\\g", "同名项目", "同名项目", "同名项目" * 20, "同名项目" * 20, "'", ""],
            start=1,
        )
    ]
    assert names[:3] == ["a_b_c__d_e_f_g", "同名项目", "同名项目（2）"]
    assert names[5:] == ["表6", "表7"]
    assert len({n.casefold() for n in names}) == len(names)
    assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    forms = [first_of("declaration")] * 3
    assert [ws.title for ws in _book(write_xlsx(forms, layout("national"))).worksheets] == [
        "鉴定、认定费",
        "鉴定、认定费（2）",
        "鉴定、认定费（3）",
    ]
