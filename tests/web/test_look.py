"""Every page as a reviewer sees it, in a real browser at 1400 px and at 390 px (a phone):
a screenshot of each (saved to `screenshots/look-*.png`, to be looked at), axe-core's
accessibility rules, no English a user reads, nothing wider than the screen; and the
keyboard: `/`, `j`/`k`, `?`, the skip link, focus that shows.

axe-core comes from the `axe-playwright-python` wheel (its `axe.min.js`), injected into
the page by Playwright: nothing is fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, expect

from jixiao.demo.build import build_demo
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from tests.conftest import SEEDS
from tests.store.helpers import import_seeds
from tests.support.latin import latin_words, visible_text
from tests.web.test_browser import SCREENSHOTS, _serve, browser  # noqa: F401  (fixture)

WIDTHS = (1400, 390)
# axe's impacts: a "serious" or "critical" violation fails; "moderate" and "minor" are
# reported in the assertion message of the serious ones only.
FAILING_IMPACTS = frozenset({"serious", "critical"})


@dataclass
class Site:
    url: str
    pages: dict[str, str] = field(default_factory=dict)  # name → address


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A database of demo forms and the seeds (amounts in 元 and in 万元), served."""
    database = tmp_path_factory.mktemp("look") / "look.db"
    engine = make_engine(str(database))
    upgrade(engine)
    build_demo(engine, forms=120)
    import_seeds(engine)
    engine.dispose()
    for url in _serve(database, profile="shanghai", max_upload_bytes=512 * 1024):
        site = Site(url)
        with httpx.Client(base_url=url) as client:
            forms = client.get("/api/forms", params={"limit": 500}).json()["items"]
            evaluation = next(
                f
                for f in forms
                if f["kind"] == "self_evaluation" and f["ref_total"] != f["total_score"]
            )
            declaration = next(f for f in forms if f["kind"] == "declaration")
            files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
            posted = client.post("/upload", files=files, follow_redirects=False)
        site.pages = {
            "overview": "/",
            "forms": "/forms",
            "forms-by-funds": "/forms?sort=-funds",
            "self-evaluation": f"/forms/{evaluation['id']}",
            "declaration": f"/forms/{declaration['id']}",
            "relink": f"/forms/{declaration['id']}/project",
            "upload": "/upload",
            "preview": posted.headers["location"],
            "rules": "/rules",
            "docs": "/docs",
            "not-found": "/forms/987654",
            "bad-parameter": "/forms?year=二〇二四",
        }
        yield site


@pytest.fixture
def context_page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Whatever the Content-Security-Policy blocked (an inline script or style) is a bug.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert errors == []


def _problems(page: Page, width: int) -> list[str]:
    """What is wrong with the page as shown: serious accessibility violations, English a
    user reads, content wider than the screen."""
    found = []
    results = Axe().run(page).response
    for violation in results["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = [n["target"] for n in violation["nodes"][:3]]
            found.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    words = latin_words(visible_text(page.content()))
    if words:
        found.append(f"English: {sorted(set(words))[:12]}")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"{scroll} px wide at {width} px")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_well_at_every_width(site: Site, context_page: Page, width: int) -> None:
    page = context_page
    page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, list[str]] = {}
    for name, address in site.pages.items():
        page.goto(site.url + address)
        page.screenshot(path=str(SCREENSHOTS / f"look-{name}-{width}.png"), full_page=True)
        if found := _problems(page, width):
            problems[name] = found
    # The confirmation of a relink is the answer to a POST: reached by its button.
    page.goto(site.url + site.pages["relink"])
    page.locator("select[name=project_id]").select_option("new")
    page.get_by_role("button", name="下一步：确认").click()
    expect(page.locator("h1")).to_have_text("确认调整项目关联")
    page.screenshot(path=str(SCREENSHOTS / f"look-relink-confirm-{width}.png"), full_page=True)
    if found := _problems(page, width):
        problems["relink-confirm"] = found
    report = "\n".join(f"{name}: {item}" for name, items in problems.items() for item in items)
    assert not problems, report


