"""Word documents to a Grid: `.docx` read directly, `.doc`/`.wps`/`.rtf` through LibreOffice.

Step 2 of the pipeline (decode → sniff → **read** → recognise → verify). The body of the
document is walked in order, paragraphs and tables interleaved, because a form's title
(`2024年度项目支出绩效自评表`) is usually a paragraph above its table: a paragraph becomes
a one-cell row outside any table (`Row.table` None), a table row a row of cells at their
real grid columns, with the spans Word stores as XML — `w:gridSpan` (and the legacy
`w:hMerge`) across, `w:vMerge` down, `w:gridBefore` for a row that starts indented —
resolved the way the HTML reader resolves `colspan`/`rowspan`: a merged cell sits in the
first row it covers and the recogniser carries it down. python-docx's `row.cells` repeats
a merged cell once per grid column it covers, which would read a 一级 cell five times,
so the `w:tc` elements are read instead.

Choices, and why:
- A cell's paragraphs (and line breaks) are joined with "\\n": Word keeps them apart, and
  the recogniser compares labels without whitespace.
- A table inside a cell is emitted as its own rows right after the row that holds it,
  its columns shifted to the column of its cell and its rows numbered as the next table:
  forms that nest the indicator table in a cell keep their indicator rows. A `vMerge`
  rowspan counts the outer table's rows only. Text boxes are emitted the same way.
- What the reader of the printed page does not see is left out: tracked deletions and
  moved-from text, the fallback copy of a drawing (`mc:Fallback`, a duplicate of its
  `mc:Choice`), field instructions, headers and footers, footnotes and comments.
- Cell references are `T2R5C3`: table 2 (tables counted from 1 in document order, nested
  ones included), row 5, grid column 3. `line` and `page` are None: a Word file has no
  lines, and its pages are only made when it is laid out.
- A package is checked before it is parsed: its entry count, the sum of the sizes its
  entries declare (the zip module never inflates an entry past its declared size) and
  their compression ratios, so a zip bomb is refused without being inflated. External
  relationships (an attached template, a linked image) are never fetched: python-docx
  does not follow them and nothing here does.
- What is read is bounded too: past `MAX_ROWS` rows or `MAX_CELLS` cells reading stops,
  the forms before the bound are kept and a warning says where it stopped.
- `.doc`, `.wps` (OLE2 files that are not workbooks: sniff sends `.xls` to the
  spreadsheet reader) and `.rtf` are converted to `.docx` by LibreOffice headless in a
  temporary folder with a fresh profile for each call (two conversions at once would
  otherwise share, and lock, one profile), under a time limit, then read as above.

Nothing here raises on user data: a damaged, hostile or unsupported file yields findings.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package

from jixiao.catalogue import ROW_NOT_UNDERSTOOD, UNREADABLE_INPUT
from jixiao.findings import Finding
from jixiao.oserrors import describe_os_error
from jixiao.read.grid import Cell, Grid, Row
from jixiao.read.package import PackageLimits, package_problem
from jixiao.read.sniff import Format

_MIB = 1024 * 1024
# Bounds of a package, checked on its directory before anything is inflated. A Word file
# of forms is a few MB unpacked (the 36 forms of gold 001: 1.5 MB, most of it the styles
# of the template); images make a real one larger, its XML never near these.
MAX_UNPACKED_BYTES = 200 * _MIB
# One XML part: lxml takes some 15 times its size in memory (a 29 MB document.xml, 420 MB).
MAX_XML_PART_BYTES = 32 * _MIB
MAX_ENTRIES = 10_000
# Deflate tops out near 1032:1; the XML of real documents compresses 5–40:1, a table of
# many alike rows a few hundred to one. An entry beyond this ratio that also inflates to
# more than a MB is built to explode, not to be read.
MAX_RATIO = 600
_LIMITS = PackageLimits(
    entries=MAX_ENTRIES,
    unpacked=MAX_UNPACKED_BYTES,
    ratio=MAX_RATIO,
    xml_part=MAX_XML_PART_BYTES,
)
# Bounds of what is read: the 51 gold forms are 1,200 rows. A document beyond these is
# not a file of forms; reading stops there (with a warning), keeping time and memory
# bounded.
MAX_ROWS = 200_000
MAX_CELLS = 2_000_000
_MAX_SPAN = 1000  # a gridSpan beyond any real table: a broken attribute, not a layout
CONVERT_TIMEOUT = 60.0  # seconds LibreOffice may take for one file

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_PTAB = qn("w:t"), qn("w:tab"), qn("w:ptab")
_W_BR, _W_CR, _W_NBH = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_W_TXBX = qn("w:txbxContent")
_W_VAL = qn("w:val")
_W_TCPR, _W_TRPR, _W_DEL = qn("w:tcPr"), qn("w:trPr"), qn("w:del")
_W_GRID_SPAN, _W_GRID_BEFORE = qn("w:gridSpan"), qn("w:gridBefore")
_W_VMERGE, _W_HMERGE = qn("w:vMerge"), qn("w:hMerge")
# Containers whose children are read as if they stood in their parent: content controls,
# custom XML and smart tags wrap paragraphs, rows, cells and runs alike; a tracked
# insertion or move is on the page once the changes are accepted.
_TRANSPARENT = frozenset(
    {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag"), qn("w:ins")}
    | {qn("w:moveTo")}
)
# Subtrees the printed page does not show (see the module docstring), and properties.
_HIDDEN = frozenset(
    {
        _W_DEL,
        qn("w:moveFrom"),
        qn("w:instrText"),
        qn("w:delText"),
        qn("w:pPr"),
        qn("w:rPr"),
        _W_TCPR,
        _W_TRPR,
        qn("w:tblPr"),
        qn("w:tblGrid"),
        qn("w:sectPr"),
        qn("w:sdtPr"),
        _MC + "Fallback",
    }
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_ODD_SPACES = re.compile(r"[\t\u00a0\u3000]| {2}")


# ---- .docx ------------------------------------------------------------------------


def read_docx(data: bytes, name: str, *, rendering: str = "docx") -> Grid | list[Finding]:
    """The Grid of a `.docx` (or the findings that say why there is none)."""
    refused = _check_package(data, name)
    if refused:
        return refused
    try:
        body = _open_body(data)
    except Exception as exc:
        # python-docx and lxml raise a dozen kinds of error on a damaged package
        # (KeyError for a missing part, XMLSyntaxError, BadZipFile, ValueError …):
        # every one of them means the same thing to the user.
        return [
            UNREADABLE_INPUT.finding(
                f"Word 文档已损坏或不完整，无法读取：{_describe(exc)}",
                file=name,
            )
        ]
    if body is None:
        return [UNREADABLE_INPUT.finding("Word 文档中没有正文（w:body），无法读取", file=name)]
    walker = _Walker()
    try:
        rows = walker.blocks(body, col=0)
    except RecursionError:
        # lxml stops nesting at 256 levels; content controls inside each other could
        # still go deeper than Python's stack.
        return [UNREADABLE_INPUT.finding("Word 文档的表格或内容控件嵌套过深，无法读取", file=name)]
    findings: tuple[Finding, ...] = ()
    if walker.stopped is not None:
        # The forms before the bound are kept; the finding says where reading stopped.
        findings = (
            ROW_NOT_UNDERSTOOD.finding(
                f"Word 文档超过读取上限（{MAX_ROWS} 行或 {MAX_CELLS} 个单元格）："
                f"自{walker.stopped}起的内容未读取，可能缺少表单",
                file=name,
            ),
        )
    return Grid(file=name, rows=tuple(rows), format=rendering, findings=findings)


def _check_package(data: bytes, name: str) -> list[Finding]:
    """Refuse a package that is not a readable ZIP, or would inflate beyond the bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        return [
            UNREADABLE_INPUT.finding(
                f"Word 文档已损坏或不完整（ZIP 结构无法读取：{_describe(exc)}），无法读取",
                file=name,
            )
        ]
    problem = package_problem(infos, _LIMITS, "Word 文档", name)
    return [problem] if problem is not None else []


