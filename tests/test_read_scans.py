"""The OCR path on scans made by real tools: LibreOffice prints, poppler rasterises.

The gold forms of one seed are printed as the official bordered table by LibreOffice,
rasterised at 200 dpi by `pdftoppm`, each page turned by up to 1° and speckled
(`tests/support/scans.py`), and read back as a multi-page TIFF, a scanned PDF and a
single PNG. The bar is the issue's: at least 99% of the fields exact, and no wrong field
without a finding (a low-confidence cell naming the text read, or the form's own
arithmetic). `benchmarks/documents.py --ocr` measures the same on every gold form.
"""

from __future__ import annotations

import socket
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from jixiao.catalogue import (
    INPUT_TOO_LARGE,
    OCR_LOW_CONFIDENCE,
    OCR_READ,
    PAGES_NOT_READ,
    UNREADABLE_INPUT,
)
from jixiao.exchange import form_to_exchange
from jixiao.pipeline import ReadResult, read_bytes
from jixiao.read import ocr
from jixiao.read.ocr.raster import deskew, find_rules, skew_angle
from tests.conftest import GOLD
from tests.support import libreoffice, office_pdf, scans
from tests.test_read_gold import _normalise
from tests.test_read_pdf import STYLES, _expected, _forms, _require

pytestmark = pytest.mark.skipif(
    not ocr.available(), reason='the OCR extra is not installed (pip install "jixiao[ocr]")'
)

GOLD_FORMS = GOLD[2]  # one-page forms: a scanned reviewer's batch in small
BATCH = 7  # pages of it read here, all of it (the benchmark reads every gold form)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    _require(libreoffice.soffice(), "LibreOffice (soffice)")
    _require(scans.pdftoppm(), "pdftoppm (poppler-utils)")
    out = tmp_path_factory.mktemp("scans")
    pdfs = office_pdf.render_pdfs({"forms": (_forms(GOLD_FORMS), STYLES["portrait"])}, out)
    return scans.page_images(pdfs["forms"], seed=3)


PROGRESS: list[tuple[int, int]] = []


@pytest.fixture(scope="module")
def tiff_result(pages: list[Image.Image]) -> ReadResult:
    return read_bytes(
        scans.tiff(pages[:BATCH]),
        "scans.tiff",
        progress=lambda done, total: PROGRESS.append((done, total)),
    )


def test_a_long_scan_tells_its_progress_page_by_page(tiff_result: ReadResult) -> None:
    assert [(n, BATCH) for n in range(1, BATCH + 1)] == PROGRESS


def _accuracy(result: ReadResult, expected: list[Any]) -> scans.Accuracy:
    got = [_normalise(form_to_exchange(f, extras=False)) for f in result.forms]
    assert len(got) == len(expected)
    return scans.accuracy(expected, got, [(f.code, f.message, f.form) for f in result.findings])


def test_scans_read_back_with_no_silent_error(tiff_result: ReadResult) -> None:
    measured = _accuracy(tiff_result, _expected(GOLD_FORMS)[:BATCH])
    assert measured.rate >= 0.99, measured
    assert not measured.silent


def test_every_doubtful_cell_is_a_finding_at_its_place(tiff_result: ReadResult) -> None:
    doubtful = [f for f in tiff_result.findings if f.kind == OCR_LOW_CONFIDENCE.kind]
    assert doubtful, "a scanned batch with no doubtful cell: the threshold tests nothing"
    for finding in doubtful:
        assert finding.source is not None and finding.source.page is not None
        assert finding.source.box is not None
        # A cell of a table names its reference; text above a table (the year) its page.
        assert finding.source.cell is not None or "页文字" in finding.message
        assert "请对照原件核对" in finding.message
    said = [f for f in tiff_result.findings if f.kind == OCR_READ.kind]
    assert len(said) == 1 and f"1–{BATCH}" in said[0].message


def test_a_scanned_pdf_reads_as_its_pages(pages: list[Image.Image]) -> None:
    result = read_bytes(scans.scanned_pdf(pages[:2]), "scan.pdf")
    assert result.format == "pdf"
    measured = _accuracy(result, _expected(GOLD_FORMS)[:2])
    assert measured.rate >= 0.99 and not measured.silent, measured
    # The boxes are on the page as a viewer shows it: within the A4 sheet, in points.
    boxes = [f.source.box for f in result.findings if f.source and f.source.box]
    assert all(0 <= b[0] < b[2] <= 596 and 0 <= b[1] < b[3] <= 843 for b in boxes)


def test_a_photographed_page_reads_without_a_stated_resolution(
    pages: list[Image.Image],
) -> None:
    """A PNG without its dpi (a phone, a screenshot) is taken as an A4 sheet."""
    buffer = scans.png(pages[0], dpi=None)
    assert b"pHYs" not in buffer  # the chunk that states the resolution
    result = read_bytes(buffer, "photo.png")
    assert result.format == "png" and len(result.forms) == 1
    assert result.forms[0].project == _forms(GOLD_FORMS)[0].project


