"""The official layout as data: the shipped layouts, a layout file of one's own, and the
laid-out sheet every writer starts from."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.export.layout import (
    COLUMNS,
    Cell,
    Sheet,
    available_layouts,
    lay_out,
    load_layout,
    looks_like_formula,
    printable,
    printed_decimal,
)
from jixiao.model import Declaration, SelfEvaluation
from jixiao.vocabulary.width import display_width
from tests.export.helpers import LAYOUTS, all_gold_forms, first_of, layout
from tests.support import render


def _texts(sheet: Sheet, row: int) -> list[str]:
    return [c.text for c in sorted((c for c in sheet.cells if c.row == row), key=lambda c: c.col)]


def _at(sheet: Sheet, text: str) -> Cell:
    (cell,) = (c for c in sheet.cells if c.text == text)
    return cell


def test_the_shipped_layouts() -> None:
    assert available_layouts() == ["national", "shanghai"]
    national, shanghai = load_layout(), load_layout("shanghai")
    assert national.name == "national" and "财预〔2020〕10号" in national.basis
    assert national.self_evaluation.title == "项目支出绩效自评表"
    assert shanghai.self_evaluation.title == "财政项目支出绩效自评表"
    assert national.declaration.title == "项目支出绩效目标申报表"
    assert shanghai.declaration.title == "财政项目支出绩效目标申报表"
    # shanghai.toml gives only what differs; the rest comes from national.toml.
    assert shanghai.self_evaluation.labels["note"] == national.self_evaluation.labels["note"]
    assert shanghai.self_evaluation.labels["funds_weight"] == "分数"
    assert national.self_evaluation.labels["funds_weight"] == "分值"


def test_national_and_shanghai_differ_in_data_only() -> None:
    form = first_of("self_evaluation")
    assert isinstance(form, SelfEvaluation)
    national, shanghai = lay_out(form, layout("national")), lay_out(form, layout("shanghai"))
    assert national.width == shanghai.width == COLUMNS["self_evaluation"] == 9
    assert _texts(national, 0) == ["项目支出绩效自评表"]
    assert _texts(shanghai, 0) == ["财政项目支出绩效自评表"]
    assert _texts(national, 1) == [f"（{form.year}年度）"]
    assert _texts(shanghai, 1) == [f"({form.year}年度)"]
    # The national indicator table has its 「绩效指标」 column; the Shanghai one has not,
    # and gives the two columns to 偏差原因分析及改进措施.
    (header,) = national.header_rows
    assert _texts(national, header)[:2] == ["绩效指标", "一级指标"]
    assert _at(national, "绩效指标").rowspan == len(form.indicators) + 1
    assert _at(national, "偏差原因分析及改进措施").colspan == 1
    (header,) = shanghai.header_rows
    assert _texts(shanghai, header)[0] == "一级指标"
    assert _at(shanghai, "偏差原因分析及改进措施").colspan == 2
    # 其中：当年财政拨款 carries no score: each layout prints its own mark.
    row = _at(national, "其中：当年财政拨款").row
    assert _texts(national, row)[4] == "—" and _texts(shanghai, row)[4] == "-"


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_gold_form_lays_out_on_a_whole_grid(name: str) -> None:
    for form in all_gold_forms():
        sheet = lay_out(form, layout(name))
        places = [
            (c.row + dr, c.col + dc)
            for c in sheet.cells
            for dr in range(c.rowspan)
            for dc in range(c.colspan)
        ]
        assert len(places) == len(set(places)), "two cells overlap"
        assert all(0 <= r < sheet.height and 0 <= c < sheet.width for r, c in places)
        assert sheet.title_rows == 2
        assert [c.role for c in sheet.cells if c.row < 2] == ["title", "title"]
        (header,) = sheet.header_rows
        assert "一级指标" in _texts(sheet, header)
        # The tables can be cut above the header: no cell crosses that line.
        assert not any(c.row < header <= c.last_row for c in sheet.cells)
        assert len(sheet.widths) == sheet.width


def test_numbers_keep_their_printed_decimals() -> None:
    form = first_of("self_evaluation")
    assert isinstance(form, SelfEvaluation)
    total = replace(form.funds.total, initial=Decimal("8400"), adjusted=Decimal("40.050"))
    form = replace(form, funds=replace(form.funds, total=total))
    sheet = lay_out(form, layout("national"))
    row = _at(sheet, "年度资金总额").row
    cells = sorted((c for c in sheet.cells if c.row == row), key=lambda c: c.col)
    assert [c.text for c in cells[1:3]] == ["8400", "40.050"]
    assert {c.role for c in cells[1:]} == {"number"}


def test_column_widths_fit_the_one_column_labels() -> None:
    for name in LAYOUTS:
        for form in (first_of("self_evaluation"), first_of("declaration")):
            sheet = lay_out(form, layout(name))
            for cell in sheet.cells:
                if cell.role == "label" and cell.colspan == 1:
                    need = min(2 * display_width(cell.text) + 3, 26)
                    assert sheet.widths[cell.col] >= need, (name, cell.text)


def test_a_band_cuts_merges_to_its_rows() -> None:
    form = first_of("declaration")
    assert isinstance(form, Declaration)
    sheet = lay_out(form, layout("national"))
    (header,) = sheet.header_rows
    head = sheet.band(header, header + 1)
    label = next(c for c in head if c.col == 0)
    assert (label.text, label.rowspan) == ("绩效指标", 1)
    body = sheet.band(header + 1, sheet.height)
    rest = next(c for c in body if c.col == 0)
    assert (rest.text, rest.row, rest.rowspan) == ("", header + 1, len(form.indicators))


def test_the_test_renderings_are_laid_out_by_the_export_step() -> None:
    # tests/support/render.py keeps no copy of the layout: it is the Shanghai layout.
    form = first_of("self_evaluation")
    cells, width = render.layout(form)
    assert cells == list(lay_out(form, load_layout("shanghai")).cells) and width == 9
    assert render.Span is Cell


def test_a_layout_file_of_ones_own(tmp_path: Path) -> None:
    path = tmp_path / "北京.toml"
    path.write_text(
        'extends = "national"\nname = "beijing"\ntitle = "北京市表样"\n'
        '[self_evaluation]\ntitle = "北京市项目支出绩效自评表"\n'
        '[self_evaluation.labels]\nnote = "偏差原因"\n',
        encoding="utf-8",
    )
    mine = load_layout(str(path))
    assert mine.name == "beijing" and mine.source == str(path)
    sheet = lay_out(first_of("self_evaluation"), mine)
    assert _texts(sheet, 0) == ["北京市项目支出绩效自评表"]
    assert "偏差原因" in {c.text for c in sheet.cells}
    assert mine.declaration == load_layout("national").declaration


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('extends = "national"\nname = "x"\ntitle = "x"\ncolour = 1\n', "未知的设置"),
        (
            'extends = "national"\nname = "x"\ntitle = "x"\n[declaration.labels]\nfoo = "x"\n',
            "未知的 foo",
        ),
        (
            'extends = "national"\nname = "x"\ntitle = "x"\n[declaration]\nno_score = "-"\n',
            "未知的设置：no_score",
        ),
        ('extends = "national"\nname = "x"\ntitle = "x"\n[declaration]\nwidths = [1]\n', "6 个"),
        (
            'extends = "national"\nname = "x"\ntitle = "x"\n[self_evaluation]\nyear_line = "年度"\n',
            "{year}",
        ),
        ('name = "x"\ntitle = "x"\n', "缺失"),
        ('title = "x"\n', "缺少 name 或 title"),
        ('extends = "mine"\nname = "x"\ntitle = "x"\n', "未知的表样「mine」"),
        ("name = ", "不是有效的 TOML"),
    ],
)
def test_invalid_layouts_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("}", r"\}")):
        load_layout(str(path))


def test_an_unknown_layout_lists_the_shipped_ones() -> None:
    with pytest.raises(ValueError, match="未知的表样「hebei」") as info:
        load_layout("hebei")
    assert "national" in str(info.value) and "shanghai" in str(info.value)


def test_what_a_cell_is_to_a_spreadsheet() -> None:
    assert printed_decimal("40.05") == (Decimal("40.05"), 2)
    assert printed_decimal("8400") == (Decimal(8400), 0)
    assert printed_decimal("-23.00") == (Decimal("-23.00"), 2)
    for text in ("-", "—", "1E+3", "95.5%", "1,000.00", "007", "1234567890123456"):
        assert printed_decimal(text) is None, text
    for text in ("=8400", "+5", "-", "@SUM(A1)", "=100.00(%)"):
        assert looks_like_formula(text), text
    for text in ("-23.00", "≥200", "达成", ""):
        assert not looks_like_formula(text), text
    assert printable("a\x00b\x0bc\td\ne") == "abc\td\ne"
