"""Files kept a chunk a row (storage step): how a file's bytes are cut and joined again.

A file's bytes — a pending upload's (`PendingChunk`) or a stored document's
(`DocumentChunk`) — are kept in rows of at most `CHUNK_BYTES`, in order. No statement
binds or returns a large file in one value: a whole value costs the database and the
driver copies of it (SQLite builds the row from the bound value, and rewrites it to
change it), and a 60 MB file read or written in one piece held several times its size.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

CHUNK_BYTES = 1024 * 1024


def pieces(data: bytes, size: int = CHUNK_BYTES) -> Iterator[memoryview]:
    """`data`, `size` bytes at a time (an empty file has none): views of it, not copies,
    which both drivers bind as they bind bytes."""
    view = memoryview(data)
    for start in range(0, len(view), size):
        yield view[start : start + size]


def joined(chunks: Iterable[bytes]) -> bytes:
    """The chunks (fetched one at a time, in order) as one value: written into one
    buffer, which becomes the bytes without a second copy (`BytesIO.getvalue`)."""
    buffer = io.BytesIO()
    for data in chunks:
        buffer.write(data)
    return buffer.getvalue()