def test_nothing_is_downloaded(pages: list[Image.Image], monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the OCR path opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = read_bytes(scans.png(pages[1]), "page.png")
    assert len(result.forms) == 1


# ---- the page image ---------------------------------------------------------------------


def _ruled_page(turn: float) -> np.ndarray:
    page = np.full((1600, 1200), 255, np.uint8)
    for y in range(200, 1400, 60):
        page[y, 100:1100] = 0
    for x in (100, 400, 700, 1100):
        page[200:1381, x] = 0
    image = Image.fromarray(page).rotate(turn, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.asarray(image)


@pytest.mark.parametrize("turn", [-1.0, -0.4, 0.0, 0.3, 0.9])
def test_the_tilt_is_found_and_undone(turn: float) -> None:
    gray = _ruled_page(turn)
    angle = skew_angle(gray)
    assert abs(angle + turn) <= 0.05
    rules = find_rules(deskew(gray, angle), 200)
    assert len(rules.horizontal) == 20 and len(rules.vertical) == 4


def test_a_short_stroke_is_not_a_rule() -> None:
    """Only runs that reach rules at both ends bound short cells: a character's
    vertical stroke inside a cell stays text (else 标 is read as 示)."""
    page = np.full((400, 600), 255, np.uint8)
    page[100, 50:550] = 0
    page[160, 50:550] = 0
    page[100:161, 300] = 0  # a rule between two cells of a one-line row
    page[110:150, 200] = 0  # a stroke within the first cell
    rules = find_rules(page, 200)
    assert [round(x) for x, _, _ in rules.vertical] == [300]


# ---- bad images ---------------------------------------------------------------------------


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its data does not have (a pixel bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def test_a_20000_pixel_square_is_refused_before_decoding() -> None:
    started = time.perf_counter()
    result = read_bytes(_png_claiming(20_000, 20_000), "huge.png")
    assert time.perf_counter() - started < 5
    (finding,) = result.findings
    assert finding.kind == INPUT_TOO_LARGE.kind and "20000 × 20000" in finding.message


def test_a_damaged_image_is_a_finding() -> None:
    data = scans.png(Image.fromarray(_ruled_page(0.0)))
    for broken in (data[: len(data) // 3], _png_claiming(800, 600)):
        result = read_bytes(broken, "broken.png")
        assert not result.forms
        assert {f.kind for f in result.findings} <= {UNREADABLE_INPUT.kind, "no-form-found"}
        assert result.findings and all(f.file == "broken.png" for f in result.findings)


def test_without_the_extra_an_image_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    (finding,) = read_bytes(_png_claiming(800, 600), "scan.png").findings
    assert finding.kind == UNREADABLE_INPUT.kind
    assert 'pip install "jixiao[ocr]"' in finding.message


def test_ocr_stops_at_its_time_budget_and_says_where(
    pages: list[Image.Image], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "TIME_BUDGET", 0.0)
    result = read_bytes(scans.scanned_pdf(pages[:3]), "long.pdf")
    (stopped,) = [f for f in result.findings if f.kind == PAGES_NOT_READ.kind]
    assert stopped.source is not None and stopped.source.page == 1
    assert "第 1 页起的扫描页未识别" in stopped.message
    assert not result.forms


def test_what_the_engine_cannot_be_trusted_on_is_doubtful() -> None:
    from jixiao.read.ocr.engine import Word
    from jixiao.read.ocr.scan import WIDTH_DOUBT, _doubted

    def line(text: str) -> list[Word]:
        return [Word(ch, 0.99, (10.0 * k, 0.0, 10.0 * k + 9, 10.0)) for k, ch in enumerate(text)]

    def doubted(text: str) -> str:
        return "".join(w.text for w in _doubted(line(text)) if w.score <= WIDTH_DOUBT)

    assert doubted("提升,保障") == ","  # which comma was printed a scan cannot tell
    assert doubted("=100.00(%)") == ""  # beside digits the half width is the rule
    assert doubted("V") == "V"  # a lone symbol: a 「≥」 came back so
    assert doubted("-") == "" and doubted("8") == ""  # a blank amount, a count
    assert doubted("满意度☑") == "☑"  # a pictograph is noise read as text


def test_a_strip_much_longer_than_wide_is_read_in_bands() -> None:
    """A long screenshot or stitched scans: read band by band, each line once, in place."""
    from PIL import ImageDraw, ImageFont

    from jixiao.read.ocr.engine import read_lines

    font_file = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    _require(str(font_file) if font_file.exists() else None, "fonts-noto-cjk")
    font = ImageFont.truetype(str(font_file), 36)
    line_height, copies = 90, 120  # 10,800 px tall: read whole, it would shrink to 26 px wide
    image = Image.new("L", (520, line_height * copies), 255)
    draw = ImageDraw.Draw(image)
    for n in range(copies):
        draw.text((20, n * line_height + 20), f"项目资金第{n + 1}行", font=font, fill=0)
    lines = read_lines(np.asarray(image))
    texts = {}
    for line in lines:
        rows = {int(w.box[1] // line_height) for w in line}
        assert len(rows) == 1  # a line is inside its own row, not cut across bands
        texts.setdefault(rows.pop(), []).append("".join(w.text for w in line))
    read = {n: "".join(parts) for n, parts in texts.items()}
    right = [n for n in range(copies) if read.get(n) == f"项目资金第{n + 1}行"]
    assert len(right) >= copies - 1, read  # each once, where it is


def test_when_the_engine_fails_the_page_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.read.ocr import engine

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the engine's own failure")

    monkeypatch.setattr(engine, "_engine", lambda: broken)
    result = read_bytes(scans.png(Image.fromarray(_ruled_page(0.0))), "scan.png")
    assert not result.forms
    (finding,) = [f for f in result.findings if "OCR 无法识别" in f.message]
    assert finding.kind == UNREADABLE_INPUT.kind and finding.source is not None
    assert finding.source.page == 1


def test_entries_the_engine_leaves_empty_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from jixiao.read.ocr import engine

    result = SimpleNamespace(
        word_results=[[(), ("字", 0.97, [[0, 0], [10, 0], [10, 12], [0, 12]])], []]
    )
    monkeypatch.setattr(engine, "_engine", lambda: lambda *a, **k: result)
    lines = engine.read_lines(np.full((100, 100), 255, dtype=np.uint8))
    assert [[w.text for w in line] for line in lines] == [["字"]]
