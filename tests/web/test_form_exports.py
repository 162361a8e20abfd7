"""The form page's 导出 and 打印: `/forms/{id}.xlsx|.pdf|.docx|.csv|.json|.html`."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.pipeline import read_bytes
from jixiao.store.tables import FormRow

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]


def _first(engine: Engine, kind: str) -> FormRow:
    with Session(engine) as session:
        row = session.scalars(
            select(FormRow).where(FormRow.kind == kind).order_by(FormRow.id)
        ).first()
        assert row is not None
        session.expunge(row)
        return row


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
@pytest.mark.parametrize("kind", ["self_evaluation", "declaration"])
async def test_a_stored_form_downloads_in_the_official_layout(
    client: httpx.AsyncClient, engine: Engine, fmt: str, kind: str
) -> None:
    row = _first(engine, kind)
    page = (await client.get(f"/forms/{row.id}")).text
    assert f'href="/forms/{row.id}.{fmt}"' in page
    response = await client.get(f"/forms/{row.id}.{fmt}")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    (form,) = read_bytes(response.content, f"x.{fmt}").forms
    assert form.project == row.project and form.kind == kind
    assert form.total_score == row.total_score if kind == "self_evaluation" else True


async def test_the_official_table_to_print(client: httpx.AsyncClient, engine: Engine) -> None:
    row = _first(engine, "self_evaluation")
    page = (await client.get(f"/forms/{row.id}")).text
    assert f'href="/forms/{row.id}.html"' in page and 'id="print-page"' in page
    html = (await client.get(f"/forms/{row.id}.html")).text
    assert row.project in html and "一级指标" in html and "@page" in html
    assert "参考得分" not in html  # the official table, without jixiao's notes


async def test_addresses_that_are_no_export(client: httpx.AsyncClient, engine: Engine) -> None:
    row = _first(engine, "declaration")
    for address in (f"/forms/{row.id}.exe", "/forms/987654.xlsx", "/forms/abc.xlsx"):
        response = await client.get(address)
        assert response.status_code == 404, address
    assert re.search("没有", (await client.get("/forms/987654.pdf")).text)


async def test_without_the_font_the_pdf_button_says_what_to_install(
    client: httpx.AsyncClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.export import form_pdf

    row = _first(engine, "declaration")
    form_pdf._register_font.cache_clear()
    monkeypatch.setattr(form_pdf, "_font_file", lambda: None)
    try:
        response = await client.get(f"/forms/{row.id}.pdf")
    finally:
        form_pdf._register_font.cache_clear()
    assert response.status_code == 503
    assert "fonts-arphic-uming" in response.text
