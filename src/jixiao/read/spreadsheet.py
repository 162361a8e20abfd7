"""Spreadsheets to a Grid: Excel `.xlsx`/`.xlsm`, Excel 97-2003 `.xls`, OpenDocument `.ods`.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify). Every visible
sheet is read in workbook order, its rows in order, so a workbook with one form per sheet
and a sheet with several forms stacked on it both come out as the recogniser expects. A
merged range becomes one cell in its first row and column with its `colspan`/`rowspan`,
exactly as the HTML reader places a `<td rowspan>`: the covered cells are not repeated,
and the recogniser carries a merged 一级/二级 down. Each cell keeps its reference
(`ref="B12"`) and its sheet (`page`, 1-based in workbook order); `line` is None, a
workbook has no lines.

Choices, and why:
- A cell reads as the form *displays* it, because the exchange format keeps amounts as
  printed: 40.05 formatted `0.00` is "40.05", 10 is "10.00", `#,##0.00` gives
  "1,047,173,000.00" (the recogniser removes the separators), `0.00%` gives "95.50%".
  `display_number` applies the number format to the decimal digits of the value
  (`Decimal(repr(x))`, rounded half up as Excel rounds what it shows); dates show as
  their format writes them when it is a Chinese one (`2024年1月1日`), else as ISO.
- Only what is stored is read: `.xlsx` with openpyxl in `data_only` mode (the values
  Excel cached, so no formula is ever evaluated: a formula a program wrote and no
  spreadsheet ever computed reads as empty) and never with VBA kept (a macro in an
  `.xlsm` is never loaded, let alone run); `.xls` with xlrd, which keeps the number
  formats (python-calamine, tried first, gives bare floats: 10.00 would read as "10");
  `.ods` from its `content.xml`, where every cell already holds the text it displays
  (calamine again loses that, and the merged ranges of an ODS file).
- Hidden sheets are skipped (lists behind drop-downs, old versions), and where a sheet
  defines a print area only that area is read: it is what the unit published.
- Hostile files are refused before they cost anything: a package's entries are checked
  first (their count, the sizes they declare, which the zip module never inflates past,
  and their compression ratios), and a sheet whose content runs past `MAX_ROWS` rows or
  `MAX_COLUMNS` columns is not half-read but refused, with the place where it overflows:
  the Grid cannot carry a warning beside its rows, and no form is that large.
  Nothing here raises on user data: damaged, truncated, encrypted or unknown files yield
  findings that say what is wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any
from xml.etree.ElementTree import Element, ParseError, iterparse

# openpyxl and xlrd ship no type information (their stubs are not dependencies).
import openpyxl  # type: ignore[import-untyped]
import xlrd  # type: ignore[import-untyped]

from jixiao.catalogue import INPUT_TOO_LARGE, UNREADABLE_INPUT
from jixiao.findings import Finding
from jixiao.read.grid import Cell, Grid, Row
from jixiao.read.package import PackageLimits, package_problem
from jixiao.read.sniff import Format, sniff_binary
from jixiao.read.text import clean_cell

# What this module reads (the registry gives it these formats).

# A form is about 30 rows and 9 columns; the 51 seed forms stacked on one sheet are
# 1,200 rows. Content beyond these bounds is no form, and reading it is refused.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# A package's entries may unpack to this much in all: the bound of any input
# (`pipeline.MAX_INPUT_BYTES`), so a zipped workbook costs no more than a text file.
# openpyxl holds a whole sheet in memory (about 10× its XML), which this bounds too.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Sheet XML compresses about 10:1; an entry far beyond that is a zip bomb.
MAX_RATIO = 100
MAX_ENTRIES = 10_000
_LIMITS = PackageLimits(entries=MAX_ENTRIES, unpacked=MAX_UNPACKED_BYTES, ratio=MAX_RATIO)


def read_spreadsheet(data: bytes, name: str) -> Grid | list[Finding]:
    """The cells of every visible sheet of the workbook `data`, or why it cannot be read."""
    fmt = sniff_binary(data)
    try:
        if fmt is Format.XLS:
            return _read_xls(data, name)
        if fmt not in (Format.XLSX, Format.ODS):
            return [_unreadable(name, f"不是电子表格（{fmt.label}）")]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = package_problem(archive.infolist(), _LIMITS, "工作簿", name)
            if problem is not None:
                return [problem]
            if fmt is Format.ODS:
                return _read_ods(archive, name)
            return _read_xlsx(data, archive, name)
    except zipfile.BadZipFile as exc:
        return [_unreadable(name, f"文件已损坏或不完整（可能在下载或复制时被截断）：{exc}")]
    except Exception as exc:  # any failure of a library on user data is a finding, not a crash
        return [_unreadable(name, f"文件已损坏，无法解析（{_describe(exc)}）")]


def _unreadable(name: str, why: str) -> Finding:
    return UNREADABLE_INPUT.finding(f"电子表格无法读取：{why}", file=name)


def _describe(exc: BaseException) -> str:
    """What a library said, short enough for a finding (its first line, 160 characters)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > 160:
        text = text[:160] + "…"
    return f"{type(exc).__name__}：{text}" if text else type(exc).__name__


