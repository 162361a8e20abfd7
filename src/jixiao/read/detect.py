"""Which text rendering is this? Decided by content, never by file name.

Step 1 of the pipeline, after decoding. The renderings differ in shape: HTML has
`<table>`, markdown has pipe rows with a `---` separator, converter TSV has tabs on
most table lines, JSON starts with `[` or `{`; what remains is plain text as pdftotext
prints it.
"""

from __future__ import annotations

import re

from jixiao.read.sniff import Format

_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
SAMPLE_CHARS = 400_000  # the characters of a text that tell its format


def detect_text_format(text: str) -> Format:
    """One of the text formats: json, html, markdown, tsv, plain."""
    sample = text[:SAMPLE_CHARS]
    head = sample.lstrip("\ufeff \t\r\n")
    if head[:1] in ("[", "{"):
        return Format.JSON
    if _TABLE_TAG.search(sample):
        return Format.HTML
    # The non-blank lines, counted by C-level filters: every file read is told apart here.
    lines = list(filter(str.strip, sample.splitlines()))
    # (The separator needs a run of three dashes: a C scan finds whether there is one
    # before the pattern is tried at every line.)
    has_separator = "---" in sample and _PIPE_SEPARATOR.search(sample) is not None
    if has_separator or ("|" in sample and _pipe_share(lines) > 0.3):
        return Format.MARKDOWN
    if lines and "\t" in sample:
        tabbed = sum(1 for line in lines if "\t" in line)
        if tabbed / len(lines) >= 0.2:
            return Format.TSV
    return Format.PLAIN


def _pipe_share(lines: list[str]) -> float:
    """The share of the non-blank `lines` that are pipe rows."""
    if not lines:
        return 0.0
    piped = sum(1 for line in lines if line.lstrip().startswith("|") and line.count("|") >= 3)
    return piped / len(lines)
