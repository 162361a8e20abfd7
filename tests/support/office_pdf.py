"""Render forms as the PDFs units publish: a bordered table, printed by LibreOffice.

Test support for the PDF reader. The official layout comes from `render.layout` (the
same spans the HTML reader's tests use); here it is written as an HTML page with a real
bordered table (every cell of the grid present, merged 一级/二级 and label cells as
rowspan/colspan), the title and year printed above the table, one form per page, and
LibreOffice headless turns the pages into PDF as an office suite would. Style variants
(column widths, font size, portrait or landscape A4, a table header repeated on every
page, a running header and page-number footer) keep the reader from being keyed on one
writer. Nothing here is committed as a binary: the PDFs are made when the tests run.
"""

from __future__ import annotations

import html
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from jixiao.model import Form, SelfEvaluation
from tests.support import libreoffice
from tests.support.render import html_cell, layout, title_rows


@dataclass(frozen=True)
class Style:
    """How one writer lays the form out on the page."""

    name: str
    landscape: bool = False
    font_pt: float = 10.5
    font: str = "Noto Serif CJK SC"
    padding: int = 3
    # Column widths in percent of the table, per kind (9 columns for a self-evaluation,
    # 6 for a declaration); None lets LibreOffice size the columns by content.
    self_widths: tuple[int, ...] | None = None
    declaration_widths: tuple[int, ...] | None = None
    # The first rows of the table marked as its header (`<thead>`): LibreOffice repeats
    # them at the top of every page the table continues on.
    header_rows: int = 0
    amount_unit_line: bool = False  # a 金额单位 line above the table, as some units print
    # LibreOffice's HTML import prints the running header and the "- N -" footer on the
    # page each form starts on (its page style), not on the pages a table runs on to.
    running_header: str | None = None
    page_footer: bool = False


STYLES = (
    Style("portrait", font_pt=10.5, page_footer=True),
    Style(
        "landscape",
        landscape=True,
        font_pt=9,
        font="Noto Sans CJK SC",
        padding=2,
        self_widths=(8, 9, 17, 12, 12, 7, 7, 14, 14),
        declaration_widths=(10, 14, 16, 20, 20, 20),
        amount_unit_line=True,
        running_header="上海市某区财政局 预算公开",
    ),
    Style(
        "portrait-repeated-header",
        font_pt=12,
        padding=4,
        self_widths=(7, 8, 20, 12, 12, 8, 8, 12, 13),
        header_rows=1,
        page_footer=True,
    ),
)


def _form_html(form: Form, style: Style, first: bool) -> str:
    cells, width = layout(form)
    titles = title_rows(cells, width)
    parts: list[str] = []
    brk = "" if first else ' style="page-break-before: always"'
    for row in range(titles):
        (title,) = (c for c in cells if c.row == row)
        text = html.escape(title.text)
        if row == 0:
            parts.append(f'<p align="center"{brk}><b><font size="4">{text}</font></b></p>')
        else:
            parts.append(f'<p align="center">{text}</p>')
    if style.amount_unit_line:
        parts.append(f'<p align="right">金额单位：{html.escape(form.funds_unit)}</p>')
    widths = style.self_widths if isinstance(form, SelfEvaluation) else style.declaration_widths
    parts.append(
        f'<table border="1" cellspacing="0" cellpadding="{style.padding}" width="100%" '
        'style="border-collapse: collapse; border: 1px solid #000">'
    )
    if widths is not None:
        parts.append("<colgroup>" + "".join(f'<col width="{w}%">' for w in widths) + "</colgroup>")
    body = [c for c in cells if c.row >= titles]
    last = max(c.row + c.rowspan for c in body)
    covered: set[tuple[int, int]] = set()
    for c in body:
        covered.update(
            (c.row + dr, c.col + dc) for dr in range(c.rowspan) for dc in range(c.colspan)
        )
    for row in range(titles, last):
        if style.header_rows and row == titles:
            parts.append("<thead>")
        if style.header_rows and row == titles + style.header_rows:
            parts.append("</thead><tbody>")
        parts.append("<tr>")
        starts = {c.col: c for c in body if c.row == row}
        for col in range(width):
            if col in starts:
                parts.append(html_cell(starts[col]))
            elif (row, col) not in covered:
                # The official table has every cell; a hole in the layout is a blank cell.
                parts.append("<td></td>")
        parts.append("</tr>")
    if style.header_rows:
        parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def to_office_html(forms: Sequence[Form], style: Style) -> str:
    """One HTML page per form, as LibreOffice imports it (its HTML import honours `@page`,
    `page-break-before`, `<thead>` and `<div title="header|footer">`)."""
    size = "297mm 210mm" if style.landscape else "210mm 297mm"
    head = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n<style>\n'
        f"@page {{ size: {size}; margin: 18mm 15mm 18mm 15mm; }}\n"
        f"body, p, td {{ font-family: '{style.font}'; font-size: {style.font_pt}pt; }}\n"
        "td { border: 1px solid #000; vertical-align: middle; }\n"
        "table { border-collapse: collapse; }\n"
        "</style></head><body>"
    )
    parts = [head]
    if style.running_header:
        parts.append(f'<div title="header"><p>{html.escape(style.running_header)}</p></div>')
    for index, form in enumerate(forms):
        parts.append(_form_html(form, style, first=index == 0))
    if style.page_footer:
        parts.append(
            '<div title="footer"><p align="center">- '
            "<sdfield type=PAGE subtype=RANDOM format=PAGE>1</sdfield> -</p></div>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def convert_to_pdf(
    sources: Sequence[Path],
    outdir: Path,
    *,
    export_filter: str = "pdf:writer_pdf_Export",
    timeout: float = 300,
) -> list[Path]:
    """Convert HTML pages to PDF in ONE LibreOffice run (each start costs ~2 s), with a
    fresh user profile so parallel runs and a user's own profile never interfere.

    The pages are imported by the Writer filter, not Writer/Web (the default for
    .html), which keeps the `@page` size, the repeated table header and the running
    header and footer."""
    return libreoffice.convert(
        sources, export_filter, outdir, infilter="HTML (StarWriter)", timeout=timeout
    )


