"""In a real browser (Playwright driving Debian's Chromium): upload the seeds, see their
findings, save, search, filter, open forms — and a screenshot of every page, saved to
`screenshots/` to be looked at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect, sync_playwright

from jixiao.demo.build import build_demo
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.web.app import create_app
from jixiao.web.settings import Settings
from tests.conftest import ROOT, SEEDS
from tests.store.helpers import SEED_FORMS
from tests.web.live import live_server

CHROMIUM = Path(os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "screenshots"
UPLOAD_LIMIT = 512 * 1024


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serve(database: Path, **settings: object) -> Iterator[str]:
    app: FastAPI = create_app(Settings(database_url=str(database), **settings))  # type: ignore[arg-type]
    with live_server(app) as url:
        yield url
    app.state.engine.dispose()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path / "browser.db", profile="shanghai", max_upload_bytes=UPLOAD_LIMIT)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors  # no JavaScript errors on any page


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _total(page: Page) -> int:
    return int(page.locator("#total").inner_text())


def test_upload_review_save_search_filter_open(site: str, page: Page) -> None:
    page.goto(site + "/")
    expect(page.get_by_text("表单库还是空的")).to_be_visible()
    shot(page, "01-overview-empty")

    page.get_by_role("link", name="上传", exact=True).click()
    expect(page.locator("h1")).to_have_text("上传表单")
    page.set_input_files("#files", [str(p) for p in SEEDS])
    expect(page.locator("#chosen")).to_contain_text(f"已选择 {len(SEEDS)} 个文件")
    shot(page, "02-upload")
    page.get_by_role("button", name="读取并审核").click()

    expect(page.locator("#save")).to_have_text(f"保存 {SEED_FORMS} 张表单")
    expect(page.get_by_text("尚未保存")).to_be_visible()
    assert page.locator("table.preview-forms tbody tr").count() == SEED_FORMS
    first_findings = page.locator("details.form-findings-preview").first
    first_findings.locator("summary").click()
    expect(first_findings.locator("li.finding").first).to_be_visible()
    shot(page, "03-upload-preview")

    page.locator("#save").click()
    expect(page.get_by_text(f"已保存 {SEED_FORMS} 张表单")).to_be_visible()
    assert _total(page) == SEED_FORMS
    shot(page, "04-forms-after-save")

    page.get_by_role("link", name="总览").click()
    expect(page.locator(".tile").first).to_contain_text(str(SEED_FORMS))
    assert page.locator("svg.chart").count() == 6
    shot(page, "05-overview")

    # Search from the header box (Chinese, no spaces).
    page.locator(".quick-search input").fill("职业培训")
    page.locator(".quick-search input").press("Enter")
    expect(page.locator("#total")).to_have_text("1")
    shot(page, "06-search")

    # Filters: kind, then year and a finding severity.
    page.goto(site + "/forms")
    page.locator("select[name=kind]").select_option("declaration")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#total")).to_have_text("7")
    assert all(k == "申报表" for k in page.locator("td .kind").all_inner_texts())
    page.locator("select[name=kind]").select_option("")
    page.locator("select[name=severity]").select_option("error")
    page.locator("select[name=year]").select_option("2024")
    page.get_by_role("button", name="筛选").click()
    filtered = _total(page)
    assert 0 < filtered < SEED_FORMS
    assert page.locator("tbody .badge.sev-error").count() == filtered
    shot(page, "07-filter")

    # Sorting by 总分 through the column head.
    page.goto(site + "/forms?kind=self_evaluation")
    page.get_by_role("link", name="总分", exact=True).click()
    page.get_by_role("link", name="总分 ↑").click()
    expect(page.get_by_role("link", name="总分 ↓")).to_be_visible()

    # Open a form: the official table, findings at their rows, reference scores.
    page.goto(site + "/forms?q=职业培训")
    page.get_by_role("link", name="职业培训").click()
    expect(page.locator("table.official caption")).to_contain_text("财政项目支出绩效自评表")
    finding_rows = page.locator("tr.finding-row")
    assert finding_rows.count() >= 1
    expect(finding_rows.first).to_contain_text("SC")
    marked = page.locator("tr.indicator.has-findings")
    assert marked.count() >= 1
    assert page.locator("td.ref-cell .formula").count() >= 10
    shot(page, "08-form-self-evaluation")

    # A declaration and its linked self-evaluation.
    page.goto(site + "/forms?q=鉴定、认定费&kind=declaration")
    page.locator("td.project a").first.click()
    expect(page.locator("table.official caption")).to_contain_text("财政项目支出绩效目标申报表")
    links = page.locator("#links table a")
    expect(links.first).to_have_text("鉴定、认定费")
    shot(page, "09-form-declaration")
    page.get_by_role("link", name="调整项目关联…").click()
    expect(page.locator("h1")).to_have_text("调整项目关联")
    shot(page, "09b-relink")
    page.locator("select[name=project_id]").select_option("new")
    page.get_by_role("button", name="下一步：确认").click()
    expect(page.locator("h1")).to_have_text("确认调整项目关联")
    shot(page, "09c-relink-confirm")
    page.get_by_role("button", name="确认保存").click()
    expect(page.get_by_text("项目关联已更新")).to_be_visible()
    expect(page.get_by_text("没有其他年度或类型的表单")).to_be_visible()
    page.get_by_role("button", name=re.compile("撤销")).click()
    expect(page.locator("#links table a").first).to_have_text("鉴定、认定费")

    page.get_by_role("link", name="审核规则").click()
    expect(page.locator("h1")).to_have_text("审核规则目录")
    shot(page, "10-rules")
    page.get_by_role("link", name="接口文档").click()
    expect(page.locator("h1")).to_contain_text("接口文档")
    shot(page, "11-docs")


def test_bad_uploads_get_clear_messages(site: str, page: Page, tmp_path: Path) -> None:
    scan = tmp_path / "扫描件.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    letter = tmp_path / "说明.txt"
    letter.write_text("各位领导：\n本年度项目进展顺利，特此说明。\n", encoding="utf-8")
    page.goto(site + "/upload")
    page.set_input_files("#files", [str(scan), str(letter), str(SEEDS[2])])
    page.get_by_role("button", name="读取并审核").click()
    expect(page.locator(".upload-file.status-refused")).to_have_count(2)
    expect(page.get_by_text("PNG 图片无法解码")).to_be_visible()
    expect(page.locator(".status-refused").nth(1)).to_contain_text("未找到")
    expect(page.locator("#save")).to_have_text("保存 7 张表单")
    shot(page, "12-upload-refused-files")
    page.get_by_role("button", name="放弃").click()
    expect(page.get_by_text("已放弃这次上传")).to_be_visible()

    # Over the size limit: refused in the page before anything is sent.
    big = tmp_path / "超大文件.txt"
    big.write_bytes(b"x" * (UPLOAD_LIMIT * 2))
    page.set_input_files("#files", str(big))
    page.get_by_role("button", name="读取并审核").click()
    expect(page.locator("#client-error")).to_contain_text("超大文件.txt")
    expect(page.locator("#client-error")).to_contain_text("1.0 MB")
    shot(page, "13-upload-too-large")

    # And on the server, when the page's check is bypassed (form.submit() skips it).
    page.evaluate("document.getElementById('upload-form').submit()")
    expect(page.locator("#upload-error")).to_contain_text("超大文件.txt")
    expect(page.locator("#upload-error")).to_contain_text("超过单个文件上限")
    shot(page, "14-upload-too-large-server")

    page.goto(site + "/forms/987654")
    expect(page.get_by_text("没有编号为 987654 的表单")).to_be_visible()
    shot(page, "15-not-found")
    page.goto(site + "/api/stats")
    assert '"forms":0' in page.content()  # nothing was saved


def test_an_upload_followed_live_while_its_job_runs(
    browser: Browser, page: Page, tmp_path: Path
) -> None:
    """A server that answers at once (`job_wait` 0): the page shows the job's progress
    and turns into the preview, then into the saved forms, without a reload by hand."""
    copies = []
    for n in range(60):
        seed = SEEDS[n % len(SEEDS)]
        copy = tmp_path / f"{n:02}_{seed.name}"
        copy.write_bytes(seed.read_bytes() + b"\n" * n)
        copies.append(str(copy))
    for url in _serve(tmp_path / "live.db", profile="shanghai", job_wait=0.0):
        page.goto(url + "/upload")
        page.set_input_files("#files", copies)
        page.get_by_role("button", name="读取并审核").click()
        expect(page.locator("h1")).to_have_text("正在读取与审核")
        expect(page.locator("#job-bar")).to_be_visible()
        shot(page, "16-upload-reading")
        forms = SEED_FORMS * len(copies) // len(SEEDS)
        expect(page.locator("#save")).to_have_text(f"保存 {forms} 张表单", timeout=60_000)
        page.locator("#save").click()
        expect(page.get_by_text(f"已保存 {forms} 张表单")).to_be_visible(timeout=60_000)
        assert _total(page) == forms


def test_demo_database_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    engine = make_engine(str(database))
    upgrade(engine)
    summary = build_demo(engine, forms=300)
    engine.dispose()
    assert summary.forms == 300
    for url in _serve(database, profile="national-2020"):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(url + "/")
        expect(page.locator(".tile").first).to_contain_text("300")
        shot(page, "16-demo-overview")
        page.goto(url + "/forms?severity=error&kind=self_evaluation")
        assert _total(page) > 0
        shot(page, "17-demo-forms-with-errors")
        page.goto(url + "/forms?q=满意度")  # in every form: counted as far as shown
        expect(page.locator(".list-head .count")).to_contain_text("超过")
        page.get_by_role("link", name="下一页").click()
        expect(page.locator(".list-head .count")).to_contain_text("本页第 51–100 张")
        shot(page, "17b-demo-search-broad")
        page.goto(url + "/forms?severity=error&kind=self_evaluation")
        page.locator("td.project a").first.click()
        expect(page.locator("tr.finding-row, .form-findings").first).to_be_visible()
        shot(page, "18-demo-form")
        assert re.search(r"/forms/\d+$", page.url)
        context.close()
