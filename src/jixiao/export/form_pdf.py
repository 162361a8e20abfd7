"""Forms as a PDF in the official layout (export step: sheet → PDF, drawn by reportlab).

Each form starts a page, A4 landscape: its title and year line, then the table as
`layout.lay_out` arranges it, drawn as two tables that share their columns — the top
block, and the indicator table whose header rows repeat on every page it runs on to. A
row is never cut by a page break; a merge that runs over one (a long 产出指标) is cut
there and goes on under the repeated header.

Why reportlab and not an HTML renderer: the same table through WeasyPrint took 0.15–0.35
s a form on this machine (layout and font subsetting), and through Chromium 0.3 s;
reportlab draws it in a few milliseconds. Its fonts must be TrueType to be embedded (the
Noto CJK fonts are CFF-based OpenType, which it cannot embed): AR PL UMing, a Ming (宋体)
face like the printed forms', from Debian's `fonts-arphic-uming`, or WenQuanYi
(`fonts-wqy-microhei`, `fonts-wqy-zenhei`); `JIXIAO_PDF_FONT` names another `.ttf`/`.ttc`.
The glyphs used are embedded as a subset, so the PDF shows its Chinese anywhere.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.export.layout import Cell, Layout, Sheet, lay_out
from jixiao.model import Form

INSTALL_HINT = "导出 PDF 需要中文 TrueType 字体（Debian：apt-get install fonts-arphic-uming）"

# TrueType CJK fonts, first found wins: (file, index in a collection).
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
_FONT = "jixiao-cjk"
_MM = 72 / 25.4
_MARGIN_X, _MARGIN_Y = 12 * _MM, 12 * _MM
_SIZE, _LEADING = 9.5, 12.5
_TITLE_SIZE = 16
_PAD = 2.5  # points inside a cell, each side


class PdfUnavailable(RuntimeError):
    """PDF export needs a TrueType CJK font (and reportlab, a dependency), and one is missing."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(INSTALL_HINT + (f"：{detail}" if detail else ""))


class TooLongToPrint(ValueError):
    """A form with a row taller than a page: a PDF would have to cut it."""


def _font_file() -> tuple[str, int] | None:
    chosen = os.environ.get("JIXIAO_PDF_FONT")
    if chosen:
        return (chosen, 0) if Path(chosen).is_file() else None
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    return None