def _open_body(data: bytes) -> Any:
    """The `w:body` element of the main document part, or None."""
    part = Package.open(io.BytesIO(data)).main_document_part
    # A macro-enabled document or a template (.docm, .dotx) has a main part python-docx
    # keeps as bytes: it holds the same WordprocessingML.
    root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    return root.find(qn("w:body"))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:160] + "…"


@dataclass(slots=True)
class _Pending:
    """A table cell while its table is read: its rowspan grows with each `vMerge` row."""

    text: str
    col: int
    colspan: int
    ref: str
    rowspan: int = 1


@dataclass(slots=True)
class _Walker:
    """Walks block content (a body, a cell, a text box) into rows, counting against the
    bounds; tables are numbered in document order as they are met. Once a bound is
    passed nothing more is read: `stopped` says where, and what was read is kept."""

    tables: int = 0
    rows: int = 0
    cells: int = 0
    stopped: str | None = None

    def blocks(self, container: Any, col: int) -> list[Row]:
        out: list[Row] = []
        for child in _children(container):
            if child.tag == _W_P:
                text, boxes = self.paragraph(child)
                if text:
                    after = f"第 {self.tables} 张表之后的" if self.tables else ""
                    if not self._room(1, 1, f"{after}段落「{text[:20]}」"):
                        break
                    out.append(Row(cells=(Cell(text, col),)))
                for box in boxes:
                    out.extend(self.blocks(box, col))
            elif child.tag == _W_TBL:
                out.extend(self.table(child, col))
            if self.stopped is not None:
                break
        return out

    def paragraph(self, p: Any) -> tuple[str, list[Any]]:
        """The printed text of a paragraph, and the text boxes anchored in it."""
        parts: list[str] = []
        boxes: list[Any] = []
        _inline_text(p, parts, boxes)
        return _clean("".join(parts)), boxes

    def table(self, tbl: Any, offset: int) -> list[Row]:
        number = self.tables
        self.tables += 1
        grid: list[list[_Pending]] = []
        after: list[list[Row]] = []  # nested tables and text boxes, after their row
        above: dict[int, _Pending] = {}  # the cell starting at each column of the last row
        for r, tr in enumerate(_rows(tbl), start=1):
            place = f"第 {number + 1} 张表第 {r} 行"
            if not self._room(1, 0, place):
                break
            col = offset + _int_val(tr.find(_W_TRPR), _W_GRID_BEFORE, 0)
            placed: list[_Pending] = []
            nested: list[Row] = []
            starts: dict[int, _Pending] = {}
            for tc in _cells(tr):
                if not self._room(0, 1, place):
                    break
                props = tc.find(_W_TCPR)
                span = max(1, _int_val(props, _W_GRID_SPAN, 1))
                if _merge(props, _W_HMERGE) == "continue" and placed:
                    # Legacy horizontal merge: this cell widens the one before it.
                    placed[-1].colspan += span
                    col += span
                    continue
                text, inner = self.cell(tc, col)
                nested.extend(inner)
                previous = above.get(col)
                if (
                    _merge(props, _W_VMERGE) == "continue"
                    and previous is not None
                    and previous.colspan == span
                ):
                    # Covered by the cell above: Word shows only the first cell's text.
                    previous.rowspan += 1
                    starts[col] = previous
                else:
                    cell = _Pending(text, col, span, f"T{number + 1}R{r}C{col - offset + 1}")
                    placed.append(cell)
                    starts[col] = cell
                col += span
            above = starts
            grid.append(placed)
            after.append(nested)
            if self.stopped is not None:
                break
        out: list[Row] = []
        for placed, nested in zip(grid, after, strict=True):
            cells = tuple(
                Cell(p.text, p.col, p.colspan, p.rowspan, ref=p.ref) for p in placed if p.text
            )
            if cells:
                out.append(Row(cells=cells, table=number))
            out.extend(nested)
        return out

    def cell(self, tc: Any, col: int) -> tuple[str, list[Row]]:
        """A cell's text (its paragraphs joined by line breaks) and the rows of what is
        nested in it."""
        lines: list[str] = []
        inner: list[Row] = []
        for child in _children(tc):
            if child.tag == _W_P:
                text, boxes = self.paragraph(child)
                if text:
                    lines.append(text)
                for box in boxes:
                    inner.extend(self.blocks(box, col))
            elif child.tag == _W_TBL:
                inner.extend(self.table(child, col))
            if self.stopped is not None:
                break
        return "\n".join(lines), inner

    def _room(self, rows: int, cells: int, place: str) -> bool:
        """Count `rows` and `cells` about to be read at `place`; False (and nothing more
        is read) once a bound is passed."""
        if self.stopped is not None:
            return False
        self.rows += rows
        self.cells += cells
        if self.rows > MAX_ROWS or self.cells > MAX_CELLS:
            self.stopped = place
            return False
        return True


