"""The form list as CSV or Excel (export step): the current list, one row per form.

Takes plain rows (header names and values), so that it serves any list — the web page's
download, a command — without knowing where the rows came from. Headers are the
official Chinese terms. Amounts stay exact: CSV gets their decimal text, Excel gets
numbers written from the decimal text (openpyxl writes `Decimal` as its digits).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

# openpyxl ships no type information (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

Value = str | int | Decimal | None

# Excel opens a UTF-8 CSV as GBK unless it starts with a byte-order mark.
BOM = "\ufeff"


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Value]]) -> Iterator[str]:
    """CSV text in chunks of about a hundred rows (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else str(v) for v in row])
        if n % 100 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Value]], *, sheet: str = "表单列表"
) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        cells.append(cell)
    worksheet.append(cells)
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
