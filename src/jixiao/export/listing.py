"""The form list as CSV or Excel (export step): the current list, one row per form.

Takes plain rows (header names and values), so that it serves any list — the web page's
download, the findings workbook (`findings_book`), a command — without knowing where the
rows came from. Headers are the official Chinese terms. Amounts stay exact: CSV gets
their decimal text, Excel gets numbers written from their decimal digits, each with a
number format that prints exactly the decimals stored (at least two for amounts).

A text that a spreadsheet would take for a formula (`=…`, `+…`, `-…`, `@…`, or one
starting with a tab or carriage return) never runs as one: CSV prefixes it with `'`
(OWASP's advice against CSV injection); in Excel every text is a string cell, never a
formula, and such a text is also marked 前缀 ' (quotePrefix) so that editing the cell
keeps it text.

The Excel sheet is a table a reviewer can work with: the header row bold and frozen and
repeated on every printed page, an autofilter over the table, columns as wide as their
Chinese text (a CJK character takes two of Excel's width units), and, where the caller
gives addresses, the first column a link to each row's page.

How it is written: openpyxl, in write-only mode, writes the workbook — styles, sheet
properties, frozen pane, column widths, autofilter, page setup — and this module writes
the cells of the sheet (`<sheetData>`) and their links, streamed to a temporary file as
openpyxl's write-only rows are. openpyxl spends about 20 µs on each cell it writes:
3.2 s for the 10,000-form list with its links, 2.0 s even without any style, where the
whole workbook written this way takes 0.5 s. Column widths are known before the first
row is written, so they are measured on the header and the first `WIDTH_SAMPLE` rows.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

# openpyxl ships no type information (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.page import PageMargins  # type: ignore[import-untyped]

from jixiao.vocabulary.width import wide_count

Value = str | int | Decimal | None
# The address of a row's page, from the value of its first cell (None: no link).
LinkFor = Callable[[Value], str | None]

# Excel opens a UTF-8 CSV as GBK unless it starts with a byte-order mark.
BOM = "\ufeff"
# What makes a spreadsheet read a text as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths are measured on the header and this many rows (the rest are not held).
WIDTH_SAMPLE = 1000
MIN_WIDTH = 6
MAX_WIDTH = 60
# A row of wrapped text is given its height: neither Excel nor LibreOffice fits a row to
# its text when it opens a file. Points per line of 11-point text, CJK included (the
# CJK fonts set lines wider apart than Calibri does).
LINE_HEIGHT = 16.5
# Excel refuses a sheet with more hyperlinks than 65,530: rows past them keep their
# number, without the link.
MAX_LINKS = 65_530
# Excel keeps 15 significant digits: a format of more decimals would print noise.
MAX_DECIMALS = 15

# Fonts are given whole (a font of only `bold` has no size, which some readers take as
# a tiny one): the workbook's default font, bold, or in Excel's own 超链接 style.
_BODY = {"name": "Calibri", "size": 11, "family": 2, "scheme": "minor"}
HEADER_FONT = Font(**_BODY, bold=True)
LINK_FONT = Font(**_BODY, color="0563C1", underline="single")
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)

_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_RELS = "xl/worksheets/_rels/sheet1.xml.rels"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HYPERLINK = f"{_RELATIONSHIPS}/hyperlink"
_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
# XML 1.0 cannot carry these control characters at all (openpyxl refuses them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A carriage return is escaped: a literal one is read back as a line feed.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(value: Value) -> str:
    """A cell of a CSV: decimals as their exact digits, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if is_formula_like(value) else value
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent (`0E-7`): what a reader can parse
    return str(value)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Value]]) -> Iterator[str]:
    """CSV text in chunks of about a hundred rows (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_text(v) for v in row])
        if n % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- what a cell shows --------------------------------------------------------------------


def decimals(value: Decimal) -> int:
    """How many decimals `value` was stored with (`104717.30` → 2, `90` → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def number_format(value: Decimal, *, amount: bool) -> str:
    """The format that prints `value` with exactly its stored decimals: amounts with at
    least two and grouped by thousands (`#,##0.00`), other numbers as stored (`0.0`)."""
    places = min(decimals(value), MAX_DECIMALS)
    if amount:
        places = max(places, 2)
    body = "#,##0" if amount else "0"
    return f"{body}.{'0' * places}" if places else body


def shown_text(value: Value, *, amount: bool = False) -> str:
    """The text a cell shows (what its column's width must fit)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        places = max(decimals(value), 2) if amount else decimals(value)
        return f"{value:,.{places}f}" if amount else f"{value:.{places}f}"
    return str(value)


def text_width(text: str) -> int:
    """Excel's width units of `text` (its longest line): a CJK character takes two."""
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return len(longest) + wide_count(longest)


def column_widths(
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    *,
    amounts: Collection[int] = (),
    wrap: Mapping[int, int] | None = None,
) -> list[float]:
    """The width of each column: its widest header or value, bounded (a wrapped column by
    its own bound, `wrap[column]`). The header gets room for the autofilter's button,
    every column a little padding."""
    wrap = wrap or {}
    widths = [text_width(name) + 3 for name in header]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            if value is not None:
                widths[i] = max(widths[i], text_width(shown_text(value, amount=i in amounts)))
    return [float(min(max(w + 1, MIN_WIDTH), wrap.get(i, MAX_WIDTH))) for i, w in enumerate(widths)]


# --- the sheet's cells ---------------------------------------------------------------------


_ALIGNMENTS = {"top": TOP, "wrap": WRAPPED}


class _Styles:
    """The workbook's cell styles, each registered once with openpyxl (which writes them
    into styles.xml) and known here by its index: the `s` of a cell."""

    def __init__(self, worksheet: Any) -> None:
        self.worksheet = worksheet
        self.ids: dict[tuple[str | None, str | None, str | None, bool], int] = {}

    def id(
        self,
        *,
        number_format: str | None = None,
        font: str | None = None,
        alignment: str | None = None,
        quote: bool = False,
    ) -> int:
        """The index of a style: `font` "bold" or "link", `alignment` "top" or "wrap"."""
        key = (number_format, font, alignment, quote)
        found = self.ids.get(key)
        if found is None:
            cell = WriteOnlyCell(self.worksheet)
            if number_format is not None:
                cell.number_format = number_format
            if font is not None:
                cell.font = HEADER_FONT if font == "bold" else LINK_FONT
            if alignment is not None:
                cell.alignment = _ALIGNMENTS[alignment]
            if quote:
                cell.quotePrefix = True
            found = self.ids[key] = int(cell.style_id)
        return found


def _text_xml(text: str) -> str:
    return _ILLEGAL.sub("", text).translate(_TEXT_ESCAPES)


class _SheetData:
    """The rows of a sheet as SpreadsheetML, written to `out`: numbers as their decimal
    digits, texts as inline strings (never formulas), links collected for the sheet's
    `<hyperlinks>` and its relationships."""

    def __init__(
        self,
        out: IO[bytes],
        styles: _Styles,
        *,
        columns: int,
        amounts: Collection[int],
        widths: Sequence[float],
        wrap: Mapping[int, int],
        link: LinkFor | None,
    ) -> None:
        self.out = out
        self.styles = styles
        self.letters = [get_column_letter(i) for i in range(1, max(columns, 1) + 1)]
        self.amounts = frozenset(amounts)
        # In a sheet of wrapped columns every cell aligns at the top of its (tall) row.
        self.alignments = [
            ("wrap" if i in wrap else "top") if wrap else None for i in range(len(self.letters))
        ]
        # Text per line of each wrapped column, in width units (less the cell margins).
        self.wrapped = {i: max(widths[i] - 2, 1) for i in wrap if i < len(widths)}
        self.link = link
        self.links: list[tuple[str, str]] = []  # (cell, address)
        self.rows = 0

    def header(self, names: Sequence[str]) -> None:
        style = self.styles.id(font="bold", alignment="top" if any(self.alignments) else None)
        self._write(
            1, [self._text(f"{self.letters[i]}1", name, style) for i, name in enumerate(names)]
        )

    def _height(self, values: Sequence[Value]) -> float | None:
        """The height of a row of wrapped text: its longest cell's lines (None: one line)."""
        lines = 1
        for i, per_line in self.wrapped.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str) and value:
                wrapped = sum(-(-text_width(part) // per_line) or 1 for part in value.split("\n"))
                lines = max(lines, int(wrapped))
        return lines * LINE_HEIGHT if lines > 1 else None

    def row(self, values: Sequence[Value]) -> None:
        self.rows += 1
        number = self.rows + 1  # the header is row 1
        cells = []
        for i, value in enumerate(values):
            if value is None:
                continue
            ref = f"{self.letters[i]}{number}"
            alignment = self.alignments[i]
            font = None
            if i == 0 and self.link is not None and len(self.links) < MAX_LINKS:
                address = self.link(value)
                if address is not None:
                    self.links.append((ref, address))
                    font = "link"
            if isinstance(value, str):
                quote = is_formula_like(value)
                style = self.styles.id(font=font, alignment=alignment, quote=quote)
                cells.append(self._text(ref, value, style))
                continue
            if isinstance(value, Decimal):
                shown = number_format(value, amount=i in self.amounts)
                style = self.styles.id(number_format=shown, font=font, alignment=alignment)
                digits = format(value, "f")
            else:
                style = self.styles.id(font=font, alignment=alignment)
                digits = str(value)
            styled = f' s="{style}"' if style else ""
            cells.append(f'<c r="{ref}"{styled}><v>{digits}</v></c>')
        self._write(number, cells, self._height(values) if self.wrapped else None)

    @staticmethod
    def _text(ref: str, text: str, style: int) -> str:
        styled = f' s="{style}"' if style else ""
        return (
            f'<c r="{ref}"{styled} t="inlineStr">'
            f'<is><t xml:space="preserve">{_text_xml(text)}</t></is></c>'
        )

    def _write(self, number: int, cells: list[str], height: float | None = None) -> None:
        tall = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        self.out.write(f'<row r="{number}"{tall}>{"".join(cells)}</row>'.encode())

    def hyperlinks(self) -> str:
        """The sheet's `<hyperlinks>`: one relationship each (`rId1` …)."""
        if not self.links:
            return ""
        items = "".join(
            f'<hyperlink xmlns:r="{_RELATIONSHIPS}" ref="{ref}" r:id="rId{n}"/>'
            for n, (ref, _address) in enumerate(self.links, start=1)
        )
        return f"<hyperlinks>{items}</hyperlinks>"

    def relationships(self) -> str:
        items = "".join(
            f'<Relationship Id="rId{n}" Type="{_HYPERLINK}" '
            f'Target="{address.translate(_ATTRIBUTE_ESCAPES)}" TargetMode="External"/>'
            for n, (_ref, address) in enumerate(self.links, start=1)
        )
        return (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{items}</Relationships>"
        )


def _assemble(shell: bytes, data: _SheetData, rows: IO[bytes]) -> bytes:
    """openpyxl's workbook with the rows (and their links) put into its empty sheet."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(shell)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        if _SHEET_RELS in source.namelist():
            raise RuntimeError("the workbook's sheet already has relationships")
        for item in source.infolist():
            if item.filename != _SHEET:
                target.writestr(item, source.read(item))
                continue
            sheet = source.read(item).decode("utf-8")
            found = _EMPTY_SHEET_DATA.search(sheet)
            if found is None:
                raise RuntimeError("no empty <sheetData> in the workbook's sheet")
            head, tail = sheet[: found.start()], sheet[found.end() :]
            # <hyperlinks> follows the autofilter and precedes the print settings.
            cut = min(
                (i for i in (tail.find("<printOptions"), tail.find("<pageMargins")) if i >= 0),
                default=tail.rindex("</worksheet>"),
            )
            tail = tail[:cut] + data.hyperlinks() + tail[cut:]
            with target.open(_SHEET, "w") as stream:
                stream.write(f"{head}<sheetData>".encode())
                rows.seek(0)
                shutil.copyfileobj(rows, stream)
                stream.write(f"</sheetData>{tail}".encode())
        if data.links:
            target.writestr(_SHEET_RELS, data.relationships())
    return out.getvalue()


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    *,
    sheet: str = "表单列表",
    amounts: Collection[int] = (),
    link: LinkFor | None = None,
    wrap: Mapping[int, int] | None = None,
    landscape: bool = False,
) -> bytes:
    """An Excel workbook of one sheet: `header`, then `rows`.

    `amounts`: the (0-based) columns of money, printed with at least two decimals;
    `link`: the address of each row's page, from its first cell (which becomes a link);
    `wrap`: columns of long text → their width at most; their text wraps, their rows grow
    (and every cell aligns at the top of its row);
    `landscape`: printed across the page, fitted to its width.
    """
    wrap = wrap or {}
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    widths = column_widths(header, sample, amounts=amounts, wrap=wrap)
    for i, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(i)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.print_title_rows = "1:1"
    if landscape:
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    # Rows beyond a memory buffer's worth go to disk, as openpyxl's own rows do.
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        data = _SheetData(
            spool,
            _Styles(worksheet),
            columns=len(header),
            amounts=amounts,
            widths=widths,
            wrap=wrap,
            link=link,
        )
        data.header(header)
        for row in chain(sample, rows):
            data.row(row)
        last = get_column_letter(max(len(header), 1))
        worksheet.auto_filter.ref = f"A1:{last}{data.rows + 1}"
        shell = io.BytesIO()
        workbook.save(shell)
        return _assemble(shell.getvalue(), data, spool)
