"""Word documents: the gold forms written as Word tables read back exactly, as `.docx`
and after LibreOffice's round trips (`.doc`, `.rtf`); merges, nesting and hidden text on
hand-built tables; hostile packages refused in bounded time; the CLI on a `.docx`.

LibreOffice tests run wherever `soffice` is installed and must run under `CI=true`;
elsewhere they skip, saying why.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import stat
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from jixiao.cli import main
from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.findings import Finding, Severity
from jixiao.model import Form, SelfEvaluation
from jixiao.pipeline import ReadResult, read_bytes
from jixiao.read import wordprocessing
from jixiao.read.grid import Cell, Grid, Row
from jixiao.read.sniff import Format, sniff_binary
from jixiao.read.wordprocessing import read_docx
from tests.conftest import DATA, GOLD
from tests.support.libreoffice import soffice
from tests.support.office_docx import convert, minimal_package, write_docx
from tests.test_read_gold import _normalise

OFFICE = DATA / "office"


def _gold(path: Path) -> tuple[list[Form], list[dict[str, Any]]]:
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    forms, findings = forms_from_exchange(records, path.name)
    assert not findings
    return forms, records


def _assert_reads_as_gold(result: ReadResult, records: list[dict[str, Any]]) -> None:
    assert len(result.forms) == len(records), [f.message for f in result.findings]
    for form, record in zip(result.forms, records, strict=True):
        expected = {k: v for k, v in record.items() if k not in ("seed", "ordinal")}
        got = form_to_exchange(form, extras=False)
        assert _normalise(got) == _normalise(expected), record["ordinal"]
    assert not result.errors


def _rows(grid: Grid | list[Finding]) -> list[Row]:
    assert isinstance(grid, Grid), grid
    return list(grid.rows)


def _only_finding(result: Grid | list[Finding] | ReadResult) -> Finding:
    findings = result.findings if isinstance(result, ReadResult) else result
    assert isinstance(findings, list) and len(findings) == 1, findings
    return findings[0]


# ---- the gold forms as .docx ----------------------------------------------------------


@pytest.mark.parametrize("arrangement", ["tables", "split", "one-table"])
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_word(gold: Path, arrangement: Any, tmp_path: Path) -> None:
    forms, records = _gold(gold)
    path = write_docx(forms, tmp_path / f"{gold.stem}.docx", arrangement=arrangement)
    result = read_bytes(path.read_bytes(), path.name)
    assert result.format == Format.DOCX
    _assert_reads_as_gold(result, records)


def test_a_continued_table_line_between_a_forms_tables(tmp_path: Path) -> None:
    forms, records = _gold(GOLD[2])
    path = write_docx(forms, tmp_path / "s.docx", arrangement="split", continued="（续表）")
    _assert_reads_as_gold(read_bytes(path.read_bytes(), path.name), records)


def test_title_printed_year_first(tmp_path: Path) -> None:
    forms, records = _gold(GOLD[0])
    path = write_docx(forms, tmp_path / "year-first.docx", title="year-first")
    titles = [p.text for p in docx.Document(str(path)).paragraphs if "自评表" in p.text]
    assert titles[0] == "2024年度项目支出绩效自评表"
    _assert_reads_as_gold(read_bytes(path.read_bytes(), path.name), records)


def test_forms_sit_in_their_own_tables_titles_outside_them(tmp_path: Path) -> None:
    forms, _ = _gold(GOLD[2])
    path = write_docx(forms, tmp_path / "d.docx")
    rows = _rows(read_docx(path.read_bytes(), "d.docx"))
    titles = [r for r in rows if r.cells[0].text == "财政项目支出绩效目标申报表"]
    assert len(titles) == len(forms) == 7
    assert all(r.table is None and len(r.cells) == 1 for r in titles)
    assert sorted({r.table for r in rows if r.table is not None}) == list(range(7))
    # The running header and footer of the page are not the document's text.
    assert not any("财政局" in c.text or "第 1 页" in c.text for r in rows for c in r.cells)
    first = next(r for r in rows if r.table == 0)
    assert first.cells[0].ref == "T1R1C1" and first.line is None and first.page is None


def test_sources_name_the_table_row_and_column(tmp_path: Path) -> None:
    forms, _ = _gold(GOLD[0])
    path = write_docx(forms[:2], tmp_path / "s.docx")
    result = read_bytes(path.read_bytes(), path.name)
    second = result.forms[1]
    # Table 2: rows 1–2 the header fields, 3–7 the funds (年度资金总额 in row 4, its
    # label in column 3), 8–9 the goals, 10 the indicator header; the first indicator
    # row is 11, its first cell the 一级.
    assert isinstance(second, SelfEvaluation) and second.funds.total.source is not None
    assert second.funds.total.source.cell == "T2R4C3"
    assert second.indicators[0].source.cell == "T2R11C1"
    for row, (before, indicator) in enumerate(
        zip(second.indicators, second.indicators[1:], strict=False), start=12
    ):
        # A row whose 一级 and 二级 are merged from above starts at its 三级指标.
        same = (before.level1, before.level2) == (indicator.level1, indicator.level2)
        column = 3 if same else 2 if before.level1 == indicator.level1 else 1
        assert indicator.source.cell == f"T2R{row}C{column}"


def test_committed_sample_written_by_libreoffice() -> None:
    # 业务培训 of seed 001, written by python-docx, then saved as .doc and back as .docx
    # by LibreOffice: the XML of another writer (its own tblGrid, vMerge with a value).
    sample = OFFICE / "self_evaluation_libreoffice.docx"
    assert sample.stat().st_size < 50_000
    _, records = _gold(GOLD[1])
    result = read_bytes(sample.read_bytes(), sample.name)
    _assert_reads_as_gold(result, [records[1]])


# ---- merges and hidden text, on hand-built tables -----------------------------------


def _tc(text: str = "", props: str = "", extra: str = "") -> str:
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" if text else "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph}{extra}</w:tc>"


SPAN2 = '<w:gridSpan w:val="2"/>'
RESTART = '<w:vMerge w:val="restart"/>'
CONTINUE = '<w:vMerge w:val="continue"/>'
H_RESTART = '<w:hMerge w:val="restart"/>'
HUGE_SPAN = '<w:gridSpan w:val="99999"/>'


def test_grid_spans_vertical_merges_and_grid_before() -> None:
    table = (
        "<w:tbl><w:tblGrid>" + '<w:gridCol w:w="1000"/>' * 5 + "</w:tblGrid>"
        # Row 1: a cell two columns wide, one starting a vertical merge.
        f"<w:tr>{_tc('A', SPAN2)}{_tc('B')}{_tc('C', RESTART)}{_tc('D')}</w:tr>"
        # Row 2: a wide cell starting a merge; C continued by a bare <w:vMerge/>.
        f"<w:tr>{_tc('E', SPAN2 + RESTART)}{_tc('F')}{_tc('', '<w:vMerge/>')}{_tc('H')}</w:tr>"
        # Row 3: both continued (the covered cell's own text is not shown by Word).
        f"<w:tr>{_tc('隐藏', SPAN2 + CONTINUE)}{_tc('I')}"
        f"{_tc('', '<w:vMerge/>')}{_tc('J')}</w:tr>"
        # Row 4: indented by two grid columns, then a legacy horizontal merge.
        '<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>'
        f"{_tc('K')}{_tc('L', H_RESTART)}{_tc('', '<w:hMerge/>')}</w:tr>"
        # A row deleted with changes tracked, and a vMerge continuing nothing.
        f'<w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr>{_tc("删掉的行")}</w:tr>'
        f"<w:tr>{_tc('M', '<w:vMerge/>')}{_tc('N', HUGE_SPAN)}</w:tr>"
        "</w:tbl>"
    )
    rows = _rows(read_docx(minimal_package(table), "merges.docx"))
    assert [r.cells for r in rows] == [
        (
            Cell("A", 0, 2, 1, ref="T1R1C1"),
            Cell("B", 2, 1, 1, ref="T1R1C3"),
            Cell("C", 3, 1, 3, ref="T1R1C4"),
            Cell("D", 4, 1, 1, ref="T1R1C5"),
        ),
        (
            Cell("E", 0, 2, 2, ref="T1R2C1"),
            Cell("F", 2, 1, 1, ref="T1R2C3"),
            Cell("H", 4, 1, 1, ref="T1R2C5"),
        ),
        (Cell("I", 2, 1, 1, ref="T1R3C3"), Cell("J", 4, 1, 1, ref="T1R3C5")),
        (Cell("K", 2, 1, 1, ref="T1R4C3"), Cell("L", 3, 2, 1, ref="T1R4C4")),
        (Cell("M", 0, 1, 1, ref="T1R5C1"), Cell("N", 1, 1000, 1, ref="T1R5C2")),
    ]
    assert {r.table for r in rows} == {0}


def test_nested_table_rows_follow_their_row_in_its_cells_columns() -> None:
    inner = f"<w:tbl><w:tr>{_tc('内1')}{_tc('内2')}</w:tr><w:tr>{_tc('内3')}</w:tr></w:tbl>"
    body = (
        f"<w:tbl><w:tr>{_tc('绩效指标')}{_tc('', '', inner)}</w:tr>"
        f"<w:tr>{_tc('总分')}{_tc('90')}</w:tr></w:tbl>"
        f"<w:tbl><w:tr>{_tc('后表')}</w:tr></w:tbl>"
    )
    rows = _rows(read_docx(minimal_package(body), "nested.docx"))
    assert [(r.table, [(c.text, c.col, c.ref) for c in r.cells]) for r in rows] == [
        (0, [("绩效指标", 0, "T1R1C1")]),
        (1, [("内1", 1, "T2R1C1"), ("内2", 2, "T2R1C2")]),
        (1, [("内3", 1, "T2R2C1")]),
        (0, [("总分", 0, "T1R2C1"), ("90", 1, "T1R2C2")]),
        (2, [("后表", 0, "T3R1C1")]),
    ]


def test_text_as_printed_paragraphs_boxes_and_tracked_changes() -> None:
    box = "<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>"
    body = (
        # A content control around a paragraph; a field: its instruction is not text.
        '<w:sdt><w:sdtContent><w:p><w:r><w:t xml:space="preserve">项目  名称</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/>"
        "</w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:t>页</w:t></w:r></w:p>"
        # A text box (its DrawingML choice and its VML fallback hold the same text).
        "<w:p><w:r><w:t>框前</w:t></w:r><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        # A cell: two paragraphs, a line break, a tab; tracked insertions kept, deletions
        # and moved-away text left out; a hyperlink's text read.
        "<w:tbl><w:tr><w:tc>"
        "<w:p><w:r><w:t>第一段</w:t><w:br/><w:t>换行</w:t></w:r></w:p><w:p/>"
        "<w:p><w:r><w:t>保留</w:t></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom>"
        "<w:r><w:tab/><w:t>末尾</w:t></w:r></w:p>"
        "</w:tc><w:sdt><w:sdtContent><w:tc><w:p><w:hyperlink><w:r><w:t>链接文字</w:t></w:r>"
        "</w:hyperlink></w:p></w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>"
    )
    rows = _rows(read_docx(minimal_package(body), "text.docx"))
    assert [[c.text for c in r.cells] for r in rows] == [
        ["项目 名称"],
        ["第3页"],
        ["框前"],
        ["框内文字"],
        ["第一段\n换行\n保留插入 末尾", "链接文字"],
    ]
    assert [c.col for c in rows[-1].cells] == [0, 1]


def test_macro_enabled_document_is_read_like_a_docx(tmp_path: Path) -> None:
    forms, records = _gold(GOLD[2])
    path = write_docx(forms[:1], tmp_path / "d.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                ).replace(
                    b"application/vnd.openxmlformats-officedocument.ms-word",
                    b"application/vnd.ms-word",
                )
            target.writestr(info, data)
    _assert_reads_as_gold(read_bytes(out.getvalue(), "d.docm"), records[:1])


# ---- hostile and broken packages ----------------------------------------------------


def _zip(entries: dict[str, bytes | int], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP of named entries; an int stands for that many zero bytes, streamed in."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as entry:
                chunk = b"\0" * (1 << 20)
                for _ in range(content >> 20):
                    entry.write(chunk)
    return out.getvalue()


def _timed(data: bytes, name: str = "hostile.docx") -> tuple[ReadResult, float]:
    start = time.perf_counter()
    result = read_bytes(data, name)
    return result, time.perf_counter() - start


def test_zip_bomb_is_refused_from_its_directory() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": 300 << 20})
    assert len(bomb) < 2 << 20
    result, elapsed = _timed(bomb)
    finding = _only_finding(result)
    assert finding.kind == "input-too-large" and finding.severity is Severity.ERROR
    assert "解压后共 300 MB" in finding.message and "200 MB" in finding.message
    assert elapsed < 2


def test_compression_ratio_bomb_is_refused() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/media/image1.png": 20 << 20})
    finding = _only_finding(read_bytes(bomb, "ratio.docx"))
    assert finding.kind == "input-too-large"
    assert "「word/media/image1.png」压缩比" in finding.message


def test_package_of_too_many_parts_is_refused() -> None:
    parts: dict[str, bytes | int] = {"[Content_Types].xml": b"<Types/>"}
    parts.update({f"word/p{i}.xml": b"" for i in range(wordprocessing.MAX_ENTRIES + 1)})
    finding = _only_finding(read_bytes(_zip(parts, zipfile.ZIP_STORED), "many.docx"))
    assert (
        finding.kind == "input-too-large"
        and f"{wordprocessing.MAX_ENTRIES + 2} 个部件" in finding.message
    )


def test_truncated_docx_is_a_damaged_word_file(tmp_path: Path) -> None:
    forms, _ = _gold(GOLD[2])
    data = write_docx(forms, tmp_path / "t.docx").read_bytes()
    cut = data[: len(data) // 2]
    assert sniff_binary(cut) is Format.DOCX
    finding = _only_finding(read_bytes(cut, "cut.docx"))
    assert finding.kind == "unreadable-input"
    assert "Word 文档已损坏或不完整" in finding.message


def test_corrupted_parts_are_a_finding_not_an_exception(tmp_path: Path) -> None:
    forms, _ = _gold(GOLD[2])
    data = bytearray(write_docx(forms, tmp_path / "c.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 200] = bytes(range(200))  # inside the compressed body
    finding = _only_finding(read_bytes(bytes(data), "c.docx"))
    assert finding.kind == "unreadable-input" and "已损坏" in finding.message


@pytest.mark.parametrize(
    ("package", "words"),
    [
        (minimal_package(b"", raw_document=b"<w:document><w:body><w:p>"), "已损坏"),
        (minimal_package(b"", raw_document=b'<?xml version="1.0"?><other/>'), "没有正文"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"}),
            "已损坏",
        ),
    ],
    ids=["broken-xml", "no-body", "no-main-part"],
)
def test_broken_packages(package: bytes, words: str) -> None:
    finding = _only_finding(read_bytes(package, "broken.docx"))
    assert finding.kind == "unreadable-input" and words in finding.message


def test_enormous_table_stops_at_the_bound_keeping_the_forms_before(tmp_path: Path) -> None:
    # Self-evaluations: each ends with its grade, so a table after the last one is not
    # taken for more of its rows (a declaration's indicator table would go on).
    forms, records = _gold(GOLD[0])
    data = write_docx(forms, tmp_path / "d.docx").read_bytes()
    rows = "".join(
        f"<w:tr><w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc></w:tr>"
        for n in range(wordprocessing.MAX_ROWS + 10)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/document.xml":
                part = part.replace(b"<w:sectPr", f"<w:tbl>{rows}</w:tbl><w:sectPr".encode(), 1)
            target.writestr(info, part, zipfile.ZIP_DEFLATED)
    result, elapsed = _timed(out.getvalue(), "huge.docx")
    assert elapsed < 60
    warnings = [f for f in result.findings if f.kind == "row-not-understood"]
    assert len(warnings) == 1 and warnings[0].severity is Severity.WARNING
    assert re.fullmatch(
        r"Word 文档超过读取上限（200000 行或 2000000 个单元格）：自第 9 张表第 \d+ 行起的内容未读取，"
        r"可能缺少表单",
        warnings[0].message,
    )
    assert [_normalise(form_to_exchange(f, extras=False)) for f in result.forms] == [
        _normalise({k: v for k, v in r.items() if k not in ("seed", "ordinal")}) for r in records
    ]


def test_cells_bound_stops_a_wide_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordprocessing, "MAX_CELLS", 5)
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>" * 3 + "</w:tr>"
    grid = read_docx(minimal_package(f"<w:tbl>{row * 3}</w:tbl>"), "wide.docx")
    assert isinstance(grid, Grid)
    assert [len(r.cells) for r in grid.rows] == [3, 2]
    assert "自第 1 张表第 2 行起" in grid.findings[0].message


def test_tables_nested_past_the_parsers_depth_are_refused() -> None:
    depth = 200
    nested = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
    finding = _only_finding(read_bytes(minimal_package(nested), "deep.docx"))
    assert finding.kind == "unreadable-input"


def _no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_LINKED = (
    f'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="{_REL}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def test_external_links_are_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forms, records = _gold(GOLD[2])
    path = write_docx(forms, tmp_path / "linked.docx")
    document = docx.Document(str(path))
    # An attached template, a hyperlink and a linked (not embedded) picture, all on a
    # server: a reader that followed any of them would try to connect.
    settings = document.part._settings_part
    template = settings.relate_to(
        "http://127.0.0.1:9/templates/绩效表.dotx", f"{_REL}/attachedTemplate", is_external=True
    )
    settings.element.append(
        docx.oxml.parse_xml(f'<w:attachedTemplate {_LINKED} r:id="{template}"/>')
    )
    link = document.part.relate_to("http://127.0.0.1:9/a", RT.HYPERLINK, is_external=True)
    image = document.part.relate_to("http://127.0.0.1:9/logo.png", RT.IMAGE, is_external=True)
    document.add_paragraph()._p.append(
        docx.oxml.parse_xml(
            f'<w:hyperlink {_LINKED} r:id="{link}"><w:r><w:t>附件：填报说明</w:t></w:r>'
            "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
            f'<a:blip r:link="{image}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r></w:hyperlink>"
        )
    )
    document.save(str(path))
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for rels in ("word/_rels/document.xml.rels", "word/_rels/settings.xml.rels"):
            assert b'TargetMode="External"' in archive.read(rels)
    attempts = _no_network(monkeypatch)
    _assert_reads_as_gold(read_bytes(data, "linked.docx"), records)
    rows = _rows(read_docx(data, "linked.docx"))
    assert rows[-1].cells[0].text == "附件：填报说明"
    assert attempts == []


# ---- .doc, .wps and .rtf through LibreOffice ------------------------------------------


def _ole2(*streams: str, size: int = 1536) -> bytes:
    """A compound-file header whose directory names `streams` (enough for the checks
    made before LibreOffice is started)."""
    data = bytearray(size)
    data[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    data[28:30] = b"\xfe\xff"
    data[30:32] = (9).to_bytes(2, "little")
    position = 512
    for name in streams:
        encoded = name.encode("utf-16-le")
        data[position : position + len(encoded)] = encoded
        position += 128
    return bytes(data)


def test_ole2_that_cannot_be_a_compound_file_is_refused_before_converting() -> None:
    start = time.perf_counter()
    finding = _only_finding(read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x"))
    assert finding.kind == "unreadable-input" and "旧版 Office" in finding.message
    assert "108 字节" in finding.message
    damaged = _only_finding(read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 2000, "y"))
    assert "文件头已损坏" in damaged.message
    assert time.perf_counter() - start < 1


def test_encrypted_and_foreign_ole2_files() -> None:
    encrypted = _only_finding(read_bytes(_ole2("EncryptedPackage", "EncryptionInfo"), "e.doc"))
    assert "已加密" in encrypted.message
    slides = _only_finding(read_bytes(_ole2("PowerPoint Document"), "p.ppt"))
    assert "不是 Word 文档（没有 WordDocument 数据流" in slides.message


def test_missing_libreoffice_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    finding = _only_finding(read_bytes(_ole2("WordDocument"), "old.doc"))
    assert finding.kind == "unreadable-input"
    assert "未安装 LibreOffice" in finding.message and "libreoffice-writer-nogui" in finding.message
    rtf = _only_finding(read_bytes("{\\rtf1\\ansi 项目名称}".encode(), "x.rtf"))
    assert "libreoffice-writer-nogui" in rtf.message


def _state(pid: int) -> str:
    """A process's state letter, or "gone"."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "gone"
    return stat_line.rsplit(")", 1)[1].split()[0]


