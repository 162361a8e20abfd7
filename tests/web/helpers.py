"""Helpers of the web tests: uploading files the way a browser does."""

from __future__ import annotations

import asyncio
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


async def settled(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """The answer of an upload or a save once its job has ended: a 202 (the job runs on)
    is followed, as the upload page follows it, until the upload is ready or saved."""
    while response.status_code == 202:
        await asyncio.sleep(0.05)
        token = response.json()["token"]
        state = await client.get(f"/api/uploads/{token}")
        body = state.json()
        if body["state"] == "saved":
            return httpx.Response(200, json=body["saved"])
        if body["state"] in ("ready", "failed"):
            return httpx.Response(201, json=body)
    return response
