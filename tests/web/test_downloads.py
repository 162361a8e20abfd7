"""The downloads of the list and of the store: `/forms.xlsx`, `/forms.csv`,
`/findings.xlsx`, `/opinions.docx`, `/datapackage.zip` — and the links to them."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from jixiao.store.tables import FindingRow, FormRow
from tests.export.test_datapackage import validate

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("seeded")]

OPINION_UNIT = "上海市松江区就业促进中心"


def _workbook(response: httpx.Response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


async def test_list_as_excel_links_every_form(client: httpx.AsyncClient) -> None:
    sheet = _workbook(await client.get("/forms.xlsx", params={"kind": "declaration"}))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"
    ids = [sheet[f"A{n}"].value for n in range(2, sheet.max_row + 1)]
    assert len(ids) == 7
    # Absolute, on the server's own address: a downloaded file is opened from disk.
    assert [sheet[f"A{n}"].hyperlink.target for n in range(2, sheet.max_row + 1)] == [
        f"http://jixiao.test/forms/{i}" for i in ids
    ]
    # 万元 with at least two decimals, as stored: 1,047,173,000.00 元 → 104,717.30 万元.
    amounts = {
        sheet[f"G{n}"].value: sheet[f"G{n}"].number_format for n in range(2, sheet.max_row + 1)
    }
    assert amounts[104717.3] == "#,##0.00"
    assert sheet.column_dimensions["G"].width >= 2 * len("全年预算数/年度资金申请总额（万元）") - 2


async def test_formula_like_names_stay_text(client: httpx.AsyncClient, engine: Engine) -> None:
    with Session(engine) as session:
        first = session.scalars(select(FormRow.id).order_by(FormRow.id)).first()
        session.execute(update(FormRow).where(FormRow.id == first).values(project="=1+2"))
        session.commit()
    text = (await client.get("/forms.csv", params={"sort": "id"})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == str(first) and rows[1][3] == "'=1+2"
    sheet = _workbook(await client.get("/forms.xlsx", params={"sort": "id"}))
    assert sheet["D2"].value == "=1+2" and sheet["D2"].data_type == "s"


async def test_findings_workbook_of_the_list(client: httpx.AsyncClient, engine: Engine) -> None:
    params = {"kind": "self_evaluation", "year": "2024"}
    sheet = _workbook(await client.get("/findings.xlsx", params=params))
    with Session(engine) as session:
        expected = session.execute(
            select(func.count())
            .select_from(FindingRow)
            .join(FormRow, FormRow.id == FindingRow.form_id)
            .where(FormRow.kind == "self_evaluation", FormRow.year == 2024)
        ).scalar_one()
    assert sheet.title == "问题清单"
    assert sheet.max_row - 1 == expected > 0
    assert [c.value for c in sheet[1]][:3] == ["表单编号", "表单类型", "年度"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"自评表"} and {r[2] for r in rows} == {2024}
    assert {r[8] for r in rows} <= {"错误", "警告", "提示"}
    assert all(r[6] and r[7] and r[10] and r[11] for r in rows)  # code, title, message, basis
    link = sheet["A2"].hyperlink.target
    assert link == f"http://jixiao.test/forms/{rows[0][0]}"
    # Each form's findings together, errors first.
    by_form: dict[int, list[str]] = {}
    for row in rows:
        by_form.setdefault(row[0], []).append(row[8])
    order = {"错误": 0, "警告": 1, "提示": 2}
    assert all(s == sorted(s, key=order.__getitem__) for s in by_form.values())
    none = _workbook(await client.get("/findings.xlsx", params={"q": "没有这样的项目"}))
    assert none.max_row == 1


async def test_opinion_of_a_unit(client: httpx.AsyncClient, engine: Engine) -> None:
    response = await client.get("/opinions.docx", params={"unit": OPINION_UNIT})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "绩效自评审核意见"
    assert texts[1] == f"实施单位：{OPINION_UNIT}"
    with Session(engine) as session:
        projects = session.scalars(
            select(FormRow.project).where(FormRow.unit == OPINION_UNIT).order_by(FormRow.id)
        ).all()
    assert [r.cells[1].text for r in document.tables[0].rows[1:]] == list(projects)
    assert any("规则编号" in t for t in texts)


async def test_opinion_needs_a_unit_and_forms(client: httpx.AsyncClient) -> None:
    missing = await client.get("/opinions.docx")
    assert missing.status_code == 400 and "请指定实施单位或主管部门" in missing.text
    nothing = await client.get("/opinions.docx", params={"unit": "没有这个单位"})
    assert nothing.status_code == 404 and "没有符合条件的表单" in nothing.text
    department = await client.get(
        "/opinions.docx", params={"department": "上海市松江区人力资源和社会保障局"}
    )
    assert department.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(department.content)).paragraphs]
    assert "主管部门：上海市松江区人力资源和社会保障局" in texts


async def test_the_list_page_links_the_downloads(client: httpx.AsyncClient) -> None:
    html = (await client.get("/forms", params={"year": "2024"})).text
    assert 'href="/findings.xlsx?year=2024"' in html and "下载问题清单（Excel）" in html
    assert "生成审核意见" not in html  # only for one unit
    html = (await client.get("/forms", params={"unit": OPINION_UNIT})).text
    assert "生成审核意见（Word）" in html and 'href="/opinions.docx?unit=' in html


async def test_open_data_package(client: httpx.AsyncClient, tmp_path: Path) -> None:
    html = (await client.get("/")).text
    assert 'href="/datapackage.zip"' in html and "下载开放数据包（ZIP）" in html
    response = await client.get("/datapackage.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(
            [
                "datapackage.json",
                "forms.csv",
                "funds.csv",
                "indicators.csv",
                "findings.csv",
                "projects.csv",
            ]
        )
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert descriptor["resources"][0]["name"] == "forms"
    validate(tmp_path)
    filtered = await client.get("/datapackage.zip", params={"kind": "declaration"})
    with zipfile.ZipFile(io.BytesIO(filtered.content)) as archive:
        forms = archive.read("forms.csv").decode("utf-8-sig").splitlines()
    assert len(forms) == 1 + 7
