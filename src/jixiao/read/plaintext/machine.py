"""The state machine of the plain-text reader: pdftotext lines, one at a time, to Grid rows.

The top-level step of the plain-text reader. `read_plaintext` feeds the document's lines
(`lines.page_lines`) to an `_Assembler`, which knows which section of a form it is in
(title, header, funds, goals, indicator table, footer) and hands each section's lines to
the step that rebuilds it: header and funds lines are split at their labels
(`header_fields`), vertical labels are reassembled (`fragments`), the goals block is
split in two (`goals`), and the indicator table is read by `scored_rows` or
`declaration_rows` once the whole document, and so every column width, has been seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Final

from jixiao.read.grid import Grid, Row, text_cell
from jixiao.read.plaintext.declaration_rows import read_declaration_rows
from jixiao.read.plaintext.fragments import COMPLETE_LABELS, FRAGMENT_PREFIXES, MAX_FRAGMENT
from jixiao.read.plaintext.goals import split_declaration_goals, split_goals
from jixiao.read.plaintext.header_fields import is_field_label, split_at_labels
from jixiao.read.plaintext.lines import Line, page_lines
from jixiao.read.plaintext.rows import COL, COLUMNS, HEADER_TEXT, indicator_row
from jixiao.read.plaintext.scored_rows import read_scored_rows
from jixiao.read.plaintext.wrapping import Widths, observe_name_width
from jixiao.read.text import join_lines
from jixiao.values import is_amount
from jixiao.vocabulary.grades import PRINTED_GRADES
from jixiao.vocabulary.labels import (
    GRADE_LABELS,
    SECTION_LABELS,
    TOTAL_LABELS,
    YEAR_RE,
    TitleKind,
    funds_row_name,
    goal_column,
    is_funds_block_label,
    is_funds_header,
    title_kind,
)
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.units import FUNDS_UNIT_RE
from jixiao.vocabulary.width import display_width

_FOOTER_LABELS = tuple(TOTAL_LABELS | GRADE_LABELS)
_FOOTER_REST = re.compile(
    r"[\d.,:：]*(?:" + "|".join(sorted(PRINTED_GRADES, key=len, reverse=True)) + r")?"
)


class Section(StrEnum):
    """The part of a form the reader is in."""

    PREAMBLE = "preamble"  # before the first title
    TITLE = "title"
    HEADER = "header"
    FUNDS = "funds"
    GOALS = "goals"
    INDICATOR_HEADER = "indicator-header"  # the indicator table's column headers
    INDICATORS = "indicators"
    FOOTER = "footer"  # 总分, 评分等级 after the table


class HeaderCell(StrEnum):
    """What the last cell of a header row is, while it may still grow."""

    LABEL = "label"
    VALUE = "value"


# The members `feed` and `feed_fields` test on every line, as module constants: reading
# one off its class (`Section.GOALS`) goes through the enum's metaclass on Python 3.11,
# about 0.1 µs a time, and this reader is on the hot path.
_OPENING: Final = (Section.TITLE, Section.PREAMBLE)
_INDICATORS: Final = Section.INDICATORS
_FOOTER: Final = Section.FOOTER
_GOALS: Final = Section.GOALS
_INDICATOR_HEADER: Final = Section.INDICATOR_HEADER
_FUNDS: Final = Section.FUNDS


class _Assembler:
    """The reader's state across one document: the section it is in, and what it holds."""

    def __init__(self) -> None:
        # Rows, or indicator blocks resolved at the end of the document, when the width
        # of the name column has been seen across all its forms.
        self.items: list[Row | Callable[[], list[Row]]] = []
        self.section = Section.PREAMBLE
        self.kind: TitleKind | None = None
        self.label_buffer: list[Line] = []
        self.header_open: HeaderCell | None = None  # the last header cell, still growing
        self.header_row: list[tuple[int, str]] = []
        self.header_line = 0
        self.funds_label: list[str] = []
        self.goal_lines: list[Line] = []
        self.goal_fragments: list[Line] = []  # short lines that may be a label
        self.indicator_lines: list[Line] = []
        self.name_width = 0.0
        self.note_width = 0.0

    # ---- emission -----------------------------------------------------------------

    def emit(self, line: int, texts: list[str], cols: list[int] | None = None) -> None:
        cells = tuple(
            [
                text_cell(text, cols[i] if cols else i, line)
                for i, text in enumerate(texts)
                if text.strip()
            ]
        )
        if cells:
            self.items.append(Row(cells=cells, line=line))

    def rows(self) -> list[Row]:
        out: list[Row] = []
        for item in self.items:
            if isinstance(item, Row):
                out.append(item)
            else:
                out.extend(item())
        return out

    def flush_header(self) -> None:
        if self.header_row:
            self.emit(
                self.header_line,
                [t for _, t in self.header_row],
                [c for c, _ in self.header_row],
            )
        self.header_row = []
        self.header_open = None

    # ---- line dispatch ------------------------------------------------------------

    def feed(self, line: Line) -> None:
        key = label_key(line.text)
        kind = title_kind(key)
        if kind is not None and len(line.tokens) <= 3:
            self.finish_section()
            self.kind = kind
            self.section = Section.TITLE
            self.emit(line.number, [line.text.strip()])
            return
        section = self.section
        if section in _OPENING and YEAR_RE.search(key) and len(key) <= 20:
            self.emit(line.number, [line.text.strip()])
            return
        if section is _INDICATORS:
            if self._is_total(key):
                self.finish_indicators()
                self.section = Section.FOOTER
                self.emit(line.number, line.tokens)
                return
            if "三级指标" in key and ("年度指标值" in key or "指标值" in key):
                # The table's header repeated at the top of a new page.
                self.section = Section.INDICATOR_HEADER
                return
            self.indicator_lines.append(line)
            self.name_width = observe_name_width(self.name_width, line)
            return
        if section is _FOOTER:
            self.emit(line.number, line.tokens)
            return
        if section is _GOALS:
            if self._starts_indicator_header(key):
                self.goal_fragments = []  # 绩效/指标: the label of the table that starts
                self.finish_goals()
                self.start_indicator_header(line)
                return
            held = "".join(label_key(f.text) for f in self.goal_fragments) + key
            if len(line.tokens) == 1 and len(key) <= MAX_FRAGMENT and held in FRAGMENT_PREFIXES:
                self.goal_fragments.append(line)
                return
            self.goal_lines.extend(self.goal_fragments)
            self.goal_fragments = []
            self.goal_lines.append(line)
            return
        if section is _INDICATOR_HEADER:
            if (
                "三级指标" in key
                or key in ("三级", "指标", "一级", "二级")
                or self._is_header_fragment(key)
            ):
                if key in HEADER_TEXT["note"]:
                    # The note column's own header wraps at the column's width.
                    self.note_width = max(self.note_width, display_width(key))
                return
            self.section = Section.INDICATORS
            self.feed(line)
            return
        self.feed_form_top(line, key)

    def feed_form_top(self, line: Line, key: str) -> None:
        """Header fields, funds and the goals header (before the indicator table)."""
        if self._starts_indicator_header(key):
            self.flush_fragments()
            self.flush_header()
            self.start_indicator_header(line)
            return
        if line.tokens and all(goal_column(label_key(t)) is not None for t in line.tokens):
            self.flush_fragments()
            self.flush_header()
            self.section = Section.GOALS
            self.goal_lines = []
            self.emit(line.number, line.tokens)
            return
        if self._try_fragment(line, key):
            return
        self.flush_fragments()
        self.feed_fields(line, key)

    def feed_fields(self, line: Line, key: str) -> None:
        tokens = line.tokens
        declaration = self.kind == "declaration"
        # Only a line of a self-evaluation's funds block is asked which tokens are amounts.
        in_funds = self.section is _FUNDS and not declaration
        amounts: list[str] = []
        label: list[str] = []
        if in_funds:
            for token in tokens:
                (amounts if is_amount(token) else label).append(token)
        if in_funds and len(amounts) >= 3:
            text = join_lines([*self.funds_label, *label])
            self.funds_label = []
            self.emit(line.number, [text, *amounts])
            return
        cells = split_at_labels(line.text, declaration=declaration)
        if cells is not None:
            self.flush_header()
            self.section = Section.HEADER
            self.header_line = line.number
            self.header_row = list(enumerate(cells))
            last = label_key(cells[-1])
            self.header_open = HeaderCell.LABEL if is_field_label(last) else HeaderCell.VALUE
            return
        if is_funds_header([label_key(t) for t in tokens]):
            self.flush_header()
            self.section = Section.FUNDS
            self.emit(line.number, ["项目资金", *tokens])
            return
        if FUNDS_UNIT_RE.fullmatch(key) or is_funds_block_label(key):
            self.flush_header()
            self.section = Section.FUNDS
            self.emit(line.number, [line.text.strip()])
            return
        if in_funds and amounts == []:
            self.funds_label.append(line.text.strip())
            return
        if self.header_row:
            # A value (or the rest of one) broken onto the next line.
            col, text = self.header_row[-1]
            if self.header_open is HeaderCell.LABEL:
                self.header_row.append((col + 1, line.text.strip()))
                self.header_open = HeaderCell.VALUE
            else:
                self.header_row[-1] = (col, join_lines([text, line.text]))
            return
        self.emit(line.number, [line.text.strip()])

    # ---- fragments of vertical labels ---------------------------------------------

    def _try_fragment(self, line: Line, key: str) -> bool:
        if len(line.tokens) != 1 or len(key) > MAX_FRAGMENT:
            return False
        joined = "".join(label_key(f.text) for f in self.label_buffer) + key
        if joined not in FRAGMENT_PREFIXES:
            return False
        self.label_buffer.append(line)
        if joined in COMPLETE_LABELS:
            self.flush_fragments()
        return True

    def flush_fragments(self) -> None:
        """A finished vertical label is a one-cell line of its own."""
        if not self.label_buffer:
            return
        lines, self.label_buffer = self.label_buffer, []
        text = join_lines([f.text for f in lines])
        key = label_key(text)
        if key in SECTION_LABELS:
            return
        if self.section is Section.FUNDS and funds_row_name(key) is not None:
            self.funds_label.append(text)
            return
        if is_funds_block_label(key):
            self.flush_header()
            self.section = Section.FUNDS
            self.emit(lines[0].number, [text])
            return
        if self.header_row:
            self.feed_fields(Line(lines[0].number, text), key)
            return
        self.emit(lines[0].number, [text])

    def _is_header_fragment(self, key: str) -> bool:
        return any(key in label for label in HEADER_TEXT.values()) or key in SECTION_LABELS

    def _starts_indicator_header(self, key: str) -> bool:
        return (
            "三级指标" in key
            or key in ("一级", "一级指标")
            or (key.startswith("一级指标") and "二级指标" in key)
        )

    def _is_total(self, key: str) -> bool:
        """`总分 100.00 99.95` or `评分等级 优`: the table has ended. Only numbers or a
        grade may follow the label, so an indicator named 等级评定… does not end it."""
        # Tested on every line of the indicator table: most start with no footer label.
        return key.startswith(_FOOTER_LABELS) and any(
            key.startswith(label) and _FOOTER_REST.fullmatch(key[len(label) :]) is not None
            for label in _FOOTER_LABELS
        )

    # ---- goals --------------------------------------------------------------------

    def finish_goals(self) -> None:
        lines, self.goal_lines = self.goal_lines, []
        lines = [ln for ln in lines if label_key(ln.text) not in SECTION_LABELS]
        if not lines:
            return
        if self.kind == "declaration":
            overall, annual = split_declaration_goals(lines)
            self.emit(lines[0].number, [overall or "", annual], [0, 1])
            return
        first, second = split_goals(lines)
        self.emit(lines[0].number, [first, second or ""], [0, 1])

    # ---- indicators ---------------------------------------------------------------

    def start_indicator_header(self, line: Line) -> None:
        self.section = Section.INDICATOR_HEADER
        self.indicator_lines = []
        roles = list(COLUMNS) if self.kind != "declaration" else list(COLUMNS[:4])
        self.emit(line.number, [HEADER_TEXT[r] for r in roles], [COL[r] for r in roles])

    def finish_section(self) -> None:
        if self.section is Section.GOALS:
            self.finish_goals()
        elif self.section is Section.INDICATORS:
            self.finish_indicators()
        self.flush_fragments()
        self.flush_header()
        self.funds_label = []

    def finish_indicators(self) -> None:
        lines, self.indicator_lines = self.indicator_lines, []
        declaration = self.kind == "declaration"

        def resolve() -> list[Row]:
            widths = Widths(name=self.name_width or 14.0, note=self.note_width or 8.0)
            pending = (
                read_declaration_rows(lines, widths.name)
                if declaration
                else read_scored_rows(lines, widths)
            )
            return [row for p in pending if (row := indicator_row(p)) is not None]

        self.items.append(resolve)


# ---- entry point ----------------------------------------------------------------


def read_plaintext(text: str, file: str) -> Grid:
    assembler = _Assembler()
    for line in page_lines(text):
        assembler.feed(line)
    assembler.finish_section()
    return Grid(file=file, rows=tuple(assembler.rows()), format="pdftotext")
