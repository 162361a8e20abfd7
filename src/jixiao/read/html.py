"""HTML tables (as MinerU/marker-style converters emit) to a Grid.

Step 2 of the pipeline. Each `<td>`/`<th>` becomes one cell placed at its real column:
rowspans and colspans are resolved on an occupancy map, so a merged 一级 cell sits in
the first row it covers and the recogniser carries it down, exactly as for TSV. Text
outside the tables (titles, `(2024年度)`, even markdown pipe rows of an HTML-in-markdown
document) is read line by line as the delimited reader would.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from jixiao.read.delimited import read_lines
from jixiao.read.grid import Cell, Grid, Row
from jixiao.read.text import clean_cell

_TABLE_BLOCK = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_MAX_SPAN = 1000  # a span beyond any real form: a broken attribute, not a layout


class _TableParser(HTMLParser):
    """Collects the rows of one table as (text, rowspan, colspan) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)
        self._depth = 0  # nested tables are flattened into their cell's text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            return
        if self._depth > 1:
            if tag in ("br", "p", "div", "tr") and self._cell is not None:
                self._cell.append("\n")
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            attributes = dict(attrs)
            self._spans = (_span(attributes.get("rowspan")), _span(attributes.get("colspan")))
            self._cell = []
        elif tag in ("br", "p", "div", "li") and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
            return
        if self._depth > 1:
            return
        if tag in ("td", "th") and self._cell is not None:
            self._close_cell()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        assert self._cell is not None
        text = clean_cell("".join(self._cell))
        self.rows[-1].append((text, *self._spans))
        self._cell = None

    def close(self) -> None:
        super().close()
        self.close_cell()

    def close_cell(self) -> None:
        """The end of the markup: a cell left open ends there."""
        if self._cell is not None:
            self._close_cell()


# The markup of a table as converters write it: tags with plain attributes, and text
# without a `<`. Such markup is split by one regex and fed to `_TableParser`'s handlers
# (`_feed_plain`), which is several times faster than `HTMLParser.feed` and gives the
# same events; anything else (comments, declarations, a stray `<`, a script) is left to
# `HTMLParser`, which knows every corner of HTML.
_PLAIN_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)"
    # (An unquoted value ends at a space or the tag's end: HTMLParser reads `2/` in
    # `colspan=2/>` as the value, and the tag as not empty.)
    r"((?:\s+[^\s/>\"'=<]+(?:=(?:\"[^\"<]*\"|'[^'<]*'|[^\s\"'=<>`/]+(?=[\s>])))?)*)\s*(/?)>"
)
_PLAIN_ATTRIBUTE = re.compile(r"""\s+([^\s/>"'=<]+)(?:=("[^"<]*"|'[^'<]*'|[^\s"'=<>`/]+))?""")
# Elements whose content HTMLParser reads as raw text: never plain.
_RAW_TEXT = frozenset({"script", "style"})
_SPANNED = frozenset({"td", "th"})  # the only tags whose attributes the handlers read


def _feed_plain(parser: _TableParser, markup: str) -> bool:
    """Feed `markup` to `parser`'s handlers as `HTMLParser.feed` and `close` would, when
    it is plain (`_PLAIN_TAG`); False when it is not, the parser then half fed (the
    caller starts again with a new one)."""
    position = 0
    find = markup.find
    for match in _PLAIN_TAG.finditer(markup):
        start = match.start()
        if start > position:
            if find("<", position, start) >= 0:
                return False
            data = markup[position:start]
            parser.handle_data(unescape(data) if "&" in data else data)
        position = match.end()
        closing, name, attributes, empty = match.groups()
        name = name.lower()
        if closing:
            parser.handle_endtag(name)
            continue
        if name in _RAW_TEXT:
            return False
        parser.handle_starttag(name, _attributes(attributes) if name in _SPANNED else [])
        if empty:  # `<td/>`: HTMLParser's handle_startendtag, both events
            parser.handle_endtag(name)
    if position < len(markup):
        if find("<", position) >= 0:
            return False
        data = markup[position:]
        parser.handle_data(unescape(data) if "&" in data else data)
    parser.close_cell()
    return True


def _attributes(text: str) -> list[tuple[str, str | None]]:
    """A plain tag's attributes as HTMLParser gives them: names in lower case, values
    unquoted and unescaped, None for an attribute without a value."""
    attrs: list[tuple[str, str | None]] = []
    for match in _PLAIN_ATTRIBUTE.finditer(text):
        name, value = match.groups()
        if value is not None:
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            value = unescape(value)
        attrs.append((name.lower(), value))
    return attrs


def _span(value: str | None) -> int:
    if value is None:
        return 1
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return 1
    return max(1, min(int(digits), _MAX_SPAN))


def _table_rows(table_html: str, line: int, table: int) -> list[Row]:
    parser = _TableParser()
    if not _feed_plain(parser, table_html):
        parser = _TableParser()
        parser.feed(table_html)
        parser.close()
    occupied: dict[tuple[int, int], bool] = {}
    rows: list[Row] = []
    for r, cells in enumerate(parser.rows):
        col = 0
        placed: list[Cell] = []
        for text, rowspan, colspan in cells:
            while occupied.get((r, col)):
                col += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, col + dc)] = True
            if text:
                placed.append(
                    Cell(text=text, col=col, colspan=colspan, rowspan=rowspan, line=line + r)
                )
            col += colspan
        if placed:
            rows.append(Row(cells=tuple(placed), line=line + r, table=table))
    return rows


def read_html(text: str, file: str) -> Grid:
    # A table written by a script (an advertisement, a widget) is not on the page as
    # printed: scripts and styles go first, leaving their lines so numbers stay true.
    text = _HEAD.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    rows: list[Row] = []
    position = 0
    for table, match in enumerate(_TABLE_BLOCK.finditer(text)):
        before = text[position : match.start()]
        first_line = text.count("\n", 0, position) + 1
        rows.extend(read_lines(_strip_outer_markup(before), first_line=first_line))
        table_line = text.count("\n", 0, match.start()) + 1
        rows.extend(_table_rows(match.group(0), table_line, table))
        position = match.end()
    tail = text[position:]
    rows.extend(read_lines(_strip_outer_markup(tail), first_line=text.count("\n", 0, position) + 1))
    return Grid(file=file, rows=tuple(rows), format="html")


_HEAD = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _strip_outer_markup(text: str) -> str:
    """Text between tables: drop scripts and styles; tags go, each on its line."""
    text = _HEAD.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return re.sub(r"<[^<>]*>", "", text)
