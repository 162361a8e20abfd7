"""The 审核意见 of a unit (`jixiao.export.opinion`), read back with python-docx; and
rendered once by LibreOffice into screenshots/, to be looked at."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections import Counter
from functools import cache

import pytest
from docx import Document

from jixiao.catalogue import by_kind
from jixiao.export.opinion import (
    CLOSING,
    TABLE_HEADER,
    TITLE,
    OpinionFinding,
    OpinionForm,
    chinese_number,
    finding_sentence,
    in_order,
    opinion_docx,
)
from jixiao.intake import take_in_path
from jixiao.model import SelfEvaluation
from tests.conftest import ROOT, SEEDS
from tests.support import libreoffice

SCREENSHOTS = ROOT / "screenshots"
DAY = dt.date(2025, 3, 18)


@cache
def seed_forms() -> tuple[tuple[str, OpinionForm], ...]:
    """Every form of the seeds as the opinion takes it, beside its 实施单位."""
    out = []
    for path in SEEDS:
        for reviewed in take_in_path(path, "shanghai").forms:
            form = reviewed.form
            score = reviewed.score
            findings = tuple(
                OpinionFinding(f.severity.value, f.code, by_kind(f.kind).title, f.message)
                for f in reviewed.findings
            )
            evaluation = isinstance(form, SelfEvaluation)
            out.append(
                (
                    form.unit or "",
                    OpinionForm(
                        project=form.project,
                        kind="自评表" if evaluation else "申报表",
                        year=form.year,
                        total_score=form.total_score if isinstance(form, SelfEvaluation) else None,
                        ref_total=score.total.value if score and score.total else None,
                        grade=form.grade if isinstance(form, SelfEvaluation) else None,
                        findings=findings,
                    ),
                )
            )
    return tuple(out)


@cache
def busiest_unit() -> tuple[str, tuple[OpinionForm, ...]]:
    counts = Counter[str]()
    for unit, form in seed_forms():
        counts[unit] += len(form.findings)
    unit = counts.most_common(1)[0][0]
    return unit, tuple(form for u, form in seed_forms() if u == unit)


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 35, 100, 105, 110, 1001)] == [
        "一", "九", "十", "十一", "二十", "三十五", "一百", "一百零五", "一百一十", "一千零一",
    ]  # fmt: skip


def test_a_finding_as_a_sentence() -> None:
    finding = OpinionFinding(
        "error", "AR001", "总分与得分合计不符", "第3张表：总分印为 96.35，而合计 95.35（相差 1.00）"
    )
    assert (
        finding_sentence(finding)
        == "总分印为 96.35，而合计 95.35（相差 1.00）。（错误，规则编号 AR001）"
    )
    note = OpinionFinding(
        "info", "BT001", "预算大幅调整", "第2张表 年度资金总额：调整为 52.68 万元。"
    )
    assert finding_sentence(note) == "年度资金总额：调整为 52.68 万元。（提示，规则编号 BT001）"
    pairs = (("info", "A"), ("error", "B"), ("warning", "C"), ("error", "D"))
    found = [OpinionFinding(severity, code, "", "x") for severity, code in pairs]
    assert [f.code for f in in_order(found)] == ["B", "D", "C", "A"]


def _document(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


def test_the_opinion_of_a_unit() -> None:
    unit, forms = busiest_unit()
    document = _document(opinion_docx(subject="实施单位", names=[unit], forms=forms, day=DAY))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == TITLE
    assert texts[1] == f"实施单位：{unit}"
    assert texts[2] == "审核日期：2025年3月18日"
    total = sum(len(f.findings) for f in forms)
    assert any(f"共发现问题 {total} 项" in t for t in texts)
    # The forms reviewed, one row each.
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == list(TABLE_HEADER)
    assert len(table.rows) == len(forms) + 1
    first = forms[0]
    row = [c.text for c in table.rows[1].cells]
    assert row[1:4] == [first.project, first.kind, str(first.year)]
    assert row[7] == str(len(first.findings))
    if first.total_score is not None:
        assert row[4] == f"{first.total_score:.2f}"
    # Each form's findings, numbered, errors first, each with its rule code.
    headings = [t for t in texts if re.match(r"（[一二三四五六七八九十]+）", t)]
    assert len(headings) == len(forms)
    assert headings[0] == f"（一）{first.project}（{first.year} 年度{first.kind}）"
    for n, form in enumerate(forms):
        start = texts.index(headings[n])
        end = texts.index(headings[n + 1]) if n + 1 < len(forms) else texts.index("三、审核意见")
        items = texts[start + 1 : end]
        if not form.findings:
            assert items == ["未发现问题。"]
            continue
        assert [int(t.split(".")[0]) for t in items] == list(range(1, len(form.findings) + 1))
        severities = [
            re.search(r"（(错误|警告|提示)，规则编号 ([A-Z]{2}\d{3})）$", t) for t in items
        ]
        assert all(severities), items
        ranks = ["错误警告提示".index(m.group(1)) // 2 for m in severities if m]
        assert ranks == sorted(ranks)
        assert sorted(m.group(2) for m in severities if m) == sorted(f.code for f in form.findings)
    assert CLOSING in texts


def test_a_form_without_findings_and_without_scores() -> None:
    form = OpinionForm("某某项目", "申报表", 2025, None, None, None, ())
    document = _document(opinion_docx(subject="主管部门", names=["某某局"], forms=[form], day=DAY))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert "主管部门：某某局" in texts and "未发现问题。" in texts
    assert any("未发现问题" in t for t in texts if t.startswith("对某某局"))
    assert [c.text for c in document.tables[0].rows[1].cells][4:7] == ["—", "—", "—"]


def test_rendered_by_libreoffice() -> None:
    """Rendered to PNG (screenshots/opinion-*.png) for a person to look at."""
    if libreoffice.soffice() is None:
        if libreoffice.required():
            pytest.fail("LibreOffice is required under CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    unit, forms = busiest_unit()
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("opinion-*.png"):
        old.unlink()
    source = SCREENSHOTS / "opinion.docx"
    source.write_bytes(opinion_docx(subject="实施单位", names=[unit], forms=forms, day=DAY))
    try:
        (pdf,) = libreoffice.convert([source], "pdf", SCREENSHOTS)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        assert TITLE in text.stdout and "规则编号" in text.stdout
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "opinion")], check=True
        )
    finally:
        source.unlink(missing_ok=True)
        (SCREENSHOTS / "opinion.pdf").unlink(missing_ok=True)
    assert list(SCREENSHOTS.glob("opinion-*.png"))
