"""The form page shows the original's pages, each finding's place marked on them.

A scanned form is imported (LibreOffice prints it, poppler rasterises it, it is turned
and speckled), its doubtful cells become findings with page and box, and the form page
draws a mark at each over the page's picture, linked to the finding; a text-layer PDF
shows its page too, a text rendering has no pages to show.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.intake import Intake, take_in
from jixiao.read import ocr
from jixiao.store.importer import import_intakes
from jixiao.store.tables import FindingRow
from tests.conftest import GOLD, SEEDS
from tests.store.helpers import PROFILE
from tests.support import libreoffice, office_pdf, scans
from tests.test_read_pdf import STYLES, _forms, _require

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def scanned(printed: Path) -> Intake:
    """One scanned page, read and reviewed once for both databases."""
    _require(scans.pdftoppm(), "pdftoppm (poppler-utils)")
    image = scans.page_images(printed, seed=5)[0]
    return take_in(scans.tiff([image]), "扫描件.tiff", PROFILE)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require(libreoffice.soffice(), "LibreOffice (soffice)")
    out = tmp_path_factory.mktemp("originals")
    forms = _forms(GOLD[2])[:2]
    return office_pdf.render_pdfs({"two": (forms, STYLES["portrait"])}, out)["two"]


def _import(engine: Engine, intake: Intake) -> tuple[int, int]:
    """(document id, id of its first form)."""
    summary = import_intakes(engine, [intake], origin="cli", profile=PROFILE)
    (outcome,) = summary.outcomes
    assert outcome.status == "saved" and outcome.document_id and outcome.form_ids, outcome
    return outcome.document_id, outcome.form_ids[0]


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed")
async def test_a_scan_shows_its_page_with_the_doubtful_cells_marked(
    client: httpx.AsyncClient, engine: Engine, scanned: Intake
) -> None:
    document, form = _import(engine, scanned)
    with Session(engine) as session:
        doubtful = session.scalars(
            select(FindingRow).where(FindingRow.form_id == form, FindingRow.code == "RD016")
        ).all()
    assert doubtful, "the scan's doubtful cells belong to its form"
    html = (await client.get(f"/forms/{form}")).text
    assert 'id="original"' in html and "原件页面" in html
    assert f'href="/documents/{document}/pages/1.png"' in html
    # An A4 sheet at 200 dpi is 595 × 842 points: the marks are drawn in that frame.
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', html).groups())
    assert abs(width - 595) < 3 and abs(height - 842) < 3
    for finding in doubtful:
        assert f'href="#finding-{finding.id}"' in html  # the mark links to …
        assert f'id="finding-{finding.id}"' in html  # … the finding in the list
    marks = re.findall(
        r'<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', html
    )
    assert len(marks) == len(doubtful)
    assert all(0 < float(x) < width and 0 < float(y) < height for x, y, _, _ in marks)

    picture = await client.get(f"/documents/{document}/pages/1.png")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    shown = Image.open(io.BytesIO(picture.content))
    assert shown.size[0] <= 1100 and abs(shown.size[1] / shown.size[0] - height / width) < 0.01
    missing = await client.get(f"/documents/{document}/pages/2.png")
    assert missing.status_code == 404 and "没有第 2 页" in missing.text


async def test_a_pdf_page_is_rendered_and_a_text_file_has_none(
    client: httpx.AsyncClient, engine: Engine, printed: Path
) -> None:
    document, form = _import(engine, take_in(printed.read_bytes(), "two.pdf", PROFILE))
    html = (await client.get(f"/forms/{form}")).text
    assert f'href="/documents/{document}/pages/1.png"' in html
    picture = await client.get(f"/documents/{document}/pages/1.png")
    assert picture.content.startswith(b"\x89PNG\r\n\x1a\n")
    shown = Image.open(io.BytesIO(picture.content))
    shown.load()  # the PNG written by hand decodes whole
    assert shown.mode == "L" and shown.size[0] == 1100
    for bad in ("0", "99", "-1"):
        response = await client.get(f"/documents/{document}/pages/{bad}.png")
        assert (
            response.status_code in (404, 422) and "页" in response.text
        ) or response.status_code == 422

    seed = take_in(SEEDS[2].read_bytes(), SEEDS[2].name, PROFILE)
    text_document, text_form = _import(engine, seed)
    assert 'id="original"' not in (await client.get(f"/forms/{text_form}")).text
    response = await client.get(f"/documents/{text_document}/pages/1.png")
    assert response.status_code == 404 and "不是 PDF 或图片" in response.text