def _children(element: Any) -> Iterator[Any]:
    """Child elements, with the transparent wrappers (content controls …) opened."""
    for child in element:
        tag = child.tag
        if tag in _TRANSPARENT:
            yield from _children(child)
        elif tag not in _HIDDEN and isinstance(tag, str):
            yield child


def _rows(tbl: Any) -> Iterator[Any]:
    for child in _children(tbl):
        if child.tag == _W_TR and not _deleted_row(child):
            yield child


def _cells(tr: Any) -> Iterator[Any]:
    for child in _children(tr):
        if child.tag == _W_TC:
            yield child


def _deleted_row(tr: Any) -> bool:
    """A row deleted with changes tracked: not on the page once the changes are accepted."""
    props = tr.find(_W_TRPR)
    return props is not None and props.find(_W_DEL) is not None


def _int_val(props: Any, name: str, default: int) -> int:
    """The `w:val` of property `name` in a `w:tcPr`/`w:trPr` (None: absent), clamped."""
    found = None if props is None else props.find(name)
    if found is None:
        return default
    value = found.get(_W_VAL) or ""
    return min(int(value), _MAX_SPAN) if value.isdigit() else default


def _merge(props: Any, name: str) -> str | None:
    """`restart`, `continue` or None for the `w:vMerge`/`w:hMerge` in a cell's `w:tcPr`
    (an element without a value continues the merge)."""
    merge = None if props is None else props.find(name)
    if merge is None:
        return None
    return "restart" if merge.get(_W_VAL) == "restart" else "continue"


