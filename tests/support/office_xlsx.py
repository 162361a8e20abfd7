"""Forms written as the official Excel layout, and hostile office files, for the readers.

Test support for `jixiao.read.spreadsheet`. `write_xlsx` lays each form out with
`render.layout` — the same cells and spans the HTML/TSV/markdown renderings use (title
merged across the table, label-value rows, the 项目资金 block, the indicator table with
一级/二级 merged down their rows, 总分, 评分等级) — and writes those spans into a sheet as
merged ranges. Amounts are number cells formatted with as many decimals as the form
prints (`0.00`), so only a reader that shows numbers as displayed gets them back; dates
are date cells. Two layouts of a workbook: one form per sheet, or every form stacked on
one sheet with a blank row between; and a few styles, so the reader is keyed on no one
writer. `compound_file` builds OLE2 files (an encrypted package, an encrypted `.xls`)
that no tool here writes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from jixiao.model import Form
from tests.support import libreoffice
from tests.support.render import Span, layout

Variant = Literal["sheets", "stacked"]

_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Column widths of the two styles (characters), for the nine columns of the layout.
_WIDTHS = {"sheets": [10, 12, 26, 16, 16, 8, 10, 14, 14], "stacked": [18] * 9}
# Text in a wrapped cell keeps line breaks this often, as someone pressing Alt+Enter.
_WRAP_EVERY = 24
STRAY_NOTE = "草稿：此处在打印区域之外"


def write_xlsx(
    forms: Iterable[Form], path: Path, *, variant: Variant = "sheets", hidden_copy: bool = False
) -> Path:
    """Write `forms` to `path` as the official table layout.

    `sheets`: one form per sheet (表1, 表2 …), the print area set to the form and a note
    outside it, text wrapped with line breaks in long cells, dates `yyyy-mm-dd`.
    `stacked`: all forms on one sheet from column B, a blank row between two forms,
    amounts of a thousand and more as `#,##0.00`, dates `yyyy"年"m"月"d"日"`.
    `hidden_copy` adds a hidden sheet holding the first form again.
    """
    forms = list(forms)
    book = Workbook()
    sheet = book.active
    if variant == "sheets":
        for index, form in enumerate(forms, start=1):
            if index > 1:
                sheet = book.create_sheet()
            sheet.title = f"表{index}"
            rows = _write_form(sheet, form, top=1, left=1, variant=variant)
            sheet.print_area = f"A1:{get_column_letter(9)}{rows}"
            sheet.cell(row=1, column=12, value=STRAY_NOTE)
            _widths(sheet, variant, left=1)
    else:
        sheet.title = "汇总"
        top = 1
        for form in forms:
            top += _write_form(sheet, form, top=top, left=2, variant=variant) + 1
        _widths(sheet, variant, left=2)
    if hidden_copy and forms:
        hidden = book.create_sheet("隐藏")
        _write_form(hidden, forms[0], top=1, left=1, variant=variant)
        hidden.sheet_state = "hidden"
    book.save(path)
    return path


def _write_form(sheet: Any, form: Form, *, top: int, left: int, variant: Variant) -> int:
    """Write one form with its top-left corner at (`top`, `left`); the rows it takes."""
    spans, _width = layout(form)
    for span in spans:
        row, col = top + span.row, left + span.col
        cell = sheet.cell(row=row, column=col)
        _set_value(cell, span, variant)
        if span.rowspan > 1 or span.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + span.rowspan - 1,
                end_column=col + span.colspan - 1,
            )
    return max(s.row + s.rowspan for s in spans)


def _set_value(cell: Any, span: Span, variant: Variant) -> None:
    text = span.text
    if not text:
        return
    date = _ISO_DATE.match(text)
    if _NUMBER.match(text):
        number = Decimal(text)
        places = -number.as_tuple().exponent if "." in text else 0
        assert isinstance(places, int)
        decimals = "." + "0" * places if places else ""
        grouped = variant == "stacked" and abs(number) >= 1000
        cell.value = number
        cell.number_format = ("#,##0" if grouped else "0") + decimals
        return
    if date is not None:
        cell.value = dt.date(*map(int, date.groups()))
        cell.number_format = "yyyy-mm-dd" if variant == "sheets" else 'yyyy"年"m"月"d"日"'
        return
    wrapped = variant == "sheets" and len(text) > _WRAP_EVERY
    if wrapped:
        text = "\n".join(text[i : i + _WRAP_EVERY] for i in range(0, len(text), _WRAP_EVERY))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.value = text
    # A text such as "=100.00(%)" is a target, not a formula.
    cell.data_type = "s"


def _widths(sheet: Any, variant: Variant, *, left: int) -> None:
    for offset, width in enumerate(_WIDTHS[variant]):
        letter = get_column_letter(left + offset)
        sheet.column_dimensions[letter].width = width


def xlsx_bytes(forms: Iterable[Form], *, variant: Variant = "sheets", **kwargs: bool) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(forms, Path(folder) / "forms.xlsx", variant=variant, **kwargs)
        return path.read_bytes()


# ---- LibreOffice -------------------------------------------------------------------------


def convert(path: Path, target: str, outdir: Path) -> Path:
    """`path` converted by LibreOffice headless to `target` (xls, ods) in `outdir`."""
    (produced,) = libreoffice.convert([path], target, outdir, timeout=180)
    return produced


# ---- packages made by hand ------------------------------------------------------------------


def with_vba_project(xlsx: bytes) -> bytes:
    """The workbook as an `.xlsm`: a `xl/vbaProject.bin` part (bytes no one runs), its
    content type and relationship, and the macro-enabled workbook type."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"<Default ",
                    1,
                )
            elif entry.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(entry, data)
        # Not a real VBA project: the reader must never look inside it anyway.
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    return out.getvalue()


