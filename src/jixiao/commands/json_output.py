"""The commands' JSON on stdout (the CLI edge): fast, streamed, and byte for byte what
`json.dump(…, ensure_ascii=False, indent=2)` wrote.

`parse --json` and `check --json` print arrays of thousands of records. Each record is
encoded on its own by orjson (about 20× the standard library), indented for its depth
in the document, and written to the binary stdout in large pieces: memory holds one
piece, not the document, and an unbuffered stdout (`PYTHONUNBUFFERED`) still sees few
writes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO

import orjson

_FLUSH_AT = 1 << 20  # bytes held before a write


def encode(value: Any, depth: int = 0) -> bytes:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2)` would print it at
    `depth` levels of nesting (its inner lines indented by 2 × depth more spaces)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        # What orjson refuses (a lone surrogate from a mis-decoded file) the standard
        # library still writes, escaped, so that one odd record never stops the output.
        text = json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")
    if depth:
        text = text.replace(b"\n", b"\n" + b"  " * depth)
    return text


class JsonWriter:
    """Pieces of one JSON document, written to a binary stream in large writes."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout.buffer
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, piece: bytes) -> None:
        self._pending.append(piece)
        self._size += len(piece)
        if self._size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._stream.write(b"".join(self._pending))
            self._pending.clear()
            self._size = 0
        self._stream.flush()

    def array(self, items: Iterable[bytes], depth: int = 0) -> None:
        """A JSON array of already encoded items (each from `encode(item, depth + 1)`)."""
        inner = b"\n" + b"  " * (depth + 1)
        empty = True
        for item in items:
            self.write((b"[" if empty else b",") + inner + item)
            empty = False
        self.write(b"[]" if empty else b"\n" + b"  " * depth + b"]")
