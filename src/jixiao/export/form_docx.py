"""Forms as a Word document in the official layout (export step: laid-out sheet → docx).

Each form as `layout.lay_out` arranges it: its title and year line as centred paragraphs,
then the table with its merges (`w:gridSpan` across, `w:vMerge` down, as Word and
python-docx's `cell.merge` write them when cells are merged), on A4 landscape, one form
a page; python-docx makes the document, its page and its fonts. The table is two
tables, one under the other: Word repeats header rows (`w:tblHeader`) only from the top
of a table, so the indicator table starts a table of its own whose first row is its
header, printed again on every page the table runs on to. No row is split across pages
(`w:cantSplit`). The text is in 宋体, set for East Asian text too (`w:eastAsia`: what
Word uses for Chinese characters).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from markupsafe import escape

from jixiao.export.layout import Cell, Layout, Sheet, lay_out, printable
from jixiao.model import Form

FONT = "宋体"
_PAGE_WIDTH, _PAGE_HEIGHT = Mm(297), Mm(210)
_MARGIN_SIDE, _MARGIN_TOP = Mm(15), Mm(18)
_ALIGN = {"label": "center", "value": "center", "number": "right", "text": "left"}


def write_docx(forms: Sequence[Form], layout: Layout) -> bytes:
    """`forms` as one Word document, each form starting a page."""
    document = docx.Document()
    _page_and_font(document)
    for index, form in enumerate(forms):
        _write_form(document, lay_out(form, layout), first_form=index == 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_and_font(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    section.left_margin = section.right_margin = _MARGIN_SIDE
    section.top_margin = section.bottom_margin = _MARGIN_TOP
    normal = document.styles["Normal"]
    font = normal.font
    font.name = FONT
    font.size = Pt(10.5)  # 五号
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    spacing = normal.paragraph_format
    spacing.space_before = spacing.space_after = Pt(0)


def _write_form(document: Document, sheet: Sheet, *, first_form: bool) -> None:
    titles = sorted((c for c in sheet.cells if c.row < sheet.title_rows), key=lambda c: c.row)
    for cell in titles:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(printable(cell.text))
        if cell.row == 0:
            run.bold = True
            run.font.size = Pt(16)  # 三号
            paragraph.paragraph_format.page_break_before = not first_form
        else:
            paragraph.paragraph_format.space_after = Pt(6)
    first, last = sheet.header_rows[0], sheet.header_rows[-1] + 1
    _write_table(document, sheet, sheet.band(sheet.title_rows, first), sheet.title_rows, first)
    # Word would join two tables that touch: a paragraph of one point keeps them apart.
    gap = document.add_paragraph()
    gap.paragraph_format.line_spacing = Pt(1)
    gap.add_run().font.size = Pt(1)
    # The header rows are a band of their own, so that Word repeats them whole.
    indicators = sheet.band(first, last) + sheet.band(last, sheet.height)
    _write_table(document, sheet, indicators, first, sheet.height, header_rows=last - first)


def _write_table(
    document: Document,
    sheet: Sheet,
    cells: list[Cell],
    first: int,
    last: int,
    header_rows: int = 0,
) -> None:
    """`cells`, rows `first` to `last` (exclusive) of the sheet, as one table.

    The table's XML is written here directly, in one piece, as `cell.merge` would leave
    it: a merged cell is one `w:tc` with `w:gridSpan` in its first row, and a `w:tc` of
    the same span with `w:vMerge` (restart, then continue) in each row it covers.
    Building it through python-docx, cell by cell and merge by merge, takes ten times as
    long, since every step searches the table's XML again."""
    widths = _widths(sheet)
    starts = {(c.row, c.col): c for c in cells}
    # (row, col) → the span covering it from a row above: a vMerge continuation.
    below = {(c.row + dr, c.col): c for c in cells for dr in range(1, c.rowspan)}
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for row in range(first, last):
        header = "<w:tblHeader/>" if row - first < header_rows else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        col = 0
        while col < sheet.width:
            span = starts.get((row, col)) or below.get((row, col))
            colspan = span.colspan if span is not None else 1
            width = sum(widths[col : col + colspan])
            merge = ""
            if span is not None and span.rowspan > 1:
                merge = '<w:vMerge w:val="restart"/>' if span.row == row else "<w:vMerge/>"
            grid = f'<w:gridSpan w:val="{colspan}"/>' if colspan > 1 else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{merge}'
                '<w:vAlign w:val="center"/></w:tcPr>'
            )
            if span is not None and span.row == row:
                parts.append(_paragraph(span))
            else:
                parts.append("<w:p/>")  # a cell holds at least one paragraph
            parts.append("</w:tc>")
            col += colspan
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    table = parse_xml("".join(parts))
    document.element.body.insert_element_before(table, "w:sectPr")


def _paragraph(span: Cell) -> str:
    align = f'<w:pPr><w:jc w:val="{_ALIGN[span.role]}"/></w:pPr>'
    if not span.text:
        return f"<w:p>{align}</w:p>"
    bold = "<w:rPr><w:b/></w:rPr>" if span.role == "label" else ""
    # A line break in the text is a `w:br`, as Shift+Enter (or python-docx) writes it.
    lines = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>'
        for line in printable(span.text).split("\n")
    )
    return f"<w:p>{align}<w:r>{bold}{lines}</w:r></w:p>"


def _widths(sheet: Sheet) -> list[int]:
    """The columns' widths in twentieths of a point (what `w:tcW` counts), the sheet's
    proportions over the page's width."""
    room = (_PAGE_WIDTH - 2 * _MARGIN_SIDE) / 635  # EMU → twips
    total = sum(sheet.widths)
    return [int(room * w / total) for w in sheet.widths]
