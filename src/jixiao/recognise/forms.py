"""Rows → forms: the state machine that walks a Grid and builds each form.

Step 3 of the pipeline (recognise). A form starts at its title (or at a second 项目名称);
its blocks are found by their printed labels — header fields, the funds block, the goals,
the indicator table, the totals — in whatever columns the rendering put them. What
cannot be placed becomes a finding; what is read is checked against the form's own
sums, the sign of a lost row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Final

from jixiao.catalogue import (
    MISSING_FIELD,
    ROW_NOT_UNDERSTOOD,
    TRUNCATED_FORM,
    UNKNOWN_COLUMNS,
    UNSUPPORTED_FORM,
    YEAR_INFERRED,
)
from jixiao.fields import build_form
from jixiao.findings import CatalogueEntry, Finding
from jixiao.model import (
    DECLARATION_FUNDS_LABELS,
    DeclarationFunds,
    Form,
    FormKind,
    FundsRow,
    Indicator,
    SelfEvaluationFunds,
    Source,
)
from jixiao.read.grid import Cell, Row, row_place
from jixiao.read.text import join_lines
from jixiao.recognise.indicators import HeaderColumns, header_columns, split_indicator_row
from jixiao.values import is_amount, is_number, parse_amount, parse_decimal
from jixiao.vocabulary.framework import AMBIGUOUS_LEVEL, LEVEL1, PARENT_OF
from jixiao.vocabulary.grades import PRINTED_GRADES
from jixiao.vocabulary.labels import (
    FUNDS_ORDER,
    GRADE_LABELS,
    HEADER_LABELS,
    SECTION_LABELS,
    TOTAL_LABELS,
    YEAR_RE,
    TitleKind,
    declaration_funds_label,
    funds_column,
    funds_row_name,
    goal_column,
    header_field,
    is_funds_block_label,
    is_funds_header,
    is_indicator_header,
    title_kind,
)
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.units import FUNDS_UNIT_RE, UNIT_LINE_RE

_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


class Section(StrEnum):
    """Which block of the form the rows being walked belong to."""

    HEADER = "header"  # 项目名称, 主管部门 …
    FUNDS = "funds"  # 项目资金
    GOALS = "goals"  # 年度总体目标
    INDICATORS = "indicators"  # the indicator table
    FOOTER = "footer"  # 总分, 评分等级


# The members, as module constants: `feed` tests the section of every row, and reading a
# member off its class (`Section.FUNDS`) goes through the enum's metaclass on Python
# 3.11, several times the cost of reading a global.
_HEADER: Final = Section.HEADER
_FUNDS: Final = Section.FUNDS
_GOALS: Final = Section.GOALS
_INDICATORS: Final = Section.INDICATORS
_FOOTER: Final = Section.FOOTER
_ABOVE_INDICATORS: Final = frozenset({_HEADER, _FUNDS, _GOALS})


@dataclass(slots=True)
class _Builder:
    """The mutable accumulation of one form while its rows are walked."""

    file: str
    index: int  # 1-based position in the file
    kind: TitleKind | None
    line: int | None
    page: int | None = None
    year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int | None] = field(default_factory=dict)  # where fields were printed
    extra: list[tuple[str, str]] = field(default_factory=list)
    funds_unit: str | None = None
    funds_columns: list[str] | None = None
    # Where each column of the funds header stands (first and last grid column), for
    # rows whose blank cells were left empty rather than printed as 「-」.
    funds_spans: list[tuple[int, int, str]] = field(default_factory=list)
    funds_rows: dict[str, FundsRow] = field(default_factory=dict)
    decl_funds: dict[str, Decimal | None] = field(default_factory=dict)
    annual_col: int | None = None
    goal_columns: list[tuple[int, str]] = field(default_factory=list)
    goal_width: int | None = None
    goals: dict[str, list[str]] = field(default_factory=dict)
    section: Section = _HEADER
    header: HeaderColumns | None = None
    # The tables the goals and the indicator header were in, where the reader knows
    # tables: text outside them is never a goal's or an indicator's text.
    goal_table: int | None = None
    indicator_table: int | None = None
    indicators: list[Indicator] = field(default_factory=list)
    level1: str = ""
    level2: str = ""
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    grade: str | None = None
    pending_label: str | None = None
    findings: list[Finding] = field(default_factory=list)

    # ---- helpers ------------------------------------------------------------------

    def source_of(self, row: Row) -> Source:
        cell, box = row_place(row)
        return Source(file=self.file, line=row.line, page=row.page, cell=cell, box=box)

    def finding(
        self,
        entry: CatalogueEntry,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        row: Row | None = None,
    ) -> None:
        """Report a reading finding of this form, placed at `row` (its line, page, cell and
        box) when it concerns one, else at `line` or the form's first line."""
        place = self.source_of(row) if row is not None else None
        self.findings.append(
            entry.finding(
                message,
                file=self.file,
                line=line if line is not None else self.line,
                source=place,
                form=self.index,
                project=self.fields.get("project"),
                field=field,
            )
        )

    @property
    def scored(self) -> bool:
        return self.kind != "declaration"

    # ---- feeding rows -------------------------------------------------------------

    def feed(self, row: Row, keys: list[str]) -> None:
        section = self.section
        above = section in _ABOVE_INDICATORS
        if above and self._feed_year(row, keys):
            return
        if is_indicator_header(keys):
            self._start_indicators(row)
            return
        if not above:
            self._feed_indicator_section(row, keys)
            return
        if self.kind != "declaration" and is_funds_header(keys):
            self._start_funds(row, keys)
            return
        if self._is_goal_header(keys):
            self._start_goals(row, keys)
            return
        if section is _GOALS:
            self._feed_goal_text(row, keys)
            return
        if section is _FUNDS and self.kind != "declaration" and self._feed_funds_row(row, keys):
            return
        if self._feed_labelled(row, keys):
            return
        if self.section is _FUNDS and self._feed_funds_row(row, keys):
            return
        self._not_understood(row)

    def _feed_year(self, row: Row, keys: list[str]) -> bool:
        """`(2024年度)` lines between the title and the first field."""
        if self.fields or len(row.cells) != 1:
            return False
        match = YEAR_RE.search(keys[0])
        if match is None or len(keys[0]) > 20:
            return False
        if self.year is None:
            self.year = int(match.group(1))
        return True

    def _not_understood(self, row: Row) -> None:
        text = " | ".join(c.text for c in row.cells)
        if len(text) > 80:
            text = text[:80] + "…"
        self.finding(ROW_NOT_UNDERSTOOD, f"{where(row)}无法识别，已跳过：{text}", row=row)

    # ---- header fields and declaration funds ----------------------------------------

    def _feed_labelled(self, row: Row, keys: list[str]) -> bool:
        """Label/value pairs: 项目名称 X 项目性质 Y …, and the declaration funds block."""
        recognised = False
        current: str | None = None  # a model field, `extra:…`, or `funds:…`
        values: dict[str, list[str]] = {}
        order: list[str] = []
        for cell, key in zip(row.cells, keys, strict=True):
            target = self._label_target(cell, key, row)
            if target is not None:
                recognised = True
                current = target
                if target not in values:
                    values[target] = []
                    order.append(target)
                continue
            if is_funds_block_label(key) or key in SECTION_LABELS:
                recognised = True
                self._note_funds_unit(cell.text)
                current = None
                continue
            unit = FUNDS_UNIT_RE.fullmatch(key) or UNIT_LINE_RE.match(key)
            if unit is not None:
                self.funds_unit = unit.group(1)
                recognised = True
                continue
            if current is not None:
                values[current].append(cell.text)
            elif self.pending_label is not None and not recognised:
                # The value of a label printed at the end of the previous row.
                values.setdefault(self.pending_label, []).append(cell.text)
                order.append(self.pending_label)
                recognised = True
        if not recognised:
            return False
        self.pending_label = None
        for target in order:
            texts = values[target]
            if not texts:
                # A label with nothing after it: its value may follow on the next row.
                if not target.startswith("funds:"):
                    self.pending_label = target
                continue
            self._store_labelled(target, texts, row)
        if self.section is _HEADER and any(t.startswith("funds:") for t in order):
            self.section = _FUNDS
        return True

    def _label_target(self, cell: Cell, key: str, row: Row) -> str | None:
        field_name = header_field(key)
        if field_name is not None:
            return field_name
        if self.kind == "declaration" or (self.kind is None and self.section is _HEADER):
            name = declaration_funds_label(key)
            if name is not None:
                if name == "annual_total":
                    self.annual_col = cell.col
                if name == "other":
                    name = self._which_other(cell, row)
                self._note_funds_unit(cell.text)
                return f"funds:{name}"
        return None

    def _which_other(self, cell: Cell, row: Row) -> str:
        """`其他资金` is printed on both sides of the declaration funds block."""
        others = [c for c in row.cells if "其他资金" in label_key(c.text)]
        if len(others) >= 2:
            return "project_other" if cell is others[0] else "annual_other"
        if self.annual_col is not None and row.cells[-1].col != cell.col:
            return "annual_other" if cell.col >= self.annual_col else "project_other"
        return "annual_other"

    def _note_funds_unit(self, text: str) -> None:
        match = FUNDS_UNIT_RE.search(text)
        if match is not None:
            self.funds_unit = match.group(1)

    def _store_labelled(self, target: str, texts: list[str], row: Row) -> None:
        if target.startswith("funds:"):
            name = target[len("funds:") :]
            amount = next((parse_decimal(t) for t in texts if is_number(t)), None)
            if amount is None and not all(t.strip() in ("-", "—") for t in texts):
                self.finding(
                    ROW_NOT_UNDERSTOOD,
                    f"{where(row)}资金「{DECLARATION_FUNDS_LABELS.get(name, name)}」的值无法识别："
                    f"{' '.join(texts)}",
                    row=row,
                    field=f"funds.{name}",
                )
            self.decl_funds[name] = amount
            self.field_lines.setdefault(f"funds.{name}", row.line)
            return
        value = join_lines(texts) if len(texts) > 1 else texts[0]
        if target.startswith("extra:"):
            self.extra.append((target[len("extra:") :], value))
            return
        if target in self.fields:
            # A value broken over two rows (pdftotext): the second part continues it.
            self.fields[target] = join_lines([self.fields[target], value])
            return
        self.fields[target] = value
        self.field_lines[target] = row.line

    # ---- self-evaluation funds ----------------------------------------------------

    def _start_funds(self, row: Row, keys: list[str]) -> None:
        self.section = _FUNDS
        columns = [funds_column(k) for k in keys]
        self.funds_columns = [c for c in columns if c is not None]
        self.funds_spans = [
            (cell.col, cell.end_col, column)
            for cell, column in zip(row.cells, columns, strict=True)
            if column is not None
        ]
        for cell in row.cells:
            self._note_funds_unit(cell.text)

    def _feed_funds_row(self, row: Row, keys: list[str]) -> bool:
        label_parts: list[str] = []
        values: list[str] = []
        value_cells: list[Cell] = []
        for cell, key in zip(row.cells, keys, strict=True):
            if is_amount(key):
                values.append(cell.text)
                value_cells.append(cell)
            else:
                label_parts.append(cell.text)
        if not label_parts:
            return False
        label = label_key("".join(label_parts))
        name = funds_row_name(label)
        if name is None:
            return False
        order = self._funds_order(len(values))
        if order is None and row.table is not None:
            order = self._funds_order_by_column(value_cells)
        if order is None:
            self.finding(
                ROW_NOT_UNDERSTOOD,
                f"{where(row)}资金「{label}」有 {len(values)} 个数值，与表头不符：{' '.join(values)}",
                row=row,
                field=f"funds.{name}",
            )
            return True
        amounts = {col: parse_amount(v) for col, v in zip(order, values, strict=True)}
        self.field_lines[f"funds.{name}"] = row.line
        self.funds_rows[name] = FundsRow(source=self.source_of(row), **amounts)
        return True

    def _funds_order_by_column(self, cells: list[Cell]) -> tuple[str, ...] | None:
        """The columns of a row's amounts by where they stand under the header: a
        table (not a text rendering) may leave a cell blank where others print 「-」."""
        order: list[str] = []
        for cell in cells:
            under = [name for first, last, name in self.funds_spans if first <= cell.col <= last]
            if len(under) != 1 or under[0] in order:
                return None
            order.append(under[0])
        return tuple(order)

    def _funds_order(self, count: int) -> tuple[str, ...] | None:
        if count == len(FUNDS_ORDER):
            return FUNDS_ORDER
        if self.funds_columns and count == len(self.funds_columns):
            return tuple(self.funds_columns)
        return None

    # ---- goals --------------------------------------------------------------------

    def _is_goal_header(self, keys: list[str]) -> bool:
        columns = {goal_column(k) for k in keys} - {None}
        if self.kind == "declaration":
            return "overall" in columns or ("annual" in columns and len(keys) > 1)
        return bool(columns & {"expected", "actual"})

    def _start_goals(self, row: Row, keys: list[str]) -> None:
        self.section = _GOALS
        self.goal_table = row.table
        self.goal_columns = []
        self.goal_width = row.width
        for cell, key in zip(row.cells, keys, strict=True):
            column = goal_column(key)
            if column is None or (column == "annual" and self.kind != "declaration"):
                continue
            self.goal_columns.append((cell.col, column))

    def _feed_goal_text(self, row: Row, keys: list[str]) -> None:
        if self.goal_table is not None and row.table is None:
            return  # text between tables (（续表）, a page header): not the goals' text
        cells = [c for c, k in zip(row.cells, keys, strict=True) if k not in SECTION_LABELS]
        if not cells:
            return
        self.field_lines.setdefault("goals", row.line)
        columns = [name for _, name in self.goal_columns]
        if not columns:
            columns = (
                ["overall", "annual"] if self.kind == "declaration" else ["expected", "actual"]
            )
        if len(cells) == len(columns):
            for cell, name in zip(cells, columns, strict=True):
                self.goals.setdefault(name, []).append(cell.text)
            return
        # A converter that drops the covered part of a merged cell (the 年度总体目标
        # label spans both rows) shifts the whole row left: put it back.
        shift = 0
        if self.goal_width is not None and row.width is not None and row.width < self.goal_width:
            shift = self.goal_width - row.width
        for cell in cells:
            name = self._goal_for_col(cell, columns, shift)
            self.goals.setdefault(name, []).append(cell.text)

    def _goal_for_col(self, cell: Cell, columns: list[str], shift: int) -> str:
        """The goal column a text cell sits under (shifted back by dropped merged cells)."""
        col = cell.col + shift
        best = columns[-1]
        best_distance: int | None = None
        for header_col, name in self.goal_columns:
            distance = abs(col - header_col)
            if best_distance is None or distance < best_distance:
                best, best_distance = name, distance
        return best

    # ---- indicators and totals ----------------------------------------------------

    def _start_indicators(self, row: Row) -> None:
        self.section = _INDICATORS
        self.indicator_table = row.table
        self.header, unknown = header_columns(row.cells, row.width)
        if self.kind is None:
            self.kind = "self_evaluation" if self.header.has_actual else "declaration"
        if unknown:
            self.finding(
                UNKNOWN_COLUMNS,
                f"{where(row)}指标表头有标准表样以外的列：{'、'.join(unknown)}；其内容未读入",
                row=row,
            )

    def _feed_indicator_section(self, row: Row, keys: list[str]) -> None:
        first = keys[0]
        if first in TOTAL_LABELS:
            self._feed_total(row, keys)
            return
        if first in GRADE_LABELS:
            self._feed_grade(row, keys)
            return
        if self.indicator_table is not None and row.table is None:
            # Text outside the tables (a page's notice, its footer of links, a page
            # number between two parts of a table) is not a row of the indicator table.
            return
        if self.section is _FOOTER:
            if len(keys) == 1 and keys[0] in PRINTED_GRADES and self.grade is None:
                self.grade = row.cells[0].text.strip()
                return
            if self.grade is None:
                self._not_understood(row)
            # After the grade the table has ended: what follows is prose about the
            # document (填报人, a closing remark), not part of this form.
            return
        header = self.header
        if header is not None and header.unknown and not _aligned(row, header):
            # Extra columns are only set aside where the row lines up with its header.
            header = replace(header, unknown=())
        parts = split_indicator_row(row.cells, keys, scored=self.scored, header=header)
        if parts is None:
            self._not_understood(row)
            return
        self._apply_categories(parts.categories)
        if parts.name is None:
            return  # a row of categories only (their cells merged over the next rows)
        self.indicators.append(
            Indicator(
                level1=self.level1,
                level2=self.level2,
                name=parts.name,
                target=parts.target,
                actual=parts.actual if self.scored else None,
                weight=parts.weight,
                score=parts.score,
                note=parts.note,
                source=self.source_of(row),
            )
        )

    def _apply_categories(self, cats: list[str]) -> None:
        if len(cats) >= 2:
            self.level1, self.level2 = cats[0], cats[1]
            return
        if not cats:
            return
        cat = cats[0]
        if cat == self.level1:
            # A merged 一级 cell repeated on a covered row (markdown, some TSV):
            # the row stays under the 二级 it was under.
            return
        parent = AMBIGUOUS_LEVEL.get(cat)
        if parent is not None:
            # 成本指标 / 可持续影响指标: a 二级 under their usual parent, else a 一级.
            if self.level1 == parent:
                self.level2 = cat
            else:
                self.level1, self.level2 = cat, ""
            return
        if cat in LEVEL1:
            self.level1, self.level2 = cat, ""
            return
        self.level2 = cat
        inferred = PARENT_OF.get(cat)
        if inferred is not None and self.level1 != inferred:
            # The 一级 cell was lost (merged over a page or shifted away): the
            # framework says which 一级 this 二级 belongs to.
            self.level1 = inferred

    def _feed_total(self, row: Row, keys: list[str]) -> None:
        self.section = _FOOTER
        self.field_lines["total_score"] = row.line
        self.field_lines["total_weight"] = row.line
        numbers = [c for c, k in zip(row.cells[1:], keys[1:], strict=True) if is_number(k)]
        if len(numbers) >= 2:
            self.total_weight = parse_decimal(numbers[-2].text)
            self.total_score = parse_decimal(numbers[-1].text)
        elif len(numbers) == 1:
            role = self.header.role_at(numbers[0].col) if self.header else None
            if role == "weight":
                self.total_weight = parse_decimal(numbers[0].text)
            else:
                self.total_score = parse_decimal(numbers[0].text)
        for cell, key in zip(row.cells[1:], keys[1:], strict=True):
            if key in GRADE_LABELS:
                continue
            if key in PRINTED_GRADES and self.grade is None:
                self.grade = cell.text.strip()
                self.field_lines["grade"] = row.line

    def _feed_grade(self, row: Row, keys: list[str]) -> None:
        self.section = _FOOTER
        self.field_lines["grade"] = row.line
        for cell, key in zip(row.cells[1:], keys[1:], strict=True):
            if key and key not in GRADE_LABELS:
                self.grade = cell.text.strip()
                return

    # ---- the finished form --------------------------------------------------------

    def build(self) -> Form | None:
        project = self.fields.get("project")
        source = Source(file=self.file, line=self.line, page=self.page)
        if not project:
            if not self.indicators and not self.funds_rows and not self.decl_funds:
                return None
            self.finding(MISSING_FIELD, "表单缺少项目名称", field="project")
            project = ""
        if not self.indicators:
            # A form without its indicator table is not a form one can score or review:
            # it is reported, not returned half-read.
            self.finding(TRUNCATED_FORM, f"表单「{project}」没有读到绩效指标表，表单不完整，未读取")
            return None
        kind: FormKind = (
            "declaration"
            if self.kind == "declaration" or (self.kind is None and self.decl_funds)
            else "self_evaluation"
        )
        goals = {name: join_lines(parts) or None for name, parts in self.goals.items()}
        goals_line = self.field_lines.pop("goals", None)
        for name in goals:
            self.field_lines.setdefault(f"goal_{name}", goals_line)
        field_lines = tuple(
            (name, line) for name, line in self.field_lines.items() if line is not None
        )
        values: dict[str, object] = {
            **self.fields,
            **{f"goal_{name}": text for name, text in goals.items()},
            "year": self.year,
            "project": project,
            "indicators": tuple(self.indicators),
            "source": source,
            "extra": tuple(self.extra),
            "field_lines": field_lines,
        }
        if self.funds_unit:
            values["funds_unit"] = self.funds_unit
        if kind == "declaration":
            values["start"], values["end"] = self._date("start"), self._date("end")
            values["funds"] = DeclarationFunds(**self.decl_funds)
            return build_form(kind, values)
        values.update(
            funds=SelfEvaluationFunds(**self.funds_rows),
            total_weight=self.total_weight,
            total_score=self.total_score,
            grade=self.grade,
        )
        return build_form(kind, values)

    def _date(self, name: str) -> dt.date | None:
        text = self.fields.get(name)
        if not text:
            return None
        match = _DATE_RE.search(text)
        if match is not None:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                pass
        self.finding(
            ROW_NOT_UNDERSTOOD,
            f"日期「{text}」无法识别",
            line=self.field_lines.get(name),
            field=name,
        )
        return None


