"""What the exports look like on paper: a self-evaluation and a declaration as Excel
(printed by LibreOffice, as an office suite prints the workbook) and as PDF, each page
rendered to `screenshots/export-*.png` to be looked at. The checks here are what a
picture cannot be trusted to show: A4 landscape, the Chinese text really drawn."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from jixiao.export.form_pdf import write_pdf
from jixiao.export.form_xlsx import write_xlsx
from jixiao.model import Form
from tests.conftest import ROOT
from tests.export.helpers import all_gold_forms, first_of, layout
from tests.support import libreoffice

SCREENSHOTS = ROOT / "screenshots"
KINDS = ("self_evaluation", "declaration")


def _require(found: str | None, what: str) -> str:
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{what} is required under CI=true")
        pytest.skip(f"{what} is not installed")
    return found


def _pictures(pdf: Path, stem: str, pages: int) -> list[Path]:
    """The first `pages` pages of `pdf` as `screenshots/<stem>[-N].png` at 60 dpi."""
    pdftoppm = _require(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in (SCREENSHOTS / f"{stem}.png", *SCREENSHOTS.glob(f"{stem}-[0-9].png")):
        old.unlink(missing_ok=True)  # a picture of a page the export no longer has
    out = pdf.parent / stem
    subprocess.run(
        [pdftoppm, "-r", "60", "-png", "-f", "1", "-l", str(pages), str(pdf), str(out)],
        check=True,
        timeout=120,
    )
    made = sorted(pdf.parent.glob(f"{stem}-*.png"))
    saved = []
    for number, png in enumerate(made, start=1):
        target = SCREENSHOTS / (f"{stem}.png" if number == 1 else f"{stem}-{number}.png")
        shutil.copyfile(png, target)
        saved.append(target)
    return saved


def _check_pages(pdf: Path, title: str) -> list[str]:
    """The text of each page, every page checked to be A4 landscape, the first to carry
    the form's title (its Chinese text drawn and extractable)."""
    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for index in range(len(document)):
            width, height = document.get_page_size(index)
            assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, index
            texts.append(document[index].get_textpage().get_text_range())
    finally:
        document.close()
    assert title in texts[0]
    return texts


def _form(which: str) -> Form:
    """`self_evaluation`, `declaration`: the first gold form of the kind;
    `self_evaluation-long`: the self-evaluation with the most indicators, whose table
    runs on to a second page."""
    if which == "self_evaluation-long":
        evaluations = [f for f in all_gold_forms() if f.kind == "self_evaluation"]
        return max(evaluations, key=lambda f: len(f.indicators))
    return first_of(which)


@pytest.mark.parametrize("which", [*KINDS, "self_evaluation-long"])
def test_the_workbook_prints_as_the_official_table(which: str, tmp_path: Path) -> None:
    _require(libreoffice.soffice(), "LibreOffice (soffice)")
    form = _form(which)
    source = tmp_path / f"export-xlsx-{which}.xlsx"
    source.write_bytes(write_xlsx([form], layout("national")))
    (pdf,) = libreoffice.convert([source], "pdf", tmp_path / "pdf", timeout=180)
    pages = _check_pages(pdf, layout("national").of(form.kind).title)
    if which == "self_evaluation-long":
        # The indicator header is the print title: it heads the second page.
        assert pages[1].lstrip().startswith("绩效指标")
    assert _pictures(pdf, f"export-xlsx-{which}", pages=2)


@pytest.mark.parametrize("which", [*KINDS, "self_evaluation-long"])
def test_the_pdf_is_the_official_table(which: str, tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    form = _form(which)
    pdf = tmp_path / f"export-pdf-{which}.pdf"
    pdf.write_bytes(write_pdf([form], layout("national")))
    pages = _check_pages(pdf, layout("national").of(form.kind).title)
    if which == "self_evaluation-long":
        assert len(pages) >= 2 and pages[1].lstrip().startswith("绩效指标")
    assert _pictures(pdf, f"export-pdf-{which}", pages=2)
