"""Dispatch a detected text rendering to its reader; each returns a Grid.

Step 2 of the pipeline. Adding a reader (PDF, Excel, Word) means adding a function
that returns a Grid and a branch here: the recogniser does not change.
"""

from __future__ import annotations

from jixiao.read.delimited import read_delimited
from jixiao.read.grid import Grid


def grid_from_text(text: str, file: str, fmt: str) -> Grid:
    if fmt in ("tsv", "markdown"):
        return read_delimited(text, file, fmt)
    if fmt == "html":
        from jixiao.read.html import read_html

        return read_html(text, file)
    from jixiao.read.plaintext import read_plaintext

    return read_plaintext(text, file)