def where(row: Row) -> str:
    """A row's place as a message names it: its line in a text rendering, else its page
    (a PDF page or a workbook's sheet) and the reference of its first cell."""
    if row.line is not None:
        return f"第 {row.line} 行"
    ref, _box = row_place(row)
    page = f"第 {row.page} 页" if row.page is not None else ""
    return f"{page}{ref} 单元格所在行" if ref else (page + "此行" if page else "此行")


def _aligned(row: Row, header: HeaderColumns) -> bool:
    """Cells sit in their header's columns: exact positions (HTML, spreadsheets) or a
    delimited row as wide as the header row."""
    return row.width is None or header.width is None or row.width == header.width


def recognise_rows(
    rows: Iterable[Row], file: str, first_index: int = 1
) -> tuple[list[Form], list[Finding]]:
    """Walk the rows of one document and return its forms in document order, numbered
    from `first_index`."""
    forms: list[Form] = []
    base = first_index - 1
    findings: list[Finding] = []
    builder: _Builder | None = None
    pending_year: int | None = None

    def finish() -> None:
        nonlocal builder
        if builder is None:
            return
        form = builder.build()
        findings.extend(builder.findings)
        if form is not None:
            forms.append(form)
        builder = None

    for row in rows:
        keys = [label_key(c.text) for c in row.cells]
        kind = _title_of(keys)
        if kind is not None:
            finish()
            if kind == "unsupported":
                findings.append(
                    UNSUPPORTED_FORM.finding(
                        f"{where(row)}的表单「{row.cells[0].text}」不是项目支出绩效表，未读取",
                        file=file,
                        line=row.line,
                    )
                )
                builder = _Builder(
                    file=file, index=base + len(forms) + 1, kind="unsupported", line=row.line
                )
                continue
            builder = _Builder(
                file=file, index=base + len(forms) + 1, kind=kind, line=row.line, page=row.page
            )
            builder.year = _year_in(keys)
            continue
        if builder is not None and builder.kind == "unsupported":
            continue
        starts_form = not _PROJECT_LABELS.isdisjoint(keys)
        if builder is None or (starts_form and "project" in builder.fields):
            if builder is None and not starts_form:
                year = _year_in(keys) if len(keys) == 1 else None
                if year is not None:
                    pending_year = year
                continue
            finish()
            builder = _Builder(
                file=file, index=base + len(forms) + 1, kind=None, line=row.line, page=row.page
            )
            builder.year = pending_year
        builder.feed(row, keys)
    finish()
    _infer_years(forms, findings, file, first_index)
    return forms, findings


