"""Parameters no database can take get a clear answer, never a 500 (SQLite and PostgreSQL).

An integer beyond what a column holds, a search of a thousand words or of pages of text,
a NUL character: each is refused in Chinese naming the parameter (422), or, where it is
only noise, read as the same request without it.
"""

from __future__ import annotations

import httpx
import pytest

from jixiao.web.schemas import MAX_SEARCH_TERMS, MAX_STORED_INT
from tests.conftest import SEEDS
from tests.store.helpers import SEED_FORMS

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]

TOO_BIG = str(2**63)  # beyond SQLite's INTEGER and PostgreSQL's bigint
BEYOND_COLUMN = str(MAX_STORED_INT + 1)  # beyond PostgreSQL's integer


@pytest.mark.parametrize("value", [TOO_BIG, BEYOND_COLUMN, "9" * 40])
@pytest.mark.parametrize(
    "url",
    [
        "/forms?offset={}",
        "/forms?year={}",
        "/forms?project_id={}",
        "/forms?import_id={}",
        "/api/forms?offset={}",
        "/api/forms?year={}",
        "/api/findings?offset={}",
        "/api/findings?form_id={}",
        "/api/forms/{}",
    ],
)
async def test_an_integer_too_large_is_refused_by_name(
    client: httpx.AsyncClient, url: str, value: str
) -> None:
    response = await client.get(url.format(value))
    assert response.status_code == 422, response.text
    assert "请求无效" in response.text
    assert f"不大于 {MAX_STORED_INT}" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/forms/{}",
        "/forms/{}/relink",
        "/forms/{}/export/xlsx",
        "/documents/{}",
        "/documents/{}/pages/1",
    ],
)
async def test_a_page_of_an_id_too_large_is_not_found(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url.format(TOO_BIG))
    assert response.status_code == 404
    assert "服务器内部错误" not in response.text


async def test_the_largest_id_a_column_holds_is_simply_not_found(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(f"/api/forms/{MAX_STORED_INT}")
    assert response.status_code == 404
    response = await client.get("/forms", params={"offset": MAX_STORED_INT})
    assert response.status_code == 200


async def test_a_search_of_too_many_words_says_how_many_it_takes(
    client: httpx.AsyncClient,
) -> None:
    for url in ("/forms", "/api/forms"):
        many = " ".join(["培训"] * (MAX_SEARCH_TERMS + 1))
        response = await client.get(url, params={"q": many})
        assert response.status_code == 422
        assert f"最多 {MAX_SEARCH_TERMS} 个检索词" in response.text
        response = await client.get(url, params={"q": " ".join(["培训"] * 1000)})
        assert response.status_code == 422  # (too long, before it has too many words)
    response = await client.get("/api/forms", params={"q": " ".join(["培训"] * MAX_SEARCH_TERMS)})
    assert response.status_code == 200


@pytest.mark.parametrize("key", ["q", "unit", "department", "finding", "grade", "sort"])
async def test_a_text_too_long_is_refused_by_name(client: httpx.AsyncClient, key: str) -> None:
    response = await client.get("/api/forms", params={key: "培" * 5000})
    assert response.status_code == 422
    assert "不能超过 200 个字符" in response.text


@pytest.mark.parametrize("key", ["q", "unit", "department", "finding", "grade", "sort"])
async def test_a_nul_character_is_noise(client: httpx.AsyncClient, key: str) -> None:
    response = await client.get("/api/forms", params={key: "\x00"})
    assert response.status_code == 200
    assert response.json()["total"] == SEED_FORMS
    response = await client.get("/forms", params={key: "\x00"})
    assert response.status_code == 200


async def test_a_nul_inside_a_word_is_dropped(client: httpx.AsyncClient) -> None:
    plain = (await client.get("/api/forms", params={"unit": "社会保障"})).json()["total"]
    assert plain > 0
    response = await client.get("/api/forms", params={"unit": "社会\x00保障"})
    assert response.json()["total"] == plain


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("表\x00单.txt", "表单.txt"),
        ("C:\\Users\\张三\\桌面\\自评表.txt", "自评表.txt"),
        ("a\tb.txt", "ab.txt"),
        ("\x00\x01", "未命名文件"),
        ("长" * 300 + ".txt", "长" * 196 + ".txt"),
    ],
)
async def test_an_uploaded_file_keeps_a_name_every_database_stores(
    client: httpx.AsyncClient, sent: str, kept: str
) -> None:
    data = SEEDS[0].read_bytes() + b"\n"  # other bytes than the stored seed: saved anew
    # Written by hand: httpx would percent-encode the control characters a client may send.
    boundary = "jixiao-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{sent}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = await client.post(
        "/api/uploads",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 201, response.text
    preview = response.json()
    assert preview["files"][0]["name"] == kept
    saved = await client.post(f"/api/uploads/{preview['token']}/save")
    assert saved.status_code == 200, saved.text
    form_id = saved.json()["form_ids"][0]
    assert (await client.get(f"/forms/{form_id}")).status_code == 200
