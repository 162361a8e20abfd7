"""Forms as CSV in the official layout's grid (export step: laid-out sheet → CSV).

Each form is its table row by row, as `layout.lay_out` places it: a merged cell's text
in its first row and column, the cells it covers left empty (as a spreadsheet saves a
merged range as CSV), the title and year line in the first column, and an empty line
between two forms. Amounts are their printed decimal text (`40.05`, `8400`).

UTF-8 with a byte-order mark, which Excel needs to open the file as UTF-8 rather than
GBK; lines end in CRLF (RFC 4180). A text that a spreadsheet would take for a formula
(`=8400`, `+5`, `@x`) is written with a leading apostrophe, so that opening the file
never evaluates anything; a plain number such as `-23.00` is left as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from jixiao.export.layout import Layout, Sheet, lay_out, looks_like_formula
from jixiao.export.listing import BOM
from jixiao.model import Form


def write_csv(forms: Sequence[Form], layout: Layout) -> bytes:
    """`forms` as one CSV file, one block of rows per form."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for index, form in enumerate(forms):
        if index:
            writer.writerow([])
        writer.writerows(grid_rows(lay_out(form, layout)))
    return out.getvalue().encode("utf-8")


def grid_rows(sheet: Sheet) -> list[list[str]]:
    """The sheet as rows of texts, a merged cell written once, formulas neutralised."""
    rows = [[""] * sheet.width for _ in range(sheet.height)]
    for cell in sheet.cells:
        rows[cell.row][cell.col] = neutralised(cell.text)
    return rows


def neutralised(text: str) -> str:
    """`text`, with an apostrophe before it when a spreadsheet would evaluate it."""
    return "'" + text if looks_like_formula(text) else text
