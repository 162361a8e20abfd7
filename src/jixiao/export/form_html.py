"""Forms as a standalone HTML page of the official table (export step: sheet → HTML).

The page a browser prints (the form page's 打印官方表样): each form as
`layout.lay_out` arranges it — its title, its year line, the table with its merges as
`rowspan`/`colspan` — under a print stylesheet: A4 landscape, one form a page, rows
never cut by a page break, and the indicator table's header (`<thead>`) repeated on
every page it runs on to. A `<thead>` repeats only from the top of a table, so the table
is printed as two tables, one under the other, that share their columns.

Everything the form holds is escaped (`markupsafe`), and the page needs nothing from
outside: no script, no link, no web font (the CJK fonts are the system's own, Noto
Serif CJK where fonts-noto-cjk is installed, 宋体 on Windows).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from jixiao.export.layout import Cell, Layout, Sheet, lay_out
from jixiao.model import Form

FONTS = '"Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "宋体", "Songti SC", serif'

STYLE = f"""
@page {{ size: A4 landscape; margin: 14mm 12mm 14mm 12mm; }}
/* 10 pt: a layout's width in characters (a CJK character two) then fits the page. */
html {{ font-family: {FONTS}; font-size: 10pt; line-height: 1.35; color: #000;
  background: #fff; }}
body {{ margin: 0; }}
section.form + section.form {{ break-before: page; }}
h1 {{ font-size: 16pt; font-weight: bold; text-align: center; margin: 0 0 1.5mm; }}
p.year {{ text-align: center; margin: 0 0 3mm; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
/* The indicator table goes on where the first one ends, on one shared rule. */
table.indicators {{ margin-top: -0.75pt; }}
th, td {{ border: 0.75pt solid #000; padding: 1mm 1.2mm; vertical-align: middle;
  white-space: pre-wrap; overflow-wrap: anywhere; }}
th, td.label {{ font-weight: bold; text-align: center; }}
td.value {{ text-align: center; }}
td.number {{ text-align: right; overflow-wrap: normal; }}
td.text {{ text-align: left; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
@media screen {{ body {{ max-width: 273mm; margin: 12mm auto; }}
  section.form + section.form {{ margin-top: 16mm; }} }}
"""


def form_html(forms: Sequence[Form], layout: Layout) -> str:
    """`forms` as one HTML document, one form a printed page."""
    sheets = [lay_out(form, layout) for form in forms]
    title = f"{sheets[0].title}：{forms[0].project}" if forms else layout.title
    if len(forms) > 1:
        title += f" 等 {len(forms)} 张表"
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
    ]
    for sheet in sheets:
        parts.append(_section(sheet))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _section(sheet: Sheet) -> str:
    parts = ['<section class="form">\n']
    for cell in sorted(sheet.band(0, sheet.title_rows), key=lambda c: c.row):
        tag = "h1" if cell.row == 0 else 'p class="year"'
        parts.append(f"<{tag}>{escape(cell.text)}</{tag.split()[0]}>\n")
    total = sum(sheet.widths)
    columns = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in sheet.widths)
    colgroup = f"<colgroup>{columns}</colgroup>\n"
    first, last = sheet.header_rows[0], sheet.header_rows[-1] + 1
    parts.append(f"<table>\n{colgroup}<tbody>\n")
    parts.append(_rows(sheet, sheet.title_rows, first, "td"))
    parts.append(f'</tbody>\n</table>\n<table class="indicators">\n{colgroup}<thead>\n')
    parts.append(_rows(sheet, first, last, "th"))
    parts.append("</thead>\n<tbody>\n")
    parts.append(_rows(sheet, last, sheet.height, "td"))
    parts.append("</tbody>\n</table>\n</section>\n")
    return "".join(parts)


def _rows(sheet: Sheet, first: int, last: int, tag: str) -> str:
    """Rows `first` to `last` (exclusive) as `<tr>`s, every merge kept inside them."""
    cells = sheet.band(first, last)
    starts = {(cell.row, cell.col): cell for cell in cells}
    covered = {
        (cell.row + dr, cell.col + dc)
        for cell in cells
        for dr in range(cell.rowspan)
        for dc in range(cell.colspan)
    }
    parts = []
    for row in range(first, last):
        parts.append("<tr>")
        for col in range(sheet.width):
            cell = starts.get((row, col))
            if cell is not None:
                parts.append(_cell(cell, tag))
            elif (row, col) not in covered:
                # The official table has every cell: a hole of the layout is a blank one.
                parts.append(f"<{tag}></{tag}>")
        parts.append("</tr>\n")
    return "".join(parts)


def _cell(cell: Cell, tag: str) -> str:
    attrs = Markup("")
    if cell.rowspan > 1:
        attrs += Markup(' rowspan="{}"').format(cell.rowspan)
    if cell.colspan > 1:
        attrs += Markup(' colspan="{}"').format(cell.colspan)
    if tag == "th":
        attrs += Markup(' scope="col"')
    else:
        attrs += Markup(' class="{}"').format(cell.role)
    return f"<{tag}{attrs}>{escape(cell.text)}</{tag}>"
