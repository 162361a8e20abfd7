"""How figures and words read on the pages: one unit of money, one score format, colours
that say higher or lower, Chinese names for profiles and parameters, sizes, and the
addresses that are not pages (issue 15's defects, each with its test)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import httpx
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.money import convert, in_common_unit
from jixiao.numbers import money_text, score_text, with_cents
from jixiao.store.tables import FormRow
from jixiao.web.display import size_text
from tests.conftest import ROOT
from tests.web.helpers import seed_files

pytestmark = pytest.mark.anyio

_FUNDS_CELL = re.compile(r'<td class="num" data-label="资金（万元）">([^<]*)</td>')


def _cells(html: str, label: str) -> list[str]:
    return re.findall(rf'<td class="[^"]*" data-label="{label}">(.*?)</td>', html)


# ---- the formatters ---------------------------------------------------------------------


def test_conversion_to_wan_is_exact() -> None:
    assert convert(Decimal("27187932.63"), "元") == Decimal("2718.793263")
    assert str(convert(Decimal("1047173000.00"), "元")) == "104717.30"
    assert str(convert(Decimal("2438.27"), "万元")) == "2438.27"
    assert str(convert(Decimal("1.5"), "亿元")) == "15000.00"
    assert str(convert(Decimal("120"), "千元")) == "12.00"
    assert convert(Decimal("5"), "人") is None
    assert in_common_unit(None, "元") is None


def test_scores_always_print_two_decimals_and_nothing_is_rounded() -> None:
    assert score_text(Decimal("98")) == "98.00"
    assert score_text(Decimal("0")) == "0.00"
    assert score_text(Decimal("9.4")) == "9.40"
    assert score_text(Decimal("96.125")) == "96.125"  # printed so: shown so
    assert money_text(Decimal("2718.793263")) == "2,718.793263"
    assert money_text(Decimal("1047173000")) == "1,047,173,000.00"
    assert with_cents(Decimal("2718.7900")) == Decimal("2718.79")


def test_file_sizes_never_read_zero() -> None:
    assert size_text(0) == "0 字节"
    assert size_text(37) == "37 字节"
    assert size_text(2048) == "2.0 KB"
    assert size_text(64 * 1024 * 1024) == "64.0 MB"


# ---- the list, its sorting and its downloads ---------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestOneUnitOfMoney:
    async def test_the_list_shows_every_amount_in_wan(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        html = (await client.get("/forms", params={"limit": 500})).text
        assert "资金（万元）" in html
        assert "<small>元</small>" not in html and "<small>万元</small>" not in html
        with Session(engine) as session:
            rows = session.scalars(select(FormRow).order_by(FormRow.id)).all()
        units = {row.funds_unit for row in rows if row.funds_amount is not None}
        assert units == {"元", "万元"}  # the seeds print both
        shown = set()
        for row in rows:
            wan = in_common_unit(row.funds_amount, row.funds_unit)
            if wan is not None:
                shown.add(money_text(wan))
        assert set(_FUNDS_CELL.findall(html)) - {""} == shown

    @pytest.mark.parametrize("sort", ["funds", "-funds"])
    async def test_sorting_by_funds_is_true_amount_order(
        self, client: httpx.AsyncClient, sort: str
    ) -> None:
        html = (await client.get("/forms", params={"sort": sort, "limit": 500})).text
        amounts = [Decimal(c.replace(",", "")) for c in _FUNDS_CELL.findall(html) if c]
        assert len(amounts) > 40
        assert amounts == sorted(amounts, reverse=sort.startswith("-"))

    async def test_api_sorting_by_funds_agrees(self, client: httpx.AsyncClient) -> None:
        items = (await client.get("/api/forms", params={"sort": "funds", "limit": 500})).json()
        with_amounts = [i for i in items["items"] if i["funds_amount"] is not None]
        for item in with_amounts:
            converted = in_common_unit(Decimal(item["funds_amount"]), item["funds_unit"])
            assert item["funds_wan"] == str(converted)
        amounts = [Decimal(i["funds_wan"]) for i in with_amounts]
        assert len(amounts) > 40 and amounts == sorted(amounts)

    async def test_downloads_have_one_unit_per_column(self, client: httpx.AsyncClient) -> None:
        text = (await client.get("/forms.csv", params={"sort": "-funds"})).content.decode()
        rows = list(csv.reader(io.StringIO(text[1:])))
        header = rows[0]
        amount = header.index("全年预算数/年度资金申请总额（万元）")
        printed_unit = header.index("表上金额单位")
        values = [Decimal(r[amount]) for r in rows[1:] if r[amount]]
        assert values == sorted(values, reverse=True)
        assert {r[printed_unit] for r in rows[1:]} == {"元", "万元"}
        book = load_workbook(io.BytesIO((await client.get("/forms.xlsx")).content))
        sheet = book.active
        titles = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert "全年预算数/年度资金申请总额（万元）" in titles and "金额单位" not in titles


# ---- scores, reference scores and grades --------------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestScores:
    async def test_every_score_has_two_decimals(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        html = (await client.get("/forms", params={"kind": "self_evaluation"})).text
        scores = _cells(html, "总分")
        assert scores and all(re.fullmatch(r"\d+\.\d{2,}", s) for s in scores), scores
        with Session(engine) as session:
            form_id = session.scalars(
                select(FormRow.id).where(FormRow.kind == "self_evaluation")
            ).first()
        page = (await client.get(f"/forms/{form_id}")).text
        numbers = re.findall(r'<td class="num(?: strong)?">([^<]+)</td>', page)
        assert numbers
        for n in numbers:
            assert n == "-" or re.fullmatch(r"[\d,]+\.\d{2,}", n), n

    async def test_reference_scores_say_higher_or_lower_not_wrong(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        with Session(engine) as session:
            rows = session.scalars(
                select(FormRow).where(
                    FormRow.ref_total.is_not(None), FormRow.total_score.is_not(None)
                )
            ).all()
        differing = [r for r in rows if r.ref_total != r.total_score]
        assert differing
        html = (await client.get("/forms", params={"kind": "self_evaluation"})).text
        assert "differs" not in html
        for row in differing:
            word = "higher" if row.ref_total > row.total_score else "lower"  # type: ignore[operator]
            page = (await client.get(f"/forms/{row.id}")).text
            assert f'class="ref {word}"' in page
            assert ("参考得分高于表上所印" if word == "higher" else "参考得分低于表上所印") in page
        css = (ROOT / "src/jixiao/web/static/style.css").read_text()
        for word in ("higher", "lower"):
            rule = re.search(rf"\.ref\.{word} \{{([^}}]*)\}}", css)
            assert rule and "--error" not in rule.group(1)


# ---- names a user knows ---------------------------------------------------------------------


async def test_profiles_are_named_by_their_titles(client: httpx.AsyncClient) -> None:
    html = (await client.get("/upload")).text
    options = re.findall(r"<option value=\"([^\"]+)\"[^>]*>([^<]+)</option>", html)
    assert {value for value, _ in options} == {"national-2020", "shanghai"}
    for value, label in options:
        assert value not in label and re.search(r"[\u4e00-\u9fff]", label)


async def test_a_bad_parameter_is_named_in_chinese(client: httpx.AsyncClient) -> None:
    response = await client.get("/forms", params={"year": "abc"})
    assert response.status_code == 422
    assert "参数“年度”应为整数，收到“abc”" in response.text  # a page: the label only
    api = (await client.get("/api/forms", params={"limit": "0"})).json()["error"]
    assert api["message"] == "请求无效：参数“每页条数”（limit）应不小于 1，收到“0”。"
    assert all(re.search(r"[\u4e00-\u9fff]", d["msg"]) for d in api["detail"])


async def test_the_preview_names_formats_and_sizes(client: httpx.AsyncClient) -> None:
    files = seed_files()
    files.append(("files", ("空白.txt", b"\xe6\xb2\xa1\xe6\x9c\x89\n", "text/plain")))
    posted = await client.post("/upload", files=files)
    preview = (await client.get(posted.headers["location"])).text
    assert not re.search(r"[^\d]0\.0 KB", preview) and "7 字节" in preview
    assert "制表符分隔文本" in preview and "PDF 转换文本" in preview
    assert ">tsv<" not in preview and ">plain<" not in preview


async def test_addresses_that_are_not_pages(client: httpx.AsyncClient) -> None:
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content.startswith(b"\x00\x00\x01\x00")  # an ICO file
    for address in ("/forms/abc", "/forms/1/project.json", "/forms/3.exe"):
        response = await client.get(address)
        assert response.status_code == 404, address
    # An export of a form the store does not hold: that form is named.
    response = await client.get("/forms/3.xlsx")
    assert response.status_code == 404 and "没有编号为 3 的表单" in response.text


def test_readme_links_stay_inside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for target in re.findall(r"\]\(([^)#]+)[^)]*\)", readme):
        if not re.match(r"[a-z]+://", target):
            assert (ROOT / target).exists(), target
    for needed in ("Python ≥ 3.11", "python3 -m venv", "fonts-noto-cjk", "docs/"):
        assert needed in readme, needed
    assert not re.search(r"\.\./shared|/work/|/home/", readme)
