"""The official table of a form, laid out as cells (export step: model → laid-out sheet).

Every writer of the official layout (`form_xlsx`, `form_docx`, `form_html` and so
`form_pdf`, `form_csv`) starts from the `Sheet` made here: the form's cells on a grid,
each with its row and column, its merges (`rowspan`, `colspan`) and its role (title,
printed label, value, number, long text), the title rows, the header rows of the
indicator table (repeated on every printed page) and the column widths.

What a jurisdiction prints differently is data, a `Layout` read from a TOML file
(`layouts/national.toml`, `layouts/shanghai.toml`, or a file of the user's own): the
title, the year line, the labels, whether the indicator table has a 「绩效指标」 label
column, the mark of a cell that carries no score, the column widths. The arrangement of
the table is this one piece of code, the same for every layout. It works from the model
(`jixiao.model.Form`) alone and prints every value as the model holds it: amounts keep
their printed decimals (`40.05`, `8400`), as text; a writer decides how to store them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from jixiao.data_files import load_data, shipped
from jixiao.model import Declaration, Form, FormKind, SelfEvaluation
from jixiao.vocabulary.width import display_width

Role = Literal["title", "label", "value", "number", "text"]

DEFAULT_LAYOUT = "national"
_PACKAGE = "jixiao.export.layouts"

# The columns of each kind's table: fixed by the arrangement below, not by a layout.
# A self-evaluation needs nine: 项目资金 (two) + its row labels + six amounts; a
# declaration six: 项目名称 … 项目类别 as three label/value pairs.
COLUMNS: Mapping[FormKind, int] = {"self_evaluation": 9, "declaration": 6}

# The labels each kind's layout must give, by the model field (or block) they head.
SELF_EVALUATION_LABELS = (
    "project",
    "department",
    "unit",
    "funds",  # 项目资金（{unit}）: `{unit}` is the form's 金额单位
    "initial",
    "adjusted",
    "executed",
    "funds_weight",
    "rate",
    "funds_score",
    "total",
    "appropriation",
    "carryover",
    "other",
    "goals",
    "goal_expected",
    "goal_actual",
    "indicators",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "score",
    "note",
    "total_score",
    "grade",
)
DECLARATION_LABELS = (
    "project",
    "nature",
    "category",
    "department",
    "unit",
    "start",
    "end",
    "funds",
    "project_total",
    "project_fiscal",
    "project_other",
    "annual_total",
    "annual_appropriation",
    "annual_carryover",
    "annual_other",
    "goals",
    "goal_overall",
    "goal_annual",
    "indicators",
    "level1",
    "level2",
    "name",
    "target",
)
_LABEL_KEYS: Mapping[FormKind, tuple[str, ...]] = {
    "self_evaluation": SELF_EVALUATION_LABELS,
    "declaration": DECLARATION_LABELS,
}
_KIND_KEYS: Mapping[FormKind, set[str]] = {
    "declaration": {"title", "year_line", "indicator_label_column", "widths", "labels"},
    # Only a self-evaluation has funds rows that carry no score.
    "self_evaluation": {
        "title",
        "year_line",
        "indicator_label_column",
        "widths",
        "labels",
        "no_score",
    },
}
_TOP_KEYS = {"name", "title", "basis", "extends", "self_evaluation", "declaration"}
# A label wider than this (in characters) wraps rather than widens its column.
_MAX_FIT = 26


@dataclass(frozen=True, slots=True)
class KindLayout:
    """How one kind of form prints in a layout."""

    title: str  # 「项目支出绩效自评表」
    year_line: str  # 「（{year}年度）」
    labels: Mapping[str, str]  # see SELF_EVALUATION_LABELS / DECLARATION_LABELS
    indicator_label_column: bool  # a 「绩效指标」 column left of 一级指标
    widths: tuple[int, ...]  # column widths in characters (a CJK character is two)
    # What the 分值/得分 cells of a funds row that carries no score print (self-evaluations).
    no_score: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    """A jurisdiction's official layout of both kinds of form."""

    name: str
    title: str  # for people, in Chinese
    basis: str
    self_evaluation: KindLayout
    declaration: KindLayout
    source: str = ""  # the file it was read from

    def of(self, kind: FormKind) -> KindLayout:
        return self.self_evaluation if kind == "self_evaluation" else self.declaration


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the laid-out table: its text, its place and merge, and its role."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: Role = "value"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True, slots=True)
class Sheet:
    """One form laid out: its cells, the grid's size, and what a printed page repeats."""

    kind: FormKind
    title: str  # the form's title as printed (for sheet and document names)
    cells: tuple[Cell, ...]
    width: int  # columns
    height: int  # rows
    title_rows: int  # the leading rows that are the title and the year line
    header_rows: tuple[int, ...]  # the header rows of the indicator table
    widths: tuple[float, ...]  # column widths in characters

    def band(self, first: int, last: int) -> list[Cell]:
        """The cells of rows `first` to `last` (exclusive), each merge cut to the band: a
        cell that runs on past `last` ends there, and one coming from above `first` is
        an empty cell in the band. So the indicator table's header rows can stand alone
        (a repeated `<thead>`, a Word header row) while the 「绩效指标」 cell beside
        them still runs down the table below."""
        out: list[Cell] = []
        for cell in self.cells:
            top, bottom = max(cell.row, first), min(cell.last_row, last - 1)
            if top > bottom:
                continue
            text = cell.text if cell.row >= first else ""
            out.append(Cell(text, top, cell.col, bottom - top + 1, cell.colspan, cell.role))
        return out


