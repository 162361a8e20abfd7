"""The table of readers: one row per format, each turning a document into a Grid.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify). A reader takes
the document (its name, its bytes, and for a text rendering its decoded text) and returns
a `Grid`, or findings saying why it could not; it never raises on user data and never
knows about the recogniser. A new format is one module and one row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jixiao.findings import Finding
from jixiao.read.delimited import read_delimited
from jixiao.read.grid import Grid
from jixiao.read.html import read_html
from jixiao.read.plaintext import read_plaintext
from jixiao.read.progress import Progress
from jixiao.read.sniff import IMAGE_FORMATS, SPREADSHEET_FORMATS, Format


@dataclass(frozen=True, slots=True)
class Document:
    """One input as a reader sees it."""

    name: str  # what findings and sources call it
    data: bytes
    text: str = ""  # the decoded text, for the text renderings
    progress: Progress | None = None  # told of each page read, for long documents
    first_line: int = 1  # the line `text` starts at (a part of a large file: `jixiao.parts`)


Reader = Callable[[Document], Grid | list[Finding]]

# The readers of binary documents import their libraries (PDFium, openpyxl, the OCR
# engine …) when a document of their format comes in, not when jixiao starts: a command
# reading text renderings starts in a fraction of the time.


def _mhtml(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.mhtml import read_mhtml

    return read_mhtml(doc.data, doc.name)


def _pdf(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.pdf import read_pdf

    return read_pdf(doc.data, doc.name, doc.progress)


def _docx(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.wordprocessing import read_docx

    return read_docx(doc.data, doc.name)


def _rtf(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.wordprocessing import read_rtf

    return read_rtf(doc.data, doc.name)


def _ole2(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.wordprocessing import read_ole2

    return read_ole2(doc.data, doc.name)


def _image(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.image import read_image

    return read_image(doc.data, doc.name, doc.progress)


def _spreadsheet(doc: Document) -> Grid | list[Finding]:
    from jixiao.read.spreadsheet import read_spreadsheet

    return read_spreadsheet(doc.data, doc.name)


READERS: dict[Format, Reader] = {
    Format.TSV: lambda doc: read_delimited(doc.text, doc.name, Format.TSV, doc.first_line),
    Format.MARKDOWN: lambda doc: read_delimited(
        doc.text, doc.name, Format.MARKDOWN, doc.first_line
    ),
    Format.HTML: lambda doc: read_html(doc.text, doc.name),
    Format.PLAIN: lambda doc: read_plaintext(doc.text, doc.name),
    Format.MHTML: _mhtml,
    Format.PDF: _pdf,
    Format.DOCX: _docx,
    Format.RTF: _rtf,
    Format.OLE2: _ole2,
    **dict.fromkeys(IMAGE_FORMATS, _image),
    **dict.fromkeys(SPREADSHEET_FORMATS, _spreadsheet),
}
