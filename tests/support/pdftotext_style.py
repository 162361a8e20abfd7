"""Render forms the way pdftotext prints report-generator PDFs (as seed 000 shows it).

Test support for the plain-text reader. The model, taken from the real output:
- a table row whose cells are all one line prints as one line, cells joined by a space;
- a wrapped cell is a block of its own, and the blocks of a row come in column order
  (a block left of the single-line run before it, one to the right after it); its lines
  are separated by a newline or a blank line, and its last line may run straight into
  the next line;
- vertical labels (一级/二级 categories, 年度总体目标) break into two-character fragments,
  each a paragraph, and the tail of a tall label can trail after the rows it spans;
- the two goal cells print one after the other, or on one line when both are short.
Where the real output varies, a seeded random choice picks the variant.
"""

from __future__ import annotations

import random
from decimal import Decimal

from jixiao.model import Declaration, Form, Indicator, SelfEvaluation
from jixiao.vocabulary.width import display_width

NAME_WIDTH = 14.0
VALUE_WIDTH = 6.0
NOTE_WIDTH = 6.0
GOAL_WIDTH = 24.0
UNIT_WIDTH = 13.0


def wrap(text: str, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    used = 0.0
    for ch in text:
        if used + display_width(ch) > width and current:
            lines.append(current)
            current, used = "", 0.0
        current += ch
        used += display_width(ch)
    if current:
        lines.append(current)
    return lines or [""]


def _vertical(label: str) -> list[str]:
    return [label[i : i + 2] for i in range(0, len(label), 2)]


def _dec(value: Decimal | None, dash: bool = False) -> str:
    if value is None:
        return "-" if dash else ""
    return str(value)


def _amount(value: Decimal | None) -> str:
    """Funds amounts print with thousands separators (seed 000: 109,491.00)."""
    return "" if value is None else f"{value:,}"


class _Out:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []

    def para(self, text: str) -> None:
        self.parts.append(text)

    def block(self, lines: list[str]) -> None:
        sep = self.rng.choice(["\n", "\n\n"])
        self.parts.append(sep.join(lines))

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def _row(out: _Out, cells: list[list[str]], joiner_after_block: bool) -> None:
    """Print one table row: runs of single-line cells joined, wrapped cells as blocks."""
    run: list[str] = []
    pieces: list[list[str]] = []
    for lines in cells:
        if len(lines) == 1:
            if lines[0]:
                run.append(lines[0])
            continue
        if run:
            pieces.append([" ".join(run)])
            run = []
        pieces.append(lines)
    if run:
        pieces.append([" ".join(run)])
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if (
            len(piece) > 1
            and joiner_after_block
            and i + 1 < len(pieces)
            and len(pieces[i + 1]) == 1
        ):
            # The last line of a wrapped block runs into the next line (seed 000: 节前).
            out.block(piece[:-1])
            out.parts.append(piece[-1] + "\n" + pieces[i + 1][0])
            i += 2
            continue
        if len(piece) > 1:
            out.block(piece)
        else:
            out.para(piece[0])
        i += 1


def _indicator_rows(out: _Out, indicators: tuple[Indicator, ...], scored: bool) -> None:
    rng = out.rng
    previous1 = previous2 = None
    trailing: list[str] = []
    for ind in indicators:
        new1 = ind.level1 != previous1
        new2 = new1 or ind.level2 != previous2
        if new1 or new2:
            for fragment in trailing:
                out.para(fragment)
            trailing = []
        if new1:
            for fragment in _vertical(ind.level1):
                out.para(fragment)
        if new2:
            fragments = _vertical(ind.level2)
            if len(fragments) > 3 and rng.random() < 0.5:
                # A label taller than its rows: its tail prints after them.
                trailing = fragments[-1:]
                fragments = fragments[:-1]
            for fragment in fragments:
                out.para(fragment)
        previous1, previous2 = ind.level1, ind.level2
        cells = [wrap(ind.name, NAME_WIDTH), wrap(ind.target or "", VALUE_WIDTH)]
        if scored:
            cells += [
                wrap(ind.actual or "", VALUE_WIDTH),
                [_dec(ind.weight)],
                [_dec(ind.score)],
            ]
            note = wrap(ind.note, NOTE_WIDTH) if ind.note else [""]
            cells.append(note)
        _row(out, cells, joiner_after_block=rng.random() < 0.5)
    for fragment in trailing:
        out.para(fragment)


def _goals(out: _Out, first: str | None, second: str | None) -> None:
    a = wrap(first or "", GOAL_WIDTH)
    b = wrap(second or "", GOAL_WIDTH)
    if len(a) == 1 and len(b) == 1 and first and second:
        out.para(f"{first} {second}")
        return
    for line in a + b:
        if line:
            out.para(line)


def render_self_evaluation(out: _Out, form: SelfEvaluation) -> None:
    out.para("财政项目支出绩效自评表")
    out.para(f"（{form.year}年度）")
    out.para(f"项目名称 {form.project}")
    unit = wrap(form.unit or "", UNIT_WIDTH)
    if len(unit) == 1:
        out.para(f"主管部门 {form.department} 实施单位 {unit[0]}")
    else:
        out.parts.append(f"主管部门 {form.department} 实施单位\n{unit[0]}")
        for line in unit[1:]:
            out.para(line)
    out.para("项目资金")
    out.para(f"（{form.funds_unit}）")
    out.para("年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分")
    labels = {
        "total": ["年度资金总额："],
        "appropriation": ["其中：当年财政", "拨款"],
        "carryover": ["上年结转资金"],
        "other": ["其他资金"],
    }
    for name, label in labels.items():
        row = form.funds.row(name)
        values = " ".join(
            [
                _amount(row.initial),
                _amount(row.adjusted),
                _amount(row.executed),
                _dec(row.weight, dash=True),
                _dec(row.rate),
                _dec(row.score, dash=True),
            ]
        )
        if len(label) == 1:
            out.para(f"{label[0]} {values}")
        else:
            out.para(label[0])
            out.parts.append(f"{label[1]}\n{values}")
    for fragment in ("年度", "总体", "目标"):
        out.para(fragment)
    out.para("预期目标 实际完成情况")
    _goals(out, form.goal_expected, form.goal_actual)
    out.parts.append("一级\n\n指标\n\n二级\n\n指标\n三级指标 年度指标值 实际完成值 分值 得分")
    out.para("偏差原因分析")
    out.para("及改进措施")
    _indicator_rows(out, form.indicators, scored=True)
    out.para(f"总分 {_dec(form.total_weight)} {_dec(form.total_score)}")
    out.para(f"评分等级 {form.grade or ''}")


def render_declaration(out: _Out, form: Declaration) -> None:
    out.para("财政项目支出绩效目标申报表")
    out.para(f"（{form.year}年度）")
    out.para(f"项目名称 {form.project} 项目性质 {form.nature} 项目类别 {form.category}")
    out.para(f"主管部门 {form.department} 实施单位 {form.unit}")
    start = form.start.isoformat() if form.start else ""
    end = form.end.isoformat() if form.end else ""
    out.para(f"计划开始日期 {start} 计划完成日期 {end}")
    f = form.funds
    out.para("项目资金")
    out.para(f"（{form.funds_unit}）")
    out.para(
        f"项目资金总额： {_dec(f.project_total)} 年度资金申请总额： {_dec(f.annual_total)}".replace(
            "  ", " "
        )
    )
    out.para(
        f"其中：财政资金 {_dec(f.project_fiscal)} 其中：当年财政拨款 {_dec(f.annual_appropriation)}".replace(
            "  ", " "
        )
    )
    out.para(f"上年结转资金 {_dec(f.annual_carryover)}")
    out.para(f"其他资金 {_dec(f.project_other)} 其他资金 {_dec(f.annual_other)}".replace("  ", " "))
    for fragment in ("项目", "绩效", "目标"):
        out.para(fragment)
    out.para("项目总目标 年度总体目标")
    _goals(out, form.goal_overall, form.goal_annual)
    out.parts.append("绩效\n\n指标\n\n一级指标 二级指标 三级指标 年度(/项目)指标值")
    _indicator_rows(out, form.indicators, scored=False)


def to_pdftotext(forms: list[Form], seed: int = 0) -> str:
    out = _Out(random.Random(seed))
    for form in forms:
        if isinstance(form, SelfEvaluation):
            render_self_evaluation(out, form)
        else:
            render_declaration(out, form)
    return out.text()
