"""The list page at scale: counts that are counts, pages no deeper than the list reads."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from jixiao.store.queries import MAX_DEPTH
from jixiao.store.tables import FormRow, StatCount
from jixiao.web.routers.forms import page_numbers
from tests.store.helpers import SEED_FORMS

pytestmark = pytest.mark.anyio


def test_the_pager_offers_only_pages_the_list_reads() -> None:
    # A million forms, 50 a page: the first and last pages, and those around the current.
    assert page_numbers(1_000_000, 50, 0) == [0, 1, 2, 3, None, 19_999]
    assert page_numbers(1_000_000, 50, 999_950) == [0, None, *range(19_996, 20_000)]
    # Around a page as deep as the list reads, the deeper neighbours are left out.
    current = MAX_DEPTH // 50
    assert page_numbers(1_000_000, 50, MAX_DEPTH) == [
        0,
        None,
        *range(current - 3, current + 1),
        None,
        19_999,
    ]
    # A count that stopped at the cap: its pages, from the start only.
    assert page_numbers(10_000, 50, 0, exact=False) == [0, 1, 2, 3, None, 199]


@pytest.mark.usefixtures("seeded")
class TestListAtScale:
    async def test_a_page_too_deep_says_so(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/forms", params={"q": "培训", "offset": MAX_DEPTH + 50})
        assert response.status_code == 200
        assert "列表只能从头或从尾翻到" in response.text
        assert 'id="total"' not in response.text  # nothing counted, no figure shown
        assert "没有符合条件的表单" not in response.text

    async def test_past_the_end_of_a_counted_list(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/forms", params={"offset": 10 * MAX_DEPTH})
        assert f'<strong id="total">{SEED_FORMS}</strong>' in response.text
        assert "没有符合条件的表单" in response.text

    async def test_the_last_page_is_read_from_the_end(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/forms", params={"sort": "-score", "limit": 10, "offset": 50})
        assert "本页第 51–51 张" in response.text
        api = await client.get("/api/forms", params={"sort": "-score", "limit": 10, "offset": 50})
        last = api.json()["items"]
        assert len(last) == 1 and f'href="/forms/{last[0]["id"]}"' in response.text
        assert "下一页" not in response.text and "上一页" in response.text

    async def test_forms_stored_after_the_figures_are_counted(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        """An import under way has stored forms the dashboard's figures do not hold yet:
        the list counts them on top, and shows the true number."""
        with Session(engine) as session:
            fortieth = sorted(session.scalars(select(FormRow.id)))[39]
            session.execute(
                update(StatCount)
                .where(StatCount.dimension == "total", StatCount.key == "forms")
                .values(forms=40)
            )
            session.execute(
                update(StatCount)
                .where(StatCount.dimension == "meta", StatCount.key == "last_form")
                .values(forms=fortieth)
            )
            session.commit()
        response = await client.get("/forms")
        assert f'<strong id="total">{SEED_FORMS}</strong>' in response.text
        assert (await client.get("/api/forms")).json()["total"] == SEED_FORMS
