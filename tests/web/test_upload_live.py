"""Bad uploads against a real server: refused while streaming, nothing saved, still serving."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.conftest import SEEDS
from tests.web.live import live_server

MB = 1024 * 1024


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    # The production limits: 64 MB a file.
    app: FastAPI = create_app(Settings(database_url=database_url, profile="shanghai"))
    with live_server(app) as url:
        yield url
    app.state.engine.dispose()


def _head(filename: str) -> bytes:
    return (
        b'--jixiao\r\nContent-Disposition: form-data; name="files"; filename="'
        + filename.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )


TAIL = b"\r\n--jixiao--\r\n"


def _body(filename: str, size: int) -> Iterator[bytes]:
    """A multipart body streamed a megabyte at a time (never built whole)."""
    yield _head(filename)
    chunk = b"\0" * MB
    for _ in range(size // MB):
        yield chunk
    yield TAIL


def _length(filename: str, size: int) -> str:
    return str(len(_head(filename)) + size + len(TAIL))


def test_a_300_mb_upload_is_refused_while_streaming(server: str) -> None:
    size = 300 * MB
    tracemalloc.start()
    started = time.perf_counter()
    with httpx.Client(base_url=server, timeout=120) as client:
        response = client.post(
            "/api/uploads",
            content=_body("巨型扫描件.pdf", size),
            # As a browser sends it: the length is announced.
            headers={
                "content-type": "multipart/form-data; boundary=jixiao",
                "content-length": _length("巨型扫描件.pdf", size),
            },
        )
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert response.status_code == 413
        message = response.json()["error"]["message"]
        assert "巨型扫描件.pdf" in message and "300.0 MB" in message and "未保存" in message
        # Never held: the server kept at most a chunk or two of the 300 MB at a time.
        assert peak < 32 * MB, peak
        assert elapsed < 60
        # The server keeps serving, and stored nothing.
        assert client.get("/api/stats").json()["forms"] == 0
        ok = client.post(
            "/api/uploads", files=[("files", (SEEDS[0].name, SEEDS[0].read_bytes(), "text/plain"))]
        )
        assert ok.status_code == 201 and ok.json()["savable_forms"] == 8


def test_a_file_over_the_limit_without_announced_length(server: str) -> None:
    # Chunked transfer (no Content-Length): refused once 64 MB of the file have arrived.
    def chunked() -> Iterator[bytes]:
        yield from _body("big.txt", 80 * MB)

    tracemalloc.start()
    with httpx.Client(base_url=server, timeout=120) as client:
        response = client.post(
            "/upload",
            content=chunked(),
            headers={"content-type": "multipart/form-data; boundary=jixiao"},
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert response.status_code == 413
        assert "big.txt" in response.text and "超过单个文件上限 64.0 MB" in response.text
        assert peak < 32 * MB, peak  # kept a chunk at a time, dropped at the limit
        assert client.get("/api/forms").json()["total"] == 0