_PROJECT_LABELS = frozenset(k for k, field in HEADER_LABELS.items() if field == "project")


def _title_of(keys: list[str]) -> TitleKind | None:
    # Asked of every row: the first two keys without a loop.
    if not keys:
        return None
    kind = title_kind(keys[0])
    if kind is None and len(keys) > 1:
        kind = title_kind(keys[1])
    return kind


def _year_in(keys: list[str]) -> int | None:
    for key in keys:
        match = YEAR_RE.search(key)
        if match is not None:
            return int(match.group(1))
    return None


def _infer_years(forms: list[Form], findings: list[Finding], file: str, first_index: int) -> None:
    """A form without its 年度 line takes the year of its neighbours in the file."""

    # The nearest form before it that has a year (printed or itself inferred), else the
    # first after it: one pass each way, so that a file of many forms stays linear.
    after: list[int | None] = [None] * len(forms)
    following: int | None = None
    for i in range(len(forms) - 1, -1, -1):
        after[i] = following
        if forms[i].year is not None:
            following = forms[i].year
    before: int | None = None
    for i, form in enumerate(forms):
        if form.year is not None:
            before = form.year
            continue
        year = before if before is not None else after[i]
        if year is None:
            continue
        before = year
        forms[i] = replace(form, year=year)
        findings.append(
            YEAR_INFERRED.finding(
                f"表单「{form.project}」未印年度，取同一文件中相邻表单的年度 {year}",
                file=file,
                line=form.source.line,
                form=first_index + i,
                project=form.project,
                field="year",
            )
        )
