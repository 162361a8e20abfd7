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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jixiao.catalogue import ENCODING_FALLBACK, YEAR_INFERRED
from jixiao.findings import Finding
from jixiao.pipeline import ReadResult, read_part
from jixiao.read.decode import as_utf8, head_text
from jixiao.read.detect import SAMPLE_CHARS, detect_text_format
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
# The same words found in UTF-8 bytes: twelve characters are at most 48 bytes, so every
# line the hint finds is found here too (`_is_title` then tests the decoded line).
_TITLE_HINT_UTF8 = re.compile("绩效[^\n]{0,48}?(?:自评表|目标申报表|目标表)".encode())
_CELL_SPLIT = re.compile(r"\t|\|")
# Line breaks `str.splitlines` knows besides \n and \r\n, as UTF-8: a text holding one
# is read whole.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e]|\x85|\u2028|\u2029".encode() + rb"|\r(?!\n)")


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


@dataclass(frozen=True, slots=True)
class _Bound:
    start: int  # offsets in the UTF-8 bytes
    end: int
    first_line: int
    first_form: int
    titles: int


@dataclass(frozen=True, slots=True)
class Cuts:
    """Where a file's text is cut (`cuts`), its parts decoded one at a time as they are
    asked for: only the file's UTF-8 bytes and the part being read are held, never the
    whole text, nor all the parts."""

    name: str
    format: Format
    utf8: bytes
    bounds: tuple[_Bound, ...]
    findings: tuple[Finding, ...]

    def __iter__(self) -> Iterator[Part]:
        for bound in self.bounds:
            yield Part(
                name=self.name,
                format=self.format,
                text=self.utf8[bound.start : bound.end].decode("utf-8"),
                first_line=bound.first_line,
                first_form=bound.first_form,
                titles=bound.titles,
            )


def plan(data: bytes, name: str, pieces: int, *, min_bytes: int = MIN_BYTES) -> Plan | None:
    """Cut a large TSV or markdown file into about `pieces` parts at its titles; None when
    it should be read whole (small, another format, fewer than two titles)."""
    found = cuts(data, name, pieces, min_bytes=min_bytes)
    return None if found is None else Plan(parts=tuple(found), findings=found.findings)


def cuts(data: bytes, name: str, pieces: int, *, min_bytes: int = MIN_BYTES) -> Cuts | None:
    """Where to cut a large TSV or markdown file into about `pieces` parts (`plan`),
    found on its UTF-8 bytes (a UTF-8 file is never decoded whole, nor split into its
    lines); None when it is read whole."""
    if pieces < 2 or len(data) < min_bytes or sniff_binary(data) is not Format.TEXT:
        return None
    text = as_utf8(data)
    if text is None or _OTHER_BREAKS.search(text.data, text.start):
        return None  # lines numbered as `str.splitlines` numbers them: \n and \r\n only
    fmt = detect_text_format(head_text(text.data, text.start, SAMPLE_CHARS))
    if fmt not in CUT_FORMATS:
        return None
    titles = _titles(text.data, text.start)  # (offset, line number) of each title line
    if len(titles) < 2:
        return None
    total = len(text.data)
    count = min(pieces, len(titles), max(2, total // PART_BYTES))
    starts = _balanced(titles, text.start, total, count)
    bounds = []
    for number, (start, line) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else total
        bounds.append(
            _Bound(
                start=start,
                end=end,
                first_line=line,
                first_form=1 + sum(1 for offset, _ in titles if offset < start),
                titles=sum(1 for offset, _ in titles if start <= offset < end),
            )
        )
    findings: tuple[Finding, ...] = ()
    if text.encoding == "gb18030":
        findings = (ENCODING_FALLBACK.finding("文件不是 UTF-8 编码，已按 GB18030 解码", file=name),)
    return Cuts(name, fmt, text.data, tuple(bounds), findings)


def _titles(data: bytes, first: int) -> list[tuple[int, int]]:
    """The offset and the line number of each title line of the UTF-8 text that starts
    at `first` in `data`: the title words found by one scan of the bytes, each line they
    are on then decoded and tested whole."""
    found = []
    position = line_start = first
    line = 1
    while (hint := _TITLE_HINT_UTF8.search(data, position)) is not None:
        start = max(first, data.rfind(b"\n", first, hint.start()) + 1)
        end = data.find(b"\n", hint.end())
        end = len(data) if end < 0 else end + 1
        line += data.count(b"\n", line_start, start)
        line_start = start
        if _is_title(data[start:end].decode("utf-8")):
            found.append((start, line))
        position = end
    return found


def _is_title(line: str) -> bool:
    """The recogniser's own test of a title row (`title_kind` on its first two cells),
    after a quick look for the title words."""
    if not _TITLE_HINT.search(line):
        return False
    cells = [label_key(clean_cell(c)) for c in _CELL_SPLIT.split(line) if c.strip()]
    return any(title_kind(key) is not None for key in cells[:2])


def _balanced(
    titles: list[tuple[int, int]], first: int, total: int, count: int
) -> list[tuple[int, int]]:
    """`count` title lines (offset, line number) to start parts at, the first part
    starting at the text's start (`first`), so that the parts hold about as many bytes
    each."""
    starts = [(first, 1)]
    for k in range(1, count):
        goal = total * k / count
        best = min(titles, key=lambda title: abs(title[0] - goal))
        if best[0] > starts[-1][0]:
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
