"""The list downloads (`jixiao.export.listing`): CSV and Excel a reviewer can work with.

Excel files are read back with openpyxl, as a user's spreadsheet would read them: the
values exact, each number printed with its stored decimals, the header bold and frozen,
the autofilter over the table, widths that fit Chinese, links to the forms, and no text
ever a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.export.listing import (
    MAX_WIDTH,
    Value,
    column_widths,
    csv_chunks,
    csv_text,
    number_format,
    text_width,
    xlsx_bytes,
)

HEADER = ("编号", "项目名称", "实施单位", "金额（万元）", "执行率(%)", "总分", "错误")
AMOUNTS = (3,)
ROWS: list[list[Value]] = [
    [
        1,
        "职业技能培训补贴",
        "上海市松江区就业促进中心",
        Decimal("104717.30"),
        Decimal("98.5"),
        90,
        0,
    ],
    [2, "数据中心运维", "某某中心", Decimal("2718.793263"), Decimal("100.00"), Decimal("95.25"), 2],
    [3, '=HYPERLINK("http://evil.test","点我")', None, Decimal("10"), None, None, 1],
]
FORMULA_LIKE = ("=1+1", "+86 21 1234", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR")


def _link(value: Value) -> str | None:
    return f"http://jixiao.test/forms/{value}"


def _sheet(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data)).active


def test_csv_defuses_text_a_spreadsheet_would_run() -> None:
    for text in FORMULA_LIKE:
        assert csv_text(text) == "'" + text
    # Numbers are numbers, whatever their sign; ordinary text is left alone.
    assert csv_text(Decimal("-12.50")) == "-12.50"
    assert csv_text(-3) == "-3"
    assert csv_text("职业培训") == "职业培训"
    assert csv_text(Decimal("0E-7")) == "0.0000000"  # never an exponent
    text = "".join(csv_chunks(HEADER, [[1, "=1+1", "@x", Decimal("1.50"), None, None, 0]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1][:4] == ["1", "'=1+1", "'@x", "1.50"]


def test_excel_values_and_number_formats_are_exact() -> None:
    sheet = _sheet(xlsx_bytes(HEADER, ROWS, amounts=AMOUNTS))
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert Decimal(str(values[0][3])) == Decimal("104717.30")
    assert Decimal(str(values[1][3])) == Decimal("2718.793263")
    # Each cell prints the decimals it was stored with; amounts at least two.
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["D3"].number_format == "#,##0.000000"
    assert sheet["D4"].number_format == "#,##0.00"  # 10 万元 prints 10.00
    assert sheet["E2"].number_format == "0.0"  # a rate of 98.5 stays 98.5
    assert sheet["E3"].number_format == "0.00"
    assert sheet["F3"].number_format == "0.00"
    assert sheet["F2"].value == 90 and sheet["F2"].number_format == "General"


def test_number_formats() -> None:
    assert number_format(Decimal("104717.30"), amount=True) == "#,##0.00"
    assert number_format(Decimal("5"), amount=True) == "#,##0.00"
    assert number_format(Decimal("2718.793263"), amount=True) == "#,##0.000000"
    assert number_format(Decimal("90"), amount=False) == "0"
    assert number_format(Decimal("95.5"), amount=False) == "0.0"


def test_excel_is_a_table_to_work_with() -> None:
    data = xlsx_bytes(HEADER, ROWS, amounts=AMOUNTS, link=_link)
    sheet = _sheet(data)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"
    assert all(cell.font.b for cell in sheet[1])
    assert [c.value for c in sheet[1]] == list(HEADER)
    # 编号 links to the form's page.
    assert [sheet[f"A{n}"].hyperlink.target for n in (2, 3, 4)] == [
        "http://jixiao.test/forms/1",
        "http://jixiao.test/forms/2",
        "http://jixiao.test/forms/3",
    ]
    assert sheet["A2"].value == 1
    assert sheet["B2"].hyperlink is None


def test_widths_fit_chinese_text() -> None:
    sheet = _sheet(xlsx_bytes(HEADER, ROWS, amounts=AMOUNTS))
    width = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    # A CJK character takes two width units: 「上海市松江区就业促进中心」 is 12 of them.
    assert 24 <= width["C"] <= 30
    assert width["B"] >= text_width(str(ROWS[2][1]))  # the widest value of its column
    assert width["A"] < 12  # 编号 and small numbers
    # 「104,717.30」 (10) is narrower than its header 「金额（万元）」 (12 units).
    assert width["D"] >= text_width("金额（万元）")
    assert text_width("上海市") == 6 and text_width("ab1") == 3
    long = column_widths(["名称"], [["很" * 100]])
    assert long == [float(MAX_WIDTH)]


def test_no_text_is_ever_a_formula() -> None:
    rows: list[list[Value]] = [
        [n, text, None, None, None, None, 0] for n, text in enumerate(FORMULA_LIKE)
    ]
    data = xlsx_bytes(HEADER, rows)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = _sheet(data)
    for n, text in enumerate(FORMULA_LIKE, start=2):
        cell = sheet[f"B{n}"]
        assert cell.data_type == "s"
        assert cell.value == text
        assert cell.quotePrefix  # editing the cell in Excel keeps it text


@pytest.mark.parametrize("name", ["表单列表", "问题清单"])
def test_sheet_name_and_empty_list(name: str) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(HEADER, [], sheet=name)))[name]
    assert [c.value for c in sheet[1]] == list(HEADER)
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:G1"


def test_ten_thousand_forms_in_one_workbook() -> None:
    """The list of 10,000 forms, shaped as `/forms.xlsx` writes it (17 columns, links)."""
    rows: list[list[Value]] = [
        [
            n,
            "自评表",
            2024,
            f"职业技能培训补贴项目{n}",
            "上海市松江区人力资源和社会保障局",
            "上海市松江区就业促进中心",
            Decimal("2718.793263"),
            Decimal("1158.10"),
            "元",
            Decimal("98.76"),
            Decimal("95.50"),
            Decimal("94.25"),
            "优",
            "优",
            0,
            1,
            2,
        ]
        for n in range(1, 10_001)
    ]
    header = [f"列{i}" for i in range(17)]
    # How fast is measured in benchmarks/export.py (speed is not asserted in tests).
    data = xlsx_bytes(header, rows, amounts=(6, 7), link=_link)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count("<row ") == 10_001
    assert sheet_xml.count("<hyperlink ") == 10_000
