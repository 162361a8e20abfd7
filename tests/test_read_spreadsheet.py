"""Spreadsheets: the gold forms written as the official Excel layout read back exactly
(.xlsx one form per sheet and stacked on one sheet, and .xls and .ods as LibreOffice
saves them), numbers as displayed, and hostile files as findings in bounded time."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from jixiao.cli import main
from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.model import Form
from jixiao.pipeline import ReadResult, read_bytes
from jixiao.read.grid import Grid
from jixiao.read.sniff import Format, sniff_binary
from jixiao.read.spreadsheet import (
    MAX_ROWS,
    cell_ref,
    display_date,
    display_number,
    parse_area,
    read_spreadsheet,
)
from tests.conftest import GOLD
from tests.support.libreoffice import required as soffice_required
from tests.support.libreoffice import soffice
from tests.support.office_xlsx import (
    STRAY_NOTE,
    compound_file,
    convert,
    encrypted_package,
    encrypted_xls,
    ods_content,
    ods_package,
    with_vba_project,
    write_xlsx,
    xlsx_bytes,
    zip_bomb,
)
from tests.test_read_gold import _normalise


def _gold() -> tuple[list[Form], list[dict[str, Any]]]:
    forms: list[Form] = []
    records: list[dict[str, Any]] = []
    for path in GOLD:
        data = json.loads(path.read_text("utf-8"))
        read, findings = forms_from_exchange(data, path.name)
        assert not findings
        forms.extend(read)
        records.extend(data)
    return forms, records


GOLD_FORMS, GOLD_RECORDS = _gold()


def _assert_gold(result: ReadResult) -> None:
    assert not result.errors, result.errors
    assert len(result.forms) == len(GOLD_RECORDS) == 51
    for form, record in zip(result.forms, GOLD_RECORDS, strict=True):
        expected = {k: v for k, v in record.items() if k not in ("seed", "ordinal")}
        got = form_to_exchange(form, extras=False)
        assert _normalise(got) == _normalise(expected), (record["seed"], record["ordinal"])


# ---- numbers and dates as displayed ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (40.05, "0.00", "40.05"),
        (40, "0.00", "40.00"),
        (12.1, "0.00", "12.10"),
        (40.05, "0", "40"),
        (40.5, "0", "41"),  # half up, as Excel rounds what it shows
        (2.675, "0.00", "2.68"),  # the float is 2.67499…; Excel shows its 15 digits rounded
        (1.005, "0.00", "1.01"),
        (95.50000000000001, "0.00", "95.50"),
        (1047173000, "#,##0.00", "1,047,173,000.00"),
        (1047173000.0, "#,##0", "1,047,173,000"),
        (999.995, "#,##0.00", "1,000.00"),
        (0.955, "0.00%", "95.50%"),
        (0.5, "0%", "50%"),
        (100.0, "General", "100"),
        (100.0, None, "100"),
        (100, "General", "100"),
        (0.1 + 0.2, "General", "0.3"),
        (1.23e-7, "General", "0.000000123"),
        (-3.5, "General", "-3.5"),
        (1.5, "0.0#", "1.5"),
        (1.256, "0.0#", "1.26"),
        (0.5, "#.00", ".50"),
        (0.5, "0.00", "0.50"),
        (12, "#.##", "12."),
        (1500000, "#,##0,", "1,500"),
        (-5, "¥#,##0.00", "-¥5.00"),
        (5, "[$¥-804]#,##0.00", "¥5.00"),
        (-5, "#,##0.00;(#,##0.00)", "(5.00)"),
        (-12.1, "0.00_);[Red]\\(0.00\\)", "(12.10)"),
        (12.1, "0.00_);[Red]\\(0.00\\)", "12.10"),
        (1234.5, "[Red]#,##0.00", "1,234.50"),
        (12.1, '0.00"万元"', "12.10万元"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (40.05, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "40.05"),
        (-40.05, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-40.05"),
        (0, "0.00;-0.00;", ""),  # an empty zero section shows nothing
        (-0.001, "0.00", "0.00"),
        (5, "@", "5"),
        (1234, "0.00E+00", "1234"),
        (3, "yyyy-mm-dd", "3"),  # a date format on a number no calendar has
        (Decimal("1e30"), "0.00", "1000000000000000000000000000000.00"),
    ],
)
def test_numbers_show_as_their_format_displays_them(
    value: float | int | Decimal, number_format: str | None, shown: str
) -> None:
    assert display_number(value, number_format) == shown


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (dt.date(2024, 1, 1), 'yyyy"年"m"月"d"日"', "2024年1月1日"),
        (dt.datetime(2024, 1, 1), "yyyy\\年mm\\月dd\\日", "2024年01月01日"),
        (dt.datetime(2026, 12, 31), '[DBNum1][$-804]yyyy"年"m"月"d"日"', "2026年12月31日"),
        (dt.datetime(2024, 3, 5), 'yyyy"年"m"月"', "2024年3月"),
        (dt.datetime(2024, 1, 1), "mm-dd-yy", "2024-01-01"),  # Western: ISO, century kept
        (dt.datetime(2024, 1, 1), "yyyy/m/d", "2024-01-01"),
        (dt.datetime(2024, 1, 1, 13, 5), "yyyy-mm-dd h:mm", "2024-01-01 13:05:00"),
        (dt.datetime(2024, 1, 1, 13, 5), 'yyyy"年"m"月"d"日" h:mm', "2024年1月1日 13:05"),
        (dt.time(8, 30), "h:mm", "08:30:00"),
        (dt.date(2024, 1, 1), None, "2024-01-01"),
    ],
)
def test_dates_show_as_a_chinese_format_writes_them_else_as_iso(
    value: dt.date | dt.time, number_format: str | None, shown: str
) -> None:
    assert display_date(value, number_format) == shown


def test_cell_references_and_print_areas() -> None:
    assert [cell_ref(0, 0), cell_ref(11, 1), cell_ref(0, 25), cell_ref(0, 26)] == [
        "A1",
        "B12",
        "Z1",
        "AA1",
    ]
    assert parse_area("'表 1'!$B$2:$E$10", "!") == (1, 1, 9, 4)
    assert parse_area("'a,b'!$A$1:$B$2,'a,b'!$D$5:$E$6", "!") == (0, 0, 5, 4)
    assert parse_area("$表1.$A$1:.$I$30", ".") == (0, 0, 29, 8)
    assert parse_area("Sheet1!$A:$C", "!") == (0, 0, 1 << 30, 2)
    assert parse_area(None, "!") is None
    assert parse_area("#REF!", "!") is None


# ---- the gold forms as workbooks -----------------------------------------------------------


@pytest.mark.parametrize("variant", ["sheets", "stacked"])
def test_gold_forms_read_back_from_xlsx(variant: str, tmp_path: Path) -> None:
    path = write_xlsx(GOLD_FORMS, tmp_path / f"{variant}.xlsx", variant=variant)  # type: ignore[arg-type]
    result = read_bytes(path.read_bytes(), path.name)
    assert result.format == "xlsx"
    _assert_gold(result)


def test_forms_keep_their_sheet_and_cell() -> None:
    result = read_bytes(xlsx_bytes(GOLD_FORMS[:3], variant="sheets"), "three.xlsx")
    assert [f.source.page for f in result.forms] == [1, 2, 3]
    first = result.forms[0].indicators[0]
    # Title, year, 2 header rows, 5 funds rows, 2 goal rows, the indicator header: row 13.
    assert first.source.page == 1 and first.source.cell == "A13"
    assert first.source.line is None


def test_hidden_sheets_and_what_is_outside_the_print_area_are_not_read() -> None:
    data = xlsx_bytes(GOLD_FORMS[:2], variant="sheets", hidden_copy=True)
    grid = read_spreadsheet(data, "hidden.xlsx")
    assert isinstance(grid, Grid)
    rows = list(grid.rows)
    assert {row.page for row in rows} == {1, 2}  # sheet 3 is hidden
    texts = [cell.text for row in rows for cell in row.cells]
    assert STRAY_NOTE not in texts and texts.count("财政项目支出绩效自评表") == 2
    assert len(read_bytes(data, "hidden.xlsx").forms) == 2


def test_merged_cells_are_one_cell_with_their_spans_as_in_html() -> None:
    grid = read_spreadsheet(xlsx_bytes(GOLD_FORMS[:1]), "one.xlsx")
    assert isinstance(grid, Grid)
    cells = {cell.ref: cell for row in grid.rows for cell in row.cells}
    title = cells["A1"]
    assert (title.text, title.colspan, title.rowspan) == ("财政项目支出绩效自评表", 9, 1)
    level1 = cells["A13"]  # 产出指标 over its indicator rows
    assert level1.text == "产出指标" and level1.rowspan > 1 and "A14" not in cells
    assert all(cell.line is None and cell.page == 1 for cell in cells.values())


def test_line_breaks_in_a_cell_join_as_other_readers_join_them() -> None:
    # The `sheets` style breaks long texts every 24 characters (Alt+Enter).
    grid = read_spreadsheet(xlsx_bytes(GOLD_FORMS[:1]), "one.xlsx")
    assert isinstance(grid, Grid)
    texts = [cell.text for row in grid.rows for cell in row.cells]
    assert not any("\n" in text for text in texts)
    goal = GOLD_FORMS[0].goal_expected
    assert goal is not None and len(goal) > 24
    # A break between two Latin letters or digits gets its space back, as elsewhere.
    assert goal.replace(" ", "") in [t.replace(" ", "") for t in texts]


def test_a_text_that_looks_like_a_formula_stays_text() -> None:
    # Gold targets such as "=100.00(%)": written as text, read as text, never evaluated.
    targets = [i.target for f in GOLD_FORMS for i in f.indicators if (i.target or "")[:1] == "="]
    assert targets
    result = read_bytes(xlsx_bytes(GOLD_FORMS), "formula-like.xlsx")
    read = [i.target for f in result.forms for i in f.indicators if (i.target or "")[:1] == "="]
    assert read == targets


def test_a_formula_cell_reads_as_its_cached_value_and_is_never_evaluated(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "=1+1"  # openpyxl caches no value: Excel would, jixiao never computes
    sheet["A2"] = 3
    path = tmp_path / "formula.xlsx"
    book.save(path)
    grid = read_spreadsheet(path.read_bytes(), path.name)
    assert isinstance(grid, Grid)
    assert [c.text for row in grid.rows for c in row.cells] == ["3"]


# ---- .xls and .ods as LibreOffice saves them ------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if soffice() is None:
        if soffice_required():
            pytest.fail(
                "LibreOffice (soffice) is required under CI: apt-get install libreoffice-calc-nogui"
            )
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    folder = tmp_path_factory.mktemp("libreoffice")
    out: dict[str, Path] = {}
    for variant in ("sheets", "stacked"):
        source = write_xlsx(
            GOLD_FORMS, folder / f"{variant}.xlsx", variant=variant, hidden_copy=True
        )  # type: ignore[arg-type]
        for target in ("xls", "ods"):
            outdir = folder / f"{variant}-{target}"
            outdir.mkdir()
            out[f"{variant}.{target}"] = convert(source, target, outdir)
    return out


@pytest.mark.parametrize("name", ["sheets.xls", "stacked.xls", "sheets.ods", "stacked.ods"])
def test_gold_forms_read_back_from_libreoffice_files(converted: dict[str, Path], name: str) -> None:
    path = converted[name]
    data = path.read_bytes()
    assert sniff_binary(data) == Format(path.suffix[1:])
    result = read_bytes(data, name)
    assert result.format == path.suffix[1:]
    _assert_gold(result)  # the hidden copy of the first form is skipped here too


def test_libreoffice_files_keep_sheets_merges_and_print_areas(converted: dict[str, Path]) -> None:
    for name in ("sheets.xls", "sheets.ods"):
        grid = read_spreadsheet(converted[name].read_bytes(), name)
        assert isinstance(grid, Grid)
        rows = list(grid.rows)
        cells = {(c.page, c.ref): c for row in rows for c in row.cells}
        assert cells[(1, "A1")].colspan == 9
        assert cells[(1, "A13")].rowspan > 1
        assert STRAY_NOTE not in [c.text for c in cells.values()]
        assert max(row.page or 0 for row in rows) == 51


# ---- telling the formats apart -----------------------------------------------------------------


def test_compound_files_are_told_apart_by_their_directory() -> None:
    assert sniff_binary(compound_file({"Workbook": b"\x09\x08"})) is Format.XLS
    assert sniff_binary(compound_file({"Book": b"\x09\x08"})) is Format.XLS
    assert sniff_binary(compound_file({"WordDocument": b"x", "1Table": b"y"})) is Format.OLE2
    # A document whose text mentions "Workbook" is no workbook.
    mention = b"x" + "Workbook\0".encode("utf-16-le") * 20
    assert sniff_binary(compound_file({"Contents": mention})) is Format.OLE2
    assert sniff_binary(encrypted_package()) is Format.OLE2


def test_ods_is_told_by_its_mimetype_even_when_cut() -> None:
    data = ods_package(ods_content("<table:table table:name='a'/>"))
    assert sniff_binary(data) is Format.ODS
    assert sniff_binary(data[: len(data) // 2]) is Format.ODS


# ---- hostile and damaged files -----------------------------------------------------------------


def _only(result: ReadResult) -> tuple[str, str]:
    assert not result.forms
    assert len(result.findings) == 1, result.findings
    return result.findings[0].kind, result.findings[0].message


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    data = zip_bomb(70 << 20)  # 70 MB of zeros in about 70 KB
    start = time.perf_counter()
    kind, message = _only(read_bytes(data, "bomb.xlsx"))
    assert time.perf_counter() - start < 2
    assert kind == "input-too-large" and "解压后" in message and "64 MB" in message


def test_a_member_compressed_beyond_any_sheet_is_refused() -> None:
    kind, message = _only(read_bytes(zip_bomb(16 << 20), "ratio.xlsx"))
    assert kind == "input-too-large"
    assert "xl/worksheets/sheet1.xml" in message and "压缩比" in message


def test_a_truncated_workbook_is_named_as_such() -> None:
    data = xlsx_bytes(GOLD_FORMS[:2])
    result = read_bytes(data[: len(data) // 2], "cut.xlsx")
    assert result.format == "xlsx"
    kind, message = _only(result)
    assert kind == "unreadable-input" and "截断" in message


def test_a_corrupt_workbook_is_a_finding_not_an_exception() -> None:
    data = bytearray(xlsx_bytes(GOLD_FORMS[:2]))
    for at in range(200, len(data) - 200, 97):
        data[at] ^= 0x5A
    kind, message = _only(read_bytes(bytes(data), "corrupt.xlsx"))
    assert kind == "unreadable-input" and message.startswith("电子表格无法读取")


def test_damaged_bytes_never_raise() -> None:
    rng = random.Random(11)
    sources = [xlsx_bytes(GOLD_FORMS[:2]), ods_package(ods_content(_ODS_SAMPLE))]
    for data in sources:
        for k in range(24):
            damaged = bytearray(data)
            if k % 3 == 0:
                damaged = damaged[: rng.randrange(len(damaged))]
            else:
                for _ in range(rng.choice([1, 8, 64])):
                    damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            result = read_bytes(bytes(damaged), "damaged")
            assert result.forms or result.findings


def test_damaged_xls_and_ods_are_findings() -> None:
    assert _only(read_bytes(compound_file({"Workbook": b"\x00" * 64}), "bad.xls"))[0] == (
        "unreadable-input"
    )
    broken = ods_package("<office:document-content><unclosed>")
    kind, message = _only(read_bytes(broken, "bad.ods"))
    assert kind == "unreadable-input" and "OpenDocument" in message


def test_an_xlsm_is_read_and_its_macros_never_loaded() -> None:
    data = with_vba_project(xlsx_bytes(GOLD_FORMS[:3]))
    result = read_bytes(data, "macros.xlsm")
    assert result.format == "xlsx"
    assert [f.project for f in result.forms] == [f.project for f in GOLD_FORMS[:3]]
    assert not result.errors


def test_encrypted_workbooks_say_so() -> None:
    for data, name in ((encrypted_package(), "locked.xlsx"), (encrypted_xls(), "locked.xls")):
        kind, message = _only(read_bytes(data, name))
        assert kind == "unreadable-input" and "加密" in message, message


def _long_sheet(path: Path, rows: int, *, values: bool) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("长表")
    sheet.append(["财政项目支出绩效自评表"])
    for number in range(2, rows + 1):
        cell = WriteOnlyCell(sheet, value=number if values else None)
        cell.number_format = "0.00"
        sheet.append([cell])
    book.save(path)
    return path


def test_a_sheet_past_the_bounds_is_refused_with_its_place(tmp_path: Path) -> None:
    path = _long_sheet(tmp_path / "long.xlsx", MAX_ROWS + 5, values=True)
    kind, message = _only(read_bytes(path.read_bytes(), path.name))
    assert kind == "input-too-large"
    assert f"A{MAX_ROWS + 1}" in message and "长表" in message


def test_formatted_empty_rows_past_the_bounds_are_no_content(tmp_path: Path) -> None:
    path = _long_sheet(tmp_path / "styled.xlsx", MAX_ROWS + 5, values=False)
    kind, _ = _only(read_bytes(path.read_bytes(), path.name))
    assert kind == "no-form-found"


_CELL = "<table:table-cell office:value-type='string'><text:p>{}</text:p></table:table-cell>"
_ODS_SAMPLE = (
    "<table:table table:name='表1'>"
    "<table:table-row><table:table-cell table:number-columns-spanned='3'"
    " table:number-rows-spanned='2'><text:p>标题</text:p></table:table-cell>"
    "<table:covered-table-cell table:number-columns-repeated='2'/></table:table-row>"
    "<table:table-row><table:covered-table-cell table:number-columns-repeated='3'/>"
    "</table:table-row>"
    "<table:table-row table:number-rows-repeated='1048000'><table:table-cell"
    " table:number-columns-repeated='16384'/></table:table-row>"
    "<table:table-row>" + _CELL.format("末行") + "</table:table-row>"
    "<table:table-row><table:table-cell office:value-type='float' office:value='40.5'/>"
    "<table:table-cell><text:p>a<text:s text:c='2'/>b<text:line-break/>c</text:p>"
    "<office:annotation><text:p>批注</text:p></office:annotation></table:table-cell>"
    "</table:table-row></table:table>"
)


def test_ods_repeats_are_bounded_and_merges_kept() -> None:
    cell = _CELL
    body = _ODS_SAMPLE
    start = time.perf_counter()
    kind, message = _only(read_bytes(ods_package(ods_content(body)), "tail.ods"))
    assert kind == "input-too-large" and "A1048003" in message  # content after the tail
    assert time.perf_counter() - start < 2

    small = body.replace("1048000", "3")
    grid = read_spreadsheet(ods_package(ods_content(small)), "small.ods")
    assert isinstance(grid, Grid)
    cells = [(c.ref, c.text, c.colspan, c.rowspan) for row in grid.rows for c in row.cells]
    assert cells == [
        ("A1", "标题", 3, 2),
        ("A6", "末行", 1, 1),
        ("A7", "40.5", 1, 1),
        ("B7", "a b c", 1, 1),
    ]

    flood = (
        "<table:table table:name='表1'><table:table-row table:number-rows-repeated='1048000'>"
        + cell.format("满")
        + "</table:table-row></table:table>"
    )
    start = time.perf_counter()
    kind, _ = _only(read_bytes(ods_package(ods_content(flood)), "flood.ods"))
    assert kind == "input-too-large" and time.perf_counter() - start < 5


def test_hidden_ods_sheets_are_skipped() -> None:
    styles = (
        "<style:style style:name='ta2' style:family='table'>"
        "<style:table-properties table:display='false'/></style:style>"
    )
    body = (
        "<table:table table:name='shown'><table:table-row>"
        "<table:table-cell><text:p>看得见</text:p></table:table-cell></table:table-row></table:table>"
        "<table:table table:name='hidden' table:style-name='ta2'><table:table-row>"
        "<table:table-cell><text:p>看不见</text:p></table:table-cell></table:table-row></table:table>"
    )
    grid = read_spreadsheet(ods_package(ods_content(body, styles)), "h.ods")
    assert isinstance(grid, Grid)
    assert [(c.page, c.text) for row in grid.rows for c in row.cells] == [(1, "看得见")]


def test_an_empty_workbook_has_no_form(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    assert _only(read_bytes(path.read_bytes(), path.name))[0] == "no-form-found"


# ---- the command line ------------------------------------------------------------------------


def test_parse_and_check_read_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(GOLD_FORMS[:8], tmp_path / "forms.xlsx", variant="stacked")
    parsed = CliRunner().invoke(main, ["parse", "--json", str(path)])
    assert parsed.exit_code == 0, parsed.output
    records = json.loads(parsed.stdout)
    assert [r["project"] for r in records] == [f.project for f in GOLD_FORMS[:8]]
    assert records[0]["source"]["page"] == 1 and records[0]["source"]["file"] == str(path)

    summary = CliRunner().invoke(main, ["parse", str(path)])
    assert summary.exit_code == 0 and "鉴定、认定费" in summary.stdout

    checked = CliRunner().invoke(main, ["check", "--profile", "shanghai", str(path)])
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert checked.exit_code == 0, checked.output  # seed 000 has warnings only
    assert "共 8 张表单" in checked.stdout
