"""How figures and texts read on a page (present step): amounts, scores, comparisons,
file sizes, and code in a text (the catalogue's and the API's texts mark it with backticks).

One formatter per kind of figure, used by the templates (as filters) and by the rows
rendered in Python alike, so that a score prints the same way in the list, on the form
page and in the upload preview. The digits come from `jixiao.numbers`: nothing here
rounds.
"""

from __future__ import annotations

import re
from decimal import Decimal

from markupsafe import Markup, escape

from jixiao.numbers import money_text, score_text
from jixiao.web.labels import HIGHER, LOWER, Comparison

_CODE = re.compile(r"`([^`]+)`")
_KB = 1024
_MB = 1024 * 1024


def _decimal(value: Decimal | str | None) -> Decimal | None:
    # The preview's rows are the API's records, whose numbers are decimal strings.
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def money(value: Decimal | str | None) -> str:
    """An amount as an official table prints it (jixiao.numbers.money_text)."""
    amount = _decimal(value)
    return "" if amount is None else money_text(amount)


def score(value: Decimal | str | None) -> str:
    """A score, weight or rate with its two decimals (jixiao.numbers.score_text)."""
    number = _decimal(value)
    return "" if number is None else score_text(number)


def versus(reference: Decimal | str | None, printed: Decimal | str | None) -> Comparison | None:
    """How a reference score compares with the printed one, when they differ."""
    ref, shown = _decimal(reference), _decimal(printed)
    if ref is None or shown is None or ref == shown:
        return None
    return HIGHER if ref > shown else LOWER


def compared(reference: Decimal | str | None, printed: Decimal | str | None) -> Markup:
    """A reference score, marked ▲/▼ with its words when it differs from the printed one
    (the form page, the list and the upload preview show it the same way); nothing when
    there is no reference score, so that the cell stays empty."""
    if reference is None or reference == "":
        return Markup("")
    c = versus(reference, printed)
    if c is None:
        return Markup('<span class="ref">{}</span>').format(score(reference))
    return Markup(
        '<span class="ref {}" title="{}">{}<span class="arrow" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">（{}）</span></span>'
    ).format(c.css, c.words, score(reference), c.arrow, c.words)


def size_text(size: float) -> str:
    """A file size as a user reads it: `312 字节`, `4.2 KB`, `64.0 MB` (never `0.0 KB`)."""
    if size < _KB:
        return f"{int(size)} 字节"
    if size < _MB:
        return f"{size / _KB:.1f} KB"
    return f"{size / _MB:.1f} MB"


def inline_markdown(text: str) -> Markup:
    """`text` as HTML: each `code` span in backticks as <code>, the rest escaped."""
    parts: list[Markup] = []
    last = 0
    for match in _CODE.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup("<code>{}</code>").format(match.group(1)))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
