"""A large text rendering cut at its forms' titles, so that several cores read it.

Part of the pipeline's front door (`pipeline`), for the commands that read on `--jobs`
processes. Only renderings whose rows are read line by line are cut (converter TSV and
markdown pipe tables): the pdftotext reader learns column widths across the document and
HTML nests, so cutting those could change what is read. Each part starts at a title line
and is read with its first line and its first form's number as in the whole file.

A cut is only right if each part holds exactly the forms its titles start, and if no
form at the start of a part takes its year from a neighbour it no longer sees: `fits`
checks both on what was read, and the caller reads the file whole when a part does not
fit. So the output with parts is the output without them, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.catalogue import ENCODING_FALLBACK, YEAR_INFERRED
from jixiao.findings import Finding
from jixiao.pipeline import ReadResult, read_part
from jixiao.read.decode import decode
from jixiao.read.detect import detect_text_format
from jixiao.read.sniff import Format, sniff_binary
from jixiao.read.text import clean_cell
from jixiao.vocabulary.labels import title_kind
from jixiao.vocabulary.normalise import label_key

# Files smaller than this are read whole: a part costs a process hand-over.
MIN_BYTES = 1 << 20
PART_BYTES = 1 << 18  # no smaller parts than this
CUT_FORMATS = frozenset({Format.TSV, Format.MARKDOWN})
# A line that may hold a form's title: the title words, in a cell of their own.
_TITLE_HINT = re.compile(r"绩效.{0,12}(?:自评表|目标申报表|目标表)")
_CELL_SPLIT = re.compile(r"\t|\|")


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a file: its text, where it starts, how many titles it holds."""

    name: str
    format: Format
    text: str
    first_line: int
    first_form: int
    titles: int


@dataclass(frozen=True, slots=True)
class Plan:
    """A file cut into parts, and what decoding it found (said once, for the file)."""

    parts: tuple[Part, ...]
    findings: tuple[Finding, ...]


def plan(data: bytes, name: str, pieces: int, *, min_bytes: int = MIN_BYTES) -> Plan | None:
    """Cut a large TSV or markdown file into about `pieces` parts at its titles; None when
    it should be read whole (small, another format, fewer than two titles)."""
    if pieces < 2 or len(data) < min_bytes or sniff_binary(data) is not Format.TEXT:
        return None
    text, encoding = decode(data)
    if text is None:
        return None
    fmt = detect_text_format(text)
    if fmt not in CUT_FORMATS:
        return None
    lines = text.splitlines(keepends=True)
    titles = [i for i, line in enumerate(lines) if _is_title(line)]
    if len(titles) < 2:
        return None
    count = min(pieces, len(titles), max(2, len(data) // PART_BYTES))
    starts = _balanced(titles, lines, count)
    parts = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        parts.append(
            Part(
                name=name,
                format=fmt,
                text="".join(lines[start:end]),
                first_line=start + 1,
                first_form=1 + sum(1 for t in titles if t < start),
                titles=sum(1 for t in titles if start <= t < end),
            )
        )
    findings: tuple[Finding, ...] = ()
    if encoding == "gb18030":
        findings = (ENCODING_FALLBACK.finding("文件不是 UTF-8 编码，已按 GB18030 解码", file=name),)
    return Plan(parts=tuple(parts), findings=findings)


def _is_title(line: str) -> bool:
    """The recogniser's own test of a title row (`title_kind` on its first two cells),
    after a quick look for the title words."""
    if not _TITLE_HINT.search(line):
        return False
    cells = [label_key(clean_cell(c)) for c in _CELL_SPLIT.split(line) if c.strip()]
    return any(title_kind(key) is not None for key in cells[:2])


def _balanced(titles: list[int], lines: list[str], count: int) -> list[int]:
    """`count` title lines to start parts at, the first part starting at line 0, so that
    the parts hold about as many characters each."""
    sizes = [len(line) for line in lines]
    total = sum(sizes)
    offsets = {}
    running = 0
    wanted = iter(titles)
    next_title = next(wanted, None)
    for index, size in enumerate(sizes):
        if index == next_title:
            offsets[index] = running
            next_title = next(wanted, None)
        running += size
    starts = [0]
    for k in range(1, count):
        goal = total * k / count
        best = min(titles, key=lambda t: abs(offsets[t] - goal))
        if best > starts[-1]:
            starts.append(best)
    return starts


def read(part: Part) -> ReadResult:
    return read_part(
        part.text, part.name, part.format, first_line=part.first_line, first_form=part.first_form
    )


def fits(part: Part, result: ReadResult, findings: Sequence[Finding] = ()) -> bool:
    """What was read of `part` is what the whole file's reading has there: one form per
    title, every form with a year it could see, (after the first part) no opening form
    taking its year from the forms after it, and no finding without a line among the
    reading's and `findings` (a review's), which the whole file would print first."""
    if len(result.forms) != part.titles:
        return False
    if any(form.year is None for form in result.forms):
        return False  # no year in the part to infer it from: the whole file may have one
    if any(f.line is None for f in (*result.findings, *findings)):
        return False  # the whole file sorts these first: they would move
    if part.first_line > 1:
        opening = result.first_form
        if any(f.code == YEAR_INFERRED.code and f.form == opening for f in result.findings):
            return False
    return True
