"""The 审核意见 of one unit (export step): a Word document a reviewer sends back.

For one 实施单位 (or 主管部门): the title 「绩效自评审核意见」, the unit and the date, a
table of the forms reviewed (项目名称、类型、年度、总分、参考总分、评分等级、问题数),
then, form by form, each finding as a numbered sentence — errors first, then warnings,
then notes, each with its severity and 规则编号 in brackets — and a closing request to
correct and resubmit. Laid out as an official letter is (GB/T 9704): A4, 小标宋 title,
黑体 and 楷体 headings, 仿宋 body, page numbers at the foot.

Plain records in (`OpinionForm`, `OpinionFinding`: the caller has looked up the labels),
bytes out; python-docx writes the document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from jixiao.findings import Severity
from jixiao.numbers import score_text

TITLE = "绩效自评审核意见"
TABLE_HEADER = ("序号", "项目名称", "类型", "年度", "总分", "参考总分", "评分等级", "问题数")
# Centimetres: each header on one line (a 五号 character is 0.37 cm, a cell's margins 0.38
# cm), 项目名称 what the others leave of the 15.6 cm text width.
TABLE_WIDTHS = (1.2, 4.3, 1.6, 1.4, 1.5, 2.0, 2.0, 1.6)
CLOSING = "请对照上述问题逐项核实，修改完善后按规定时间重新报送。"
NOTE = "注：参考总分是按评分方案对表上数据重算的建议值，供核实时参考，不代替表上所印总分。"

# GB/T 9704: 2号小标宋 title, 3号仿宋 body, 黑体 and 楷体 for the first two heading levels.
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# A message opens with the form's place in its file (「第3张表 …」, 「第7张表：…」); under
# the form's own heading that goes without saying.
_FORM_PREFIX = re.compile(r"^第\s*\d+\s*张表(?:\s+|：\s*)")
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class OpinionFinding:
    severity: str  # error | warning | info
    code: str
    title: str
    message: str


@dataclass(frozen=True, slots=True)
class OpinionForm:
    project: str
    kind: str  # as a reader names it: 自评表, 申报表
    year: int | None
    total_score: Decimal | None
    ref_total: Decimal | None
    grade: str | None
    findings: Sequence[OpinionFinding] = field(default=())


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五, 105 → 一百零五 (up to 9,999)."""
    if not 0 < n < 10_000:
        return str(n)
    out = ""
    zero = False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, n = divmod(n, size)
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    # 「一十二」 is written 「十二」.
    return out[1:] if out.startswith("一十") else out


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def finding_sentence(finding: OpinionFinding) -> str:
    """A finding as one sentence of the opinion: its message, then (级别，规则编号)."""
    text = _FORM_PREFIX.sub("", finding.message.strip()) or finding.title
    if not text.endswith(("。", "！", "？")):
        text += "。"
    label = _severity(finding.severity).label
    return f"{text}（{label}，规则编号 {finding.code}）"


def _severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return Severity.INFO


def in_order(findings: Sequence[OpinionFinding]) -> list[OpinionFinding]:
    """Errors first, then warnings, then notes; in their stored order within each."""
    return sorted(findings, key=lambda f: _severity(f.severity).rank)


def _number(value: Decimal | None) -> str:
    return score_text(value) if value is not None else "—"


def _fonts(run_properties: CT_RPr, east_asian: str) -> None:
    """Sets a style's or run's fonts: Word takes a CJK character's font from `eastAsia`,
    which python-docx's `font.name` does not set."""
    fonts = run_properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _style(
    document: DocumentObject, name: str, font: str, size: float, *, bold: bool = False
) -> None:
    style = document.styles[name]
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    _fonts(style.element.get_or_add_rPr(), font)
    paragraph = style.paragraph_format
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing = Pt(28) if size >= 14 else Pt(18)


