"""The JSON API on SQLite and on PostgreSQL: forms, findings, stats, rules, uploads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jixiao.catalogue import all_entries
from jixiao.store.importer import ImportSummary
from tests.conftest import GOLD, SEEDS, gold_records
from tests.store.helpers import SEED_FORMS
from tests.web.conftest import MAX_UPLOAD_BYTES
from tests.web.helpers import assert_error_body, seed_files, upload

pytestmark = pytest.mark.anyio


async def _get(client: httpx.AsyncClient, url: str, **params: Any) -> Any:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.usefixtures("seeded")
class TestForms:
    async def test_list_shape(self, client: httpx.AsyncClient) -> None:
        body = await _get(client, "/api/forms", limit=5)
        assert set(body) == {"items", "total", "limit", "offset"}
        assert body["total"] == SEED_FORMS and len(body["items"]) == 5
        item = body["items"][0]
        assert item["url"] == f"/forms/{item['id']}"
        assert set(item["findings"]) == {"error", "warning", "info"}
        assert isinstance(item["funds_amount"], str)  # exact decimals travel as text

    async def test_filters_and_search(self, client: httpx.AsyncClient) -> None:
        assert (await _get(client, "/api/forms", year=2026))["total"] == 7
        assert (await _get(client, "/api/forms", kind="declaration"))["total"] == 7
        assert (await _get(client, "/api/forms", grade="良"))["total"] == 1
        assert (await _get(client, "/api/forms", unit="执法大队"))["total"] == 3
        department = "上海市松江区人力资源和社会保障局"
        assert (await _get(client, "/api/forms", department=department))["total"] == 36
        found = await _get(client, "/api/forms", q="培训", limit=100)
        assert found["total"] == len(found["items"]) >= 8
        assert all("培训" in i["project"] or i["project"] for i in found["items"])
        errors = await _get(client, "/api/forms", severity="error", limit=100)
        assert errors["total"] > 0
        assert all(i["findings"]["error"] > 0 for i in errors["items"])

    async def test_blank_filters_are_ignored(self, client: httpx.AsyncClient) -> None:
        body = await _get(client, "/api/forms", year="", kind="", q="", grade="")
        assert body["total"] == SEED_FORMS

    async def test_paging_and_sorting(self, client: httpx.AsyncClient) -> None:
        first = await _get(client, "/api/forms", sort="-score", limit=10)
        second = await _get(client, "/api/forms", sort="-score", limit=10, offset=10)
        ids = [i["id"] for i in first["items"] + second["items"]]
        assert len(set(ids)) == 20
        scores = [float(i["total_score"]) for i in first["items"] + second["items"]]
        assert scores == sorted(scores, reverse=True)

    async def test_invalid_parameters(self, client: httpx.AsyncClient) -> None:
        error = assert_error_body(
            await client.get("/api/forms", params={"year": "明年"}), 422, "invalid_request"
        )
        assert "year" in error["message"]
        assert_error_body(
            await client.get("/api/forms", params={"limit": 0}), 422, "invalid_request"
        )
        assert_error_body(
            await client.get("/api/forms", params={"kind": "budget"}), 422, "invalid_request"
        )

    async def test_one_form_in_the_exchange_format(self, client: httpx.AsyncClient) -> None:
        listed = await _get(client, "/api/forms", limit=100, sort="id")
        gold = [record for path in GOLD for record in gold_records(path)]
        by_project = {(r["project"], r["kind"], r["year"], r["unit"]): r for r in gold}
        for item in listed["items"][:10] + listed["items"][-3:]:
            record = await _get(client, f"/api/forms/{item['id']}")
            key = (record["project"], record["kind"], record["year"], record["unit"])
            expected = by_project[key]
            gold_keys = set(expected) - {"seed", "ordinal"}
            assert gold_keys <= set(record)
            assert record["funds"] == expected["funds"]
            assert [i["name"] for i in record["indicators"]] == [
                i["name"] for i in expected["indicators"]
            ]
            assert record["format"] == 1
            assert record["document"]["url"].startswith("/documents/")
            for indicator in record["indicators"]:
                assert set(indicator["reference"]) == {"value", "formula", "low", "high"}
            if record["kind"] == "self_evaluation":
                assert record["reference"]["total"]["formula"]
            for finding in record["findings"]:
                assert finding["form_id"] == record["id"]
                assert finding["severity"] in ("error", "warning", "info")

    async def test_declaration_and_self_evaluation_are_linked(
        self, client: httpx.AsyncClient
    ) -> None:
        found = await _get(client, "/api/forms", q="鉴定、认定费 闵行区社会保障服务中心")
        assert found["total"] == 2
        record = await _get(client, f"/api/forms/{found['items'][0]['id']}")
        assert [f["id"] for f in record["linked_forms"]] == [found["items"][1]["id"]]

    async def test_missing_form(self, client: httpx.AsyncClient) -> None:
        error = assert_error_body(await client.get("/api/forms/99999"), 404, "not_found")
        assert "99999" in error["message"]

    async def test_relink(self, client: httpx.AsyncClient) -> None:
        items = (await _get(client, "/api/forms", limit=2))["items"]
        a, b = items
        moved = await client.patch(f"/api/forms/{a['id']}", json={"project_id": b["project_id"]})
        assert moved.status_code == 200 and moved.json()["project_id"] == b["project_id"]
        record = await _get(client, f"/api/forms/{a['id']}")
        assert b["id"] in [f["id"] for f in record["linked_forms"]]
        alone = await client.patch(f"/api/forms/{a['id']}", json={"project_id": None})
        assert alone.json()["project_id"] not in (a["project_id"], b["project_id"])
        assert (await _get(client, f"/api/forms/{a['id']}"))["linked_forms"] == []
        assert_error_body(
            await client.patch(f"/api/forms/{a['id']}", json={"project_id": 424242}),
            404,
            "not_found",
        )
        assert_error_body(
            await client.patch(f"/api/forms/{a['id']}", json={"unit": "x", "project_id": 1}),
            422,
            "invalid_request",
        )


@pytest.mark.usefixtures("seeded")
async def test_findings(client: httpx.AsyncClient, seeded: ImportSummary) -> None:
    body = await _get(client, "/api/findings", limit=500)
    assert body["total"] == seeded.findings == len(body["items"])
    kinds = {f["kind"] for f in body["items"]}
    one = sorted(kinds)[0]
    filtered = await _get(client, "/api/findings", kind=one, limit=500)
    assert filtered["total"] == sum(1 for f in body["items"] if f["kind"] == one)
    assert all(f["project"] for f in filtered["items"])
    stages = await _get(client, "/api/findings", stage="reading", limit=500)
    assert all(f["code"].startswith("RD") for f in stages["items"]) and stages["total"] > 0


@pytest.mark.usefixtures("seeded")
async def test_stats(client: httpx.AsyncClient) -> None:
    body = await _get(client, "/api/stats")
    assert body["forms"] == SEED_FORMS
    assert body["by_kind"] == {"declaration": 7, "self_evaluation": 44}
    assert sum(d["forms"] for d in body["departments"]) == SEED_FORMS
    assert sum(b["forms"] for b in body["execution_rates"]) == 44
    assert all(k["title"] for k in body["finding_kinds"])


async def test_rules(client: httpx.AsyncClient) -> None:
    body = await _get(client, "/api/rules")
    assert [r["code"] for r in body] == [e.code for e in all_entries()]
    assert any(r["code"].startswith("RD") for r in body)
    assert len({r["family"] for r in body}) > 2


class TestUpload:
    async def test_seeds_preview_then_save(self, client: httpx.AsyncClient) -> None:
        response = await upload(client, seed_files())
        assert response.status_code == 201, response.text
        preview = response.json()
        assert preview["savable_forms"] == SEED_FORMS
        assert [f["status"] for f in preview["files"]] == ["ready"] * len(SEEDS)
        assert sum(len(f["forms"]) for f in preview["files"]) == SEED_FORMS
        assert any(form["findings"] for f in preview["files"] for form in f["forms"])
        # Nothing is stored before 保存.
        assert (await _get(client, "/api/forms"))["total"] == 0
        again = await _get(client, f"/api/uploads/{preview['token']}")
        assert again["savable_forms"] == SEED_FORMS
        saved = await client.post(f"/api/uploads/{preview['token']}/save")
        assert saved.status_code == 200
        result = saved.json()
        assert result["forms"] == SEED_FORMS and len(result["form_ids"]) == SEED_FORMS
        assert result["findings"] > 0
        listed = await _get(client, "/api/forms", import_id=result["import_id"])
        assert listed["total"] == SEED_FORMS
        # Saving again is the same save: its result again, nothing stored twice; the
        # upload says it is saved, and its files are no longer kept.
        twice = await client.post(f"/api/uploads/{preview['token']}/save")
        assert twice.status_code == 200 and twice.json() == result
        state = await _get(client, f"/api/uploads/{preview['token']}")
        assert state["state"] == "saved" and state["saved"] == result
        assert (await _get(client, "/api/forms"))["total"] == SEED_FORMS
        # The same files again: recognised, and saved as nothing new.
        repeat = (await upload(client, seed_files())).json()
        assert [f["status"] for f in repeat["files"]] == ["known"] * len(SEEDS)
        saved_again = (await client.post(f"/api/uploads/{repeat['token']}/save")).json()
        assert saved_again["forms"] == 0
        assert [f["status"] for f in saved_again["files"]] == ["skipped"] * len(SEEDS)
        assert (await _get(client, "/api/forms"))["total"] == SEED_FORMS

    async def test_discard(self, client: httpx.AsyncClient) -> None:
        token = (await upload(client, seed_files(SEEDS[:1]))).json()["token"]
        assert (await client.delete(f"/api/uploads/{token}")).status_code == 204
        assert_error_body(await client.get(f"/api/uploads/{token}"), 404, "not_found")
        assert_error_body(await client.delete(f"/api/uploads/{token}"), 404, "not_found")
        assert (await _get(client, "/api/forms"))["total"] == 0

    async def test_profile_field(self, client: httpx.AsyncClient) -> None:
        national = (await upload(client, seed_files(SEEDS[:1]), profile="national-2020")).json()
        assert national["profile"] == "national-2020"
        error = assert_error_body(
            await upload(client, seed_files(SEEDS[:1]), profile="mars"), 400, "bad_request"
        )
        assert "mars" in error["message"]

    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG"),
            ("blob.bin", bytes(range(256)) * 16, "不是文本"),
            ("letter.txt", "尊敬的领导：\n本单位今年工作顺利。\n".encode(), "未找到"),
            ("empty.txt", b"", "文件为空"),
            ("records.json", b'[{"kind": "self_evaluation", "year": 2024}]', "project"),
        ],
    )
    async def test_bad_files_are_refused_with_a_message(
        self, client: httpx.AsyncClient, name: str, data: bytes, expected: str
    ) -> None:
        response = await upload(client, [("files", (name, data, "application/octet-stream"))])
        assert response.status_code == 201
        body = response.json()
        (file,) = body["files"]
        assert file["status"] == "refused"
        assert expected in file["message"] and name in file["message"]
        assert body["savable_forms"] == 0
        saved = (await client.post(f"/api/uploads/{body['token']}/save")).json()
        assert saved["forms"] == 0 and saved["files"][0]["status"] == "refused"
        assert (await _get(client, "/api/forms"))["total"] == 0

    async def test_a_file_over_the_limit_is_refused(self, client: httpx.AsyncClient) -> None:
        big = b"x" * (MAX_UPLOAD_BYTES + 1)
        response = await upload(
            client, [*seed_files(SEEDS[:1]), ("files", ("big.txt", big, "text/plain"))]
        )
        error = assert_error_body(response, 413, "upload_too_large")
        assert "big.txt" in error["message"] and "512.0 KB" in error["message"]  # the limit
        assert (await _get(client, "/api/forms"))["total"] == 0
        assert (await _get(client, "/api/stats"))["forms"] == 0  # still serving

    async def test_an_announced_oversize_upload_is_refused_unread(
        self, client: httpx.AsyncClient
    ) -> None:
        head = (
            b'--b\r\nContent-Disposition: form-data; name="files"; filename="huge.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n"
        )
        chunk = b"y" * 65536
        total = 300 * 1024 * 1024

        async def body() -> Any:
            yield head
            sent = len(head)
            while sent < total:
                sent += len(chunk)
                yield chunk

        response = await client.post(
            "/api/uploads",
            content=body(),
            headers={
                "content-type": "multipart/form-data; boundary=b",
                "content-length": str(total),
            },
        )
        error = assert_error_body(response, 413, "upload_too_large")
        assert "huge.txt" in error["message"] and "300.0 MB" in error["message"]

    async def test_requests_that_are_not_uploads(self, client: httpx.AsyncClient) -> None:
        assert_error_body(await client.post("/api/uploads", json={"files": []}), 400, "bad_request")
        assert_error_body(
            await client.post("/api/uploads", data={"profile": "shanghai"}, files={}),
            400,
            "bad_request",
        )
        empty_input = [("files", ("", b"", "application/octet-stream"))]
        error = assert_error_body(await upload(client, empty_input), 400, "bad_request")
        assert "没有收到文件" in error["message"]


async def test_error_body_shape(client: httpx.AsyncClient) -> None:
    for url, status, code in (
        ("/api/forms/0", 404, "not_found"),
        ("/api/no-such-thing", 404, "not_found"),
        ("/api/forms?offset=-1", 422, "invalid_request"),
    ):
        error = assert_error_body(await client.get(url), status, code)
        assert all("\u4e00" <= ch <= "\u9fff" for ch in error["message"][:1])  # Chinese
    wrong_method = await client.put("/api/forms")
    assert_error_body(wrong_method, 405, "method_not_allowed")


async def test_openapi_and_docs(client: httpx.AsyncClient) -> None:
    spec = await _get(client, "/openapi.json")
    for path in (
        "/api/forms",
        "/api/forms/{form_id}",
        "/api/findings",
        "/api/uploads",
        "/api/stats",
    ):
        assert path in spec["paths"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "GET" in docs.text and "/api/forms" in docs.text and "FormListPublic" in docs.text
    assert "cdn" not in docs.text.lower()
