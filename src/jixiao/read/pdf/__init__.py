"""PDF files with a text layer → a Grid: the forms' tables as rows of cells with spans.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify), for the PDFs
units publish. Each page is read by `extract` (characters and ruling lines, upright) and
laid out by `tables` (the grid of each table from its lines, merged cells from the
missing ones, each character in its cell). This module makes one document of the
pages: rows in page order, the text around tables as one-cell rows (title, 金额单位),
page numbers and running headers and footers dropped, a table header repeated at the
top of a continuation page dropped, and a row the writer split over a page break put
back together. It never raises on a file: an encrypted, corrupt, truncated or scanned
PDF, a bomb or a huge file is a finding with its place, read in bounded time and memory.
"""

from __future__ import annotations

import re
import threading
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no stubs, no py.typed
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from jixiao.catalogue import INPUT_TOO_LARGE, PAGES_NOT_READ, SCANNED_PDF, UNREADABLE_INPUT
from jixiao.findings import Finding, Severity
from jixiao.model import Source
from jixiao.read.grid import Cell, Grid, Row
from jixiao.read.pdf.extract import PageContent, read_page
from jixiao.read.pdf.tables import Line, PageLayout, Table, TableCell, layout_page
from jixiao.read.text import clean_cell
from jixiao.vocabulary.labels import YEAR_RE, title_kind
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.units import UNIT_LINE_RE

MAX_PAGES = 500  # a file of forms is tens of pages; beyond this only the first are read
TIME_BUDGET = 120.0  # seconds for one document, checked between pages
# A content stream that inflates beyond these is a bomb, not a page of a form (a dense
# page is ~50 KB; a subset CJK font a few MB): refused before PDFium inflates it.
MAX_STREAM = 32 * 1024 * 1024
MAX_INFLATED = 256 * 1024 * 1024
OCR_HINT = '扫描件识别需安装 OCR 组件：pip install "jixiao[ocr]"'

# PDFium is not thread-safe and pypdfium2 does not serialise calls: the web server reads
# uploads in several threads, so one document at a time goes through it.
_PDFIUM = threading.Lock()


def read_pdf(data: bytes, file: str) -> Grid | list[Finding]:
    """The rows of every page of a PDF, or findings saying why there are none."""
    bomb = _inflation_bomb(data)
    if bomb is not None:
        return [INPUT_TOO_LARGE.finding(bomb, file=file)]
    with _PDFIUM, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PDFium's notes on XFA forms are not findings
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            return [_open_failure(exc, data, file)]
        try:
            pages, findings = _read_pages(document, file)
        finally:
            document.close()
    return _document(pages, findings, file)


def _open_failure(exc: pdfium.PdfiumError, data: bytes, file: str) -> Finding:
    if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        message = "PDF 文件已加密，需要打开密码，无法读取；请提供未加密的文件"
    elif exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
        message = "PDF 文件使用了不支持的加密方式，无法读取"
    elif b"%%EOF" not in data[-2048:]:
        # Every complete PDF ends with %%EOF: without it the file was cut short.
        message = (
            f"PDF 文件不完整（{len(data)} 字节处中断，缺少文件结尾 %%EOF，"
            "可能下载或复制时被截断），无法读取"
        )
    else:
        message = "PDF 文件已损坏（文件结构无法解析），无法读取"
    return UNREADABLE_INPUT.finding(message, file=file)


# ---- bounds ------------------------------------------------------------------------------

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_FLATE_FIRST = re.compile(rb"/Filter\s*(?:\[\s*)?/(?:FlateDecode|Fl)\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b")


def _inflation_bomb(data: bytes) -> str | None:
    """Why the file's streams would inflate beyond any form, or None.

    PDFium inflates a content stream whole before it parses it (a 2 MB file of 2 GB of
    spaces took 3 GB and 6 s; 300 MB of drawing operators 5.7 GB and 27 s), so the
    compressed streams are measured first, each inflated in bounded steps and never
    kept. Images are skipped: the reader never decodes them."""
    total = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        if b"/Image" in head or not _FLATE_FIRST.search(head):
            continue
        start = match.end()
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else data.find(b"endstream", start)
        if end <= start:
            end = len(data)
        size = _inflated_size(data, start, min(end, len(data)), MAX_STREAM + 1)
        total += size
        if size > MAX_STREAM:
            owner = _OBJECT.findall(data, max(0, match.start() - 1024), match.start())
            where = f"对象 {owner[-1].decode()} 的" if owner else ""
            return (
                f"PDF {where}内容流解压后超过 {MAX_STREAM // 1048576} MB（压缩炸弹或损坏文件，"
                f"文件本身只有 {len(data) / 1048576:.1f} MB），未读取"
            )
        if total > MAX_INFLATED:
            return f"PDF 内容流解压后合计超过 {MAX_INFLATED // 1048576} MB，未读取"
    return None