def _inline_text(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag == _W_T:
            parts.append(child.text or "")
        elif tag in (_W_TAB, _W_PTAB):
            parts.append(" ")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_NBH:
            parts.append("-")
        elif tag == _W_TXBX:
            boxes.append(child)
        elif tag not in _HIDDEN and isinstance(tag, str):
            _inline_text(child, parts, boxes)


def _clean(text: str) -> str:
    """Each line with its runs of spaces collapsed, blank lines dropped."""
    if "\n" not in text and not _ODD_SPACES.search(text):
        return text.strip()  # most cells: one line of plain text
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# ---- .doc, .wps, .rtf through LibreOffice -----------------------------------------

# The names of a compound file's streams are stored in UTF-16 in its directory.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def read_ole2(data: bytes, name: str) -> Grid | list[Finding]:
    """An OLE2 compound file that is not a workbook (sniff tells `.xls` apart): a Word
    97-2003 or WPS 文字 document, converted to `.docx` and read."""
    problem = _ole2_problem(data)
    if problem is not None:
        return [UNREADABLE_INPUT.finding(f"{Format.OLE2.label}{problem}，无法读取", file=name)]
    if _ENCRYPTED_STREAM in data:
        return [
            UNREADABLE_INPUT.finding(
                "Office 文档已加密（设有打开密码），无法读取：请去掉密码后再提交", file=name
            )
        ]
    if _WORD_STREAM not in data:
        return [
            UNREADABLE_INPUT.finding(
                f"{Format.OLE2.label}不是 Word 文档（没有 WordDocument 数据流；可能是 PowerPoint "
                "或其他 Office 文件），无法读取",
                file=name,
            )
        ]
    converted = _convert(data, name, ".doc")
    if isinstance(converted, bytes):
        return read_docx(converted, name, rendering="doc")
    return converted


def read_rtf(data: bytes, name: str) -> Grid | list[Finding]:
    """An RTF document, converted to `.docx` and read."""
    converted = _convert(data, name, ".rtf")
    if isinstance(converted, bytes):
        return read_docx(converted, name, rendering="rtf")
    return converted


def _ole2_problem(data: bytes) -> str | None:
    """Why `data` cannot be a compound file at all (checked before LibreOffice is started):
    too short for its header and one sector, or a header with impossible fields."""
    if len(data) < 1024:
        return f"只有 {len(data)} 字节，文件不完整"
    byte_order = data[28:30]
    sector_shift = int.from_bytes(data[30:32], "little")
    if byte_order != b"\xfe\xff" or sector_shift not in (9, 12):
        return "的文件头已损坏"
    return None


_PACKAGE = "libreoffice-writer-nogui"


def soffice() -> str | None:
    """The LibreOffice program on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(data: bytes, name: str, suffix: str) -> bytes | list[Finding]:
    """`data` (a `suffix` file) converted by LibreOffice headless to `.docx`, or findings."""
    program = soffice()
    if program is None:
        return [
            UNREADABLE_INPUT.finding(
                "读取此文件需要先用 LibreOffice 转换为 docx，但本机未安装 LibreOffice：请安装"
                f" Debian 软件包 {_PACKAGE}（apt-get install {_PACKAGE}）",
                file=name,
            )
        ]
    with tempfile.TemporaryDirectory(prefix="jixiao-office-") as folder:
        work = Path(folder)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        # A profile of its own for each call: LibreOffice lets one profile serve one
        # process, and a second conversion at the same time would hand its file to the
        # first process or fail on the lock.
        profile = (work / f"lo-{uuid.uuid4().hex}").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(outdir),
            str(source),
        ]
        outcome = _run(command)
        produced = outdir / "input.docx"
        if produced.is_file() and produced.stat().st_size > 0:
            return produced.read_bytes()
    if outcome is None or outcome.startswith("Error"):
        detail = f"：{outcome}" if outcome else ""
        outcome = f"文件可能已损坏、加密，或不是 Word 能打开的文档{detail}"
    return [UNREADABLE_INPUT.finding(f"LibreOffice 无法转换此文件（{outcome}）", file=name)]


def _run(command: list[str]) -> str | None:
    """Run LibreOffice in its own process group, killed whole at the time limit (the
    `soffice` script starts `soffice.bin`, which a plain kill would leave running).
    Returns what went wrong, if LibreOffice says or the limit was reached."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return f"无法启动 LibreOffice（{describe_os_error(exc)}）"
    try:
        _stdout, stderr = process.communicate(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The leader is not reaped yet, so its id still names this group and no other.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=5)
        return f"转换超过 {CONVERT_TIMEOUT:.0f} 秒仍未完成，已终止"
    lines = stderr.decode("utf-8", "replace").splitlines()
    # LibreOffice says what failed on lines of its own ("Error: source file could not be
    # loaded"), among warnings that concern nothing here (javaldx …).
    errors = [line.strip() for line in lines if line.strip().startswith("Error")]
    return _describe(Exception("；".join(errors))) if errors else None