@lru_cache(maxsize=1)
def _register_font() -> str:
    """Registers the CJK font with reportlab once per process; its name."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont
    except ImportError:
        raise PdfUnavailable() from None
    found = _font_file()
    if found is None:
        raise PdfUnavailable("没有找到中文 TrueType 字体")
    path, index = found
    try:
        pdfmetrics.registerFont(TTFont(_FONT, path, subfontIndex=index))
    except (TTFError, OSError) as exc:
        raise PdfUnavailable(f"字体文件「{path}」无法使用（{type(exc).__name__}）") from None
    return _FONT


def write_pdf(forms: Sequence[Form], layout: Layout) -> bytes:
    """`forms` as one PDF, each form starting a page."""
    font = _register_font()
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import PageBreak, SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    out = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=_MARGIN_X,
        rightMargin=_MARGIN_X,
        topMargin=_MARGIN_Y,
        bottomMargin=_MARGIN_Y,
        title=_title(forms, layout),
        author="jixiao",
        invariant=1,  # the same forms give the same bytes (no creation time, no random id)
        initialFontName=font,  # else the page starts in Helvetica, a font not embedded
    )
    width = page[0] - 2 * _MARGIN_X
    # The frame's height, less the few points reportlab keeps for rounding.
    height = page[1] - 2 * _MARGIN_Y - 12
    story: list[Any] = []
    for number, form in enumerate(forms):
        if number:
            story.append(PageBreak())
        story.extend(_form(lay_out(form, layout), width, height, font))
    try:
        document.build(story)
    except LayoutError:
        # One row taller than a page (a note of thousands of characters): a table row is
        # never cut, so the form cannot be laid out; the caller tells the user.
        raise TooLongToPrint(
            "表格中有一行内容超过一页，无法排入 PDF；请导出 Excel 或 Word"
        ) from None
    return out.getvalue()


def _title(forms: Sequence[Form], layout: Layout) -> str:
    if not forms:
        return layout.title
    first = f"{layout.of(forms[0].kind).title}：{forms[0].project}"
    return first if len(forms) == 1 else f"{first} 等 {len(forms)} 张表"


def _form(sheet: Sheet, width: float, height: float, font: str) -> list[Any]:
    """One form's flowables: title, top block, and the indicator table cut into pages.

    The indicator table is paginated here rather than by reportlab, whose tables cannot
    break inside a merge (a 一级 cell over twenty rows) and fail on one taller than the
    rest of a page: each page's part is the table's header rows and as many whole rows
    as fit, its merges cut at the page's end (`Sheet.band`), as a printed form cuts them.
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    title = ParagraphStyle("title", fontName=font, fontSize=_TITLE_SIZE, leading=22, alignment=1)
    year = ParagraphStyle("year", fontName=font, fontSize=_SIZE + 1, leading=16, alignment=1)
    flow: list[Any] = []
    for cell in sorted(sheet.band(0, sheet.title_rows), key=lambda c: c.row):
        style = title if cell.row == 0 else year
        flow.append(Paragraph(_markup(cell.text), style))
    flow.append(Spacer(1, 2 * _MM))
    scale = width / sum(sheet.widths)
    columns = [w * scale for w in sheet.widths]
    header = sheet.header_rows[0] if sheet.header_rows else sheet.height
    top = _table(sheet.band(sheet.title_rows, header), sheet.title_rows, columns, font)
    flow.append(top)
    left = height - sum(f.wrap(width, height)[1] for f in flow)
    if header >= sheet.height:
        return flow
    head = sheet.band(header, header + len(sheet.header_rows))
    body = header + len(sheet.header_rows)  # the first row under the header

    def part(start: int, end: int) -> Any:
        """The header rows and rows `start`–`end` of the indicator table, as one table."""
        shift = start - body
        rows = [
            Cell(c.text, c.row - shift, c.col, c.rowspan, c.colspan, c.role)
            for c in sheet.band(start, end)
        ]
        return _table(head + rows, header, columns, font)

    start = body
    while start < sheet.height:
        end, table = start + 1, part(start, start + 1)  # at least one row a page
        if left < height and _height(table, width) > left:
            flow.append(PageBreak())  # not even one row fits below what is there: a new page
            left = height
            continue
        while end < sheet.height:
            longer = part(start, end + 1)
            if _height(longer, width) > left:
                break
            end, table = end + 1, longer
        flow.append(table)
        if end < sheet.height:
            flow.append(PageBreak())
            left = height
        start = end
    return flow


def _height(table: Any, width: float) -> float:
    height: float = table.wrap(width, 1e9)[1]
    return height


_ALIGN = {"label": 1, "value": 1, "number": 2, "text": 0, "title": 1}


@lru_cache(maxsize=8)
def _styles(font: str) -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    return {
        role: ParagraphStyle(
            role, fontName=font, fontSize=_SIZE, leading=_LEADING, alignment=align, wordWrap="CJK"
        )
        for role, align in _ALIGN.items()
    }


def _table(cells: list[Cell], first: int, columns: list[float], font: str) -> Any:
    """The rows of `cells` (a band of the sheet starting at row `first`) as one table."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    height = max((c.last_row for c in cells), default=first - 1) - first + 1
    data: list[list[Any]] = [[""] * len(columns) for _ in range(height)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
        ("FONT", (0, 0), (-1, -1), font, _SIZE, _LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), _PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD),
    ]
    styles = _styles(font)
    for cell in cells:
        row, col = cell.row - first, cell.col
        room = sum(columns[col : col + cell.colspan]) - 2 * _PAD
        text = cell.text
        if "\n" not in text and stringWidth(text, font, _SIZE) <= room:
            data[row][col] = text  # a plain string: drawn on one line, and fast
            align = {1: "CENTER", 2: "RIGHT", 0: "LEFT"}[_ALIGN.get(cell.role, 1)]
            commands.append(("ALIGN", (col, row), (col, row), align))
        else:
            data[row][col] = Paragraph(_markup(text), styles.get(cell.role, styles["value"]))
            # reportlab never starts a line with 「。」「，」: it hangs them past the line's
            # end instead, so a wrapped cell keeps one character's room for them.
            commands.append(("RIGHTPADDING", (col, row), (col, row), _PAD + _SIZE))
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (col, row), (cell.last_col, row + cell.rowspan - 1)))
    return Table(data, colWidths=columns, style=TableStyle(commands))


def _markup(text: str) -> str:
    """Text as a reportlab paragraph holds it: its markup characters escaped."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br/>")