def render_pdfs(batches: dict[str, tuple[Sequence[Form], Style]], outdir: Path) -> dict[str, Path]:
    """name → PDF of those forms in that style, all converted in one LibreOffice run."""
    sources = []
    work = outdir / "html"
    work.mkdir(parents=True, exist_ok=True)
    for name, (forms, style) in batches.items():
        path = work / f"{name}.html"
        path.write_text(to_office_html(forms, style), encoding="utf-8")
        sources.append(path)
    pdfs = convert_to_pdf(sources, outdir)
    return dict(zip(batches, pdfs, strict=True))


# ---- PDFs as other writers and scanners leave them (made with PDFium, no binaries) ---------


def _save(pdf: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def with_rotation(data: bytes, degrees: int) -> bytes:
    """Every page turned by `/Rotate` (the content untouched): a viewer shows the text
    sideways, as when a landscape form was saved with the wrong orientation."""
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        page.set_rotation(degrees)
    return _save(pdf)


def sideways(data: bytes, degrees: int = 90) -> bytes:
    """Each page's content drawn turned by a quarter turn on a page of swapped size, its
    text running up or down the page: the landscape table printed on a portrait sheet.
    The page is a form XObject placed with a rotation matrix, as some writers nest it;
    with `/Rotate` set to the opposite turn a viewer shows it upright again."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    for index in range(len(source)):
        width, height = source.get_page_size(index)
        page = out.new_page(height, width)
        xobject = source.page_as_xobject(index, out)
        placed = xobject.as_pageobject()
        # Counter-clockwise by 90°: (x, y) → (-y + height, x); clockwise: (y, -x + width).
        matrix = (
            pdfium.PdfMatrix(0, 1, -1, 0, height, 0)
            if degrees == 90
            else pdfium.PdfMatrix(0, -1, 1, 0, 0, width)
        )
        placed.transform(matrix)
        page.insert_obj(placed)
        page.gen_content()
    return _save(out)


def scanned(data: bytes, *, scale: float = 1.0) -> bytes:
    """The pages as pictures only, no text layer: what a scanner (or a print to image)
    makes of the form."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    for index in range(len(source)):
        width, height = source.get_page_size(index)
        bitmap = source[index].render(scale=scale)
        page = out.new_page(width, height)
        image = pdfium.PdfImage.new(out)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    return _save(out)


def repeated_pages(data: bytes, pages: int) -> bytes:
    """A document of `pages` pages, the pages of `data` over and over."""
    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    count = len(source)
    while len(out) < pages:
        take = min(count, pages - len(out))
        out.import_pages(source, list(range(take)))
    return _save(out)


def concatenated(*documents: bytes) -> bytes:
    """The pages of several PDFs, one after the other, in one file."""
    out = pdfium.PdfDocument.new()
    for data in documents:
        source = pdfium.PdfDocument(data)
        out.import_pages(source, list(range(len(source))))
    return _save(out)


def inflation_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream is `inflated` bytes of spaces, deflated: a
    few hundred KB on disk that a naive reader inflates whole."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(inflated // len(chunk))]
    stream = b"".join(parts) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def without_unicode(data: bytes) -> bytes:
    """The fonts' ToUnicode maps taken away (renamed, so every offset stays): the glyphs
    still draw, but their text cannot be decoded, which pdfminer shows as `(cid:NNN)`."""
    return data.replace(b"/ToUnicode", b"/ToUnicodX")


ENCRYPTED_FILTER = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"x"}}'
)
