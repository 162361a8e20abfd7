"""The export's front door: every format by name, the exchange JSON, and file names that
every filesystem accepts."""

from __future__ import annotations

import json
import string
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.exchange import forms_from_exchange
from jixiao.export.forms import FORMATS, export_forms, file_name
from jixiao.model import Declaration, SelfEvaluation
from jixiao.pipeline import read_bytes
from tests.export.helpers import all_gold_forms, first_of, got, layout

_FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}


def test_the_formats() -> None:
    assert FORMATS == ("xlsx", "pdf", "docx", "json", "csv")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv"])
def test_each_format_is_written_by_its_writer(fmt: str) -> None:
    form = first_of("declaration")
    data = export_forms([form], fmt, layout("national"))
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf") and form.project.encode("utf-8") in data
    else:
        assert data.startswith(b"PK")
        (back,) = read_bytes(data, f"x.{fmt}").forms
        assert got([back]) == got([form])


def test_pdf_when_reportlab_is_there() -> None:
    pytest.importorskip("reportlab")
    assert export_forms([first_of("declaration")], "pdf", layout("shanghai")).startswith(b"%PDF")


def test_json_is_the_exchange_format_of_every_form() -> None:
    forms = list(all_gold_forms()[:3])
    data = export_forms(forms, "json", layout("national"))
    text = data.decode("utf-8")
    assert "项目名称" not in text and forms[0].project in text  # ensure_ascii=False
    assert text.startswith("[\n  {")  # indented
    records = json.loads(text)
    assert isinstance(records, list) and len(records) == 3
    back, findings = forms_from_exchange(records, "x.json")
    assert not findings and got(back) == got(forms)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的导出格式「exe」"):
        export_forms([first_of("declaration")], "exe", layout("national"))


def test_file_names_say_unit_project_kind_and_year() -> None:
    evaluation, declaration = first_of("self_evaluation"), first_of("declaration")
    assert file_name(evaluation, "xlsx") == (
        f"{evaluation.unit}_{evaluation.project}_自评表_{evaluation.year}年度.xlsx"
    )
    assert file_name(declaration, "pdf").endswith(f"_申报表_{declaration.year}年度.pdf")
    nameless = replace(declaration, unit=None, department=None, project="", year=None)
    assert file_name(nameless, "docx") == "未命名项目_申报表.docx"
    assert file_name(replace(nameless, project=" ..CON. "), "csv") == "CON_申报表.csv"


@given(
    project=st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    unit=st.none() | st.text(max_size=300),
    fmt=st.sampled_from(FORMATS),
)
def test_file_names_are_safe_on_every_filesystem(project: str, unit: str | None, fmt: str) -> None:
    form = replace(first_of("self_evaluation"), project=project, unit=unit)
    name = file_name(form, fmt)
    assert name.endswith("." + fmt) and len(name) > len(fmt) + 1
    assert not set(name) & _FORBIDDEN
    assert len(name.encode("utf-8")) <= 180
    stem = name.rsplit(".", 1)[0]
    assert stem == stem.strip(" .") and stem.endswith("_自评表_2024年度")


def test_a_long_name_is_cut_and_the_project_keeps_most_of_it() -> None:
    unit = "单位 " + string.ascii_letters
    form = replace(first_of("self_evaluation"), project="A/B: 项目?", unit=unit)
    assert file_name(form, "json") == f"{unit}_A_B_ 项目_自评表_2024年度.json"
    long = replace(form, project="项目" * 100, unit="单位" * 100)
    name = file_name(long, "xlsx")
    assert name.endswith("_自评表_2024年度.xlsx") and len(name.encode("utf-8")) <= 180
    unit_part, project_part = name.split("_")[:2]
    assert unit_part.startswith("单位") and len(project_part) > len(unit_part)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_form_and_stray_control_characters_are_still_written(fmt: str) -> None:
    if fmt == "pdf":
        pytest.importorskip("reportlab")
    forms = [
        SelfEvaluation(year=None, project=""),
        Declaration(year=2024, project="项目\x00名称\x0b", goal_annual="第一行\n第二行"),
    ]
    for name in ("national", "shanghai"):
        assert export_forms(forms, fmt, layout(name))