def test_a_hanging_conversion_is_killed_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A stand-in for soffice that starts a child and hangs, as soffice.bin can.
    pids = tmp_path / "pids"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nwait\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(wordprocessing, "soffice", lambda: str(script))
    monkeypatch.setattr(wordprocessing, "CONVERT_TIMEOUT", 1.0)
    start = time.perf_counter()
    finding = _only_finding(read_bytes(_ole2("WordDocument"), "hang.doc"))
    assert time.perf_counter() - start < 10
    assert finding.message == "LibreOffice 无法转换此文件（转换超过 1 秒仍未完成，已终止）"
    for pid in map(int, pids.read_text().split()):
        deadline = time.monotonic() + 5
        while _state(pid) not in ("gone", "Z", "X") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(pid) in ("gone", "Z", "X"), pid


@pytest.fixture(scope="module")
def libreoffice() -> str:
    program = soffice()
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true: LibreOffice must be installed (libreoffice-writer-nogui)")
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    return program


@pytest.fixture(scope="module")
def as_doc(libreoffice: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Each gold file written as .docx and saved by LibreOffice as .doc (MS Word 97)."""
    folder = tmp_path_factory.mktemp("doc")
    made: dict[Path, Path] = {}

    def make(gold: Path) -> Path:
        if gold not in made:
            forms, _ = _gold(gold)
            source = write_docx(forms, folder / f"{gold.stem}.docx")
            made[gold] = convert(source, "doc", folder / "out")
        return made[gold]

    return make


@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem)
def test_gold_forms_read_back_from_doc(gold: Path, as_doc: Callable[[Path], Path]) -> None:
    path = as_doc(gold)
    data = path.read_bytes()
    assert sniff_binary(data) is Format.OLE2
    result = read_bytes(data, path.name)
    assert result.format == Format.OLE2
    _assert_reads_as_gold(result, _gold(gold)[1])


def test_gold_forms_read_back_from_rtf(libreoffice: str, tmp_path: Path) -> None:
    forms, records = _gold(GOLD[2])
    source = write_docx(forms, tmp_path / "d.docx")
    path = convert(source, "rtf", tmp_path / "out")
    data = path.read_bytes()
    assert sniff_binary(data) is Format.RTF
    _assert_reads_as_gold(read_bytes(data, path.name), records)


def test_conversions_at_the_same_time_do_not_share_a_profile(
    as_doc: Callable[[Path], Path],
) -> None:
    path = as_doc(GOLD[2])
    data = path.read_bytes()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda i: read_bytes(data, f"parallel-{i}.doc"), range(3)))
    for result in results:
        _assert_reads_as_gold(result, _gold(GOLD[2])[1])


def test_damaged_doc_is_a_finding(libreoffice: str) -> None:
    data = _ole2("WordDocument", size=8192)
    finding = _only_finding(read_bytes(data, "damaged.doc"))
    assert finding.kind == "unreadable-input"
    assert finding.message == (
        "LibreOffice 无法转换此文件（文件可能已损坏、加密，或不是 Word 能打开的文档："
        "Error: source file could not be loaded）"
    )


# ---- the command line ---------------------------------------------------------------


def test_cli_parse_and_check_a_docx(tmp_path: Path) -> None:
    forms, records = _gold(GOLD[0])
    path = write_docx(forms, tmp_path / "自评表.docx")
    runner = CliRunner()
    parsed = runner.invoke(main, ["parse", "--json", str(path)])
    assert parsed.exit_code == 0, parsed.output
    exchanged = json.loads(parsed.stdout)
    assert [r["project"] for r in exchanged] == [r["project"] for r in records]
    assert exchanged[0]["source"]["file"] == str(path)
    summary = runner.invoke(main, ["parse", str(path)])
    assert summary.exit_code == 0
    assert f"{path}: [1] 自评表 2024 「{records[0]['project']}」" in summary.stdout
    checked = runner.invoke(main, ["check", "--json", str(path)])
    seed = runner.invoke(main, ["check", "--json", str(DATA / "seeds" / f"{GOLD[0].stem}.txt")])
    assert checked.exit_code == seed.exit_code == 0
    # The same forms, so the same review, whatever file they were read from.
    messages = sorted(f["message"] for f in json.loads(checked.stdout)["findings"])
    assert messages == sorted(f["message"] for f in json.loads(seed.stdout)["findings"])
    human = runner.invoke(main, ["check", str(path)])
    assert human.exit_code == 0 and "Traceback" not in human.output
    assert f"共 {len(records)} 张表单（1 个文件" in human.stdout


def test_cli_on_a_damaged_docx_exits_non_zero(tmp_path: Path) -> None:
    forms, _ = _gold(GOLD[2])
    data = write_docx(forms, tmp_path / "d.docx").read_bytes()
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(data[: len(data) // 3])
    result = CliRunner().invoke(main, ["parse", str(damaged)])
    assert result.exit_code == 1
    assert f"{damaged}: RD002 错误 Word 文档已损坏或不完整" in result.stderr
    assert "Traceback" not in result.output