# ---- the sheets, as every format fills them ----------------------------------------------


class _TooLarge(Exception):
    """A sheet's content runs past the bounds: the whole file is refused."""


@dataclass(slots=True)
class _Sheet:
    """One sheet's texts by (row, column), both 0-based, within its print area."""

    number: int  # 1-based position in the workbook
    name: str
    area: tuple[int, int, int, int] | None = None  # first row, first col, last row, last col
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def inside(self, row: int, col: int) -> bool:
        if self.area is None:
            return True
        first_row, first_col, last_row, last_col = self.area
        return first_row <= row <= last_row and first_col <= col <= last_col

    def put(self, row: int, col: int, text: str) -> None:
        if not text or not self.inside(row, col):
            return
        first_row, first_col = self.area[:2] if self.area else (0, 0)
        if row - first_row >= MAX_ROWS or col - first_col >= MAX_COLUMNS:
            raise _TooLarge(
                f"工作表「{self.name}」（第 {self.number} 张）在 {cell_ref(row, col)} 仍有内容，"
                f"超过读取上限（{MAX_ROWS} 行 × {MAX_COLUMNS} 列），未读取：请只保留表单所在的区域"
            )
        self.texts[(row, col)] = text

    def clip(self, start: int, count: int, axis: int) -> tuple[range, int | None]:
        """Of the `count` rows (axis 0) or columns (axis 1) from `start`, those in the
        print area and within the bounds, and the first one past the bounds if any."""
        first = self.area[axis] if self.area else 0
        last = self.area[axis + 2] if self.area else 1 << 30
        limit = first + (MAX_ROWS if axis == 0 else MAX_COLUMNS) - 1
        low, high = max(start, first), min(start + count - 1, last)
        beyond = max(low, limit + 1) if high > limit else None
        return range(low, min(high, limit) + 1), beyond

    def rows(self) -> Iterator[Row]:
        spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in self.merges}
        last_row, last_col = self._last()
        current: list[Cell] = []
        current_row = -1
        for (r, c), text in sorted(self.texts.items()):
            if r != current_row and current:
                yield self._row(current)
                current = []
            current_row = r
            r1, c1 = spans.get((r, c), (r, c))
            # A merge cut by the print area (or by nothing) spans what is read of it.
            rowspan = min(r1, last_row) - r + 1
            colspan = min(c1, last_col) - c + 1
            current.append(Cell(text, c, colspan, rowspan, None, self.number, cell_ref(r, c), None))
        if current:
            yield self._row(current)

    def _last(self) -> tuple[int, int]:
        if self.area is None:
            return (1 << 30, 1 << 30)
        return self.area[2], self.area[3]

    def _row(self, cells: list[Cell]) -> Row:
        # One table per sheet: the recogniser keeps a form's indicator rows within it.
        return Row(cells=tuple(cells), line=None, page=self.number, table=self.number - 1)