@pytest.mark.parametrize("width", WIDTHS)
def test_numbers_are_never_broken_across_lines(site: Site, context_page: Page, width: int) -> None:
    """A formula wraps between its terms, never inside `8.00`; a grade change `优 →中`
    stays on one line."""
    page = context_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + site.pages["self-evaluation"])
    assert page.locator(".formula").count() >= 5
    broken = page.evaluate(
        r"""() => {
          const out = [];
          for (const el of document.querySelectorAll('.formula')) {
            const text = el.firstChild;
            if (!text || text.nodeType !== 3) continue;
            for (const m of text.data.matchAll(/\d[\d,]*(?:\.\d+)?/g)) {
              const range = document.createRange();
              range.setStart(text, m.index);
              range.setEnd(text, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (tops.size > 1) out.push(m[0]);
            }
          }
          return out;
        }"""
    )
    assert broken == []
    page.goto(site.url + "/forms?kind=self_evaluation&limit=500")
    changes = page.locator("td.grade .grade-change")
    assert changes.count() >= 1
    lines = page.evaluate(
        """() => [...document.querySelectorAll('td.grade')]
          .filter(td => td.querySelector('.grade-change'))
          .map(td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
          })"""
    )
    assert lines and set(lines) == {1}


def test_on_a_phone_the_list_is_cards_and_the_form_scrolls_in_its_frame(
    site: Site, context_page: Page
) -> None:
    page = context_page
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(site.url + "/forms")
    first = page.locator("table.list tbody tr").first
    box = first.bounding_box()
    assert box is not None and box["width"] <= 390
    assert page.locator("table.list thead").evaluate("e => e.getBoundingClientRect().height") <= 1
    label = first.locator("td[data-label='资金（万元）']").evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert "资金" in label
    page.goto(site.url + site.pages["self-evaluation"])
    frame = page.locator(".table-frame").first
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")  # the table scrolls inside
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Amounts do not overlap their neighbours: each number cell holds its text.
    overflowing = page.evaluate(
        "[...document.querySelectorAll('table.official td.num')]"
        ".filter(td => td.scrollWidth > td.clientWidth + 1).length"
    )
    assert overflowing == 0


def test_the_keyboard_reaches_everything(site: Site, context_page: Page) -> None:
    page = context_page
    page.goto(site.url + "/forms")
    # The skip link is the first stop of Tab, visible when focused, and leads to the content.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => e.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # "/" goes to the list's search box.
    page.keyboard.press("/")
    expect(page.locator("form.filters input[name=q]")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("h1").click()
    # j / k move through the rows; Enter opens the selected one.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    rows = page.locator("table.list tbody tr")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bselected\b"))
    target = rows.nth(0).locator("a").first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target or "") + "$"))
    # "?" shows the shortcuts; Escape closes them. Focus is always visible.
    page.keyboard.press("?")
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("跳到搜索框")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    # "/" on a page without a list goes to the header's search box.
    page.keyboard.press("/")
    expect(page.locator("#quick-search")).to_be_focused()


def test_the_drop_zone_shows_only_its_own_words(
    site: Site, context_page: Page, tmp_path: Path
) -> None:
    page = context_page
    page.goto(site.url + "/upload")
    box = page.locator("#files").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # the native button
    expect(page.locator(".dropzone .button")).to_have_text("选择文件…")
    page.set_input_files("#files", [str(p) for p in SEEDS])
    expect(page.locator("#chosen")).to_contain_text(f"已选择 {len(SEEDS)} 个文件")
    page.locator("#files").focus()  # the zone shows the keyboard focus of its input
    outline = page.locator(".dropzone").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.screenshot(path=str(SCREENSHOTS / "look-upload-chosen-1400.png"), full_page=True)


def test_rules_sections_share_their_column_widths(site: Site, context_page: Page) -> None:
    page = context_page
    page.goto(site.url + "/rules")
    widths = page.evaluate(
        "[...document.querySelectorAll('table.rules')].map(t =>"
        " [...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().width)).join(','))"
    )
    assert len(widths) >= 5 and len(set(widths)) == 1, widths


def test_the_form_page_prints_as_the_official_table(
    site: Site, context_page: Page, tmp_path: Path
) -> None:
    """Printed: A4 landscape, no navigation, the indicator header on every page of them."""
    import subprocess

    page = context_page
    page.goto(site.url + site.pages["self-evaluation"])
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout).groups())  # type: ignore[union-attr]
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape, in points
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "审核规则" not in text and "接口文档" not in text  # no navigation
    printed = text.split("\f")[:pages]
    with_indicators = [p for p in printed if re.search(r"指标", p)]
    assert all("一级指标" in p for p in with_indicators[1:] if p.strip())
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(SCREENSHOTS / "look-printed-form")],
        check=True,
    )
