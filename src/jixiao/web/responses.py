"""Small response helpers the page routers share."""

from __future__ import annotations

from urllib.parse import quote


def attachment(name: str, ascii_name: str) -> str:
    """A Content-Disposition for a download: the ASCII name for old clients, the real
    (Chinese) one, RFC 5987-encoded, for the rest."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
