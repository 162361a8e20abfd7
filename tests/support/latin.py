"""Find the English a user would read: Latin words in a text, outside an allow list.

Shared by the tests that hold every page, the API reference and every CLI message to
Chinese. What a user reads as a name, not as English, is allowed: file formats and
standards (CSV, PDF, JSON), products (jixiao, PostgreSQL, Excel), what a user types
(command names, options, paths) and code shown as code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Names, not English: formats, products, standards and units a Chinese user reads as is.
ALLOWED = frozenset(
    {
        "jixiao",
        "CSV",
        "PDF",
        "JSON",
        "XLSX",
        "xlsx",
        "xlsm",
        "xls",
        "ods",
        "docx",
        "doc",
        "wps",
        "rtf",
        "html",
        "htm",
        "mhtml",
        "txt",
        "tsv",
        "md",
        "png",
        "jpg",
        "jpeg",
        "tif",
        "tiff",
        "pdf",
        "csv",
        "json",
        "toml",
        "TOML",
        "Excel",
        "Word",
        "WPS",
        "HTML",
        "TSV",
        "OCR",
        "API",
        "OpenAPI",
        "URL",
        "HTTP",
        "ID",
        "id",
        "SHA",
        "SQLite",
        "PostgreSQL",
        "LibreOffice",
        "Markdown",
        "KB",
        "MB",
        "GB",
        "Ctrl",
        "C",
        "j",
        "k",
        "A",
        "B",
        "x",
    }
)

_WORD = re.compile(r"(?<![\w./-])[A-Za-z][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*")
# What a user types or reads as an address, not as words: options, paths, URLs, code refs.
_TYPED = re.compile(
    r"(?:--?[A-Za-z][\w-]*(?:=\S*)?)"  # --json, -h
    r"|(?:[a-z][a-z0-9+]*://\S+)"  # an address: https://…, postgresql://…
    r"|(?:(?:\.{0,2}/)?[\w.-]*/[\w./{}-]+)"  # a path: /forms/{id}, ./jixiao.db
    r"|(?:[\w-]+\.(?:db|toml|json|txt|pdf|xlsx|csv|md|py))\b"  # a file name
    # an environment variable: JIXIAO_DATABASE_URL (a whole word: not the API of OpenAPI)
    r"|(?:(?<![A-Za-z0-9_])[A-Z_]{2,}[A-Z0-9_]*=?\S*)"
    r"|(?:[a-z]+-\d{4})"  # a profile name: national-2020
    r"|(?:\b[A-Z]{2}\d{3}\b)"  # a rule's code: SC003
)


def latin_words(text: str, allowed: frozenset[str] = ALLOWED) -> list[str]:
    """The Latin words of `text` a user would read as English, in order of appearance."""
    text = _TYPED.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in allowed]


class _Visible(HTMLParser):
    """The text a user reads on a page: its text and its readable attributes, without
    scripts, styles and code shown as code."""

    SKIPPED = frozenset({"script", "style", "code", "kbd", "pre", "svg"})
    ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping.append(tag)
        if self._skipping:
            return
        kinds = dict(attrs)
        # A button's value is its label; other values (an option's, a field's) are data.
        labelled = tag == "input" and kinds.get("type") in ("submit", "button", "reset")
        self.parts.extend(
            v for k, v in attrs if v and (k in self.ATTRIBUTES or (k == "value" and labelled))
        )

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader of the page sees, one part a line."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(part.strip() for part in parser.parts if part.strip())
