"""Forms exported as files, one front door for every format (the export step's edge).

`export_forms(forms, fmt, layout)` writes forms in the official layout as Excel, PDF,
Word or CSV, or as the exchange JSON (`jixiao.exchange`, every field, sources too), and
`file_name` names the file. Both work from the model (`jixiao.model.Form`), never from
stored rows, and know nothing of the web or the command line that call them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence

from jixiao.exchange import form_to_exchange
from jixiao.export.form_csv import write_csv
from jixiao.export.form_docx import write_docx
from jixiao.export.form_pdf import write_pdf
from jixiao.export.form_xlsx import write_xlsx
from jixiao.export.layout import Layout
from jixiao.model import Form

FORMATS = ("xlsx", "pdf", "docx", "json", "csv")

KIND_NAMES = {"self_evaluation": "自评表", "declaration": "申报表"}

# File names: at most this many bytes of UTF-8 (filesystems allow 255; the rest leaves
# room for a caller's 「（2）」 and a temporary suffix), and none of the characters
# Windows, macOS or Linux refuse, nor control characters.
_NAME_BYTES = 180
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")


def _json(forms: Sequence[Form], layout: Layout) -> bytes:
    del layout  # the exchange format has no layout
    records = [form_to_exchange(form) for form in forms]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


_WRITERS: dict[str, Callable[[Sequence[Form], Layout], bytes]] = {
    "xlsx": write_xlsx,
    "pdf": write_pdf,
    "docx": write_docx,
    "json": _json,
    "csv": write_csv,
}


def export_forms(forms: Sequence[Form], fmt: str, layout: Layout) -> bytes:
    """`forms` as one file of format `fmt` (one of `FORMATS`) in `layout`.

    Raises `ValueError` for an unknown format, and `form_pdf.PdfUnavailable` for a PDF
    when reportlab or a CJK TrueType font is not installed."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"未知的导出格式「{fmt}」；可用的格式：{'、'.join(FORMATS)}")
    return writer(forms, layout)


def file_name(form: Form, fmt: str) -> str:
    """A file name for `form` exported as `fmt`: unit, project, kind and year
    (`上海市某中心_鉴定、认定费_自评表_2024年度.xlsx`), safe on every filesystem, cut to a
    bounded length (the project name gives way first), never empty."""
    kind = KIND_NAMES[form.kind]
    year = f"{form.year}年度" if form.year is not None else ""
    unit = _clean(form.unit or form.department or "")
    project = _clean(form.project) or "未命名项目"
    extension = "." + _clean(fmt).lower() if _clean(fmt) else ""
    tail = "_".join(part for part in (kind, year) if part) + extension
    room = _NAME_BYTES - len(tail.encode("utf-8")) - 2  # two separators
    # When both do not fit, the unit keeps at least a third of the room and the project
    # the rest: the project is what tells one unit's files apart.
    project_bytes = len(project.encode("utf-8"))
    unit = _cut(unit, max(room - project_bytes, room // 3))
    project = _cut(project, room - len(unit.encode("utf-8")))
    # The kind is always in the name, so it is never a device name of Windows (CON …).
    return "_".join(part for part in (unit, project, tail) if part)


def _clean(text: str) -> str:
    """`text` with what a file name cannot hold replaced and the ends a name cannot
    start or end with (spaces, dots) removed."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text)
    text = _SPACES.sub(" ", text)
    return text.strip(" ._")


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a character boundary."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: max(limit, 0)].decode("utf-8", "ignore").rstrip(" ._")
