"""PDF files → a Grid: the forms' tables as rows of cells with spans.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify), for the PDFs
units publish. Each page is read by `extract` (characters and ruling lines, upright) and
laid out by `tables` (the grid of each table from its lines, merged cells from the
missing ones, each character in its cell); `document` makes one document of the pages.
A page without usable text (a scan, or glyphs without Unicode) is rendered and read by
the OCR path (`read.ocr`) when it is installed, and is a finding saying how to install
it when not. It never raises on a file: an encrypted, corrupt, truncated or scanned
PDF, a bomb or a huge file is a finding with its place, read in bounded time and memory.
"""

from __future__ import annotations

import re
import threading
import time
import warnings
import zlib
from dataclasses import dataclass, replace

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no stubs, no py.typed
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from jixiao.catalogue import (
    INPUT_TOO_LARGE,
    OCR_READ,
    PAGES_NOT_READ,
    SCANNED_PDF,
    UNREADABLE_INPUT,
)
from jixiao.findings import Finding, Severity
from jixiao.model import Source
from jixiao.read import ocr
from jixiao.read.grid import Grid
from jixiao.read.pdf.document import document_rows
from jixiao.read.pdf.extract import PageContent, read_page
from jixiao.read.pdf.tables import PageLayout, layout_page
from jixiao.read.progress import Progress

MAX_PAGES = 500  # a file of forms is tens of pages; beyond this only the first are read
TIME_BUDGET = 120.0  # seconds for one document, checked between pages
# A content stream that inflates beyond these is a bomb, not a page of a form (a dense
# page is ~50 KB; a subset CJK font a few MB): refused before PDFium inflates it.
MAX_STREAM = 32 * 1024 * 1024
MAX_INFLATED = 256 * 1024 * 1024

# PDFium is not thread-safe and pypdfium2 does not serialise calls: the web server reads
# uploads in several threads, so one document at a time goes through it.
PDFIUM_LOCK = threading.Lock()


def read_pdf(data: bytes, file: str, progress: Progress | None = None) -> Grid | list[Finding]:
    """The rows of every page of a PDF, or findings saying why there are none; with
    `progress`, told of each page read (the scanned ones count once OCR has read them)."""
    bomb = _inflation_bomb(data)
    if bomb is not None:
        return [INPUT_TOO_LARGE.finding(bomb, file=file)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PDFium's notes on XFA forms are not findings
        with PDFIUM_LOCK:
            try:
                document = pdfium.PdfDocument(data)
            except pdfium.PdfiumError as exc:
                return [_open_failure(exc, data, file)]
        try:
            with PDFIUM_LOCK:
                pages, findings = _read_pages(document, file)
            if any(p.scan for p in pages) and ocr.available():
                pages = _ocr_scans(document, pages, findings, file, progress)
            elif progress is not None and pages:
                progress(len(pages), len(pages))
        finally:
            with PDFIUM_LOCK:
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
    ocr: bool = False  # its text was read by OCR


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


def _ocr_scans(
    document: pdfium.PdfDocument,
    pages: list[_Page],
    findings: list[Finding],
    file: str,
    progress: Progress | None,
) -> list[_Page]:
    """The scanned pages read by OCR, one at a time: PDFium renders under its lock, the
    engine reads outside it, so other documents are read meanwhile."""
    started = time.perf_counter()
    out: list[_Page] = []
    over = False
    for page in pages:
        if page.scan is None:
            out.append(page)
            continue
        if over:
            continue  # said once below; the page is left out
        if time.perf_counter() - started > ocr.TIME_BUDGET:
            findings.append(
                PAGES_NOT_READ.finding(
                    f"扫描件 OCR 识别超过 {ocr.TIME_BUDGET:.0f} 秒：第 {page.number} 页起的扫描页未识别",
                    source=Source(file=file, page=page.number),
                )
            )
            over = True
            continue
        try:
            with PDFIUM_LOCK:
                gray, dpi = _render_gray(document, page.number - 1)
        except Exception:  # a page PDFium cannot render is a finding; the others are read
            findings.append(
                UNREADABLE_INPUT.finding(
                    f"PDF 第 {page.number} 页无法渲染，未能识别",
                    source=Source(file=file, page=page.number),
                    severity=Severity.WARNING,
                )
            )
            continue
        try:
            content = ocr.scan_page(gray, dpi, page.number)
        except ocr.OcrFailed:
            findings.append(
                UNREADABLE_INPUT.finding(
                    f"PDF 第 {page.number} 页为扫描页，OCR 无法识别，未读取",
                    source=Source(file=file, page=page.number),
                    severity=Severity.WARNING,
                )
            )
            continue
        out.append(replace(page, layout=layout_page(content), text=True, scan=None, ocr=True))
        if progress is not None:
            progress(len(out), len(pages))
    return out


def _render_gray(document: pdfium.PdfDocument, index: int) -> tuple[ocr.Gray, float]:
    """A page as a grey image at ocr.DPI, or coarser when the page is huge."""
    page = document[index]
    try:
        width, height = page.get_size()
        dpi = ocr.DPI
        pixels = (width * dpi / 72) * (height * dpi / 72)
        if pixels > ocr.MAX_PIXELS:
            dpi *= (ocr.MAX_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        gray = bitmap.to_numpy()
        if gray.ndim == 3:
            gray = gray[:, :, 0]
        return gray.copy(), dpi
    finally:
        page.close()


def _document(pages: list[_Page], findings: list[Finding], file: str) -> Grid | list[Finding]:
    scans = [p for p in pages if p.scan is not None]
    texts = [p.layout for p in pages if p.text and p.scan is None]
    read_by_ocr = [p.number for p in pages if p.ocr]
    if not texts:
        if scans:
            return [
                SCANNED_PDF.finding(
                    f"PDF {scans[0].scan}，{len(scans)} 页均未能读取；须 OCR 识别，{ocr.OCR_HINT}",
                    source=Source(file=file, page=scans[0].number),
                ),
                *findings,
            ]
        if findings:  # pages over a bound, damaged pages: they say why nothing was read
            return findings
        return [UNREADABLE_INPUT.finding("PDF 中没有任何文字", file=file)]
    for page in scans:
        findings.append(
            SCANNED_PDF.finding(
                f"PDF 第 {page.number} 页{page.scan}，未读取；{ocr.OCR_HINT}",
                source=Source(file=file, page=page.number),
                severity=Severity.WARNING,
            )
        )
    if read_by_ocr:
        findings.append(
            OCR_READ.finding(
                f"PDF 第 {ocr.page_ranges(read_by_ocr)} 页为扫描件，已经 OCR 识别；识别置信度低的"
                "单元格逐一列出，请对照原件核对",
                source=Source(file=file, page=read_by_ocr[0]),
            )
        )
    # Pages not read and scanned pages go with the rows: the forms read are kept.
    rows = document_rows(texts, file, findings)
    return Grid(file=file, rows=tuple(rows), format="pdf", findings=tuple(findings))
