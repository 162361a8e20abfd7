"""Bytes to text, before any reader: encodings and the refusal of binary input.

Step 1 of the pipeline. Converters write UTF-8 (sometimes with a BOM or as UTF-16);
older Chinese tools write GB18030. Anything else that decodes only as noise is binary.
"""

from __future__ import annotations

import codecs
import re

# A text rendering of a form has essentially no control characters; a few per
# thousand (form feeds from pdftotext, stray NULs) are tolerated.
_MAX_CONTROL_RATIO = 0.01
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def decode(data: bytes) -> tuple[str | None, str]:
    """Return (text, encoding); text is None when the bytes are not text."""
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="replace")), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16", errors="replace")), "utf-16"
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("gb18030")), "gb18030"
    except UnicodeDecodeError:
        return None, "binary"


def _checked(text: str) -> str | None:
    if not text:
        return text
    sample = text[:200_000]
    if len(_CONTROL.findall(sample)) / len(sample) > _MAX_CONTROL_RATIO:
        return None
    return text
