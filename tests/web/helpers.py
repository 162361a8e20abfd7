"""Helpers of the web tests: uploading files the way a browser does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.conftest import SEEDS


def seed_files(paths: list[Path] | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in (paths or SEEDS)]


async def upload(
    client: httpx.AsyncClient, files: list[tuple[str, tuple[str, bytes, str]]], **data: str
) -> httpx.Response:
    return await client.post("/api/uploads", files=files, data=data)


def assert_error_body(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The one canonical error body of the API."""
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= {"status", "code", "message", "detail"}
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return dict(error)
