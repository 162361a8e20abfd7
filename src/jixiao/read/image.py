"""Scanned or photographed forms (PNG, JPEG, TIFF) → a Grid, through the OCR path.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify). Each image is
one page (each frame of a multi-page TIFF another); its size is checked from the header
before anything is decoded, it is turned as its EXIF orientation says, reduced to the
OCR resolution when finer, and read by `read.ocr` into the page content the PDF table
code lays out. Without the OCR extra an image is a finding saying how to install it.
"""

from __future__ import annotations

import io
import time
from typing import Any

from jixiao.catalogue import INPUT_TOO_LARGE, OCR_READ, PAGES_NOT_READ, UNREADABLE_INPUT
from jixiao.findings import Finding, Severity
from jixiao.model import Source
from jixiao.read import ocr
from jixiao.read.grid import Grid
from jixiao.read.pdf.document import document_rows
from jixiao.read.pdf.tables import PageLayout, layout_page
from jixiao.read.progress import Progress
from jixiao.read.sniff import sniff_binary

MAX_FRAMES = 200  # pages of one TIFF
A4_LONG_SIDE = 11.69  # inches: what a scan's resolution is taken from when it says none


def read_image(data: bytes, file: str, progress: Progress | None = None) -> Grid | list[Finding]:
    if not ocr.available():
        return [UNREADABLE_INPUT.finding(f"图片中的表单须经 OCR 识别；{ocr.OCR_HINT}", file=file)]
    try:
        image = open_image(data)
    except (OSError, ValueError):
        label = sniff_binary(data).label
        return [
            UNREADABLE_INPUT.finding(
                f"{label}无法解码（文件损坏，或内容不是完整的图片），未读取", file=file
            )
        ]
    return _read_frames(image, file, progress)


def open_image(data: bytes) -> Any:
    """The image, its header read and nothing decoded (a PIL image; Pillow comes with
    the OCR extra). Raises OSError or ValueError when it is not an image."""
    from PIL import Image

    # Each frame's size is checked before it is decoded, by a stricter bound than
    # Pillow's own (`ocr.MAX_PIXELS`), and refused with a message naming it; Pillow's
    # check would only raise, without saying the size.
    Image.MAX_IMAGE_PIXELS = None
    return Image.open(io.BytesIO(data))


def _read_frames(image: Any, file: str, progress: Progress | None) -> Grid | list[Finding]:
    findings: list[Finding] = []
    layouts: list[PageLayout] = []
    frames = int(getattr(image, "n_frames", 1))
    if frames > MAX_FRAMES:
        findings.append(
            PAGES_NOT_READ.finding(
                f"图片共 {frames} 页，超过上限 {MAX_FRAMES} 页：只读取了第 1–{MAX_FRAMES} 页",
                source=Source(file=file, page=MAX_FRAMES + 1),
            )
        )
    started = time.perf_counter()
    for index in range(min(frames, MAX_FRAMES)):
        number = index + 1
        if time.perf_counter() - started > ocr.TIME_BUDGET:
            findings.append(
                PAGES_NOT_READ.finding(
                    f"OCR 识别超过 {ocr.TIME_BUDGET:.0f} 秒：第 {number} 页起未识别",
                    source=Source(file=file, page=number),
                )
            )
            break
        try:
            image.seek(index)
            width, height = image.size
            if width * height > ocr.MAX_PIXELS:
                findings.append(
                    INPUT_TOO_LARGE.finding(
                        f"图片第 {number} 页为 {width} × {height} 像素，超过上限 "
                        f"{ocr.MAX_PIXELS // 1_000_000} 百万像素（A3 幅面 600 dpi 约 70 百万），未读取",
                        source=Source(file=file, page=number),
                    )
                )
                continue
            gray, dpi = _page(image)
        except (OSError, ValueError, EOFError):
            findings.append(
                UNREADABLE_INPUT.finding(
                    f"图片第 {number} 页数据损坏或不完整，无法解码",
                    source=Source(file=file, page=number),
                )
            )
            continue
        try:
            content = ocr.scan_page(gray, dpi, number)
        except ocr.OcrFailed:
            findings.append(
                UNREADABLE_INPUT.finding(
                    f"图片第 {number} 页（{width} × {height} 像素）OCR 无法识别，未读取",
                    source=Source(file=file, page=number),
                    severity=Severity.WARNING,
                )
            )
            continue
        layouts.append(layout_page(content))
        if progress is not None:
            progress(number, min(frames, MAX_FRAMES))
    if not layouts:
        return findings or [UNREADABLE_INPUT.finding("图片中没有可读的页面", file=file)]
    findings.append(
        OCR_READ.finding(
            f"图片经 OCR 识别（第 {ocr.page_ranges([p.number for p in layouts])} 页）；"
            "识别置信度低的单元格逐一列出，请对照原件核对",
            source=Source(file=file, page=layouts[0].number),
        )
    )
    rows = document_rows(layouts, file, findings)
    return Grid(file=file, rows=tuple(rows), format="image", findings=tuple(findings))


def upright_frame(image: Any) -> tuple[Any, float]:
    """The current frame turned as its EXIF orientation says, and its dots per inch:
    the page the boxes of its findings are placed on."""
    from PIL import ImageOps

    frame = ImageOps.exif_transpose(image) or image
    return frame, resolution(frame.info.get("dpi"), max(frame.size))


def _page(image: Any) -> tuple[ocr.Gray, float]:
    """The current frame as a grey array at no more than the OCR resolution."""
    import numpy as np

    frame, dpi = upright_frame(image)
    width, height = frame.size
    gray = frame.convert("L")
    if dpi > 1.5 * ocr.DPI:
        factor = ocr.DPI / dpi
        gray = gray.resize((round(width * factor), round(height * factor)), resample=4)
        dpi = ocr.DPI
    return np.asarray(gray, dtype=np.uint8), dpi


def resolution(stated: Any, long_side: int) -> float:
    """The scan's dots per inch: as the file states it when plausible, else as if the
    page were A4 (a form is printed on A4)."""
    try:
        value = float(stated[0])
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 72 <= value <= 1200:
        return value
    return max(long_side / A4_LONG_SIDE, 50.0)
