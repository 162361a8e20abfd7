"""The goals block: its text split into the two cells pdftotext printed one after the other.

The step the state machine runs when the goals block ends. A self-evaluation's block is
预期目标 then 实际完成情况, split where the text says the first ends; a declaration's is
项目总目标 then 年度总体目标, split only where a line opens like the first did.
"""

from __future__ import annotations

import re

from jixiao.read.plaintext.lines import Line
from jixiao.read.text import join_lines
from jixiao.vocabulary.width import display_width

_TERMINAL = ("。", "；", ";", "！", "!", "？", "?")
# How a 实际完成情况 text usually opens; used to find where 预期目标 ends.
_ACTUAL_OPENING = re.compile(
    r"^(?:已|达到|达成|基本|完成|全面完成|圆满完成|实际|截至|截止|全年|本年|年内|当年|按时|项目已|"
    r"(?:19|20)\d{2}\s*年(?:度)?(?:共|全年|实际|完成|已|内|，|,|按|对|通过|服务|聘请|围绕|末))"
)


def split_goals(lines: list[Line]) -> tuple[str, str | None]:
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
        return _join([*lines[:-1], Line(0, first)]), second
    return _join(lines[:-1]), lines[-1].text.strip()


def split_declaration_goals(lines: list[Line]) -> tuple[str | None, str]:
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


def _join(lines: list[Line]) -> str:
    return join_lines([ln.text for ln in lines])