def _inflated_size(data: bytes, start: int, end: int, limit: int) -> int:
    inflater = zlib.decompressobj()
    size = 0
    view = memoryview(data)[start:end]
    step = 1 << 16
    try:
        for offset in range(0, len(view), step):
            chunk: bytes | memoryview = view[offset : offset + step]
            while chunk:
                out = inflater.decompress(chunk, 1 << 20)
                size += len(out)
                if size > limit:
                    return size
                chunk = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return size  # not Flate after all, or encrypted: PDFium will judge it
    return size


# ---- pages -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    """What is kept of a page once laid out (its characters are let go)."""

    number: int
    layout: PageLayout
    text: bool  # the page has characters
    scan: str | None  # why its text cannot be read, when it cannot


def _read_pages(document: pdfium.PdfDocument, file: str) -> tuple[list[_Page], list[Finding]]:
    findings: list[Finding] = []
    count = len(document)
    limit = min(count, MAX_PAGES)
    if count > MAX_PAGES:
        findings.append(
            PAGES_NOT_READ.finding(
                f"PDF 共 {count} 页，超过上限 {MAX_PAGES} 页：只读取了第 1–{MAX_PAGES} 页",
                source=Source(file=file, page=MAX_PAGES + 1),
            )
        )
    started = time.perf_counter()
    pages: list[_Page] = []
    handle = document.raw
    for index in range(limit):
        if time.perf_counter() - started > TIME_BUDGET:
            findings.append(
                PAGES_NOT_READ.finding(
                    f"PDF 读取超过 {TIME_BUDGET:.0f} 秒：只读取了第 1–{index} 页（共 {count} 页）",
                    source=Source(file=file, page=index + 1),
                )
            )
            break
        try:
            content = read_page(handle, index)
        except Exception:  # a damaged page is a finding; the other pages are still read
            findings.append(
                UNREADABLE_INPUT.finding(
                    f"PDF 第 {index + 1} 页已损坏，无法读取",
                    source=Source(file=file, page=index + 1),
                    severity=Severity.WARNING,
                )
            )
            continue
        if content.too_big is not None:
            findings.append(
                PAGES_NOT_READ.finding(
                    f"PDF 第 {index + 1} 页内容过多（{content.too_big}），不是表单页，未读取",
                    source=Source(file=file, page=index + 1),
                )
            )
            continue
        scan = _why_no_text(content) if _is_scan(content) else None
        pages.append(_Page(content.number, layout_page(content), bool(content.chars), scan))
    return pages, findings


def _is_scan(content: PageContent) -> bool:
    """A page whose text is missing (drawn or scanned, no characters) or undecodable."""
    if content.unmapped and content.unmapped >= len(content.chars):
        return True
    return not content.chars and (content.images > 0 or bool(content.horizontal))


def _why_no_text(content: PageContent) -> str:
    if content.unmapped:
        return "文字无法解码（字体缺少 ToUnicode 映射，提取出的是 (cid:NNN) 乱码）"
    return "没有文字层（扫描件或图片）"


def _document(pages: list[_Page], findings: list[Finding], file: str) -> Grid | list[Finding]:
    scans = [p for p in pages if p.scan is not None]
    texts = [p.layout for p in pages if p.text and p.scan is None]
    if not texts:
        if scans:
            return [
                SCANNED_PDF.finding(
                    f"PDF {scans[0].scan}，{len(scans)} 页均未能读取；须 OCR 识别，{OCR_HINT}",
                    source=Source(file=file, page=scans[0].number),
                ),
                *findings,
            ]
        return [*findings, UNREADABLE_INPUT.finding("PDF 中没有任何文字", file=file)]
    for page in scans:
        findings.append(
            SCANNED_PDF.finding(
                f"PDF 第 {page.number} 页{page.scan}，未读取；{OCR_HINT}",
                source=Source(file=file, page=page.number),
                severity=Severity.WARNING,
            )
        )
    # Pages not read and scanned pages go with the rows: the forms read are kept.
    return Grid(file=file, rows=tuple(_rows(texts)), format="pdf", findings=tuple(findings))


# ---- the document ------------------------------------------------------------------------

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


def _rows(layouts: list[PageLayout]) -> Iterator[Row]:
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
                    yield Row(cells=(cell,), page=layout.number)
            else:
                yield from _table_rows(entry)


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


def _table_rows(placed: _Placed) -> Iterator[Row]:
    table, layout = placed.table, placed.layout
    for row in range(placed.skip, table.rows):
        cells = tuple(
            _cell(c, layout, placed.number) for c in table.row_cells(row) if clean_cell(c.text)
        )
        if cells:
            yield Row(cells=cells, page=layout.number)


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
