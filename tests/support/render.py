"""Render model forms as the converters do (TSV, markdown pipe tables, HTML tables).

Test support for the readers: a form laid out as the official table (a grid of cells
with spans, by `jixiao.export.layout` in the Shanghai layout the seeds print), then
written out the way each converter writes merged cells. Reading the result back must
give the form again.
"""

from __future__ import annotations

import html
import random

from jixiao.export.layout import Cell, lay_out, load_layout
from jixiao.model import Form

# The official table is laid out once, by the export step, in the layout the seeds print.
# A span is one of its cells (text, row, col, rowspan, colspan, and a role nobody here
# reads): `Span(text, row, col, rowspan, colspan)` builds one.
Span = Cell
SHANGHAI = load_layout("shanghai")


def layout(form: Form) -> tuple[list[Span], int]:
    """`form` as the seeds' official table: its cells and its width in columns."""
    sheet = lay_out(form, SHANGHAI)
    return list(sheet.cells), sheet.width


def _rows(cells: list[Span]) -> int:
    return max(c.row + c.rowspan for c in cells)


def title_rows(cells: list[Span], width: int) -> int:
    """How many leading rows of the layout are the title and year (one full-width cell)."""
    count = 0
    for row in range(2):
        row_cells = [c for c in cells if c.row == row]
        if len(row_cells) == 1 and row_cells[0].colspan == width:
            count += 1
    return count


def html_cell(span: Span) -> str:
    """One laid-out cell as an HTML `<td>`, its merges as rowspan/colspan."""
    attrs = ""
    if span.rowspan > 1:
        attrs += f' rowspan="{span.rowspan}"'
    if span.colspan > 1:
        attrs += f' colspan="{span.colspan}"'
    return f"<td{attrs}>{html.escape(span.text)}</td>"


def to_html(forms: list[Form]) -> str:
    parts = ["<html><body>"]
    for form in forms:
        cells, _ = layout(form)
        parts.append("<table>")
        for r in range(_rows(cells)):
            parts.append("<tr>")
            for c in sorted((c for c in cells if c.row == r), key=lambda c: c.col):
                parts.append(html_cell(c))
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _matrix(cells: list[Span], width: int, merged: str, rng: random.Random) -> list[list[str]]:
    """The table as text rows; `merged` says what covered cells of a rowspan hold:
    `blank` (empty), `repeat` (the value again) or `drop` (absent: the row shifts)."""
    rows = [[""] * width for _ in range(_rows(cells))]
    dropped: set[tuple[int, int]] = set()
    for c in cells:
        rows[c.row][c.col] = c.text
        for dr in range(1, c.rowspan):
            mode = merged if merged != "mixed" else rng.choice(["blank", "repeat", "drop"])
            if mode == "repeat":
                rows[c.row + dr][c.col] = c.text
            elif mode == "drop":
                dropped.add((c.row + dr, c.col))
    return [
        [t for col, t in enumerate(row) if (r, col) not in dropped] for r, row in enumerate(rows)
    ]


def to_tsv(forms: list[Form], *, wrap_goals_at: int | None = None) -> str:
    """Converter TSV; with `wrap_goals_at`, long cells keep line breaks every that many
    characters and are quoted, as spreadsheet tools write them."""
    lines: list[str] = []
    for form in forms:
        cells, width = layout(form)
        for row in _matrix(cells, width, "blank", random.Random(0)):
            lines.append("\t".join(_tsv_cell(t, wrap_goals_at) for t in row))
        lines.append("")
    return "\n".join(lines)


def _tsv_cell(text: str, wrap_at: int | None) -> str:
    text = text.replace("\t", " ").replace("\n", " ")
    if wrap_at is None or len(text) <= wrap_at:
        return text
    broken = "\n".join(text[i : i + wrap_at] for i in range(0, len(text), wrap_at))
    return '"' + broken.replace('"', '""') + '"'


def to_markdown(forms: list[Form], merged: str = "mixed", seed: int = 0) -> str:
    rng = random.Random(seed)
    lines: list[str] = []
    for form in forms:
        cells, width = layout(form)
        matrix = _matrix(cells, width, merged, rng)
        title, *body = matrix
        lines.append(f"## {title[0]}")
        lines.append("")
        header = body[0]
        lines.append("| " + " | ".join(_md(t) for t in header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in body[1:]:
            lines.append("| " + " | ".join(_md(t) for t in row) + " |")
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")
