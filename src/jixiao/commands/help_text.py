"""Help text in Chinese (command line edge): click's formatter with 「用法：」, headings
that end in 「：」, and widths counted as a terminal shows them (a CJK character takes two
columns), so Chinese help wraps and aligns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from jixiao.vocabulary.width import wide_count

_WIDE = "\u2e81-\U0010ffff"  # what `vocabulary.width` counts wide
# A line never starts with closing punctuation, nor ends with opening punctuation.
_CLOSING = frozenset("，。、；：？！）」』》】")
_OPENING = frozenset("（「『《【")
_JOINING = frozenset("～")  # a range 「1～64」 stays on one line
# Units a line may break between: spaces, a run of narrow text (a word, an option, a
# path stays whole), one wide character.
_UNIT = re.compile(rf"\s+|[^\s{_WIDE}]+|\S")
# A line break inside a paragraph between two CJK characters is no space.
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*\n\s*(?=[{_WIDE}])")


def columns(text: str) -> int:
    """The terminal columns `text` takes: a CJK character takes two."""
    return len(text) + wide_count(text)


def _units(text: str, cjk_breaks: bool) -> list[str]:
    units: list[str] = []
    glued = False  # the last unit was opening punctuation: the next one joins it
    for unit in _UNIT.findall(text) if cjk_breaks else re.findall(r"\s+|\S+", text):
        if unit.isspace():
            units.append(" ")
            glued = False
        elif units and (glued or (unit in _CLOSING | _JOINING and not units[-1].isspace())):
            units[-1] += unit
            glued = unit in _OPENING | _JOINING
        else:
            units.append(unit)
            glued = unit in _OPENING | _JOINING
    return units


def wrap(
    text: str, width: int, initial: str = "", subsequent: str = "", *, cjk_breaks: bool = True
) -> list[str]:
    """`text` filled into lines of at most `width` columns (a unit wider than the line
    gets a line of its own); `cjk_breaks=False` breaks at spaces only."""
    lines: list[str] = []
    indent, line, space = initial, "", False
    for unit in _units(text, cjk_breaks):
        if unit == " ":
            space = bool(line)
            continue
        piece = f" {unit}" if space else unit
        if line and columns(indent + line + piece) > width:
            lines.append(indent + line)
            indent, line = subsequent, unit
        else:
            line += piece
        space = False
    lines.append(indent + line)
    return lines


def fill(text: str, width: int, indent: str = "") -> list[str]:
    """Paragraphs (split at blank lines) filled to `width`, a blank line between them; a
    paragraph whose first line is `\\b` is kept as written (click's convention)."""
    out: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if out:
            out.append("")
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out.extend(indent + line for line in lines[1:])
        else:
            out.extend(wrap(_CJK_BREAK.sub("", paragraph), width, indent, indent))
    return out


class HelpFormatter(click.HelpFormatter):
    """click's formatter with Chinese headings and CJK-aware widths (click counts a CJK
    character as one column, so Chinese help ran past the terminal and lost alignment)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "用法：" if prefix is None else prefix
        lead = f"{prefix:>{self.current_indent}}{prog} "
        if not args:
            self.write(lead.rstrip(" ") + "\n")
            return
        text_width = self.width - self.current_indent
        if text_width >= columns(lead) + 20:
            lines = wrap(args, text_width, lead, " " * columns(lead), cjk_breaks=False)
        else:
            # The program name is too long: the arguments go below it.
            indent = " " * (max(self.current_indent, columns(prefix)) + 4)
            lines = [lead.rstrip(" "), *wrap(args, text_width, indent, indent, cjk_breaks=False)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(fill(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(columns(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = fill(second, max(self.width - first_col - 2, 10))
            hanging = " " * (first_col + self.current_indent)
            self.write(
                "\n".join([lines[0], *(hanging + line if line else "" for line in lines[1:])])
            )
            self.write("\n")


class Context(click.Context):
    formatter_class = HelpFormatter