# ---- what a cell's text is to a writer -----------------------------------------------------

# A spreadsheet evaluates a cell typed with one of these first, and so does a CSV it
# opens: a printed target such as 「=8400」 must stay text (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A printed amount a spreadsheet can hold as a number without changing it: a plain
# decimal of at most 15 significant digits (what a double keeps exactly as displayed).
_PLAIN_DECIMAL = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")
_MAX_DIGITS = 15
# What XML 1.0 cannot hold (C0 controls other than tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF): no form prints them, and an office file must not fail on one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without the characters an XML document (xlsx, docx) cannot hold."""
    return _NOT_XML.sub("", text)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take `text` for a formula (a plain number it would not)."""
    return text.startswith(FORMULA_STARTS) and printed_decimal(text) is None


def printed_decimal(text: str) -> tuple[Decimal, int] | None:
    """A printed amount as a number and its printed decimals (`40.05` → 40.05, 2;
    `8400` → 8400, 0), or None for text that is not a plain decimal (`-`, `1E+3`,
    `95.5%`) or that a spreadsheet could not hold digit for digit."""
    if not _PLAIN_DECIMAL.match(text):
        return None
    integer, _, fraction = text.lstrip("-").partition(".")
    if len((integer + fraction).lstrip("0")) > _MAX_DIGITS:
        return None
    return Decimal(text), len(fraction)


# ---- laying a form out --------------------------------------------------------------------


class _Cells:
    """The cells of one table as they are added, row by row."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.row = 0

    def add(
        self, text: str, col: int, rowspan: int = 1, colspan: int = 1, role: Role = "value"
    ) -> None:
        self.cells.append(Cell(text, self.row, col, rowspan, colspan, role))

    def label(self, text: str, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        self.add(text, col, rowspan, colspan, "label")

    def number(self, value: Decimal | None, col: int, blank: str = "") -> None:
        """An amount as the model holds it (its printed decimals); `blank` when None."""
        self.add(blank if value is None else str(value), col, role="number")

    def next_row(self) -> None:
        self.row += 1


def _runs(values: list[str]) -> list[int]:
    """For merged category cells: the run length starting at each row (0 inside a run)."""
    runs = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        runs[i] = j - i + 1
        i = j + 1
    return runs


def _title(out: _Cells, kind: KindLayout, year: int | None, width: int) -> None:
    out.add(kind.title, 0, colspan=width, role="title")
    out.next_row()
    # An unknown year prints as the blank template does: 「（    年度）」.
    printed = "    " if year is None else str(year)
    out.add(kind.year_line.replace("{year}", printed), 0, colspan=width, role="title")
    out.next_row()


def _indicators(out: _Cells, form: Form, kind: KindLayout, width: int) -> int:
    """The indicator table (its header and one row per indicator); its header row."""
    labels = kind.labels
    scored = isinstance(form, SelfEvaluation)
    offset = 1 if kind.indicator_label_column else 0
    if kind.indicator_label_column:
        out.label(labels["indicators"], 0, rowspan=len(form.indicators) + 1)
    names = ["level1", "level2", "name", "target"]
    if scored:
        names += ["actual", "weight", "score", "note"]
    header = out.row
    for k, name in enumerate(names):
        # The last column takes what is left of the table's width.
        last = k == len(names) - 1
        out.label(labels[name], offset + k, colspan=width - offset - k if last else 1)
    out.next_row()
    runs1 = _runs([i.level1 for i in form.indicators])
    runs2 = _runs([f"{i.level1}/{i.level2}" for i in form.indicators])
    for k, ind in enumerate(form.indicators):
        if runs1[k]:
            out.add(ind.level1, offset, rowspan=runs1[k])
        if runs2[k]:
            out.add(ind.level2, offset + 1, rowspan=runs2[k])
        out.add(ind.name, offset + 2)
        if scored:
            out.add(ind.target or "", offset + 3)
            out.add(ind.actual or "", offset + 4)
            out.number(ind.weight, offset + 5)
            out.number(ind.score, offset + 6)
            out.add(ind.note or "", offset + 7, colspan=width - offset - 7, role="text")
        else:
            out.add(ind.target or "", offset + 3, colspan=width - offset - 3)
        out.next_row()
    return header


def _self_evaluation(form: SelfEvaluation, kind: KindLayout) -> tuple[list[Cell], int]:
    width = COLUMNS["self_evaluation"]
    labels = kind.labels
    out = _Cells()
    _title(out, kind, form.year, width)
    out.label(labels["project"], 0, colspan=2)
    out.add(form.project, 2, colspan=7)
    out.next_row()
    out.label(labels["department"], 0, colspan=2)
    out.add(form.department or "", 2, colspan=3)
    out.label(labels["unit"], 5)
    out.add(form.unit or "", 6, colspan=3)
    out.next_row()
    out.label(labels["funds"].replace("{unit}", form.funds_unit), 0, rowspan=5, colspan=2)
    columns = ["initial", "adjusted", "executed", "funds_weight", "rate", "funds_score"]
    for col, name in enumerate(columns):
        out.label(labels[name], 3 + col)
    out.next_row()
    for name in ("total", "appropriation", "carryover", "other"):
        row = form.funds.row(name)
        out.label(labels[name], 2)
        for col, value in enumerate((row.initial, row.adjusted, row.executed)):
            out.number(value, 3 + col)
        out.number(row.weight, 6, kind.no_score)
        out.number(row.rate, 7)
        out.number(row.score, 8, kind.no_score)
        out.next_row()
    out.label(labels["goals"], 0, rowspan=2)
    out.label(labels["goal_expected"], 1, colspan=4)
    out.label(labels["goal_actual"], 5, colspan=4)
    out.next_row()
    out.add(form.goal_expected or "", 1, colspan=4, role="text")
    out.add(form.goal_actual or "", 5, colspan=4, role="text")
    out.next_row()
    header = _indicators(out, form, kind, width)
    offset = 1 if kind.indicator_label_column else 0
    out.label(labels["total_score"], 0, colspan=offset + 5)
    out.number(form.total_weight, offset + 5)
    out.number(form.total_score, offset + 6)
    out.next_row()
    out.label(labels["grade"], 0, colspan=2)
    out.add(form.grade or "", 2, colspan=7)
    out.next_row()
    return out.cells, header


def _declaration(form: Declaration, kind: KindLayout) -> tuple[list[Cell], int]:
    width = COLUMNS["declaration"]
    labels = kind.labels
    out = _Cells()
    _title(out, kind, form.year, width)
    out.label(labels["project"], 0)
    out.add(form.project, 1)
    out.label(labels["nature"], 2)
    out.add(form.nature or "", 3)
    out.label(labels["category"], 4)
    out.add(form.category or "", 5)
    out.next_row()
    out.label(labels["department"], 0)
    out.add(form.department or "", 1, colspan=2)
    out.label(labels["unit"], 3)
    out.add(form.unit or "", 4, colspan=2)
    out.next_row()
    out.label(labels["start"], 0)
    out.add(form.start.isoformat() if form.start else "", 1, colspan=2)
    out.label(labels["end"], 3)
    out.add(form.end.isoformat() if form.end else "", 4, colspan=2)
    out.next_row()
    f = form.funds
    out.label(labels["funds"].replace("{unit}", form.funds_unit), 0, rowspan=4)
    out.label(labels["project_total"], 1)
    out.number(f.project_total, 2)
    out.label(labels["annual_total"], 3, colspan=2)
    out.number(f.annual_total, 5)
    out.next_row()
    out.label(labels["project_fiscal"], 1)
    out.number(f.project_fiscal, 2)
    out.label(labels["annual_appropriation"], 3, colspan=2)
    out.number(f.annual_appropriation, 5)
    out.next_row()
    # The project side has no 上年结转资金: its two cells stay empty.
    out.label(labels["annual_carryover"], 3, colspan=2)
    out.number(f.annual_carryover, 5)
    out.next_row()
    out.label(labels["project_other"], 1)
    out.number(f.project_other, 2)
    out.label(labels["annual_other"], 3, colspan=2)
    out.number(f.annual_other, 5)
    out.next_row()
    out.label(labels["goals"], 0, rowspan=2)
    out.label(labels["goal_overall"], 1, colspan=2)
    out.label(labels["goal_annual"], 3, colspan=3)
    out.next_row()
    out.add(form.goal_overall or "", 1, colspan=2, role="text")
    out.add(form.goal_annual or "", 3, colspan=3, role="text")
    out.next_row()
    header = _indicators(out, form, kind, width)
    return out.cells, header


def lay_out(form: Form, layout: Layout) -> Sheet:
    """`form` as the official table of `layout`."""
    kind = layout.of(form.kind)
    if isinstance(form, SelfEvaluation):
        cells, header = _self_evaluation(form, kind)
    else:
        cells, header = _declaration(form, kind)
    width = COLUMNS[form.kind]
    return Sheet(
        kind=form.kind,
        title=kind.title,
        cells=tuple(cells),
        width=width,
        height=max(c.row + c.rowspan for c in cells),
        title_rows=2,
        header_rows=(header,),
        widths=_fitted_widths(cells, kind.widths),
    )


def _fitted_widths(cells: list[Cell], widths: tuple[int, ...]) -> tuple[float, ...]:
    """The layout's widths, each widened where a one-column label or a number would not
    fit on one line: a CJK character is two characters wide, a digit a little over one,
    and a cell's margins (and a bold face) take three. 「其中：当年财政拨款」 needs 21; a
    label past `_MAX_FIT` wraps instead. A number never wraps: 「100.0 / 0」 would be misread."""
    fitted = [float(w) for w in widths]
    for cell in cells:
        if cell.colspan != 1:
            continue
        if cell.role == "label":
            need = min(2 * display_width(cell.text) + 3, _MAX_FIT)
        elif cell.role == "number":
            need = math.ceil(1.15 * len(cell.text)) + 3
        else:
            continue
        fitted[cell.col] = max(fitted[cell.col], need)
    return tuple(fitted)


# ---- layouts as data ----------------------------------------------------------------------


def available_layouts() -> list[str]:
    """The names of the layouts shipped with jixiao."""
    return shipped(_PACKAGE)


def load_layout(name_or_path: str = DEFAULT_LAYOUT) -> Layout:
    """A shipped layout by name (`national`, `shanghai`), or a layout file by path.

    A file may `extends` another layout and give only what differs. Raises `ValueError`
    (with a Chinese message) for an unknown name and for a file that is no valid layout.
    """
    if name_or_path in available_layouts():
        return _shipped_layout(name_or_path)
    return _read_layout(name_or_path)


@cache
def _shipped_layout(name: str) -> Layout:
    # A shipped layout never changes while jixiao runs: read once per process, not once
    # per exported form or download. A file of the user's own is read each time.
    return _read_layout(name)


def _read_layout(name_or_path: str) -> Layout:
    data, source = load_data(name_or_path, _PACKAGE, "表样")
    return _build(data, source)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} 必须是文本")
    return value


