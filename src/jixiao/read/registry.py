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
from jixiao.read.image import read_image
from jixiao.read.mhtml import read_mhtml
from jixiao.read.pdf import read_pdf
from jixiao.read.plaintext import read_plaintext
from jixiao.read.progress import Progress
from jixiao.read.sniff import IMAGE_FORMATS, Format
from jixiao.read.spreadsheet import SPREADSHEET_FORMATS, read_spreadsheet
from jixiao.read.wordprocessing import read_docx, read_ole2, read_rtf


@dataclass(frozen=True, slots=True)
class Document:
    """One input as a reader sees it."""

    name: str  # what findings and sources call it
    data: bytes
    text: str = ""  # the decoded text, for the text renderings
    progress: Progress | None = None  # told of each page read, for long documents


Reader = Callable[[Document], Grid | list[Finding]]

READERS: dict[Format, Reader] = {
    Format.TSV: lambda doc: read_delimited(doc.text, doc.name, Format.TSV),
    Format.MARKDOWN: lambda doc: read_delimited(doc.text, doc.name, Format.MARKDOWN),
    Format.HTML: lambda doc: read_html(doc.text, doc.name),
    Format.PLAIN: lambda doc: read_plaintext(doc.text, doc.name),
    Format.MHTML: lambda doc: read_mhtml(doc.data, doc.name),
    Format.PDF: lambda doc: read_pdf(doc.data, doc.name, doc.progress),
    Format.DOCX: lambda doc: read_docx(doc.data, doc.name),
    Format.RTF: lambda doc: read_rtf(doc.data, doc.name),
    Format.OLE2: lambda doc: read_ole2(doc.data, doc.name),
    **dict.fromkeys(IMAGE_FORMATS, lambda doc: read_image(doc.data, doc.name, doc.progress)),
    **dict.fromkeys(SPREADSHEET_FORMATS, lambda doc: read_spreadsheet(doc.data, doc.name)),
}
