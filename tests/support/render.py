"""Render model forms as the converters do (TSV, markdown pipe tables, HTML tables).

Test support for the readers: a form laid out as the official table (a grid of cells
with spans), then written out the way each converter writes merged cells. Reading the
result back must give the form again.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import Declaration, Form, SelfEvaluation


@dataclass(frozen=True)
class Span:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def _dec(value: Decimal | None, dash: bool = False) -> str:
    if value is None:
        return "-" if dash else ""
    return str(value)


def _category_runs(values: list[str]) -> list[int]:
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


def layout_self_evaluation(form: SelfEvaluation) -> tuple[list[Span], int]:
    cells: list[Span] = []
    r = 0

    def add(text: str, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        cells.append(Span(text, r, col, rowspan, colspan))

    add("财政项目支出绩效自评表", 0, colspan=9)
    r += 1
    add(f"({form.year}年度)", 0, colspan=9)
    r += 1
    add("项目名称", 0, colspan=2)
    add(form.project, 2, colspan=7)
    r += 1
    add("主管部门", 0, colspan=2)
    add(form.department or "", 2, colspan=3)
    add("实施单位", 5)
    add(form.unit or "", 6, colspan=3)
    r += 1
    add(f"项目资金 ({form.funds_unit})", 0, rowspan=5, colspan=2)
    for col, label in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]
    ):
        add(label, 3 + col)
    r += 1
    labels = {
        "total": "年度资金总额",
        "appropriation": "其中：当年财政拨款",
        "carryover": "上年结转资金",
        "other": "其他资金",
    }
    for name, label in labels.items():
        row = form.funds.row(name)
        add(label, 2)
        values = [row.initial, row.adjusted, row.executed]
        for col, value in enumerate(values):
            add(_dec(value), 3 + col)
        add(_dec(row.weight, dash=True), 6)
        add(_dec(row.rate), 7)
        add(_dec(row.score, dash=True), 8)
        r += 1
    add("年度总体目标", 0, rowspan=2)
    add("预期目标", 1, colspan=4)
    add("实际完成情况", 5, colspan=4)
    r += 1
    add(form.goal_expected or "", 1, colspan=4)
    add(form.goal_actual or "", 5, colspan=4)
    r += 1
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    for col, label in enumerate(header):
        add(label, col)
    add("偏差原因分析及改进措施", 7, colspan=2)
    r += 1
    level1 = [i.level1 for i in form.indicators]
    level2 = [f"{i.level1}/{i.level2}" for i in form.indicators]
    runs1, runs2 = _category_runs(level1), _category_runs(level2)
    for k, ind in enumerate(form.indicators):
        if runs1[k]:
            add(ind.level1, 0, rowspan=runs1[k])
        if runs2[k]:
            add(ind.level2, 1, rowspan=runs2[k])
        add(ind.name, 2)
        add(ind.target or "", 3)
        add(ind.actual or "", 4)
        add(_dec(ind.weight), 5)
        add(_dec(ind.score), 6)
        add(ind.note or "", 7, colspan=2)
        r += 1
    add("总分", 0, colspan=5)
    add(_dec(form.total_weight), 5)
    add(_dec(form.total_score), 6)
    r += 1
    add("评分等级", 0, colspan=2)
    add(form.grade or "", 2, colspan=7)
    r += 1
    return cells, 9


def layout_declaration(form: Declaration) -> tuple[list[Span], int]:
    cells: list[Span] = []
    r = 0

    def add(text: str, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        cells.append(Span(text, r, col, rowspan, colspan))

    add("财政项目支出绩效目标申报表", 0, colspan=6)
    r += 1
    add(f"({form.year} 年度)", 0, colspan=6)
    r += 1
    add("项目名称", 0)
    add(form.project, 1)
    add("项目性质", 2)
    add(form.nature or "", 3)
    add("项目类别", 4)
    add(form.category or "", 5)
    r += 1
    add("主管部门", 0)
    add(form.department or "", 1, colspan=2)
    add("实施单位", 3)
    add(form.unit or "", 4, colspan=2)
    r += 1
    add("计划开始日期", 0)
    add(form.start.isoformat() if form.start else "", 1, colspan=2)
    add("计划完成日期", 3)
    add(form.end.isoformat() if form.end else "", 4, colspan=2)
    r += 1
    f = form.funds
    add(f"项目资金({form.funds_unit})", 0, rowspan=4)
    add("项目资金总额:", 1)
    add(_dec(f.project_total), 2)
    add("年度资金申请总额:", 3, colspan=2)
    add(_dec(f.annual_total), 5)
    r += 1
    add("其中: 财政资金", 1)
    add(_dec(f.project_fiscal), 2)
    add("其中: 当年财政拨款", 3, colspan=2)
    add(_dec(f.annual_appropriation), 5)
    r += 1
    add("上年结转资金", 3, colspan=2)
    add(_dec(f.annual_carryover), 5)
    r += 1
    add("其他资金", 1)
    add(_dec(f.project_other), 2)
    add("其他资金", 3, colspan=2)
    add(_dec(f.annual_other), 5)
    r += 1
    add("项目绩效目标", 0, rowspan=2)
    add("项目总目标", 1, colspan=2)
    add("年度总体目标", 3, colspan=3)
    r += 1
    add(form.goal_overall or "", 1, colspan=2)
    add(form.goal_annual or "", 3, colspan=3)
    r += 1
    add("绩效指标", 0, rowspan=len(form.indicators) + 1)
    for col, label in enumerate(["一级指标", "二级指标", "三级指标"]):
        add(label, 1 + col)
    add("年度(/项目)指标值", 4, colspan=2)
    r += 1
    level1 = [i.level1 for i in form.indicators]
    level2 = [f"{i.level1}/{i.level2}" for i in form.indicators]
    runs1, runs2 = _category_runs(level1), _category_runs(level2)
    for k, ind in enumerate(form.indicators):
        if runs1[k]:
            add(ind.level1, 1, rowspan=runs1[k])
        if runs2[k]:
            add(ind.level2, 2, rowspan=runs2[k])
        add(ind.name, 3)
        add(ind.target or "", 4, colspan=2)
        r += 1
    return cells, 6


def layout(form: Form) -> tuple[list[Span], int]:
    if isinstance(form, SelfEvaluation):
        return layout_self_evaluation(form)
    return layout_declaration(form)


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
