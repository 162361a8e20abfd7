"""Line-based renderings to a Grid: converter TSV and markdown pipe tables.

Step 2 of the pipeline for text where one line is one table row. Columns shift where the
converter met merged cells; that is left for the recogniser, which reads rows by
content. Lines outside tables (titles, headings) become one-cell rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.read.grid import Cell, Grid, Row, iter_lines, make_row
from jixiao.read.text import clean_cell

_PIPE_SEPARATOR_ROW = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?\s*)?\|?\s*$")
_MD_DECORATION = re.compile(r"^\s*(#{1,6}\s+|>\s*)|\*\*|__")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def tsv_row(line: str, number: int) -> Row | None:
    # The hottest loop of the TSV reader: cells are built directly, skipping blanks.
    parts = line.rstrip("\r\n").split("\t")
    cells = []
    for col, raw in enumerate(parts):
        if not raw or raw.isspace():
            continue
        text = clean_cell(raw)
        if text:
            cells.append(Cell(text, col, 1, 1, number))
    if not cells:
        return None
    return Row(cells=tuple(cells), line=number, width=len(parts))


def pipe_row(line: str, number: int) -> Row | None:
    """A markdown pipe row (`| a | b |`); separator rows give None."""
    if _PIPE_SEPARATOR_ROW.match(line):
        return None
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    parts = _UNESCAPED_PIPE.split(body)
    texts = [(col, clean_cell(part.replace("\\|", "|"))) for col, part in enumerate(parts)]
    return make_row(texts, number, width=len(parts))


def plain_row(line: str, number: int) -> Row | None:
    """A line outside any table: one cell, markdown decoration removed."""
    return make_row([(0, clean_cell(_MD_DECORATION.sub("", line)))], number)


def line_row(line: str, number: int) -> Row | None:
    """Any single line, split the way its own shape says."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return pipe_row(line, number)
    if "\t" in line:
        return tsv_row(line, number)
    return plain_row(line, number)


def read_lines(text: str, *, first_line: int = 1) -> Iterator[Row]:
    for number, line in iter_lines(text, first_line):
        if not line.strip():
            continue
        row = line_row(line, number)
        if row is not None:
            yield row


def read_delimited(text: str, file: str, fmt: str) -> Grid:
    return Grid(file=file, rows=read_lines(text), format=fmt)
