"""Cell text as printed: markup removed, converter breaks rejoined, nothing else changed.

Shared by every reader (step 2). The gold rule: a text stays as the form prints it
(ASCII and full-width punctuation are both kept); only what a converter added goes:
HTML tags and entities, and the line breaks it introduced. Between two CJK characters a
broken line joins with no space; a space the source clearly has is kept.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
_BLOCK_BOUNDARY = re.compile(
    r"\s*<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|tr|table|tbody|thead|span)\b[^<>]*>\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def strip_markup(text: str) -> str:
    """Remove HTML tags and entities; block boundaries join like broken lines."""
    if "<" in text:
        text = _BLOCK_BOUNDARY.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def join_lines(parts: list[str]) -> str:
    """Join the lines of one broken cell the way the gold records do."""
    out = ""
    for part in parts:
        piece = part.strip()
        if not piece:
            continue
        if out and _needs_space(out[-1], piece[0]):
            out += " "
        out += piece
    return out


def _needs_space(left: str, right: str) -> bool:
    # Only two Latin words or numbers split by a break get their space back.
    return bool(_ASCII_WORD.match(left) and _ASCII_WORD.match(right))


def needs_cleaning(text: str) -> bool:
    """Whether `clean_cell` changes more of `text`, tabs aside, than the spaces around
    it: markup, entities, line breaks, non-breaking or wide spaces, runs of spaces.

    A TSV reader asks it once of a whole line (whose tabs part its cells), and strips
    the cells of the many lines that need no more. Seven `in` tests, not one regex
    search: each is a C scan of the text, and together they cost a fraction of a regex
    alternation tried at every position."""
    return (
        "  " in text
        or "<" in text
        or "&" in text
        or "\n" in text
        or "\r" in text
        or "\u00a0" in text
        or "\u3000" in text
    )


def clean_cell(text: str) -> str:
    """A cell's printed text: markup out, breaks rejoined, runs of spaces collapsed."""
    if "\t" not in text and not needs_cleaning(text):
        return text.strip()
    if "<" in text or "&" in text:
        text = strip_markup(text)
    if "\n" in text or "\r" in text:
        text = join_lines(text.splitlines())
    return _SPACES.sub(" ", text).strip()
