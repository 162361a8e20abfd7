"""The official table as a PDF (reportlab): read back by jixiao's own PDF reader as the
same forms, on A4 landscape pages, every font embedded, the indicator header repeated on
the pages a table runs on to; and a clear message when reportlab or the font is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from jixiao.export import form_pdf
from jixiao.export.form_pdf import PdfUnavailable, write_pdf
from jixiao.pipeline import read_bytes
from tests.conftest import GOLD
from tests.export.helpers import LAYOUTS, expected, first_of, gold_forms, got, layout

A4_LANDSCAPE = (841.89, 595.28)  # points


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} is required under CI=true")
        pytest.skip(f"{tool} is not installed")
    return found


@pytest.fixture(scope="module")
def pdfs() -> dict[tuple[str, str], bytes]:
    """(gold stem, layout) → the PDF of that gold file's forms."""
    pytest.importorskip("reportlab")
    return {
        (gold.stem, name): write_pdf(gold_forms(gold), layout(name))
        for gold in GOLD
        for name in LAYOUTS
    }


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_the_pdf(
    pdfs: dict[tuple[str, str], bytes], gold: Path, name: str
) -> None:
    result = read_bytes(pdfs[(gold.stem, name)], "导出.pdf")
    assert result.format == "pdf"
    assert got(result.forms) == expected(gold)
    assert not result.errors


def test_every_page_is_a4_landscape(pdfs: dict[tuple[str, str], bytes]) -> None:
    for key, data in pdfs.items():
        document = pdfium.PdfDocument(data)
        for index in range(len(document)):
            width, height = document.get_page_size(index)
            assert (round(width, 1), round(height, 1)) == (841.9, 595.3), (key, index)
        document.close()


def test_every_font_is_embedded(pdfs: dict[tuple[str, str], bytes], tmp_path: Path) -> None:
    pdffonts = _require("pdffonts")
    for (stem, name), data in pdfs.items():
        path = tmp_path / f"{stem}-{name}.pdf"
        path.write_bytes(data)
        listing = subprocess.run(
            [pdffonts, str(path)], check=True, capture_output=True, text=True, timeout=60
        ).stdout.splitlines()[2:]
        assert listing, "no fonts at all"
        for line in listing:
            # name, type (two words), encoding, then emb sub uni object ID
            assert line.split()[-5] == "yes", line
        assert all("TrueType" in line for line in listing)  # the CJK face, subset


def test_the_indicator_header_is_repeated_on_the_next_page(
    pdfs: dict[tuple[str, str], bytes], tmp_path: Path
) -> None:
    # Every page starts a form (its title) or goes on with its indicator table, under
    # the table's header printed again: 「绩效指标」 (national) or 「一级指标」 (Shanghai).
    pdftotext = _require("pdftotext")
    continued = 0
    for (stem, name), data in pdfs.items():
        kinds = layout(name)
        titles = (kinds.self_evaluation.title, kinds.declaration.title)
        path = tmp_path / f"{stem}-{name}.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            [pdftotext, "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        for index, page in enumerate(text.split("\f")[:-1]):
            first_line = page.strip().split("\n")[0].strip()
            if first_line.startswith(titles):
                continue
            continued += 1
            assert first_line.startswith(("绩效指标", "一级指标")), (stem, name, index)
            assert "三级指标" in first_line
    assert continued >= 10  # the long forms of the gold run on to second pages


def test_without_reportlab_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form_pdf._register_font.cache_clear()
    monkeypatch.setitem(sys.modules, "reportlab.pdfbase", None)  # import fails
    try:
        with pytest.raises(PdfUnavailable) as info:
            write_pdf([first_of("declaration")], layout("national"))
    finally:
        form_pdf._register_font.cache_clear()
    assert str(info.value) == form_pdf.INSTALL_HINT
    assert "fonts-arphic-uming" in str(info.value)


def test_without_a_truetype_cjk_font_the_error_says_which_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    form_pdf._register_font.cache_clear()
    monkeypatch.delenv("JIXIAO_PDF_FONT", raising=False)
    monkeypatch.setattr(form_pdf, "FONT_CANDIDATES", ((str(tmp_path / "none.ttc"), 0),))
    try:
        with pytest.raises(PdfUnavailable) as info:
            write_pdf([first_of("declaration")], layout("national"))
    finally:
        form_pdf._register_font.cache_clear()
    assert "没有找到中文 TrueType 字体" in str(info.value)
    assert "fonts-arphic-uming" in str(info.value)


def test_the_same_forms_give_the_same_bytes() -> None:
    forms = [first_of("self_evaluation")]
    assert write_pdf(forms, layout("national")) == write_pdf(forms, layout("national"))


def test_a_row_taller_than_a_page_is_refused_clearly() -> None:
    from dataclasses import replace

    form = first_of("self_evaluation")
    long_note = "偏差原因" * 4000
    indicators = (replace(form.indicators[0], note=long_note), *form.indicators[1:])
    with pytest.raises(form_pdf.TooLongToPrint, match="超过一页"):
        write_pdf([replace(form, indicators=indicators)], layout("national"))  # type: ignore[type-var]