def _build_kind(data: object, kind: FormKind, source: str) -> KindLayout:
    table = f"表样 {source}：[{kind}]"
    if not isinstance(data, dict):
        raise ValueError(f"{table} 缺失")
    keys = _KIND_KEYS[kind]
    unknown = sorted(set(data) - keys)
    if unknown:
        raise ValueError(f"{table} 中未知的设置：{'、'.join(unknown)}")
    missing = sorted(keys - set(data))
    if missing:
        raise ValueError(f"{table} 缺少设置：{'、'.join(missing)}")
    labels = data["labels"]
    if not isinstance(labels, dict):
        raise ValueError(f"{table} labels 必须是表")
    wanted = _LABEL_KEYS[kind]
    unknown = sorted(set(labels) - set(wanted))
    missing = [key for key in wanted if key not in labels]
    if unknown or missing:
        parts = [f"未知的 {'、'.join(unknown)}"] if unknown else []
        parts += [f"缺少 {'、'.join(missing)}"] if missing else []
        raise ValueError(f"{table} labels：{'；'.join(parts)}")
    year_line = _text(data["year_line"], f"{table} year_line")
    if "{year}" not in year_line:
        raise ValueError(f"{table} year_line 必须含有 {{year}}（年度）")
    widths = data["widths"]
    columns = COLUMNS[kind]
    if (
        not isinstance(widths, list)
        or len(widths) != columns
        or not all(isinstance(w, int) and not isinstance(w, bool) and 2 <= w <= 100 for w in widths)
    ):
        raise ValueError(f"{table} widths 必须是 {columns} 个 2–100 的整数（字符数）")
    if not isinstance(data["indicator_label_column"], bool):
        raise ValueError(f"{table} indicator_label_column 必须是 true 或 false")
    return KindLayout(
        title=_text(data["title"], f"{table} title"),
        year_line=year_line,
        labels={key: _text(labels[key], f"{table} labels.{key}") for key in wanted},
        indicator_label_column=data["indicator_label_column"],
        widths=tuple(widths),
        no_score=_text(data.get("no_score", ""), f"{table} no_score"),
    )


def _build(data: dict[str, Any], source: str) -> Layout:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ValueError(f"表样 {source}：未知的设置「{'、'.join(unknown)}」")
    if "name" not in data or "title" not in data:
        raise ValueError(f"表样 {source}：缺少 name 或 title")
    return Layout(
        name=_text(data["name"], f"表样 {source}：name"),
        title=_text(data["title"], f"表样 {source}：title"),
        basis=_text(data.get("basis", ""), f"表样 {source}：basis"),
        self_evaluation=_build_kind(data.get("self_evaluation"), "self_evaluation", source),
        declaration=_build_kind(data.get("declaration"), "declaration", source),
        source=source,
    )
