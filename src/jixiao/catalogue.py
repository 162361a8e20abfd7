"""The catalogue of every finding jixiao can report: one stable code per kind.

Part of the core. Readers and review rules create findings only through these
entries, so a code cannot exist without its documentation; `docs/catalogue.md` is
checked against this table by the tests.

Families and code ranges:
- `RD…` reading: what stopped or doubted the reader;
- review families are registered by `jixiao.rules` (see there).
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import CatalogueEntry, Severity

_BY_CODE: dict[str, CatalogueEntry] = {}
_BY_KIND: dict[str, CatalogueEntry] = {}


def register(entries: Iterable[CatalogueEntry]) -> None:
    """Add entries; a code or kind may be registered once only."""
    for entry in entries:
        if entry.code in _BY_CODE or entry.kind in _BY_KIND:
            existing = _BY_CODE.get(entry.code) or _BY_KIND[entry.kind]
            if existing == entry:
                continue
            raise ValueError(f"duplicate catalogue entry {entry.code} {entry.kind}")
        _BY_CODE[entry.code] = entry
        _BY_KIND[entry.kind] = entry


def by_kind(kind: str) -> CatalogueEntry:
    return _BY_KIND[kind]


def by_code(code: str) -> CatalogueEntry:
    return _BY_CODE[code]


def all_entries() -> list[CatalogueEntry]:
    """Every registered entry, in code order (rules register on import of jixiao.rules)."""
    return sorted(_BY_CODE.values(), key=lambda e: e.code)


_READING_BASIS = "jixiao 读取规则：表单须按官方表样完整读取，读取不全的数据不得静默入库"

EMPTY_INPUT = CatalogueEntry(
    "RD001",
    "empty-input",
    Severity.ERROR,
    "reading",
    "文件为空",
    "文件没有任何内容。",
    _READING_BASIS,
)
UNREADABLE_INPUT = CatalogueEntry(
    "RD002",
    "unreadable-input",
    Severity.ERROR,
    "reading",
    "无法识别的文件",
    "文件无法读取：格式不受支持（如图片、压缩包），或文件已损坏、加密、无法解码；或所给的不是普通文件（命名管道、设备、套接字），或文件夹无法打开。",
    _READING_BASIS,
)
NO_FORM_FOUND = CatalogueEntry(
    "RD003",
    "no-form-found",
    Severity.ERROR,
    "reading",
    "未找到表单",
    "文件中没有找到绩效自评表或绩效目标申报表的标题与表头。",
    _READING_BASIS,
)
INPUT_TOO_LARGE = CatalogueEntry(
    "RD004",
    "input-too-large",
    Severity.ERROR,
    "reading",
    "文件过大",
    "文件超过允许的大小上限，未读取。",
    _READING_BASIS,
)
ROW_NOT_UNDERSTOOD = CatalogueEntry(
    "RD005",
    "row-not-understood",
    Severity.WARNING,
    "reading",
    "无法识别的行",
    "表单中的一行与表样不符，未能读取，可能丢失了数据。",
    _READING_BASIS,
)
MISSING_FIELD = CatalogueEntry(
    "RD006",
    "missing-field",
    Severity.WARNING,
    "reading",
    "缺少字段",
    "表单缺少字段（项目名称、年度资金总额、总分等），或该字段无法读取。",
    _READING_BASIS,
)
TRUNCATED_FORM = CatalogueEntry(
    "RD007",
    "truncated-form",
    Severity.ERROR,
    "reading",
    "表单不完整",
    "表单在指标表之前中断（文件截断或表样不符），该表单未读取。",
    _READING_BASIS,
)
READ_SUMS_MISMATCH = CatalogueEntry(
    "RD008",
    "read-sums-mismatch",
    Severity.WARNING,
    "reading",
    "读取后合计不符",
    "读取后各行得分或分值之和与表中合计不符：可能丢失或多读了一行。",
    "jixiao 读取规则：用表单自身的合计校验读取结果（Σ得分 = 总分，Σ分值 + 10 = 100）",
)
ENCODING_FALLBACK = CatalogueEntry(
    "RD009",
    "encoding-fallback",
    Severity.INFO,
    "reading",
    "非 UTF-8 编码",
    "文件不是 UTF-8 编码，已按 GB18030 解码。",
    _READING_BASIS,
)
YEAR_INFERRED = CatalogueEntry(
    "RD010",
    "year-inferred",
    Severity.INFO,
    "reading",
    "年度由上下文推断",
    "表单未印年度，已取同一文件中相邻表单的年度。",
    _READING_BASIS,
)
UNKNOWN_COLUMNS = CatalogueEntry(
    "RD011",
    "unknown-columns",
    Severity.INFO,
    "reading",
    "未知列已忽略",
    "表头中有标准表样以外的列（其他地区表样），这些列的内容未读入标准字段。",
    _READING_BASIS,
)
UNSUPPORTED_FORM = CatalogueEntry(
    "RD012",
    "unsupported-form",
    Severity.WARNING,
    "reading",
    "不支持的表单",
    "识别到的表单不是项目支出绩效自评表或绩效目标申报表（如部门整体支出绩效自评表），未读取。",
    _READING_BASIS,
)
INVALID_EXCHANGE = CatalogueEntry(
    "RD013",
    "invalid-exchange",
    Severity.ERROR,
    "reading",
    "交换格式无效",
    "JSON 交换格式的记录缺少字段或字段类型不符。",
    "jixiao 交换格式第 1 版（docs/exchange.md）",
)
SCANNED_PDF = CatalogueEntry(
    "RD014",
    "scanned-pdf",
    Severity.ERROR,
    "reading",
    "扫描件 PDF",
    "PDF 没有可用的文字层（扫描件，或文字编码无法识别），需 OCR 识别；"
    '扫描件识别需安装 OCR 组件（`pip install "jixiao[ocr]"`）。',
    _READING_BASIS,
)
PAGES_NOT_READ = CatalogueEntry(
    "RD015",
    "pages-not-read",
    Severity.WARNING,
    "reading",
    "部分页面未读取",
    "PDF 页数、单页内容或读取时间超过上限，超出部分的页面未读取，可能缺少表单。",
    _READING_BASIS,
)
OCR_LOW_CONFIDENCE = CatalogueEntry(
    "RD016",
    "ocr-low-confidence",
    Severity.WARNING,
    "reading",
    "识别置信度低",
    "扫描件或图片经 OCR 识别，此单元格的识别置信度低于阈值，读出的文字或数字可能有误，"
    "须对照原件核对。",
    _READING_BASIS,
)
OCR_READ = CatalogueEntry(
    "RD017",
    "ocr-read",
    Severity.INFO,
    "reading",
    "经 OCR 识别",
    "扫描件或图片没有文字层，内容经 OCR 识别读出；置信度低的单元格另有 RD016，"
    "与表内勾稽关系不符的数字另有校验结论。",
    _READING_BASIS,
)

READING = (
    EMPTY_INPUT,
    UNREADABLE_INPUT,
    NO_FORM_FOUND,
    INPUT_TOO_LARGE,
    ROW_NOT_UNDERSTOOD,
    MISSING_FIELD,
    TRUNCATED_FORM,
    READ_SUMS_MISMATCH,
    ENCODING_FALLBACK,
    YEAR_INFERRED,
    UNKNOWN_COLUMNS,
    UNSUPPORTED_FORM,
    INVALID_EXCHANGE,
    SCANNED_PDF,
    PAGES_NOT_READ,
    OCR_LOW_CONFIDENCE,
    OCR_READ,
)

register(READING)
