"""`<option>` lists of the filter selects, built once per list of values.

The department list of a large database has a few hundred entries; rendering them with
the template on every request cost more than the page's query. The HTML of a list is
cached, and the chosen value is marked by a string replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape

from markupsafe import Markup


@lru_cache(maxsize=16)
def _options(pairs: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in pairs
    )


def options(pairs: Sequence[tuple[str, str]], selected: str | None) -> Markup:
    """The options (value, label), the one whose value is `selected` marked so."""
    html = _options(tuple(pairs))
    if selected:
        mark = f'<option value="{escape(selected)}">'
        html = html.replace(mark, mark[:-1] + " selected>", 1)
    return Markup(html)