def _grid(sheets: list[_Sheet], name: str, fmt: Format) -> Grid:
    rows = [row for sheet in sheets for row in sheet.rows()]
    return Grid(file=name, rows=tuple(rows), format=fmt.value)


def cell_ref(row: int, col: int) -> str:
    """`B12` for the 0-based (11, 1)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


def parse_area(text: str | None, sep: str) -> tuple[int, int, int, int] | None:
    """A print area (`'表1'!$A$1:$I$30` in Excel, `表1.A1:表1.I30` in ODS; several ranges
    joined by `,` or spaces, whole columns `$A:$I`, whole rows `$1:$30`) as its 0-based
    bounding box, or None when there is none or it cannot be read (then all is read)."""
    if not text:
        return None
    boxes: list[tuple[int, int, int, int]] = []
    for part in _split_outside_quotes(text, ", "):
        ends = [end.rsplit(sep, 1)[-1] for end in part.split(":")]
        if not 1 <= len(ends) <= 2:
            return None
        points = [_REF.match(end) for end in ends]
        if any(p is None or not (p.group(1) or p.group(2)) for p in points):
            return None
        first, last = points[0], points[-1]
        assert first is not None and last is not None
        boxes.append(
            (
                int(first.group(2)) - 1 if first.group(2) else 0,
                _column_index(first.group(1)) if first.group(1) else 0,
                int(last.group(2)) - 1 if last.group(2) else 1 << 30,
                _column_index(last.group(1)) if last.group(1) else 1 << 30,
            )
        )
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _split_outside_quotes(text: str, separators: str) -> list[str]:
    """Split on any of `separators` outside '…' (a sheet name may hold them)."""
    parts: list[str] = []
    current = ""
    quoted = False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch in separators and not quoted:
            if current:
                parts.append(current)
            current = ""
            continue
        current += ch
    if current:
        parts.append(current)
    return parts


# ---- hostile packages ---------------------------------------------------------------------


# ---- .xlsx / .xlsm ------------------------------------------------------------------------


def _read_xlsx(data: bytes, archive: zipfile.ZipFile, name: str) -> Grid | list[Finding]:
    names = set(archive.namelist())
    if "xl/workbook.bin" in names:
        return [_unreadable(name, "Excel 二进制工作簿（xlsb）暂不支持：请另存为 .xlsx 后再提交")]
    with warnings.catch_warnings():
        # openpyxl warns about what it drops (data validation, unknown extensions …):
        # nothing of the cells, and not the user's business.
        warnings.simplefilter("ignore")
        # Not read-only mode: that mode does not read the merged ranges. `data_only`:
        # the values Excel cached, no formula evaluated; `keep_vba` off: a macro
        # project is never even loaded; `keep_links` off: external links never followed.
        book = openpyxl.load_workbook(
            io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False, rich_text=False
        )
    sheets: list[_Sheet] = []
    try:
        for number, title in enumerate(book.sheetnames, start=1):
            sheet = book[title]
            if sheet.sheet_state != "visible" or not hasattr(sheet, "merged_cells"):
                continue  # hidden, or a chart sheet (no cells)
            sheets.append(_xlsx_sheet(sheet, number))
    except _TooLarge as exc:
        return [INPUT_TOO_LARGE.finding(str(exc), file=name)]
    finally:
        book.close()
    return _grid(sheets, name, Format.XLSX)


def _xlsx_sheet(sheet: Any, number: int) -> _Sheet:
    out = _Sheet(number=number, name=sheet.title, area=parse_area(sheet.print_area, "!"))
    for merged in sheet.merged_cells.ranges:
        out.merges.append(
            (merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1)
        )
    # The cells that exist, not `iter_rows`, which would create every empty cell of the
    # rectangle (a sheet with content in A1 and GR20000 is four million of them).
    for (row, col), cell in sorted(sheet._cells.items()):
        value = cell.value
        if value is None:
            continue
        out.put(row - 1, col - 1, _xlsx_text(value, cell.number_format))
    return out


def _xlsx_text(value: object, number_format: str | None) -> str:
    if isinstance(value, str):
        return clean_cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return display_number(value, number_format)
    if isinstance(value, dt.date | dt.time):
        return display_date(value, number_format)
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_cell(str(value))


# ---- .xls -----------------------------------------------------------------------------------


def _read_xls(data: bytes, name: str) -> Grid | list[Finding]:
    try:
        # `formatting_info` for the number formats and the merged ranges; `on_demand`
        # parses a sheet only when asked for, so hidden ones cost nothing.
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,  # rows as long as their cells, not padded to the widest
            logfile=io.StringIO(),
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            return [_unreadable(name, "工作簿已加密（设有打开密码），请去掉密码后再提交")]
        return [_unreadable(name, f"Excel 97-2003 工作簿已损坏（{_describe(exc)}）")]
    sheets: list[_Sheet] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility == 0:
                sheets.append(_xls_sheet(book, sheet, index))
            book.unload_sheet(index)
    except _TooLarge as exc:
        return [INPUT_TOO_LARGE.finding(str(exc), file=name)]
    finally:
        book.release_resources()
    return _grid(sheets, name, Format.XLS)


def _xls_sheet(book: Any, sheet: Any, index: int) -> _Sheet:
    out = _Sheet(number=index + 1, name=sheet.name, area=_xls_print_area(book, index))
    for r0, r1, c0, c1 in sheet.merged_cells:  # xlrd's ends are exclusive
        out.merges.append((r0, c0, r1 - 1, c1 - 1))
    # Cells are visited only up to the column bound; past it, the row's cell types are
    # searched at C speed for content (a damaged DIMENSIONS record can claim 50,000
    # columns, and a Python loop over them all would take minutes).
    stop = (out.area[1] if out.area else 0) + MAX_COLUMNS
    for row in range(sheet.nrows):
        width = sheet.row_len(row)
        if not width:
            continue
        end = min(width, stop)
        types = sheet.row_types(row, 0, end)
        values = sheet.row_values(row, 0, end)
        for col, (kind, value) in enumerate(zip(types, values, strict=True)):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            out.put(row, col, _xls_text(book, sheet, row, col, kind, value))
        if width > stop:
            beyond = _XLS_CONTENT.search(bytes(sheet.row_types(row, stop, width)))
            if beyond is not None:
                col = stop + beyond.start()
                kind, value = sheet.cell_type(row, col), sheet.cell_value(row, col)
                out.put(row, col, _xls_text(book, sheet, row, col, kind, value))  # raises
    return out


# A cell type other than empty (0) or blank (6): a cell with content.
_XLS_CONTENT = re.compile(b"[^\x00\x06]")


def _xls_text(book: Any, sheet: Any, row: int, col: int, kind: int, value: Any) -> str:
    if kind == xlrd.XL_CELL_TEXT:
        return clean_cell(str(value))
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#ERROR!"))
    # A cell whose format record is missing (a damaged or odd writer) shows as General.
    index = sheet.cell_xf_index(row, col)
    xf = book.xf_list[index] if 0 <= index < len(book.xf_list) else None
    shown = book.format_map.get(xf.format_key) if xf is not None else None
    number_format = shown.format_str if shown is not None else None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return display_date(xlrd.xldate_as_datetime(value, book.datemode), number_format)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            pass  # a serial no calendar has: shown as the number it is
    return display_number(value, number_format)


def _xls_print_area(book: Any, index: int) -> tuple[int, int, int, int] | None:
    for defined in book.name_obj_list:
        if defined.name not in ("Print_Area", "_xlnm.Print_Area") or defined.scope != index:
            continue
        refs = getattr(defined.result, "value", None) or []
        boxes = [ref.coords for ref in refs if hasattr(ref, "coords")]
        if boxes:  # (first sheet, last sheet, rows, rows, cols, cols), ends exclusive
            return (
                min(b[2] for b in boxes),
                min(b[4] for b in boxes),
                max(b[3] for b in boxes) - 1,
                max(b[5] for b in boxes) - 1,
            )
    return None


# ---- .ods -----------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_T_TABLE = f"{{{_TABLE}}}table"
_T_ROW = f"{{{_TABLE}}}table-row"
_T_CELL = f"{{{_TABLE}}}table-cell"
_T_COVERED = f"{{{_TABLE}}}covered-table-cell"
_S_STYLE = f"{{{_STYLE}}}style"
_S_TABLE_PROPS = f"{{{_STYLE}}}table-properties"
_X_P = f"{{{_TEXT}}}p"
_X_H = f"{{{_TEXT}}}h"
_X_S = f"{{{_TEXT}}}s"
_X_TAB = f"{{{_TEXT}}}tab"
_X_BREAK = f"{{{_TEXT}}}line-break"
_O_ANNOTATION = f"{{{_OFFICE}}}annotation"


def _attr(element: Element, namespace: str, local: str, default: str = "") -> str:
    return element.get(f"{{{namespace}}}{local}", default)


def _count(element: Element, local: str) -> int:
    try:
        return max(1, int(_attr(element, _TABLE, local, "1")))
    except ValueError:
        return 1


def _read_ods(archive: zipfile.ZipFile, name: str) -> Grid | list[Finding]:
    """A streaming walk of `content.xml`: rows are cleared as soon as they are read, and
    repeated rows and cells (an empty tail says "1,048,000 more") only move the counter
    unless they hold text, so the file's size bounds the time and memory spent.
    Expat expands no external entity, and limits internal ones (billion laughs)."""
    sheets: list[_Sheet] = []
    hidden_styles: set[str] = set()
    stack: list[Element] = []
    sheet: _Sheet | None = None
    row = 0
    depth = 0  # of tables: a table nested in a cell (a drawing's) is not a sheet
    number = 0
    try:
        with archive.open("content.xml") as content:
            for event, element in iterparse(content, events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    if element.tag == _T_TABLE:
                        depth += 1
                        if depth == 1:
                            number += 1
                            row = 0
                            style = _attr(element, _TABLE, "style-name")
                            sheet = _Sheet(
                                number=number,
                                name=_attr(element, _TABLE, "name"),
                                area=parse_area(_attr(element, _TABLE, "print-ranges"), "."),
                            )
                            if style not in hidden_styles:
                                sheets.append(sheet)
                    continue
                stack.pop()
                if element.tag == _S_STYLE:
                    props = element.find(_S_TABLE_PROPS)
                    if props is not None and _attr(props, _TABLE, "display") == "false":
                        hidden_styles.add(_attr(element, _STYLE, "name"))
                elif element.tag == _T_TABLE:
                    depth -= 1
                elif element.tag == _T_ROW and depth == 1 and sheet is not None:
                    row += _ods_row(sheet, element, row)
                    # Drop the row from its parent as well as its content: memory stays
                    # flat however long the sheet.
                    element.clear()
                    if stack:
                        stack[-1].remove(element)
    except KeyError:
        return [_unreadable(name, "OpenDocument 文件中没有 content.xml")]
    except ParseError as exc:
        return [_unreadable(name, f"OpenDocument 内容已损坏（{exc}）")]
    except _TooLarge as exc:
        return [INPUT_TOO_LARGE.finding(str(exc), file=name)]
    return _grid(sheets, name, Format.ODS)


def _ods_row(sheet: _Sheet, element: Element, row: int) -> int:
    """Put one `<table:table-row>` (repeated as it says) into `sheet`; its row count."""
    repeat = _count(element, "number-rows-repeated")
    col = 0
    filled: list[tuple[int, int, str, int, int]] = []  # col, repeat, text, rowspan, colspan
    for cell in element:
        if cell.tag not in (_T_CELL, _T_COVERED):
            continue
        across = _count(cell, "number-columns-repeated")
        if cell.tag == _T_CELL:
            # A covered cell's text is what the merge hides; only the first cell shows.
            text = _ods_text(cell)
            if text:
                rows = _count(cell, "number-rows-spanned")
                cols = _count(cell, "number-columns-spanned")
                filled.append((col, across, text, rows, cols))
        col += across
    if not filled:
        return repeat
    # A repeat is clipped to the print area and the bounds before anything is expanded,
    # so "this row 1,048,000 times" costs what is read of it, and no more.
    rows_read, rows_beyond = sheet.clip(row, repeat, 0)
    for start, across, text, rows, cols in filled:
        cols_read, cols_beyond = sheet.clip(start, across, 1)
        if rows_read and cols_beyond is not None:
            sheet.put(rows_read[0], cols_beyond, text)  # raises: content past the bounds
        if cols_read and rows_beyond is not None:
            sheet.put(rows_beyond, cols_read[0], text)
        for r in rows_read:
            for c in cols_read:
                sheet.put(r, c, text)
                if rows > 1 or cols > 1:
                    sheet.merges.append((r, c, r + rows - 1, c + cols - 1))
    return repeat


def _ods_text(cell: Element) -> str:
    """The text a cell displays: its paragraphs, one a line (ODF writes the displayed
    text of numbers and dates too: `10.00`, `95.50%`, `2024年1月1日`)."""
    paragraphs = [_inline(p) for p in cell if p.tag in (_X_P, _X_H)]
    if paragraphs:
        return clean_cell("\n".join(paragraphs))
    # A generator that wrote only the value (no paragraph): show the value.
    value = _attr(cell, _OFFICE, "value")
    if value:
        try:
            return display_number(Decimal(value), None)
        except InvalidOperation:
            return clean_cell(value)
    return clean_cell(_attr(cell, _OFFICE, "date-value") or _attr(cell, _OFFICE, "string-value"))


def _inline(element: Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == _X_S:
            parts.append(" " * _count_text(child))
        elif child.tag == _X_TAB:
            parts.append("\t")
        elif child.tag == _X_BREAK:
            parts.append("\n")
        elif child.tag != _O_ANNOTATION:  # a comment is not on the printed form
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count_text(element: Element) -> int:
    try:
        return min(max(1, int(element.get(f"{{{_TEXT}}}c", "1"))), 1000)
    except ValueError:
        return 1


# ---- numbers and dates as displayed --------------------------------------------------------

# Excel keeps 15 significant digits and shows no more: 95.50000000000001, a formula's
# float, is 95.5 on screen.
_PRECISION = 15


def _decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not number.is_finite() or number.is_zero():
        return number
    quantum = Decimal(1).scaleb(number.adjusted() - _PRECISION + 1)
    return number.quantize(quantum, rounding=ROUND_HALF_UP)


def display_number(value: int | float | Decimal, number_format: str | None) -> str:
    """`value` as a cell with `number_format` displays it (the first section for
    positives, the second for negatives, the third for zero): `0.00`, `#,##0.00`,
    `0.00%`, `0.0#`, `¥#,##0.00`, `0.00"万元"`, `[Red]…`, `_)` padding. Scientific and
    fraction formats, `General` and `@` show the value's own digits ("100", not "100.0")."""
    number = _decimal(value)
    if not number.is_finite():
        return str(value)
    sections = _sections(number_format or "General")
    index = 0
    if number < 0 and len(sections) >= 2:
        index = 1
    elif number.is_zero() and len(sections) >= 3:
        index = 2
    if not sections[index]:
        return ""  # an empty section shows nothing (`0.00;;` hides zeros)
    tokens = _tokens(sections[index])
    signed = index == 0  # the negative section writes its own sign, or none
    kinds = {kind for kind, _ in tokens}
    places = [text for kind, text in tokens if kind == "num"]
    if kinds & {"date", "exp"} or "/" in places:
        # A date format on a number no calendar has, scientific or fraction: the digits.
        return ("-" if number < 0 else "") + _general(abs(number))
    if not any(p in "0#?" for p in places):
        # General or text (`@`): the plain digits, with any literal around them; a
        # section of text only (`"-"`, zero in accounting formats) shows just that.
        text_only = not kinds & {"general", "text"} and "lit" in kinds
        return _assemble(tokens, "" if text_only else _general(abs(number)), number, signed)
    try:
        with localcontext() as context:
            context.prec = 60  # 1e30 with two decimals still has every digit
            body = _digits(abs(number), tokens)
    except InvalidOperation:
        body = _general(abs(number))
    return _assemble(tokens, body, number, signed)


