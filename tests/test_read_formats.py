"""Renderings beyond the seeds: detection, another province's table, MinerU-style HTML in
markdown, the JSON exchange format read back."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.exchange import form_to_exchange
from jixiao.model import SelfEvaluation
from jixiao.pipeline import read_bytes, read_path
from jixiao.read.detect import detect_text_format
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("项目名称\t鉴定费\n主管部门\t某局\n", "tsv"),
        ("| 项目名称 | 鉴定费 |\n|---|---|\n| 主管部门 | 某局 |\n", "markdown"),
        ("<table><tr><td>项目名称</td></tr></table>", "html"),
        ('[{"kind": "declaration"}]', "json"),
        ("财政项目支出绩效自评表\n\n项目名称 鉴定费\n", "plain"),
    ],
)
def test_detection_by_content(text: str, fmt: str) -> None:
    assert detect_text_format(text) == fmt


def test_detection_ignores_the_file_name() -> None:
    data = SEEDS[1].read_bytes()
    assert read_bytes(data, "form.pdf.md").format == "tsv"


def test_another_provinces_extra_column_is_set_aside_and_reported() -> None:
    result = read_path(DATA / "other_province.tsv")
    (form,) = result.forms
    assert isinstance(form, SelfEvaluation)
    assert form.year == 2023
    assert form.extra == (("项目负责人", "张三"), ("联系电话", "0000-12345678"))
    first = form.indicators[0]
    assert (first.name, first.target, first.actual) == ("日常养护里程", "≥300公里", "312公里")
    assert form.funds.total.rate == Decimal("95.00")
    assert form.funds.total.score == Decimal("9.50")
    assert [i.level2 for i in form.indicators][3] == "成本指标"  # old framework: under 产出
    unknown = [f for f in result.findings if f.kind == "unknown-columns"]
    assert unknown and "指标解释" in unknown[0].message and unknown[0].line == 13
    assert not result.errors


def test_mineru_style_html_in_markdown() -> None:
    result = read_path(DATA / "mineru_style.md")
    assert result.format == "html"
    (form,) = result.forms
    assert isinstance(form, SelfEvaluation)
    assert form.project == "业务培训"
    assert form.year == 2024
    assert form.goal_expected is not None and "群体性事件发生频率" in form.goal_expected
    assert len(form.indicators) == 9
    assert form.total_score == Decimal("92.20")
    assert not result.findings


def test_exchange_json_reads_back_to_the_same_forms(tmp_path: Path) -> None:
    forms = [f for seed in SEEDS for f in read_path(seed).forms]
    path = tmp_path / "forms.json"
    path.write_text(json.dumps([form_to_exchange(f) for f in forms], ensure_ascii=False), "utf-8")
    result = read_path(path)
    assert result.format == "json"
    assert [form_to_exchange(f, extras=False) for f in result.forms] == [
        form_to_exchange(f, extras=False) for f in forms
    ]
    assert [f.source.line for f in result.forms] == [f.source.line for f in forms]


def test_every_form_and_indicator_has_a_source_line() -> None:
    for seed in SEEDS:
        for form in read_path(seed).forms:
            assert form.source.file == str(seed) and form.source.line
            assert all(i.source.line for i in form.indicators)


def test_a_unit_line_above_the_table_sets_the_funds_unit() -> None:
    rows = (DATA / "other_province.tsv").read_text("utf-8").splitlines()
    text = "\n".join(
        [
            rows[0],
            rows[1],
            "金额单位：元",
            *[r.replace("项目资金（万元）", "项目资金") for r in rows[2:]],
        ]
    )
    (form,) = read_bytes(text.encode(), "unit.tsv").forms
    assert form.funds_unit == "元"
