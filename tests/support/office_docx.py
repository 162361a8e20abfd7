"""Write forms as Word documents in the official layout (财预〔2020〕10号 附件).

Test support for the Word reader. The layout is `render.layout` (the spans the HTML and
PDF tests use too), so the official table is written down once: here its leading
full-width rows (the title and `(2024年度)`) become paragraphs above the table — or, in
the one-table variant, merged rows of one long table — and every other span a cell,
merged across (`w:gridSpan`) and down (`w:vMerge`) by python-docx's `cell.merge`, as
Word does when a user merges cells. Amounts are the exact printed decimal strings.
Nothing here is committed as a binary: documents are made in the tests' tmp_path.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import docx
from docx.table import Table, _Cell

from jixiao.model import Form
from tests.support import libreoffice
from tests.support.render import Span, layout, title_rows

Arrangement = Literal["tables", "split", "one-table"]
Title = Literal["official", "year-first"]


def _titles(form: Form, cells: list[Span], count: int, title: Title) -> list[str]:
    texts = [c.text for c in sorted(cells, key=lambda c: c.row) if c.row < count]
    if title == "year-first" and form.year is not None and texts:
        # `2024年度项目支出绩效自评表`, as many units print it: one line, year first.
        return [f"{form.year}年度{texts[0].removeprefix('财政')}"]
    return texts


def _fill(table: Table, spans: list[Span], first_row: int, skip: int) -> None:
    """Write the spans (their rows shifted by `skip`) into `table` from `first_row`."""
    # The cells are taken once, before any merge: python-docx's `table.cell()` walks
    # the whole table each time, which a long table cannot afford. A merge finds its
    # cells by grid position and only removes cells inside its own rectangle, so the
    # cells taken here stay valid.
    grid: dict[tuple[int, int], _Cell] = {}
    rows = table._tbl.tr_lst
    for span in spans:
        for r in (span.row, span.row + span.rowspan - 1):
            tr = rows[first_row + r - skip]
            for c in (span.col, span.col + span.colspan - 1):
                grid.setdefault((r, c), _Cell(tr.tc_lst[c], table))
    for span in spans:
        cell = grid[(span.row, span.col)]
        if span.rowspan > 1 or span.colspan > 1:
            corner = grid[(span.row + span.rowspan - 1, span.col + span.colspan - 1)]
            cell = cell.merge(corner)
        if span.text:
            cell.text = span.text


def write_docx(
    forms: Sequence[Form],
    path: Path,
    *,
    arrangement: Arrangement = "tables",
    title: Title = "official",
    running_header: str | None = "上海市某区财政局 预算绩效公开",
    continued: str = "",
) -> Path:
    """Write `forms` to `path`: each its title and its table (`tables`); each its title
    and two tables, the indicator table after a paragraph of `continued` (Word keeps
    two tables apart by a paragraph; `（续表）` is often typed there) (`split`); or every
    form in one long table, titles as merged rows (`one-table`). The running header and footer are what a published
    document has, and what a reader must not read."""
    document = docx.Document()
    if running_header is not None:
        section = document.sections[0]
        section.header.paragraphs[0].text = running_header
        section.footer.paragraphs[0].text = "第 1 页 共 1 页 自评表 项目名称"
    laid = [layout(form) for form in forms]
    if arrangement in ("tables", "split"):
        for form, (cells, width) in zip(forms, laid, strict=True):
            count = title_rows(cells, width)
            for text in _titles(form, cells, count, title):
                document.add_paragraph(text)
            end = max(c.row + c.rowspan for c in cells)
            # No span crosses the indicator header's row: the table can be cut there.
            cut = next(c.row for c in cells if c.text == "一级指标")
            parts = [(count, cut), (cut, end)] if arrangement == "split" else [(count, end)]
            for number, (first, last) in enumerate(parts):
                if number:
                    document.add_paragraph(continued)
                table = document.add_table(rows=last - first, cols=width)
                table.style = "Table Grid"
                _fill(table, [c for c in cells if first <= c.row < last], 0, first)
            document.add_paragraph("")
    else:
        total_width = max(width for _, width in laid)
        heights = [max(c.row + c.rowspan for c in cells) for cells, _ in laid]
        table = document.add_table(rows=sum(heights), cols=total_width)
        table.style = "Table Grid"
        first = 0
        for (cells, width), height in zip(laid, heights, strict=True):
            titles = title_rows(cells, width)
            widened = [
                Span(c.text, c.row, c.col, c.rowspan, total_width) if c.row < titles else c
                for c in cells
            ]
            _fill(table, widened, first, 0)
            first += height
    document.save(str(path))
    return path


_NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "v": "urn:schemas-microsoft-com:vml",
    }.items()
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def minimal_package(
    body_xml: str | bytes, *, document_rels: str | None = None, raw_document: bytes | None = None
) -> bytes:
    """The smallest Word package a reader must accept: content types, the package's
    relationships and `word/document.xml` with `body_xml` as its body (prefixes w, r, mc,
    wp, wps and v bound), as a writer other than python-docx lays one out. With
    `raw_document`, the document part is those bytes, whatever they are."""
    body = body_xml.encode() if isinstance(body_xml, str) else body_xml
    document = raw_document or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NAMESPACES}>'
        "<w:body>".encode()
        + body
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("word/document.xml", document)
        if document_rels is not None:
            archive.writestr("word/_rels/document.xml.rels", document_rels)
    return out.getvalue()


def convert(source: Path, target: str, outdir: Path) -> Path:
    """`source` converted by LibreOffice headless (`doc`, `rtf`, `docx` …) into `outdir`."""
    (produced,) = libreoffice.convert([source], target, outdir, timeout=180)
    return produced
