"""Bytes to text, before any reader: encodings and the refusal of binary input.

Step 1 of the pipeline. Converters write UTF-8 (sometimes with a BOM or as UTF-16);
older Chinese tools write GB18030. Anything else that decodes only as noise is binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# A text rendering of a form has essentially no control characters; a few per
# thousand (form feeds from pdftotext, stray NULs) are tolerated.
_MAX_CONTROL_RATIO = 0.01
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_CONTROL_SAMPLE = 200_000  # characters
# UTF-8 is validated this many bytes at a time (`as_utf8`): never a whole text held.
_VALIDATE_BYTES = 4 << 20


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
    sample = text[:_CONTROL_SAMPLE]
    if len(_CONTROL.findall(sample)) / len(sample) > _MAX_CONTROL_RATIO:
        return None
    return text


@dataclass(frozen=True, slots=True)
class Utf8Text:
    """The text `decode` finds in a file, as UTF-8 bytes: the file's own bytes when it is
    UTF-8 already (its text starting at `start`, after a BOM), else its text encoded."""

    data: bytes
    start: int
    encoding: str


def as_utf8(data: bytes) -> Utf8Text | None:
    """`decode(data)` without holding the decoded text when the file is UTF-8 (the parts
    of a large file are decoded one at a time, `jixiao.parts`): the bytes are validated a
    piece at a time and the control characters counted on the same sample as `decode`.
    None when the bytes are not text. Decoding `data[start:]` gives `decode`'s text."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and _valid_utf8(data, start):
        if _checked(head_text(data, start, _CONTROL_SAMPLE)) is None:
            return None
        return Utf8Text(data, start, "utf-8-sig" if start else "utf-8")
    text, encoding = decode(data)  # another encoding, or UTF-8 with a BOM and bad bytes
    return None if text is None else Utf8Text(text.encode("utf-8"), 0, encoding)


def head_text(data: bytes, start: int, chars: int) -> str:
    """At least the first `chars` characters of valid UTF-8 `data[start:]` (all of it
    when shorter), decoded without the rest."""
    head, _ = codecs.utf_8_decode(data[start : start + 4 * chars], "strict", False)
    return head


def _valid_utf8(data: bytes, start: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for offset in range(start, len(data), _VALIDATE_BYTES):
            decoder.decode(view[offset : offset + _VALIDATE_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