def _general(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _digits(number: Decimal, tokens: list[tuple[str, str]]) -> str:
    """The number part of a section: digits, grouping, decimals, percent and scaling."""
    places = [text for kind, text in tokens if kind == "num"]
    point = places.index(".") if "." in places else len(places)
    integer = [p for p in places[:point] if p in "0#?"]
    fraction = [p for p in places[point + 1 :] if p in "0#?"]
    # A comma between digit placeholders groups thousands; after the last one it divides
    # by a thousand.
    last_digit = max((i for i, p in enumerate(places[:point]) if p in "0#?"), default=-1)
    grouping = any(p == "," for p in places[:last_digit])
    scale = sum(1 for p in places[last_digit + 1 : point] if p == ",")
    number = number * (Decimal(100) ** places.count("%")) / (Decimal(1000) ** scale)
    rounded = number.quantize(Decimal(1).scaleb(-len(fraction)), rounding=ROUND_HALF_UP)
    whole, _, decimals = format(rounded, "f").partition(".")
    # `#` and `?` show a digit only where it counts: 0.0# gives 1.5 and 1.25.
    keep = sum(1 for p in fraction if p == "0")
    while len(decimals) > keep and decimals.endswith("0"):
        decimals = decimals[:-1]
    if whole == "0" and "0" not in integer:
        whole = ""
    whole = whole.zfill(sum(1 for p in integer if p == "0"))
    if grouping:
        whole = f"{int(whole):,}" if whole else ""
    return whole + ("." + decimals if "." in places else "")


def _assemble(tokens: list[tuple[str, str]], body: str, number: Decimal, signed: bool) -> str:
    """Literals before the first placeholder, the number, then every other literal."""
    before: list[str] = []
    after: list[str] = []
    seen = False
    for kind, text in tokens:
        if kind in ("num", "general", "text"):
            if text == "%":
                after.append("%")
            seen = True
        elif kind == "lit":
            (after if seen else before).append(text)
    minus = "-" if signed and number < 0 and body.strip("0.,") else ""
    return (minus + "".join(before) + body + "".join(after)).strip()


def _sections(number_format: str) -> list[str]:
    """A format's `;`-separated sections (a `;` inside quotes or brackets is literal)."""
    sections: list[str] = []
    current = ""
    quoted = False
    bracket = False
    escaped = False
    for ch in number_format:
        if escaped:
            current += ch
            escaped = False
            continue
        if ch == "\\" and not quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "[" and not quoted:
            bracket = True
        elif ch == "]" and not quoted:
            bracket = False
        elif ch == ";" and not quoted and not bracket:
            sections.append(current)
            current = ""
            continue
        current += ch
    sections.append(current)
    return sections


_DATE_LETTERS = "ymdhs"


def _tokens(section: str) -> list[tuple[str, str]]:
    """A section as (kind, text): `lit` literal text, `num` a placeholder (0 # ? . , %
    /), `date` a run of y/m/d/h/s, `general`, `exp` (scientific), `text` (@)."""
    out: list[tuple[str, str]] = []
    i = 0
    n = len(section)
    while i < n:
        ch = section[i]
        if section[i : i + 7].lower() == "general":
            out.append(("general", ""))
            i += 7
        elif ch == '"':
            end = section.find('"', i + 1)
            end = n if end < 0 else end
            out.append(("lit", section[i + 1 : end]))
            i = end + 1
        elif ch == "\\":
            out.append(("lit", section[i + 1 : i + 2]))
            i += 2
        elif ch == "_":
            out.append(("lit", " "))  # the width of the next character, left blank
            i += 2
        elif ch == "*":
            i += 2  # fill with the next character: nothing to a reader
        elif ch == "[":
            end = section.find("]", i)
            end = n if end < 0 else end
            body = section[i + 1 : end]
            if body.startswith("$"):
                symbol = body[1:].split("-", 1)[0]  # [$¥-804] is the symbol ¥
                if symbol:
                    out.append(("lit", symbol))
            # Anything else in brackets is a colour, a condition or a locale.
            i = end + 1
        elif ch in "0#?.,%/":
            out.append(("num", ch))
            i += 1
        elif ch in "Ee" and section[i + 1 : i + 2] in ("+", "-"):
            out.append(("exp", section[i : i + 2]))
            i += 2
        elif ch.lower() in _DATE_LETTERS:
            end = i
            while end < n and section[end].lower() == ch.lower():
                end += 1
            out.append(("date", section[i:end].lower()))
            i = end
        elif ch == "@":
            out.append(("text", "@"))
            i += 1
        else:
            out.append(("lit", ch))
            i += 1
    return out


_CJK_DATE = re.compile(r"[年月日]")
_WEEKDAYS = "一二三四五六日"


def display_date(value: dt.date | dt.time, number_format: str | None) -> str:
    """A date as its format writes it when that is a Chinese date (`yyyy"年"m"月"d"日"`
    gives 2024年1月1日), else as ISO (YYYY-MM-DD, with the time only when it has one):
    the locale-dependent Western formats (`m/d/yy`) would only lose the century."""
    tokens = _tokens(_sections(number_format or "")[0])
    chinese = any(kind == "lit" and _CJK_DATE.search(text) for kind, text in tokens)
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        return value.isoformat(timespec="seconds")
    if not chinese or not any(kind == "date" for kind, _ in tokens):
        if moment.time() == dt.time(0):
            return moment.date().isoformat()
        return moment.isoformat(sep=" ", timespec="seconds")
    return "".join(_date_part(tokens, i, moment) for i in range(len(tokens))).strip()


def _date_part(tokens: list[tuple[str, str]], i: int, moment: dt.datetime) -> str:
    kind, text = tokens[i]
    if kind == "lit":
        return text
    if kind == "num":
        return text if text in "./," else ""
    if kind != "date":
        return ""
    letter, width = text[0], len(text)
    if letter == "y":
        return str(moment.year) if width > 2 else f"{moment.year % 100:02d}"
    if letter == "m" and _is_minute(tokens, i):
        return f"{moment.minute:02d}" if width > 1 else str(moment.minute)
    values = {"m": moment.month, "d": moment.day, "h": moment.hour, "s": moment.second}
    if letter == "d" and width > 2:
        return "星期" + _WEEKDAYS[moment.weekday()]
    return f"{values[letter]:02d}" if width > 1 else str(values[letter])


def _is_minute(tokens: list[tuple[str, str]], i: int) -> bool:
    """`m` is minutes right after an hour or right before seconds, else the month."""
    dates = [(j, text[0]) for j, (kind, text) in enumerate(tokens) if kind == "date"]
    position = [j for j, _ in dates].index(i)
    before = dates[position - 1][1] if position > 0 else ""
    after = dates[position + 1][1] if position + 1 < len(dates) else ""
    return before == "h" or after == "s"
