"""Laid-out pages → the rows of one document, for PDFs and scans alike.

Part of step 2 of the pipeline (the PDF reader and the OCR path). The pages come laid
out by `tables` (tables with their cells, text lines around them); this makes one
document of them: rows in page order, the text around tables as one-cell rows (title,
金额单位), page numbers and running headers and footers dropped, a table header repeated
at the top of a continuation page dropped, and a row the writer split over a page break
put back together. For a page read by OCR every cell keeps how sure the engine was, and
a cell it was unsure of becomes a finding at its place, so that no misread field passes
silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.catalogue import OCR_LOW_CONFIDENCE
from jixiao.findings import Finding
from jixiao.model import Source
from jixiao.read.grid import Cell, Row
from jixiao.read.pdf.tables import Line, PageLayout, Table, TableCell
from jixiao.read.text import clean_cell
from jixiao.vocabulary.labels import YEAR_RE, is_printed_label, title_kind
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.units import UNIT_LINE_RE

# Below this the OCR engine's confidence in a cell's text is not enough to pass it
# unchecked. Chosen on the scanned corpus (`benchmarks/documents.py`): the misread
# characters and digits of 200 dpi scans scored under it; what was misread above it was
# punctuation whose full and half widths look alike, which `read.ocr.scan` doubts itself.
CONFIDENCE_THRESHOLD = 0.9


def document_rows(layouts: list[PageLayout], file: str, findings: list[Finding]) -> list[Row]:
    """The rows of the pages, in reading order; doubtful OCR cells go to `findings`."""
    return list(_rows(layouts, file, findings))


_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－·]?\s*\d{1,4}\s*[-–—－·]?|第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*[/／]\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE,
)


def _margins(layout: PageLayout) -> list[Line]:
    """The text lines above the page's first table and below its last one (all of them
    on a page without tables): where headers, footers and page numbers stand."""
    tables = [k for k, item in enumerate(layout.items) if isinstance(item, Table)]
    first, last = (tables[0], tables[-1]) if tables else (len(layout.items), -1)
    return [
        item
        for k, item in enumerate(layout.items)
        if isinstance(item, Line) and (k < first or k > last)
    ]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running(layouts: list[PageLayout]) -> set[str]:
    """Texts printed first or last on at least two pages (digits aside): running headers
    and footers. A form's title, year or 金额单位 line is content, never one of them,
    even when every page starts with a new form."""
    seen: Counter[str] = Counter()
    for layout in layouts:
        items = layout.items
        ends = [items[0], items[-1]] if items else []
        seen.update({_shape(item.text) for item in ends if isinstance(item, Line)})
    return {text for text, n in seen.items() if n >= 2 and not _content_line(text)}


def _content_line(text: str) -> bool:
    key = label_key(text)
    return title_kind(key) is not None or bool(YEAR_RE.search(key)) or bool(UNIT_LINE_RE.match(key))


def _dropped(layout: PageLayout, running: set[str]) -> set[int]:
    """The page numbers and running headers and footers of a page (by item identity)."""
    out: set[int] = set()
    items = layout.items
    for line in _margins(layout):
        text = line.text.strip()
        end = bool(items) and (line is items[0] or line is items[-1])
        if _PAGE_NUMBER.match(text) or (end and _shape(text) in running):
            out.add(id(line))
    return out


@dataclass(slots=True)
class _Placed:
    """A table as the document reads it: where it stands, and the first rows it drops."""

    table: Table
    layout: PageLayout
    number: int  # 1-based, in the document
    skip: int = 0  # leading rows that repeat the header of the table it continues


def _rows(layouts: list[PageLayout], file: str, findings: list[Finding]) -> Iterator[Row]:
    running = _running(layouts)
    pages: list[list[Line | _Placed]] = []
    previous: _Placed | None = None  # the table the last page ended with, if it did
    header: list[list[str]] = []  # the first rows of the table being continued
    number = 0
    for layout in layouts:
        dropped = _dropped(layout, running)
        items: list[Line | _Placed] = []
        for item in layout.items:
            if id(item) in dropped:
                continue
            if isinstance(item, Line):
                items.append(item)
                continue
            number += 1
            placed = _Placed(item, layout, number)
            if not items and previous is not None:
                # The table goes on from the last page: a header the writer repeats at
                # the top of each page is not a row of the form (it would start a new
                # form, 项目名称 and all), and a row cut by the page break is one row.
                placed.skip = _repeated_header(item, header)
                _join_split_row(previous.table, placed)
            else:
                header = [_texts(item, r) for r in range(min(item.rows, 3))]
            items.append(placed)
        last = items[-1] if items else None
        previous = last if isinstance(last, _Placed) else None
        pages.append(items)
    for layout, placed_items in zip(layouts, pages, strict=True):
        for entry in placed_items:
            if isinstance(entry, Line):
                text = clean_cell(entry.text)
                if text:
                    box = layout.page_box((entry.x0, entry.top, entry.x1, entry.bottom))
                    cell = Cell(text=text, page=layout.number, box=box)
                    _doubt(cell, entry.score, file, findings)
                    yield Row(cells=(cell,), page=layout.number)
            else:
                yield from _table_rows(entry, file, findings)


def _join_split_row(above: Table, placed: _Placed) -> None:
    """Put back together a row the writer broke over the page break (Word and
    LibreOffice let a tall row run on to the next page, and a merged 一级 cell's text
    with it). The continuation's first row is the rest of the last row above when every
    text in it carries on a cell above that is full: its text runs to the cell's bottom
    and its last line to the cell's right edge, as a wrapped line cut by the page does.
    A row of its own fails that: some of its texts stand under cells above that ended
    with room to spare (a short name, a number)."""
    table = placed.table
    row = placed.skip
    if row >= table.rows:
        return
    starting = [c for c in table.cells if c.row == row]
    texts = [c for c in starting if c.lines]
    if not texts:
        return
    bottom = above.rows
    last = [c for c in above.cells if c.row + c.rowspan == bottom]
    pairs: list[tuple[TableCell, TableCell]] = []
    for cell in texts:
        match = next((c for c in last if _same_columns(c, cell)), None)
        if match is None or not _full(match):
            return
        pairs.append((match, cell))
    for match, cell in pairs:
        match.lines = [*match.lines, *cell.lines]
        cell.lines = []


def _same_columns(a: TableCell, b: TableCell) -> bool:
    return abs(a.box[0] - b.box[0]) <= 2.0 and abs(a.box[2] - b.box[2]) <= 2.0


def _padding(cell: TableCell) -> float:
    return max(0.0, cell.lines[0].top - cell.box[1]) if cell.lines else 0.0


def _full(cell: TableCell) -> bool:
    """Text that fills its cell to the bottom, its last line to the right edge."""
    if not cell.lines:
        return False
    final = cell.lines[-1]
    size = max(final.bottom - final.top, 1.0)
    left = max(0.0, min(line.x0 for line in cell.lines) - cell.box[0])
    # Text cut by the page starts at the top of its cell; text centred in a tall cell
    # has as much room above it as below, and is not cut at all.
    if _padding(cell) > max(size, 6.0):
        return False
    to_bottom = cell.box[3] - final.bottom <= _padding(cell) + 3.0
    # Up to two characters short of the edge: a line may not end on an opening mark nor
    # the next begin with a closing one (”，。), so a wrapped line can stop early.
    to_right = final.x1 >= cell.box[2] - left - 2.5 * size
    return to_bottom and to_right


def _texts(table: Table, row: int) -> list[str]:
    return [label_key(c.text) for c in table.row_cells(row) if c.text.strip()]


def _repeated_header(table: Table, header: list[list[str]]) -> int:
    """How many first rows of a continuation repeat the table's own first rows."""
    skip = 0
    while skip < len(header) and skip < table.rows and header[skip]:
        if _texts(table, skip) != header[skip]:
            break
        skip += 1
    return skip