def zip_bomb(member_bytes: int, *, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A package whose `name` inflates to `member_bytes` of zeros (written in chunks, so
    building it costs no memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(member_bytes >> 20):
                member.write(chunk)
    return out.getvalue()


def ods_package(content_xml: str) -> bytes:
    """An OpenDocument spreadsheet holding `content_xml`: `mimetype` first and stored, as
    ODF requires."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content_xml)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def ods_content(body: str, styles: str = "") -> str:
    return (
        f"<office:document-content {ODS_NAMESPACES}>"
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )


_SECTOR = 512
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) with `streams` in its
    root storage. Each stream is padded to 4096 bytes, so none goes to the mini stream;
    at most three streams, so the directory fits in one sector."""
    assert 1 <= len(streams) <= 3
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's order
    sectors: list[bytes] = []
    fat: list[int] = [_FAT_SECTOR, _END]  # sector 0: the FAT, sector 1: the directory
    starts: list[int] = []
    for name in names:
        data = streams[name].ljust(4096, b"\0")
        count = -(-len(data) // _SECTOR)
        first = 2 + len(sectors)
        starts.append(first)
        for k in range(count):
            sectors.append(data[k * _SECTOR : (k + 1) * _SECTOR].ljust(_SECTOR, b"\0"))
            fat.append(first + k + 1 if k + 1 < count else _END)
    assert len(fat) <= _SECTOR // 4
    fat_sector = struct.pack(f"<{_SECTOR // 4}I", *fat, *[_FREE] * (_SECTOR // 4 - len(fat)))
    entries = [_entry("Root Entry", 5, _END, 0, child=1)]
    for k, name in enumerate(names):
        right = k + 2 if k + 1 < len(names) else _NO_STREAM
        entries.append(_entry(name, 2, starts[k], len(streams[name].ljust(4096, b"\0")), right))
    directory = b"".join(entries).ljust(_SECTOR, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", 0, *[_FREE] * 108)
    )
    assert len(header) == _SECTOR
    return header + fat_sector + directory + b"".join(sectors)


def _entry(
    name: str, kind: int, start: int, size: int, right: int = _NO_STREAM, child: int = _NO_STREAM
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NO_STREAM, right, child)
        + b"\0" * 16  # class id
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def encrypted_package() -> bytes:
    """What Excel (or Word) saves for a document with an open password: an OLE2 file
    holding `EncryptionInfo` and the `EncryptedPackage` (the real ones are AES)."""
    return compound_file(
        {
            "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>",
            "EncryptedPackage": struct.pack("<Q", 5000) + os.urandom(5000),
        }
    )


def encrypted_xls() -> bytes:
    """An Excel 97-2003 workbook with an open password: its globals start with a
    FILEPASS record (RC4), before which nothing can be read."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack(
        "<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6
    )
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + os.urandom(48)
    eof = struct.pack("<HH", 0x000A, 0)
    return compound_file({"Workbook": bof + filepass + eof})
