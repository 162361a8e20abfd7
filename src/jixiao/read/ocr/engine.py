"""The OCR engine: finds the text lines of a page image and reads them, with confidences.

Part of step 2 of the pipeline (the OCR path). RapidOCR runs PaddleOCR's Chinese
detection and recognition models, which its wheel ships (nothing is downloaded: the
recogniser's character table is inside the ONNX model), on the CPU through OpenVINO.
OpenVINO rather than onnxruntime for speed: on a 2-core machine the same models read a
form's page at 200 dpi in 2.2 s, against 6.5 s on onnxruntime (measured when this was
written; `benchmarks/documents.py` keeps measuring). The engine is loaded once per
process and used by one thread at a time (it keeps buffers between calls).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # NumPy comes with the extra: the module imports without it
    import numpy as np
    from numpy.typing import NDArray

OCR_HINT = '扫描件与图片识别需安装 OCR 组件：pip install "jixiao[ocr]"'

_LOCK = threading.Lock()
_ENGINE: Any = None


@dataclass(frozen=True, slots=True)
class Word:
    """One character as the engine read it (each apart, so that text the detector ran
    across a cell border is still cut at the border: 「109491.00」「10.00」 side by side)."""

    text: str
    score: float  # the recogniser's confidence, 0–1
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


def available() -> bool:
    """Whether the OCR extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "openvino"))


def _engine() -> Any:
    global _ENGINE
    if _ENGINE is None:
        from rapidocr import EngineType, RapidOCR

        _ENGINE = RapidOCR(
            params={
                "Global.log_level": "error",
                # Keep every line the detector finds, however unsure the recogniser is:
                # a dropped line would be a silent loss; a doubtful one is a finding.
                "Global.text_score": 0.0,
                # Pages come upright (deskewed, quarter turns undone): no line classifier.
                "Global.use_cls": False,
                # The detector sees the page reduced to this (print at 200 dpi is still
                # 20 px high): it finds the same lines in half the time of 2000 px.
                "Global.max_side_len": 1600,
                "Det.engine_type": EngineType.OPENVINO,
                "Rec.engine_type": EngineType.OPENVINO,
            }
        )
    return _ENGINE


class OcrFailed(Exception):
    """The engine could not read a page image (its own error, whatever the pixels were):
    the readers report the page as unread, and go on with the others."""


# The detector reduces the longer side to 1600 px; a page much longer than wide (a long
# screenshot, a strip of stitched scans) would shrink to a few pixels across and fail,
# so it is read in overlapping bands of at most this ratio, each keeping the characters
# whose centre falls in its own part.
_MAX_RATIO = 3
_OVERLAP = 96  # px: more than a printed line at 200 dpi, so no line is cut in both


def read_lines(image: NDArray[np.uint8]) -> list[list[Word]]:
    """The text lines on a grey page image, each as its characters with box and score.
    Raises `OcrFailed` when the engine cannot read the image."""
    height, width = image.shape[:2]
    if min(height, width) < 8:
        return []  # nothing a character could be drawn in
    if height > _MAX_RATIO * width:
        return _in_bands(image, height, max(width * _MAX_RATIO, 3 * _OVERLAP), vertical=True)
    if width > _MAX_RATIO * height:
        return _in_bands(image, width, max(height * _MAX_RATIO, 3 * _OVERLAP), vertical=False)
    return _read(image)


def _in_bands(
    image: NDArray[np.uint8], length: int, band: int, *, vertical: bool
) -> list[list[Word]]:
    lines: list[list[Word]] = []
    start = 0
    while start < length:
        end = min(length, start + band)
        own_from = start + (_OVERLAP // 2 if start else 0)
        own_to = end - (_OVERLAP // 2 if end < length else 0)
        part = image[start:end] if vertical else image[:, start:end]
        for line in _read(part):
            kept = []
            for w in line:
                x0, top, x1, bottom = w.box
                box = (
                    (x0, top + start, x1, bottom + start)
                    if vertical
                    else (x0 + start, top, x1 + start, bottom)
                )
                centre = (box[1] + box[3]) / 2 if vertical else (box[0] + box[2]) / 2
                if own_from <= centre < own_to:
                    kept.append(Word(w.text, w.score, box))
            if kept:
                lines.append(kept)
        if end == length:
            break
        start = end - _OVERLAP
    return lines


def _read(image: NDArray[np.uint8]) -> list[list[Word]]:
    try:
        with _LOCK:
            result = _engine()(image, return_word_box=True, return_single_char_box=True)
    except Exception as exc:  # the engine's own failure, never a crash of the reader
        raise OcrFailed(type(exc).__name__) from exc
    lines: list[list[Word]] = []
    for line in result.word_results or ():
        words: list[Word] = []
        for item in line:
            # An entry is (text, score, four corner points); the engine has been seen to
            # give an empty one for a line it found but could not read.
            if not isinstance(item, tuple | list) or len(item) != 3:
                continue
            text, score, points = item
            if not text or not str(text).strip() or len(points) < 2:
                continue
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            words.append(Word(str(text), float(score), (min(xs), min(ys), max(xs), max(ys))))
        if words:
            lines.append(words)
    return lines
