"""The pages, rendered server-side in Chinese: overview, list, form, upload, rules, exports."""

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

from jixiao.catalogue import all_entries
from jixiao.store.tables import FindingRow, FormRow
from tests.conftest import SEEDS
from tests.store.helpers import SEED_FORMS
from tests.web.conftest import MAX_UPLOAD_BYTES
from tests.web.helpers import seed_files

pytestmark = pytest.mark.anyio


async def _page(client: httpx.AsyncClient, url: str, status: int = 200) -> str:
    response = await client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text
    # Nothing is fetched from elsewhere: no absolute or protocol-relative src/href.
    assert not re.search(r"""(?:src|href|action)=["']?(?:[a-z]+:)?//""", response.text)
    return response.text


def _form_id(engine: Engine, **where: object) -> int:
    with Session(engine) as session:
        query = select(FormRow.id)
        for column, value in where.items():
            query = query.where(getattr(FormRow, column) == value)
        return session.scalars(query.order_by(FormRow.id)).first()  # type: ignore[return-value]


async def test_empty_overview_invites_an_upload(client: httpx.AsyncClient) -> None:
    html = await _page(client, "/")
    assert "表单库还是空的" in html and 'href="/upload"' in html


@pytest.mark.usefixtures("seeded")
class TestWithSeeds:
    async def test_overview_has_figures_and_charts(self, client: httpx.AsyncClient) -> None:
        html = await _page(client, "/")
        assert re.search(r'<span class="figure">51</span><span class="label">张表单', html)
        assert html.count("<svg") == 6
        for title in (
            "各年度表单数",
            "评分等级",
            "预算执行率分布",
            "问题类型",
            "问题最多的主管部门",
        ):
            assert title in html
        assert 'href="/forms?department=' in html and 'href="/forms?finding=' in html

    async def test_list_filters_search_and_paging(self, client: httpx.AsyncClient) -> None:
        html = await _page(client, "/forms")
        assert f'<strong id="total">{SEED_FORMS}</strong>' in html
        assert "下一页" in html  # 51 forms, 50 a page
        html = await _page(client, "/forms?q=职业培训&kind=self_evaluation&year=2024")
        assert '<strong id="total">1</strong>' in html and "职业培训" in html
        html = await _page(client, "/forms?year=&kind=&department=&grade=&finding=&severity=&q=")
        assert f'<strong id="total">{SEED_FORMS}</strong>' in html
        html = await _page(client, "/forms?sort=-score")
        assert "总分 ↓" in html
        html = await _page(client, "/forms?q=没有这样的项目")
        assert "没有符合条件的表单" in html

    async def test_csv_download_is_the_current_list(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/forms.csv", params={"kind": "declaration"})
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert rows[0][:6] == ["编号", "表单类型", "年度", "项目名称", "主管部门", "实施单位"]
        assert len(rows) == 1 + 7
        assert {r[1] for r in rows[1:]} == {"申报表"}
        # Amounts in one unit, 万元, converted exactly from the 元 the form printed.
        assert rows[0][6:9] == [
            "全年预算数/年度资金申请总额（万元）",
            "全年执行数（万元）",
            "表上金额单位",
        ]
        assert ("104717.30", "元") in {(r[6], r[8]) for r in rows[1:]}

    async def test_excel_download(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/forms.xlsx", params={"q": "培训"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][3] == "项目名称"
        listed = (await client.get("/api/forms", params={"q": "培训", "limit": 500})).json()
        assert len(values) - 1 == listed["total"]
        assert [v[0] for v in values[1:]] == [i["id"] for i in listed["items"]]
        amounts = {Decimal(str(v[7])) for v in values[1:] if v[7] is not None}
        assert Decimal("1158.10") in amounts

    async def test_self_evaluation_page_reads_like_the_official_table(
        self, client: httpx.AsyncClient, engine: Engine
    ) -> None:
        form_id = _form_id(engine, project="职业培训")
        html = await _page(client, f"/forms/{form_id}")
        for label in (
            "财政项目支出绩效自评表",
            "（2024年度）",
            "项目名称",
            "主管部门",
            "实施单位",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率(%)",
            "年度资金总额",
            "预期目标",
            "实际完成情况",
            "一级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "偏差原因分析及改进措施",
            "总分",
            "评分等级",
            "参考得分",
        ):
            assert label in html, label
        assert "1,203.00" in html  # amounts as an official table prints them
        assert 'rowspan="' in html  # merged 一级/二级 cells
        # Each indicator finding sits in the row right after its indicator.
        with Session(engine) as session:
            findings = session.scalars(
                select(FindingRow).where(
                    FindingRow.form_id == form_id, FindingRow.indicator_id.is_not(None)
                )
            ).all()
        assert findings
        for finding in findings:
            row = re.search(
                r'data-indicator="\d+">(?:(?!</tr>).)*</tr>\s*<tr class="finding-row">'
                r"(?:(?!</tr>).)*" + re.escape(finding.code),
                html,
                re.S,
            )
            assert row, finding.code
        assert "10.00 = 10" in html  # the budget score's formula beside the printed score

    async def test_declaration_page(self, client: httpx.AsyncClient, engine: Engine) -> None:
        form_id = _form_id(engine, kind="declaration", project="征地养老费支出")
        html = await _page(client, f"/forms/{form_id}")
        for label in (
            "财政项目支出绩效目标申报表",
            "项目性质",
            "项目类别",
            "计划开始日期",
            "年度资金申请总额",
            "项目总目标",
            "年度总体目标",
            "1,047,173,000.00",
        ):
            assert label in html, label
        assert "同一项目的其他表单" in html and "/forms/" in html

    async def test_relink_form(self, client: httpx.AsyncClient, engine: Engine) -> None:
        form_id = _form_id(engine, kind="declaration", project="鉴定、认定费")
        html = await _page(client, f"/forms/{form_id}")
        assert "自评表" in html.split('id="links"')[1]
        assert f'href="/forms/{form_id}/project"' in html
        with Session(engine) as session:
            project_id = session.get_one(FormRow, form_id).project_id
        relink = await _page(client, f"/forms/{form_id}/project")
        assert "单独成为一个项目" in relink and 'name="project_id"' in relink
        # The current project is offered, and chosen unless the user chooses another.
        assert f'<option value="{project_id}" selected>' in relink and "现在关联的项目" in relink
        # One click only asks: nothing changes until it is confirmed.
        asked = await client.post(f"/forms/{form_id}/project", data={"project_id": "new"})
        assert asked.status_code == 200 and "确认调整项目关联" in asked.text
        assert "单独成为一个新项目" in asked.text and 'name="confirm" value="1"' in asked.text
        with Session(engine) as session:
            assert session.get_one(FormRow, form_id).project_id == project_id
        response = await client.post(
            f"/forms/{form_id}/project", data={"project_id": "new", "confirm": "1"}
        )
        assert response.status_code == 303
        html = await _page(client, response.headers["location"])
        assert "项目关联已更新" in html and "没有其他年度或类型的表单" in html
        # Undo: back to the project it left, and its forms are linked again.
        assert f"撤销（移回项目 #{project_id}）" in html
        undone = await client.post(
            f"/forms/{form_id}/project", data={"project_id": str(project_id), "confirm": "1"}
        )
        assert undone.status_code == 303
        html = await _page(client, undone.headers["location"])
        assert "自评表" in html.split('id="links"')[1]
        same = await client.post(f"/forms/{form_id}/project", data={"project_id": str(project_id)})
        assert "关联未改变" in await _page(client, same.headers["location"])
        bad = await client.post(f"/forms/{form_id}/project", data={"project_id": "x"})
        assert bad.status_code == 400 and "请选择要关联的项目" in bad.text

    async def test_document_download(self, client: httpx.AsyncClient, engine: Engine) -> None:
        with Session(engine) as session:
            row = session.get_one(FormRow, _form_id(engine))
        response = await client.get(f"/documents/{row.document_id}")
        assert response.content == SEEDS[0].read_bytes()


async def test_upload_pages_preview_then_save(client: httpx.AsyncClient) -> None:
    html = await _page(client, "/upload")
    assert "把表单文件拖到这里" in html and 'enctype="multipart/form-data"' in html
    posted = await client.post("/upload", files=seed_files())
    assert posted.status_code == 303
    preview = await _page(client, posted.headers["location"])
    assert f"保存 {SEED_FORMS} 张表单" in preview and "放弃" in preview
    assert "尚未保存" in preview
    for seed in SEEDS:
        assert seed.name in preview
    token = posted.headers["location"].rsplit("/", 1)[1]
    saved = await client.post(f"/upload/{token}/save")
    assert saved.status_code == 303
    listing = await _page(client, saved.headers["location"])
    assert f"已保存 {SEED_FORMS} 张表单" in listing
    assert f'<strong id="total">{SEED_FORMS}</strong>' in listing
    # The upload's address now leads to the forms it stored.
    again = await client.get(f"/upload/{token}")
    assert again.status_code == 303 and again.headers["location"] == saved.headers["location"]


async def test_upload_page_discard(client: httpx.AsyncClient) -> None:
    posted = await client.post("/upload", files=seed_files(SEEDS[:1]))
    token = posted.headers["location"].rsplit("/", 1)[1]
    discarded = await client.post(f"/upload/{token}/discard")
    assert discarded.headers["location"] == "/upload?discarded=1"
    assert "没有保存任何内容" in await _page(client, "/upload?discarded=1")
    assert (await client.get("/api/forms")).json()["total"] == 0


async def test_upload_page_bad_files(client: httpx.AsyncClient) -> None:
    too_big = await client.post(
        "/upload", files=[("files", ("巨大.txt", b"x" * (MAX_UPLOAD_BYTES + 10), "text/plain"))]
    )
    assert too_big.status_code == 413
    assert "巨大.txt" in too_big.text and "已拒绝" in too_big.text
    assert 'id="upload-error"' in too_big.text
    posted = await client.post(
        "/upload", files=[("files", ("scan.pdf", b"%PDF-1.7\n" + bytes(200), "application/pdf"))]
    )
    preview = await _page(client, posted.headers["location"])
    assert "scan.pdf" in preview and "PDF" in preview and "整个文件未保存" in preview
    assert re.search(r'id="save"\s+disabled', preview)
    nothing = await client.post("/upload", files=[("files", ("", b"", "text/plain"))])
    assert nothing.status_code == 400 and "没有收到文件" in nothing.text


async def test_rules_page_lists_every_rule(client: httpx.AsyncClient) -> None:
    html = await _page(client, "/rules")
    for entry in all_entries():
        assert f'id="{entry.code}"' in html
        assert f"/forms?finding={entry.kind}" in html


async def test_unknown_page_is_a_chinese_404(client: httpx.AsyncClient) -> None:
    html = await _page(client, "/no/such/page", status=404)
    assert "没有这个页面或资源" in html
    html = await _page(client, "/forms/424242", status=404)
    assert "没有编号为 424242 的表单" in html
