"""Forms as an Excel workbook in the official layout (export step: laid-out sheet → xlsx).

One form per worksheet, as `layout.lay_out` arranges it: merged cells, thin borders,
wrapped text, bold labels, the layout's column widths, rows tall enough for their text,
and print settings that make a printout the official table: A4 landscape, fit to the
page's width, the indicator table's header repeated on every page.

Amounts are numbers (so that they add up in Excel) whose number format prints exactly
the decimals the form printed: 40.05 is `0.00`, 8400 is `0`. Only a plain decimal that
a double holds digit for digit becomes a number; anything else stays text. Text is
always written as text — a target printed `=8400` is data, never a formula — and text
that a spreadsheet would take for one carries Excel's quote prefix as well.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

# openpyxl ships no type information (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Border,
    Font,
    NamedStyle,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.cell_range import CellRange  # type: ignore[import-untyped]
from openpyxl.worksheet.merge import MergedCellRange  # type: ignore[import-untyped]
from openpyxl.worksheet.properties import PageSetupProperties  # type: ignore[import-untyped]

from jixiao.export.layout import (
    Cell,
    Layout,
    Sheet,
    lay_out,
    looks_like_formula,
    printable,
    printed_decimal,
)
from jixiao.model import Form
from jixiao.vocabulary.width import display_width

FONT = "宋体"  # SimSun: what the official forms print in, on every Chinese Windows
_SIDE = Side(style="thin", color="000000")
_BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_NO_BORDER = Border()


def _styles() -> list[NamedStyle]:
    """The cell styles of the table, one per role (a named style is set on a cell in one
    step, where font, border and alignment one by one cost three lookups each)."""

    def style(name: str, font: Font, alignment: Alignment, border: Border = _BORDER) -> NamedStyle:
        return NamedStyle(name=name, font=font, alignment=alignment, border=border)

    body = Font(name=FONT, size=10.5)
    middle = {"vertical": "center", "wrap_text": True}
    return [
        style(
            "表题", Font(name=FONT, size=16, bold=True), Alignment("center", "center"), _NO_BORDER
        ),
        style("年度", Font(name=FONT, size=11), Alignment("center", "center"), _NO_BORDER),
        style("栏目", Font(name=FONT, size=10.5, bold=True), Alignment("center", **middle)),
        style("内容", body, Alignment("center", **middle)),
        # A number or a text against a border reads as part of the next cell: indented.
        style("数值", body, Alignment("right", indent=1, **middle)),
        style("文字", body, Alignment("left", indent=1, **middle)),
    ]


_STYLE_OF = {"label": "栏目", "value": "内容", "number": "数值", "text": "文字"}
# Row heights in points: one line of 10.5 pt text, and the title's line.
_LINE = 14.5
_TITLE_LINE = 24.0
# Excel's sheet names: at most 31 characters, none of these, unique regardless of case.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def write_xlsx(forms: Sequence[Form], layout: Layout) -> bytes:
    """`forms` as one workbook, one worksheet per form."""
    book = Workbook()
    book.remove(book.active)
    for style in _styles():
        book.add_named_style(style)
    taken: set[str] = set()
    for index, form in enumerate(forms, start=1):
        sheet = lay_out(form, layout)
        worksheet = book.create_sheet(sheet_name(form.project, index, taken))
        _write_sheet(worksheet, sheet)
    if not forms:
        book.create_sheet("表单")  # a workbook must have a sheet
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_name(project: str, index: int, taken: set[str]) -> str:
    """A valid worksheet name for a form, not yet in `taken` (which it joins): the project
    name cut to 31 characters, or `表N` when the project name leaves nothing."""
    base = _SHEET_NAME_BAD.sub("_", project).strip().strip("'").strip()
    base = base[:_SHEET_NAME_MAX] or f"表{index}"
    if base.casefold() == "history":  # reserved by Excel
        base = f"表{index}"
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f"（{number}）"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _write_sheet(ws: Any, sheet: Sheet) -> None:
    for merged in sheet.cells:
        if merged.rowspan > 1 or merged.colspan > 1:
            bounds = CellRange(
                min_row=merged.row + 1,
                min_col=merged.col + 1,
                max_row=merged.last_row + 1,
                max_col=merged.last_col + 1,
            )
            # Not `ws.merge_cells`: it redraws the range's borders cell by cell, which
            # costs most of the writing, and every cell here gets its border anyway.
            ws.merged_cells.add(MergedCellRange(ws, bounds.coord))
    starts = {(cell.row, cell.col): cell for cell in sheet.cells}
    for row in range(sheet.height):
        for col in range(sheet.width):
            cell = starts.get((row, col))
            if cell is not None:
                _write_cell(ws, cell)
            elif row >= sheet.title_rows:
                # Every cell of the table has its border, those inside a merge too:
                # Excel draws a merged range's edges from the cells along them.
                ws.cell(row=row + 1, column=col + 1).style = "内容"
    for col, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in enumerate(_row_heights(sheet), start=1):
        ws.row_dimensions[row].height = height
    _page_setup(ws, sheet)


def _write_cell(ws: Any, cell: Cell) -> None:
    target = ws.cell(row=cell.row + 1, column=cell.col + 1)
    if cell.role == "title":
        target.style = "表题" if cell.row == 0 else "年度"
    else:
        target.style = _STYLE_OF[cell.role]
    if not cell.text:
        return
    number = printed_decimal(cell.text) if cell.role == "number" else None
    if number is not None:
        value, places = number
        target.value = value  # openpyxl writes a Decimal as its digits
        target.number_format = "0." + "0" * places if places else "0"
        return
    target.value = printable(cell.text)
    # openpyxl takes a text starting with 「=」 for a formula: it is data.
    target.data_type = "s"
    if looks_like_formula(cell.text):
        # And so that Excel keeps it text when someone edits the cell.
        target.quotePrefix = True


def _row_heights(sheet: Sheet) -> list[float]:
    """Each row's height in points, tall enough for the wrapped text of its cells.

    Excel grows a row to its wrapped text only for cells that are not merged, and
    LibreOffice does not at all when the height is given: the heights are worked out
    here, from the text's display width against the merged columns' width. A cell that
    spans rows shares its lines among them."""
    lines = [1.0] * sheet.height
    for cell in sheet.cells:
        if cell.role == "title":
            continue
        width = sum(sheet.widths[cell.col : cell.last_col + 1])
        needed = _lines(cell.text, width)
        per_row = needed / cell.rowspan
        for row in range(cell.row, cell.last_row + 1):
            lines[row] = max(lines[row], per_row)
    heights = [math.ceil(n) * _LINE + 4 for n in lines]
    for row in range(sheet.title_rows):
        heights[row] = _TITLE_LINE if row == 0 else 18.0
    return heights


def _lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (a CJK character
    is two; a little of the width goes to the cell's margins)."""
    room = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(2 * display_width(part) / room)) for part in text.split("\n"))


def _page_setup(ws: Any, sheet: Sheet) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the table needs
    first, last = sheet.header_rows[0] + 1, sheet.header_rows[-1] + 1
    ws.print_title_rows = f"{first}:{last}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
