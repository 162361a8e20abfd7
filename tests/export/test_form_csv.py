"""The official layout's grid as CSV: every cell where the sheet puts it, merged cells
written once, UTF-8 with a byte-order mark, formulas neutralised; and, made TSV, read back
by jixiao's own TSV reader as the same forms."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.export.form_csv import write_csv
from jixiao.export.layout import FORMULA_STARTS, lay_out
from jixiao.model import Form
from jixiao.pipeline import read_bytes
from tests.conftest import GOLD
from tests.export.helpers import LAYOUTS, expected, first_of, gold_forms, got, layout


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _as_tsv(rows: list[list[str]]) -> bytes:
    """The rows as the TSV a converter writes, the neutralising apostrophe taken off."""

    def plain(text: str) -> str:
        return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text

    return "\n".join("\t".join(plain(t) for t in row) for row in rows).encode("utf-8")


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_the_csv(gold: Path, name: str) -> None:
    data = write_csv(gold_forms(gold), layout(name))
    assert b"\r\n" in data
    result = read_bytes(_as_tsv(_rows(data)), "x.tsv")
    assert result.format == "tsv"
    assert got(result.forms) == expected(gold)
    assert not result.errors


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_cell_stands_where_the_sheet_puts_it(name: str) -> None:
    forms: list[Form] = [first_of("self_evaluation"), first_of("declaration")]
    rows = _rows(write_csv(forms, layout(name)))
    top = 0
    for form in forms:
        sheet = lay_out(form, layout(name))
        block = rows[top : top + sheet.height]
        assert all(len(row) == sheet.width for row in block)
        written = {(c.row, c.col): c.text for c in sheet.cells}
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                # A merged cell once, in its first row and column; what it covers blank.
                want = written.get((r, c), "")
                assert text in (want, "'" + want), (r, c)
        top += sheet.height + 1
        if form is not forms[-1]:
            assert rows[top - 1] == []  # an empty line between two forms


def test_text_that_looks_like_a_formula_is_neutralised() -> None:
    form = first_of("self_evaluation")
    indicator = replace(form.indicators[0], target="=8400", actual="@SUM(A1)", note="-减少")
    form = replace(form, indicators=(indicator, *form.indicators[1:]))
    cells = {text for row in _rows(write_csv([form], layout("national"))) for text in row}
    assert {"'=8400", "'@SUM(A1)", "'-减少"} <= cells
    assert not {"=8400", "@SUM(A1)", "-减少"} & cells
    assert form.project in cells and "40.05" in cells