def _run(paragraph: Paragraph, text: str, font: str, size: float, *, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    _fonts(run._r.get_or_add_rPr(), font)


def _page_number_footer(document: DocumentObject) -> None:
    """「— 1 —」 centred at the foot of each page (a PAGE field Word fills in)."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", BODY_FONT, 14)
    number = OxmlElement("w:fldSimple")
    number.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    number.append(inner)
    paragraph._p.append(number)
    _run(paragraph, " —", BODY_FONT, 14)


def _repeat_header(table: Table) -> None:
    """The table's first row repeats at the top of each page it runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = Pt(16)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, HEADING_FONT if bold else TABLE_FONT, 10.5)


def _forms_table(document: DocumentObject, forms: Sequence[OpinionForm]) -> None:
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, name in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        _cell_text(cell, name, bold=True, center=True)
    for n, form in enumerate(forms, start=1):
        values = (
            str(n),
            form.project,
            form.kind,
            str(form.year) if form.year is not None else "—",
            _number(form.total_score),
            _number(form.ref_total),
            form.grade or "—",
            str(len(form.findings)),
        )
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, value, center=i != 1)
    # Word reads the cells' widths, LibreOffice the table grid's: both are set.
    for column, width in zip(table.columns, TABLE_WIDTHS, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    _repeat_header(table)


def _paragraph(
    document: DocumentObject,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    *,
    indent: bool = True,
    heading: bool = False,
    before: float = 0,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if before:
        paragraph.paragraph_format.space_before = Pt(before)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    # A heading stays on the page of what it heads.
    paragraph.paragraph_format.keep_with_next = heading or None
    _run(paragraph, text, font, size)
    return paragraph


def _summary(subject: str, names: Sequence[str], forms: Sequence[OpinionForm]) -> str:
    kinds: dict[str, int] = {}
    for form in forms:
        kinds[form.kind] = kinds.get(form.kind, 0) + 1
    counted = "、".join(f"{kind} {count} 张" for kind, count in kinds.items())
    years = sorted({f.year for f in forms if f.year is not None})
    span = ""
    if years:
        span = f" {years[0]} 年度" if len(years) == 1 else f" {years[0]}—{years[-1]} 年度"
    severities = {s: 0 for s in Severity}
    for form in forms:
        for finding in form.findings:
            severities[_severity(finding.severity)] += 1
    total = sum(severities.values())
    who = "、".join(names) if names else subject
    found = (
        f"共发现问题 {total} 项，其中错误 {severities[Severity.ERROR]} 项、"
        f"警告 {severities[Severity.WARNING]} 项、提示 {severities[Severity.INFO]} 项"
        if total
        else "未发现问题"
    )
    return (
        f"对{who}报送的{span}绩效表单（{counted}）进行了审核，{found}。"
        "审核以表上所印数据为准，逐项核对计算、指标设计、评分与预算执行情况。具体如下："
    )


def opinion_docx(
    *,
    subject: str,
    names: Sequence[str],
    forms: Sequence[OpinionForm],
    day: dt.date,
) -> bytes:
    """The 审核意见 of the unit(s) `names` (`subject`: 实施单位 or 主管部门) over `forms`."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _style(document, "Normal", BODY_FONT, 16)
    _page_number_footer(document)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    _run(title, TITLE, TITLE_FONT, 22)

    _paragraph(document, f"{subject}：{'、'.join(names) or '—'}", indent=False)
    _paragraph(document, f"审核日期：{chinese_date(day)}", indent=False)
    document.add_paragraph()

    _paragraph(document, "一、审核情况", HEADING_FONT, heading=True)
    _paragraph(document, _summary(subject, names, forms)).paragraph_format.space_after = Pt(6)
    _forms_table(document, forms)

    _paragraph(document, "二、发现的问题", HEADING_FONT, heading=True, before=12)
    for n, form in enumerate(forms, start=1):
        year = f"{form.year} 年度" if form.year is not None else ""
        heading = f"（{chinese_number(n)}）{form.project}（{year}{form.kind}）"
        _paragraph(document, heading, SUBHEADING_FONT, heading=True)
        if not form.findings:
            _paragraph(document, "未发现问题。")
            continue
        for k, finding in enumerate(in_order(form.findings), start=1):
            _paragraph(document, f"{k}. {finding_sentence(finding)}")

    _paragraph(document, "三、审核意见", HEADING_FONT, heading=True, before=12)
    _paragraph(document, CLOSING)
    _paragraph(document, NOTE, size=12)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
