"""The findings workbook (`jixiao.export.findings_book`): one row per finding, read back
with openpyxl; and rendered once by LibreOffice into screenshots/, to be looked at."""

from __future__ import annotations

import io
import subprocess
from functools import cache

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from jixiao.catalogue import by_kind
from jixiao.export.findings_book import (
    FINDINGS_HEADER,
    WRAPPED_COLUMNS,
    field_label,
    finding_place,
    findings_xlsx,
)
from jixiao.export.listing import Value
from jixiao.intake import take_in_path
from tests.conftest import ROOT, SEEDS
from tests.support import libreoffice

SCREENSHOTS = ROOT / "screenshots"
KINDS = {"self_evaluation": "自评表", "declaration": "申报表"}


@cache
def seed_rows() -> tuple[tuple[Value, ...], ...]:
    """The findings of the seeds (read and reviewed as an import does), as the rows
    `/findings.xlsx` writes; the form's 编号 is its place among the seeds' forms."""
    rows = []
    number = 0
    for path in SEEDS:
        for reviewed in take_in_path(path, "shanghai").forms:
            number += 1
            form = reviewed.form
            for finding in reviewed.findings:
                source = finding.source
                place = finding_place(
                    form.kind,
                    page=source.page if source else None,
                    line=source.line if source else None,
                    cell=source.cell if source else None,
                    indicator=finding.indicator,
                    field=finding.field,
                )
                rows.append(
                    (
                        number,
                        KINDS[form.kind],
                        form.year,
                        form.department,
                        form.unit,
                        form.project,
                        finding.code,
                        by_kind(finding.kind).title,
                        finding.severity.label,
                        place,
                        finding.message,
                        finding.basis,
                    )
                )
    return tuple(rows)


def _link(value: Value) -> str | None:
    return f"http://jixiao.test/forms/{value}"


def test_place_names_page_line_cell_indicator_and_field() -> None:
    assert finding_place("self_evaluation") == "整张表单"
    assert finding_place("self_evaluation", field="total_score") == "总分"
    assert (
        finding_place(
            "self_evaluation", page=2, line=14, cell="C5", indicator="补贴发放人次", field="target"
        )
        == "第 2 页，第 14 行，单元格 C5，三级指标「补贴发放人次」，年度指标值"
    )
    assert finding_place("declaration", line=7, field="funds.annual_total") == (
        "第 7 行，年度资金申请总额"
    )


def test_field_labels_are_the_printed_ones() -> None:
    assert field_label("self_evaluation", "funds.total.executed") == "年度资金总额 全年执行数"
    assert field_label("self_evaluation", "grade") == "评分等级"
    assert field_label("self_evaluation", "note", indicator=True) == "偏差原因分析及改进措施"
    assert field_label("declaration", "no_such_field") is None
    assert field_label(None, "total_score") is None


def test_one_row_per_finding_with_its_form_and_rule() -> None:
    rows = seed_rows()
    assert len(rows) > 50
    sheet = load_workbook(io.BytesIO(findings_xlsx(rows, link=_link)))["问题清单"]
    assert [c.value for c in sheet[1]] == list(FINDINGS_HEADER)
    assert all(c.font.b for c in sheet[1])
    assert sheet.max_row == len(rows) + 1
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{len(rows) + 1}"
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values == [tuple(r) for r in rows]
    assert {v[8] for v in values} <= {"错误", "警告", "提示"}
    assert sheet["A2"].hyperlink.target == "http://jixiao.test/forms/1"
    # The long texts wrap within their bounded columns; their rows grow to show them.
    for column, bound in WRAPPED_COLUMNS.items():
        letter = "ABCDEFGHIJKL"[column]
        assert sheet.column_dimensions[letter].width <= bound
        assert sheet[f"{letter}2"].alignment.wrap_text
    tall = [n for n in range(2, sheet.max_row + 1) if (sheet.row_dimensions[n].height or 0) > 30]
    assert tall, "no row grew to show its wrapped message"
    assert sheet.page_setup.orientation == "landscape"


def test_rendered_by_libreoffice() -> None:
    """Its first page rendered (screenshots/findings-book.png) for a person to look at."""
    if libreoffice.soffice() is None:
        if libreoffice.required():
            pytest.fail("LibreOffice is required under CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    SCREENSHOTS.mkdir(exist_ok=True)
    book = SCREENSHOTS / "findings-book.xlsx"
    book.write_bytes(findings_xlsx(seed_rows(), link=_link))
    try:
        (pdf,) = libreoffice.convert([book], "pdf", SCREENSHOTS)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                str(pdf),
                str(SCREENSHOTS / "findings-book"),
            ],
            check=True,
        )
        info = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        assert "问题说明" in info.stdout and "规则编号" in info.stdout
    finally:
        book.unlink(missing_ok=True)
        (SCREENSHOTS / "findings-book.pdf").unlink(missing_ok=True)
    assert (SCREENSHOTS / "findings-book.png").stat().st_size > 10_000