def _table_rows(placed: _Placed, file: str, findings: list[Finding]) -> Iterator[Row]:
    table, layout = placed.table, placed.layout
    for row in range(placed.skip, table.rows):
        cells = []
        for source in table.row_cells(row):
            if clean_cell(source.text):
                cell = _cell(source, layout, placed.number)
                _doubt(cell, source.score, file, findings)
                cells.append(cell)
        if cells:
            yield Row(cells=tuple(cells), page=layout.number, table=placed.number - 1)


def _doubt(cell: Cell, score: float, file: str, findings: list[Finding]) -> None:
    # A printed label is recognised by its words whatever its punctuation: a doubt
    # about it changes no field, and reporting it would bury the doubts that do.
    if score >= CONFIDENCE_THRESHOLD or is_printed_label(label_key(cell.text)):
        return
    where = f"第 {cell.page} 页" + (f"单元格 {cell.ref}" if cell.ref else "文字")
    findings.append(
        OCR_LOW_CONFIDENCE.finding(
            f"{where}的识别置信度 {score:.2f}，低于 {CONFIDENCE_THRESHOLD:.2f}：识别为「{cell.text}」，"
            "请对照原件核对",
            source=Source(file=file, page=cell.page, cell=cell.ref, box=cell.box),
        )
    )


def _cell(cell: TableCell, layout: PageLayout, number: int) -> Cell:
    return Cell(
        text=clean_cell(cell.text),
        col=cell.col,
        colspan=cell.colspan,
        rowspan=cell.rowspan,
        page=layout.number,
        ref=f"p{layout.number}T{number}R{cell.row + 1}C{cell.col + 1}",
        box=layout.page_box(cell.box),
    )
