"""pdftotext plain output to a Grid: rebuilding the table rows a PDF-to-text pass lost.

Step 2 of the pipeline for the plainest rendering. pdftotext prints each cell (or each
line of a wrapped cell) as its own paragraph, joins cells that share a baseline with a
space, and breaks vertical labels (产出/指标) into fragments. No grid survives, so this
reader rebuilds rows from the structure every such form shares, keyed on the printed
labels (`jixiao.vocabulary.labels`) and the value grammar:

- header and funds lines are split at their labels; a value broken over lines is joined;
- the goals block is split into its two cells where the text says one ends;
- short fragments that concatenate to a known label (产出+指标) are reassembled;
- on a self-evaluation every indicator row has exactly one 分值/得分 pair, which anchors
  it; the fragments printed before it (a wrapped name, a two-line target) are assigned
  to the row's empty slots with the value grammar and the column widths.

It emits the same Grid as the table readers, with canonical columns, so the one
recogniser reads it.

Plain text cannot settle two layouts, and the reader takes the likelier reading: a name
line exactly as wide as the name column is taken as wrapped (its next line continues
it), and a short lone line before a row whose qualitative target wraps is taken as the
note of the row above when that note is still open. A category label between two rows
is a hard boundary: lines before it belong to the row above, lines after to the next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.read.grid import Cell, Grid, Row, iter_lines
from jixiao.read.text import clean_cell, join_lines
from jixiao.values import Achievement, Quantity, is_amount, is_number, parse_actual, parse_target
from jixiao.vocabulary.framework import CATEGORY_VOCABULARY, is_level1_name
from jixiao.vocabulary.grades import PRINTED_GRADES
from jixiao.vocabulary.labels import (
    EXTRA_LABELS,
    GRADE_LABELS,
    HEADER_LABELS,
    SECTION_LABELS,
    TOTAL_LABELS,
    YEAR_RE,
    declaration_funds_label,
    funds_row_name,
    goal_column,
    header_field,
    is_funds_block_label,
    is_funds_header,
    title_kind,
)
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.units import FUNDS_UNIT_RE
from jixiao.vocabulary.width import display_width

# Canonical columns of the rebuilt indicator table.
COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
_COL = {name: i for i, name in enumerate(COLUMNS)}
_HEADER_TEXT = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "note": "偏差原因分析及改进措施",
}

# Labels printed vertically or across lines, which arrive as fragments.
_FRAGMENT_LABELS: frozenset[str] = (
    CATEGORY_VOCABULARY
    | SECTION_LABELS
    | frozenset(
        {
            "一级指标",
            "二级指标",
            "偏差原因分析及改进措施",
            "项目资金",
            "年度资金总额",
            "其中:当年财政拨款",
            "上年结转资金",
            "其他资金",
        }
    )
)
_FRAGMENT_PREFIXES: frozenset[str] = frozenset(
    label[:i] for label in _FRAGMENT_LABELS for i in range(1, len(label) + 1)
)
# Labels no longer label starts with: once read, nothing more can belong to them.
_COMPLETE_LABELS: frozenset[str] = frozenset(
    label
    for label in _FRAGMENT_LABELS
    if not any(other != label and other.startswith(label) for other in _FRAGMENT_LABELS)
)
_MAX_FRAGMENT = 6  # a vertical label line holds a few characters
_FOOTER_LABELS = tuple(TOTAL_LABELS | GRADE_LABELS)
_FOOTER_REST = re.compile(
    r"[\d.,:：]*(?:" + "|".join(sorted(PRINTED_GRADES, key=len, reverse=True)) + r")?"
)

_OP_ONLY = re.compile(r"^(?:[=＝≥≤><＞＜≧≦]|>=|<=)$")
_UNIT_ONLY = re.compile(r"^[(（][^()（）]{1,8}[)）]$|^%$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d{1,4})$"
)
_TERMINAL = ("。", "；", ";", "！", "!", "？", "?")
# How a 实际完成情况 text usually opens; used to find where 预期目标 ends.
_ACTUAL_OPENING = re.compile(
    r"^(?:已|达到|达成|基本|完成|全面完成|圆满完成|实际|截至|截止|全年|本年|年内|当年|按时|项目已|"
    r"(?:19|20)\d{2}\s*年(?:度)?(?:共|全年|实际|完成|已|内|，|,|按|对|通过|服务|聘请|围绕|末))"
)


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    tokens: list[str] = field(init=False)  # the text split at spaces, computed once

    def __post_init__(self) -> None:
        self.tokens = self.text.split()


@dataclass(frozen=True, slots=True)
class _Widths:
    """Column widths (in em) seen in the document, for telling wrapped lines apart."""

    name: float = 14.0
    note: float = 8.0


@dataclass(slots=True)
class _PendingRow:
    """The content of one indicator row while its fragments are collected."""

    line: int
    categories: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    tokens: list[str] | None = None  # the anchor line's tokens before 分值
    weight: str | None = None
    score: str | None = None
    note: list[str] = field(default_factory=list)
    # name/target/actual once assigned
    slots: dict[str, str | None] = field(default_factory=dict)


class _Assembler:
    def __init__(self, file: str) -> None:
        self.file = file
        # Rows, or indicator blocks resolved at the end of the document, when the width
        # of the name column has been seen across all its forms.
        self.items: list[Row | Callable[[], list[Row]]] = []
        self.state = "preamble"
        self.kind: str | None = None
        self.label_buffer: list[_Line] = []
        self.header_open: str | None = None  # the last header cell, still growing
        self.header_row: list[tuple[int, str]] = []
        self.header_line = 0
        self.funds_label: list[str] = []
        self.goal_lines: list[_Line] = []
        self.goal_fragments: list[_Line] = []  # short lines that may be a label
        self.indicator_lines: list[_Line] = []
        self.name_width = 0.0
        self.note_width = 0.0

    # ---- emission -----------------------------------------------------------------

    def emit(self, line: int, texts: list[str], cols: list[int] | None = None) -> None:
        cells = tuple(
            Cell(text=text, col=cols[i] if cols else i, line=line)
            for i, text in enumerate(texts)
            if text.strip()
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

    def feed(self, line: _Line) -> None:
        key = label_key(line.text)
        kind = title_kind(key)
        if kind is not None and len(line.tokens) <= 3:
            self.finish_section()
            self.kind = kind
            self.state = "title"
            self.emit(line.number, [line.text.strip()])
            return
        if self.state in ("title", "preamble") and YEAR_RE.search(key) and len(key) <= 20:
            self.emit(line.number, [line.text.strip()])
            return
        if self.state == "indicators":
            if self._is_total(key):
                self.finish_indicators()
                self.state = "footer"
                self.emit(line.number, line.tokens)
                return
            if "三级指标" in key and ("年度指标值" in key or "指标值" in key):
                # The table's header repeated at the top of a new page.
                self.state = "indicator-header"
                return
            self.indicator_lines.append(line)
            self._observe_name_width(line)
            return
        if self.state == "footer":
            self.emit(line.number, line.tokens)
            return
        if self.state == "goals":
            if self._starts_indicator_header(key):
                self.goal_fragments = []  # 绩效/指标: the label of the table that starts
                self.finish_goals()
                self.start_indicator_header(line)
                return
            held = "".join(label_key(f.text) for f in self.goal_fragments) + key
            if len(line.tokens) == 1 and len(key) <= _MAX_FRAGMENT and held in _FRAGMENT_PREFIXES:
                self.goal_fragments.append(line)
                return
            self.goal_lines.extend(self.goal_fragments)
            self.goal_fragments = []
            self.goal_lines.append(line)
            return
        if self.state == "indicator-header":
            if (
                "三级指标" in key
                or key in ("三级", "指标", "一级", "二级")
                or self._is_header_fragment(key)
            ):
                if key in _HEADER_TEXT["note"]:
                    # The note column's own header wraps at the column's width.
                    self.note_width = max(self.note_width, display_width(key))
                return
            self.state = "indicators"
            self.feed(line)
            return
        self.feed_form_top(line, key)

    def feed_form_top(self, line: _Line, key: str) -> None:
        """Header fields, funds and the goals header (before the indicator table)."""
        if self._starts_indicator_header(key):
            self.flush_fragments()
            self.flush_header()
            self.start_indicator_header(line)
            return
        goal_cols = [goal_column(label_key(t)) for t in line.tokens]
        if line.tokens and all(c is not None for c in goal_cols):
            self.flush_fragments()
            self.flush_header()
            self.state = "goals"
            self.goal_lines = []
            self.emit(line.number, line.tokens)
            return
        if self._try_fragment(line, key):
            return
        self.flush_fragments()
        self.feed_fields(line, key)

    def feed_fields(self, line: _Line, key: str) -> None:
        tokens = line.tokens
        amounts = [t for t in tokens if is_amount(t)]
        if self.state == "funds" and self.kind != "declaration" and len(amounts) >= 3:
            label = [t for t in tokens if not is_amount(t)]
            text = join_lines([*self.funds_label, *label])
            self.funds_label = []
            self.emit(line.number, [text, *amounts])
            return
        cells = _split_at_labels(line.text, declaration=self.kind == "declaration")
        if cells is not None:
            self.flush_header()
            self.state = "header"
            self.header_line = line.number
            self.header_row = list(enumerate(cells))
            last = label_key(cells[-1])
            self.header_open = "label" if _is_field_label(last) else "value"
            return
        if is_funds_header([label_key(t) for t in tokens]):
            self.flush_header()
            self.state = "funds"
            self.emit(line.number, ["项目资金", *tokens])
            return
        if FUNDS_UNIT_RE.fullmatch(key) or is_funds_block_label(key):
            self.flush_header()
            self.state = "funds"
            self.emit(line.number, [line.text.strip()])
            return
        if self.state == "funds" and self.kind != "declaration" and amounts == []:
            self.funds_label.append(line.text.strip())
            return
        if self.header_row:
            # A value (or the rest of one) broken onto the next line.
            col, text = self.header_row[-1]
            if self.header_open == "label":
                self.header_row.append((col + 1, line.text.strip()))
                self.header_open = "value"
            else:
                self.header_row[-1] = (col, join_lines([text, line.text]))
            return
        self.emit(line.number, [line.text.strip()])

    # ---- fragments of vertical labels ---------------------------------------------

    def _try_fragment(self, line: _Line, key: str) -> bool:
        if len(line.tokens) != 1 or len(key) > _MAX_FRAGMENT:
            return False
        joined = "".join(label_key(f.text) for f in self.label_buffer) + key
        if joined not in _FRAGMENT_PREFIXES:
            return False
        self.label_buffer.append(line)
        if joined in _COMPLETE_LABELS:
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
        if self.state == "funds" and funds_row_name(key) is not None:
            self.funds_label.append(text)
            return
        if is_funds_block_label(key):
            self.flush_header()
            self.state = "funds"
            self.emit(lines[0].number, [text])
            return
        if self.header_row:
            self.feed_fields(_Line(lines[0].number, text), key)
            return
        self.emit(lines[0].number, [text])

    def _is_header_fragment(self, key: str) -> bool:
        return any(key in label for label in _HEADER_TEXT.values()) or key in SECTION_LABELS

    def _starts_indicator_header(self, key: str) -> bool:
        return (
            "三级指标" in key
            or key in ("一级", "一级指标")
            or (key.startswith("一级指标") and "二级指标" in key)
        )

    def _is_total(self, key: str) -> bool:
        """`总分 100.00 99.95` or `评分等级 优`: the table has ended. Only numbers or a
        grade may follow the label, so an indicator named 等级评定… does not end it."""
        return any(
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

    def start_indicator_header(self, line: _Line) -> None:
        self.state = "indicator-header"
        self.indicator_lines = []
        roles = list(COLUMNS) if self.kind != "declaration" else list(COLUMNS[:4])
        self.emit(line.number, [_HEADER_TEXT[r] for r in roles], [_COL[r] for r in roles])

    def finish_section(self) -> None:
        if self.state == "goals":
            self.finish_goals()
        elif self.state == "indicators":
            self.finish_indicators()
        self.flush_fragments()
        self.flush_header()
        self.funds_label = []

    def _observe_name_width(self, line: _Line) -> None:
        """The widest name line seen: a name line that wide was wrapped."""
        tokens = line.tokens
        anchor = _anchor(tokens)
        if anchor is not None:
            if anchor >= 3:
                self.name_width = max(
                    self.name_width, display_width(" ".join(tokens[: anchor - 2]))
                )
            return
        text = line.text.strip()
        if (
            len(tokens) == 1
            and not _looks_like_value(text)
            and label_key(text) not in _FRAGMENT_PREFIXES
        ):
            self.name_width = max(self.name_width, display_width(text))

    def finish_indicators(self) -> None:
        lines, self.indicator_lines = self.indicator_lines, []
        kind = self.kind

        def resolve() -> list[Row]:
            widths = _Widths(name=self.name_width or 14.0, note=self.note_width or 8.0)
            pending = (
                _declaration_rows(lines, widths.name)
                if kind == "declaration"
                else _scored_rows(lines, widths)
            )
            return [row for p in pending if (row := self._indicator_row(p)) is not None]

        self.items.append(resolve)

    def _indicator_row(self, row: _PendingRow) -> Row | None:
        texts: list[str] = []
        cols: list[int] = []
        for i, category in enumerate(row.categories[-2:]):
            texts.append(category)
            cols.append(i if len(row.categories) > 1 else _level_col(category))
        values = {**row.slots, "weight": row.weight, "score": row.score}
        for role in ("name", "target", "actual", "weight", "score"):
            value = values.get(role)
            if value:
                texts.append(value)
                cols.append(_COL[role])
        if row.note:
            texts.append(join_lines(row.note))
            cols.append(_COL["note"])
        cells = tuple(
            Cell(text=t, col=c, line=row.line)
            for t, c in zip(texts, cols, strict=True)
            if t.strip()
        )
        return Row(cells=cells, line=row.line) if cells else None


def _level_col(category: str) -> int:
    return _COL["level1"] if is_level1_name(label_key(category)) else _COL["level2"]


# ---- splitting helpers ----------------------------------------------------------


def _is_field_label(key: str) -> bool:
    return header_field(key) is not None or declaration_funds_label(key) is not None


_DECLARATION_FUNDS_LABELS = (
    "项目资金总额",
    "年度资金申请总额",
    "其中:财政资金",
    "其中：财政资金",
    "其中: 财政资金",
    "其中：当年财政拨款",
    "其中:当年财政拨款",
    "其中: 当年财政拨款",
    "上年结转资金",
    "其他资金",
)


@lru_cache(maxsize=2)
def _label_pattern(declaration: bool) -> re.Pattern[str]:
    labels = [*HEADER_LABELS, *EXTRA_LABELS]
    if declaration:
        # The declaration funds block is label/value pairs like the header; on a
        # self-evaluation the same words head rows of amounts instead.
        labels += _DECLARATION_FUNDS_LABELS
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"({alternatives})\s*[:：]?")


def _split_at_labels(text: str, *, declaration: bool) -> list[str] | None:
    """`项目名称 X 项目性质 Y` → [项目名称, X, 项目性质, Y]; None without a leading label."""
    stripped = text.strip()
    pattern = _label_pattern(declaration)
    match = pattern.match(stripped)
    if match is None:
        return None
    cells: list[str] = []
    position = 0
    for m in pattern.finditer(stripped):
        before = stripped[position : m.start()].strip()
        if before:
            cells.append(before)
        cells.append(m.group(0).strip())
        position = m.end()
    rest = stripped[position:].strip()
    if rest:
        cells.append(rest)
    return cells


def _merge_tokens(tokens: list[str]) -> list[str]:
    """Rejoin what the converter split: `≤ 160000.00(元)`, `=23000.00` + `(人)`."""
    out: list[str] = []
    for token in tokens:
        if out and _UNIT_ONLY.match(token) and _ends_numeric(out[-1]):
            out[-1] += token
        elif out and _OP_ONLY.match(out[-1]) and token[:1].isdigit():
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def _ends_numeric(text: str) -> bool:
    return bool(text) and (text[-1].isdigit())


def _looks_like_value(text: str) -> bool:
    target = parse_target(text)
    if isinstance(target, Quantity):
        return True
    return isinstance(parse_actual(text), Achievement)


# ---- goals ----------------------------------------------------------------------


def split_goals(lines: list[_Line]) -> tuple[str, str | None]:
    """Split the goal text into its two cells (预期目标 | 实际完成情况).

    The two cells are printed one after the other. Each boundary between two lines is
    weighed: the next line opens the way an achievement report opens (达到…, 实际…,
    2024年度完成…), the line ends a sentence, the line is shorter than the cell is wide.
    The strongest boundary wins (the last of equals). When both cells were printed on one
    line, they split at a space after a sentence end.
    """
    if len(lines) == 1:
        first, second = _split_one_line(lines[0].text)
        return first, second
    widths = [display_width(ln.text.strip()) for ln in lines]
    full = max(widths)
    best: int | None = None
    best_score = 0
    for i in range(len(lines) - 1):
        line = lines[i].text.strip()
        terminal = line.endswith(_TERMINAL)
        short = widths[i] < 0.85 * full
        if not (terminal or short):
            continue  # a line wrapped mid-sentence: the cell goes on
        score = 2 * bool(_ACTUAL_OPENING.match(lines[i + 1].text.strip())) + terminal + short
        if score >= best_score:
            best, best_score = i, score
    if best is not None:
        return _join(lines[: best + 1]), _join(lines[best + 1 :])
    # No boundary at all: the cells may still have been printed on a shared last line.
    first, second = _split_one_line(lines[-1].text)
    if second is not None:
        return _join([*lines[:-1], _Line(0, first)]), second
    return _join(lines[:-1]), lines[-1].text.strip()


def split_declaration_goals(lines: list[_Line]) -> tuple[str | None, str]:
    """(项目总目标, 年度总体目标) of a declaration.

    Many declarations print only the annual goal, and nothing in plain text tells the two
    cells apart except that a printed 项目总目标 usually opens like the annual one. So
    the text is split only where a line starts the way the first line started; otherwise
    it is all the annual goal, which every declaration must have.
    """
    opening = lines[0].text.strip()[:6]
    for i in range(1, len(lines)):
        if len(opening) >= 4 and lines[i].text.strip().startswith(opening):
            return _join(lines[:i]), _join(lines[i:])
    return None, _join(lines)


def _split_one_line(text: str) -> tuple[str, str | None]:
    text = text.strip()
    spaces = [m.start() for m in re.finditer(r"\s+", text)]
    best: int | None = None
    for pos in spaces:
        left, right = text[:pos].rstrip(), text[pos:].lstrip()
        if not left or not right:
            continue
        if _ACTUAL_OPENING.match(right):
            best = pos
            break
        if left.endswith(_TERMINAL) and best is None:
            best = pos
    if best is None:
        return text, None
    return text[:best].rstrip(), text[best:].lstrip()


def _join(lines: list[_Line]) -> str:
    return join_lines([ln.text for ln in lines])


# ---- indicator rows -------------------------------------------------------------


@dataclass(slots=True)
class _LabelState:
    buffer: list[str] = field(default_factory=list)  # the lines of a label being read
    discard: str | None = None  # the tail of a label completed early, dropped when it comes


def _category_fragment(state: _LabelState, text: str) -> tuple[str, list[str]]:
    """Feed a line to the category buffer.

    Returns what the line was — `none` (not a label fragment), `buffered` (a label has
    begun), `label` (labels finished, given back) or `tail` (the late tail of a label
    completed earlier, dropped) — with the finished categories.
    """
    key = label_key(text)
    if " " in text.strip() or len(key) > _MAX_FRAGMENT or not key:
        return "none", []
    if state.discard is not None and key == state.discard:
        state.discard = None
        return "tail", []
    joined = "".join(label_key(t) for t in state.buffer) + key
    if joined not in _FRAGMENT_PREFIXES:
        return "none", []
    state.buffer.append(text)
    if joined in _COMPLETE_LABELS:
        state.buffer = []
        # Section labels and the table's own column headers (一级指标, repeated at the
        # top of a page) end what came before, but are no categories.
        return "label", ([joined] if joined in CATEGORY_VOCABULARY else [])
    return "buffered", []


def _complete_buffer(state: _LabelState) -> tuple[list[str], list[str]]:
    """A content line arrived while a label was half read: complete it if the vocabulary
    allows only one completion (its tail may still come later, and is then dropped).

    Returns the finished categories, and the buffered lines that turned out to be
    content after all.
    """
    if not state.buffer:
        return [], []
    lines, state.buffer = state.buffer, []
    joined = "".join(label_key(t) for t in lines)
    if joined in _FRAGMENT_LABELS:
        return ([joined] if joined in CATEGORY_VOCABULARY else []), []
    completions = [label for label in _FRAGMENT_LABELS if label.startswith(joined)]
    # One short fragment (`数量`, `质量`) is as likely a wrapped name or note as the
    # start of a label: only a label broken over several fragments is completed.
    if len(completions) == 1 and len(lines) >= 2:
        state.discard = completions[0][len(joined) :]
        label = completions[0]
        return ([label] if label in CATEGORY_VOCABULARY else []), []
    return [], lines


def _anchor(tokens: list[str]) -> int | None:
    """Index of 分值 in a line whose tokens end `… 分值 得分 [note]`, or None."""
    best = None
    for i in range(len(tokens) - 1):
        if is_number(tokens[i]) and is_number(tokens[i + 1]):
            after = tokens[i + 2 : i + 3]
            if not after or not is_number(after[0]):
                best = i
    return best


def _scored_rows(lines: list[_Line], widths: _Widths) -> list[_PendingRow]:
    """Self-evaluation rows: anchored on the 分值/得分 pair each row has once."""
    labels = _LabelState()
    rows: list[_PendingRow] = []
    pending_categories: list[str] = []
    loose: list[tuple[int, str]] = []  # content fragments not yet given to a row
    # Where a category label came among the loose lines: a group's labels print before
    # its first row, so what came before belongs to the row above.
    boundary: int | None = None
    lines = _join_split_numbers(lines)
    for line in lines:
        text = line.text.strip()
        what, categories = _category_fragment(labels, text)
        if what != "none":
            pending_categories.extend(categories)
            if what in ("label", "tail") and boundary is None:
                boundary = len(loose)
            continue
        categories, content = _complete_buffer(labels)
        if categories and boundary is None:
            boundary = len(loose)
        pending_categories.extend(categories)
        loose.extend((line.number, t) for t in content)
        raw = line.tokens
        anchor = _anchor(raw)
        if anchor is None:
            loose.append((line.number, text))
            continue
        row = _PendingRow(line=line.number)
        row.tokens = _prefix_cells(raw[:anchor])
        tokens = raw
        row.weight, row.score = tokens[anchor], tokens[anchor + 1]
        note = " ".join(tokens[anchor + 2 :])
        if note:
            row.note.append(note)
        previous = rows[-1] if rows else None
        if boundary is not None and previous is not None:
            previous.note.extend(_rejoin_lines([text for _, text in loose[:boundary]]))
            loose = loose[boundary:]
        _distribute(loose, previous if boundary is None else None, row, widths)
        loose = []
        boundary = None
        row.categories = pending_categories
        pending_categories = []
        rows.append(row)
    _, content = _complete_buffer(labels)
    loose.extend((0, t) for t in content)
    if loose and rows:
        rows[-1].note.extend(_rejoin_lines([text for _, text in loose]))
    for row in rows:
        _fill_slots(row, widths)
    return rows


def _prefix_cells(tokens: list[str]) -> list[str]:
    """The cells before 分值 on an anchor line. `≥ 160000.00(元)` is one target, but in
    `推送简历数量 ≥ 5000.00(人)` the lone `≥` is the target and the number the actual: the
    operator joins its number only where the row would otherwise have too many cells."""
    merged = _merge_tokens(tokens)
    if len(tokens) == 3 and len(merged) == 2 and _OP_ONLY.match(tokens[1]):
        return tokens
    return merged


def _join_split_numbers(lines: list[_Line]) -> list[_Line]:
    """`6.00` and `5.00` printed as two lines are one 分值/得分 pair."""
    out: list[_Line] = []
    for line in lines:
        tokens = line.tokens
        if (
            out
            and len(out[-1].tokens) >= 1
            and all(is_number(t) for t in out[-1].tokens)
            and len(out[-1].tokens) == 1
            and tokens
            and is_number(tokens[0])
        ):
            out[-1] = _Line(out[-1].number, f"{out[-1].text.strip()} {line.text.strip()}")
            continue
        out.append(line)
    return out


def _slots_needed(row: _PendingRow) -> list[str]:
    """The cells of name/target/actual the anchor line did not print."""
    tokens = row.tokens or []
    if len(tokens) >= 3:
        return []
    if len(tokens) == 2:
        # `target actual` (the name is before) or `X actual`, X a name or a target's tail.
        return ["name"]
    if len(tokens) == 1:
        return ["name", "target"]
    return ["name", "target", "actual"]


def _distribute(
    loose: list[tuple[int, str]],
    previous: _PendingRow | None,
    row: _PendingRow,
    widths: _Widths,
) -> None:
    """Give the fragments between two anchors to the earlier row's note or this row.

    This row keeps the fragments it needs (nearest to its anchor); of the others, those
    that fit the note column continue the earlier row's note while it is still open.
    """
    fragments = _rejoin_lines([text for _, text in loose])
    # Keep, nearest the anchor, as many lines as hold the cells this row still needs (a
    # line may hold several single-line cells joined by spaces).
    needed = len(_slots_needed(row))
    extra = len(fragments)
    cells = 0
    while extra > 0 and cells < needed:
        extra -= 1
        cells += len(_merge_wrapped([fragments[extra]]))
    taken = 0
    if previous is not None:
        while taken < extra and _continues_note(previous, fragments[taken], widths):
            previous.note.append(fragments[taken])
            taken += 1
    row.fragments = _merge_wrapped(fragments[taken:])


def _continues_note(row: _PendingRow, fragment: str, widths: _Widths) -> bool:
    """A line can belong to the note column above it: it is no wider than the column,
    is not a value, and the note printed so far was cut at the column's edge (or was
    printed wholly on lines of its own)."""
    if _looks_like_value(fragment) or display_width(fragment) > widths.note + 0.5:
        return False
    if not row.note:
        return True
    # Only a line that reached the column's edge can go on; a sentence end at the edge
    # (`减少印刷量；`) may still go on, a short line is the note's last.
    return display_width(row.note[-1]) >= widths.note - 1.0


def _fill_slots(row: _PendingRow, widths: _Widths) -> None:
    name_width = widths.name
    tokens = row.tokens or []
    fragments = row.fragments
    slots: dict[str, str | None] = {"name": None, "target": None, "actual": None}
    if len(tokens) >= 3:
        # The whole row on one line. Fragments before it are the start of a wrapped
        # name when as wide as the name column, else note lines printed above the row.
        slots["actual"] = tokens[-1]
        slots["target"] = tokens[-2]
        name_parts = [f for f in fragments if display_width(f) >= 0.9 * widths.name]
        above = [f for f in fragments if f not in name_parts]
        slots["name"] = join_lines([*name_parts, " ".join(tokens[:-2])])
        row.note[:0] = above
    elif len(tokens) == 2:
        if _looks_like_value(tokens[0]):
            slots["target"], slots["actual"] = tokens[0], tokens[1]
            slots["name"] = join_lines(fragments) or None
        else:
            # `X actual`: X is the name when nothing came before it, else the target
            # (or the last line of a wrapped one) after the name.
            slots["actual"] = tokens[1]
            if fragments:
                slots["name"], slots["target"] = _name_and_target(
                    [*fragments, tokens[0]], name_width
                )
            else:
                slots["name"] = tokens[0]
    else:
        if len(tokens) == 1:
            slots["actual"] = tokens[0]
            name, target = _name_and_target(fragments, name_width)
        else:
            values = [f for f in fragments if _looks_like_value(f)]
            if values:
                slots["actual"] = values[-1]
                fragments = fragments[: fragments.index(values[-1])]
            name, target = _name_and_target(fragments, name_width)
        slots["name"], slots["target"] = name, target
    row.slots = slots


def _merge_wrapped(lines: list[str]) -> list[str]:
    """Lines printed between two anchors → cells.

    A line may hold several single-line cells joined by spaces; a wrapped cell spans
    lines. Rejoined: a value or name wrapped inside its brackets (`=300.00(元/` + `人)`),
    a lone unit (`(人)`), a lone operator (`≥`), an achievement grade wrapped mid-phrase
    (`部分达成指标` + `并具有一定效` + `果`).
    """
    out: list[str] = []
    for token in (t for line in lines for t in _merge_tokens(line.split())):
        if out and (
            _unbalanced(out[-1])
            or (_UNIT_ONLY.match(token) and _ends_numeric(out[-1]))
            or _OP_ONLY.match(out[-1])
            or _continues_grade(out[-1], token)
        ):
            joiner = " " if _OP_ONLY.match(out[-1]) else ""
            out[-1] = f"{out[-1]}{joiner}{token}"
        else:
            out.append(token)
    return out


_VALUE_START = re.compile(r"^(?:[=＝≥≤><＞＜≧≦]|>=|<=)?\s*[+-]?\d")


def _rejoin_lines(lines: list[str]) -> list[str]:
    """Whole lines, with a value wrapped inside its unit's brackets (`=10000.00(份` + `)`)
    or a wrapped grade joined to the next. Prose (a note) keeps its lines: their widths
    tell where the note column ends."""
    out: list[str] = []
    for line in lines:
        if out and (
            (_unbalanced(out[-1]) and _VALUE_START.match(out[-1]))
            or _continues_grade(out[-1], line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


# The printed achievement grades, so that a wrapped one is put back together.
_GRADE_PHRASES = (
    "达成指标",
    "达成预期指标",
    "部分达成指标并具有一定效果",
    "未达成指标且效果较差",
)


def _continues_grade(previous: str, token: str) -> bool:
    joined = previous + token
    return any(p.startswith(joined) and p != previous for p in _GRADE_PHRASES) and any(
        p.startswith(previous) for p in _GRADE_PHRASES
    )


def _unbalanced(text: str) -> bool:
    opened = text.count("(") + text.count("（")
    closed = text.count(")") + text.count("）")
    return opened > closed


def _name_and_target(fragments: list[str], name_width: float) -> tuple[str | None, str | None]:
    """Fragments printed before the row's anchor: a name, then a target.

    A name line as wide as the name column was wrapped and goes on in the next fragment;
    otherwise the name is one fragment and the rest is the (wrapped) target.
    """
    if not fragments:
        return None, None
    if len(fragments) == 1:
        return fragments[0], None
    values = [i for i, f in enumerate(fragments) if _looks_like_value(f)]
    if values:
        first_value = values[0]
        if first_value > 0:
            return join_lines(fragments[:first_value]), join_lines(fragments[first_value:])
    cut = 1
    while cut < len(fragments) - 1 and display_width(fragments[cut - 1]) >= 0.9 * name_width:
        cut += 1
    return join_lines(fragments[:cut]), join_lines(fragments[cut:])


def _declaration_rows(lines: list[_Line], name_width: float) -> list[_PendingRow]:
    """Declaration rows: `name target` on a line, or a row broken over lines.

    There is no numeric anchor, so lines are told apart by width: a line nearer the name
    column's width than the target column's is a name (or the start of a wrapped one); a
    narrower lone line is a target, or the rest of the target above it.
    """
    labels = _LabelState()
    rows: list[_PendingRow] = []
    pending_categories: list[str] = []
    pending_name: list[str] = []
    last_target_line = ""
    target_width = max(
        (display_width(tokens[-1]) for ln in lines if len(tokens := _merge_tokens(ln.tokens)) >= 2),
        default=8.0,
    )

    def start_row(line: int, name: str, target: str | None) -> None:
        nonlocal pending_categories
        row = _PendingRow(line=line, categories=pending_categories)
        row.slots = {"name": name, "target": target, "actual": None}
        rows.append(row)
        pending_categories = []

    for line in lines:
        text = line.text.strip()
        what, categories = _category_fragment(labels, text)
        if what != "none":
            pending_categories.extend(categories)
            continue
        finished, content = _complete_buffer(labels)
        pending_categories.extend(finished)
        tokens = [*content, *_merge_tokens(line.tokens)]
        # Leading categories printed on the row's own line (wide label columns).
        while len(tokens) > 2 and label_key(tokens[0]) in CATEGORY_VOCABULARY:
            pending_categories.append(tokens.pop(0))
        if len(tokens) >= 2:
            start_row(line.number, join_lines([*pending_name, " ".join(tokens[:-1])]), tokens[-1])
            pending_name = []
            last_target_line = tokens[-1]
            continue
        width = display_width(text)
        if pending_name and display_width(pending_name[-1]) >= 0.9 * name_width:
            pending_name.append(text)  # the name line above reached the edge: it goes on
        elif pending_name:
            start_row(line.number, join_lines(pending_name), text)
            pending_name = []
            last_target_line = text
        elif (
            rows
            and width <= (target_width + name_width) / 2
            and display_width(last_target_line) >= target_width - 1.0
        ):
            # The target above reached its column's edge: this is the rest of it.
            slots = rows[-1].slots
            slots["target"] = join_lines([slots.get("target") or "", text])
            last_target_line = text
        else:
            pending_name.append(text)  # a name printed alone: its target follows
    if pending_name:
        start_row(lines[-1].number if lines else 0, join_lines(pending_name), None)
    return rows


# ---- entry point ----------------------------------------------------------------


def read_plaintext(text: str, file: str) -> Grid:
    assembler = _Assembler(file)
    for line in _page_lines(text):
        assembler.feed(line)
    assembler.finish_section()
    return Grid(file=file, rows=tuple(assembler.rows()), format="pdftotext")


def _page_lines(text: str) -> Iterator[_Line]:
    """The non-empty lines, cleaned, without the page numbers printed at a page break.

    pdftotext ends each page with a form feed, which starts the next page's first line;
    a lone number (`- 1 -`, `第 1 页`) just before or after it is the page's footer or
    header, not part of a form.
    """
    after_break = False
    held: _Line | None = None  # a page-number-looking line, until we see what follows
    for number, raw in iter_lines(text):
        page_break = "\f" in raw
        cleaned = clean_cell(raw.replace("\f", " "))
        if not cleaned:
            after_break = after_break or page_break
            if held is not None and page_break:
                held = None  # the footer of the page that just ended
            continue
        if held is not None:
            if not page_break:
                yield held
            held = None
        if _PAGE_NUMBER.match(cleaned):
            if page_break or after_break:
                after_break = False
                continue  # the header of the page that starts
            held = _Line(number, cleaned)
            continue
        after_break = False
        yield _Line(number, cleaned)
    if held is not None:
        yield held
