"""Make scans of the office PDFs as a scanner leaves them: 200 dpi, a slight turn, speckle.

Test support for the OCR path. The pages are rasterised by poppler's `pdftoppm` (the
tool, not our renderer), each page turned by a small angle as a sheet lies crooked on
the glass and given light sensor noise; they are saved as PNG pages, a multi-page TIFF
and a scanned PDF (images only, no text layer), the three shapes scans reach a
reviewer in. Nothing is committed: the scans are made when the tests run.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

DPI = 200


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def page_images(
    pdf: Path, *, dpi: int = DPI, max_turn: float = 1.0, seed: int = 0
) -> list[Image.Image]:
    """Every page of `pdf` scanned: grey, turned by up to `max_turn` degrees, speckled."""
    tool = pdftoppm()
    assert tool is not None, "pdftoppm (poppler-utils) is needed to make scans"
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [tool, "-r", str(dpi), "-gray", "-png", str(pdf), f"{work}/page"],
            check=True,
            timeout=300,
        )
        pages = sorted(Path(work).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        out = []
        for path in pages:
            image = Image.open(path).convert("L")
            turn = rng.uniform(-max_turn, max_turn)
            image = image.rotate(turn, resample=Image.Resampling.BILINEAR, fillcolor=255)
            pixels = np.asarray(image, dtype=np.int16)
            speckled = pixels + noise.normal(0, 8, pixels.shape)
            dust = noise.random(pixels.shape) < 0.0005
            speckled[dust] = 40
            out.append(Image.fromarray(np.clip(speckled, 0, 255).astype(np.uint8)))
        return out


def png(image: Image.Image, *, dpi: int | None = DPI) -> bytes:
    """The page as a PNG; with `dpi=None` it states no resolution (a phone's picture)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def tiff(images: list[Image.Image], *, dpi: int = DPI) -> bytes:
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_deflate",
        dpi=(dpi, dpi),
    )
    return buffer.getvalue()


def scanned_pdf(images: list[Image.Image], *, dpi: int = DPI) -> bytes:
    """A PDF of the page images only, each page sized as the sheet was (A4 at `dpi`)."""
    pdf = pdfium.PdfDocument.new()
    for image in images:
        width, height = image.size[0] * 72 / dpi, image.size[1] * 72 / dpi
        page = pdf.new_page(width, height)
        picture = pdfium.PdfImage.new(pdf)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
        buffer.seek(0)
        picture.load_jpeg(buffer, inline=True)
        picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# ---- how well a scan was read ---------------------------------------------------------------


@dataclass(frozen=True)
class Accuracy:
    right: int
    total: int
    flagged: list[str]  # wrong fields that a finding points at
    silent: list[str]  # wrong fields nothing points at: the failures that matter

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


def _fields(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _fields(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _fields(inner, f"{path}[{index}]")
    else:
        yield path, value


Said = tuple[str, str, int | None]  # a finding's code, message and form (1-based)


def _caught(value: Any, form: int, findings: list[Said]) -> bool:
    """A wrong value is caught when a doubtful cell names it (RD016 quotes what it read),
    or when the form's own sums disagree (RD008 on that form)."""
    text = str(value).replace(" ", "")
    return any(
        (code == "RD016" and text in message.replace(" ", "")) or (code == "RD008" and at == form)
        for code, message, at in findings
    )


def accuracy(
    expected: list[dict[str, Any]], got: list[dict[str, Any]], findings: list[Said]
) -> Accuracy:
    """Field by field, gold records against the records read (both in the exchange
    format, normalised alike), the forms of one file in order."""
    right = total = 0
    flagged: list[str] = []
    silent: list[str] = []
    for index, want in enumerate(expected):
        have = dict(_fields(got[index])) if index < len(got) else {}
        for path, value in _fields(want):
            total += 1
            read = have.get(path)
            if read == value:
                right += 1
                continue
            note = f"form {index + 1} {path}: {value!r} read as {read!r}"
            (flagged if _caught(read, index + 1, findings) else silent).append(note)
    return Accuracy(right, total, flagged, silent)
