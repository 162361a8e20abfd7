"""The open-data package (export step): the store, or the forms of a filter, as a
Frictionless Data Package (https://specs.frictionlessdata.io/).

A folder of `datapackage.json` and five CSV tables:

- `forms.csv`: one row per form, the printed fields and the review's reference scores;
- `funds.csv`: the amount rows of each form (项目资金), in the form's own money unit;
- `indicators.csv`: the indicator table of each form;
- `findings.csv`: the reading and review findings of each form;
- `projects.csv`: the projects the forms belong to (one project across years and kinds).

Each table has a Table Schema: field types, Chinese titles and descriptions, primary keys
and the foreign keys that join them (`form_id` → `forms.id`, `project_id` →
`projects.id`, `indicator_id` → `indicators.id`). The ids are the store's own, so they stay
the same from one publication of a store to the next. Decimals are strings holding
exactly the digits stored (`104717.30` keeps its zero), never floats; their unit is in the
field's description, or in a `unit` / `funds_unit` column where it varies from form to
form. The CSVs are UTF-8 with a byte-order mark, so Excel opens the Chinese as Chinese.

Texts are written as stored, also those starting with `=`: this is data for programs that
read it by its schema. (The list downloads, made to be opened in a spreadsheet, defuse
such texts; see `listing`.)
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Executable, func, select
from sqlalchemy.orm import Session

import jixiao.rules  # noqa: F401  (registers the review rules' titles in the catalogue)
from jixiao.catalogue import by_kind
from jixiao.findings import Severity
from jixiao.model import DECLARATION_FUNDS_LABELS, FUNDS_ROW_LABELS
from jixiao.store.queries import FormFilters, forms_query
from jixiao.store.tables import Document, FindingRow, FormRow, FundsLine, IndicatorRow, Project
from jixiao.vocabulary.filters import FILTER_LABELS
from jixiao.vocabulary.kinds import KIND_LABELS

DESCRIPTOR = "datapackage.json"
NAME = "jixiao-performance-forms"
TITLE = "财政项目支出绩效表单开放数据"
# The publisher may license otherwise (`write_package(licenses=…)`); CC BY 4.0 asks only
# that the source be named, as open government data usually does.
LICENSES: tuple[dict[str, str], ...] = (
    {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "知识共享 署名 4.0 国际许可协议（CC BY 4.0）",
    },
)
KEYWORDS = ("预算绩效管理", "绩效自评表", "绩效目标申报表", "财政项目支出")
BOM = "\ufeff"
# A decimal as stored: digits, at most one point, never an exponent.
DECIMAL_PATTERN = r"-?[0-9]+(\.[0-9]+)?"
_BATCH = 1000

_LINE_LABELS = {**FUNDS_ROW_LABELS, **DECLARATION_FUNDS_LABELS}
_KIND = "表单类型：`self_evaluation` 自评表，`declaration` 申报表"
_IN_FUNDS_UNIT = "单位见 `funds_unit`（表上所印的金额单位）"
_IN_UNIT = "单位见本表 `unit` 列（所属表单所印的金额单位）"


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a table: its name, Table Schema type, Chinese title and description,
    and how its value is read off a stored row."""

    name: str
    type: str  # integer | string | date
    title: str
    description: str = ""
    decimal: bool = False  # an exact decimal, written as a string
    required: bool = False
    enum: tuple[str, ...] | None = None

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        if self.description:
            out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.decimal:
            constraints["pattern"] = DECIMAL_PATTERN
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


def _id(name: str, title: str) -> Column:
    return Column(name, "integer", title, required=True)


def _text(name: str, title: str, description: str = "", **kw: Any) -> Column:
    return Column(name, "string", title, description, **kw)


def _decimal(name: str, title: str, description: str) -> Column:
    return Column(name, "string", title, f"十进制数字文本，逐位保留所存数值；{description}", True)


def _int(name: str, title: str, description: str = "") -> Column:
    return Column(name, "integer", title, description)


def _place(what: str) -> list[Column]:
    return [
        _int("page", "页码", f"{what}在来源文件中的页码（PDF、扫描件）"),
        _int("line", "行号", f"{what}在来源文件中的行号（文本类文件）"),
        _text("cell", "单元格", f"{what}在来源表格中的单元格（如 `B12`）"),
    ]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (field, resource): → resource.id

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [c.schema() for c in self.columns],
            "primaryKey": ["id"],
            "foreignKeys": [
                {"fields": [name], "reference": {"resource": resource, "fields": ["id"]}}
                for name, resource in self.foreign_keys
            ],
            "missingValues": [""],
        }


PROJECTS = Table(
    "projects",
    "项目",
    "同一实施单位的同一项目（各年度、各类型的表单共用一个项目）。",
    (
        _id("id", "项目编号"),
        _text("name", "项目名称", required=True),
        _text("unit", "实施单位"),
        _text("department", "主管部门"),
    ),
)
FORMS = Table(
    "forms",
    "表单",
    "每张绩效自评表或绩效目标申报表一行：表上所印的字段，及审核按评分方案重算的参考得分。",
    (
        _id("id", "表单编号"),
        _int("project_id", "项目编号", "所属项目（`projects.id`）"),
        _text("document_sha256", "来源文件摘要", "来源文件内容的 SHA-256（十六进制）"),
        _int("position", "表序号", "在来源文件中是第几张表（从 1 起）"),
        _text("kind", "表单类型", _KIND, required=True, enum=("self_evaluation", "declaration")),
        _text("profile", "评分方案", "审核所用的评分方案（如 `shanghai`、`national-2020`）"),
        _int("year", "年度"),
        _text("project", "项目名称", required=True),
        _text("department", "主管部门"),
        _text("unit", "实施单位"),
        _text("nature", "项目性质", "申报表所印"),
        _text("category", "项目类别", "申报表所印"),
        Column("start_date", "date", "计划开始日期", "申报表所印"),
        Column("end_date", "date", "计划完成日期", "申报表所印"),
        _text("funds_unit", "金额单位", "表上所印的金额单位（元、万元等）：本表与资金表金额的单位"),
        _decimal(
            "funds_amount",
            "全年预算数/年度资金申请总额",
            f"自评表年度资金总额的全年预算数，或申报表的年度资金申请总额；{_IN_FUNDS_UNIT}",
        ),
        _decimal(
            "funds_executed", "全年执行数", f"自评表年度资金总额的全年执行数；{_IN_FUNDS_UNIT}"
        ),
        _decimal("funds_wan", "金额（万元）", "`funds_amount` 精确折算为万元（只移动小数点）"),
        _decimal("execution_rate", "执行率", "表上所印的预算执行率；单位：%"),
        _decimal("total_weight", "总分值", "表上所印；单位：分"),
        _decimal("total_score", "总分", "表上所印；单位：分"),
        _text("grade", "评分等级", "表上所印：优、良、中、差"),
        _decimal("ref_budget_score", "参考预算执行得分", "按评分方案重算；单位：分"),
        _decimal("ref_total", "参考总分", "按评分方案重算的建议值；单位：分"),
        _text("ref_total_formula", "参考总分算式", "参考总分的计算过程"),
        _text("ref_grade", "参考评分等级", "按参考总分评定"),
        _text("goal_expected", "预期目标", "自评表所印"),
        _text("goal_actual", "实际完成情况", "自评表所印"),
        _text("goal_overall", "项目总目标", "申报表所印"),
        _text("goal_annual", "年度总体目标", "申报表所印"),
        _int("error_count", "错误数", "级别为错误的问题条数"),
        _int("warning_count", "警告数", "级别为警告的问题条数"),
        _int("info_count", "提示数", "级别为提示的问题条数"),
        _int("finding_count", "问题数", "问题总条数"),
    ),
    (("project_id", "projects"),),
)
FUNDS = Table(
    "funds",
    "项目资金",
    "表单的资金行：自评表的年度资金总额、当年财政拨款、上年结转资金、其他资金各行，"
    "申报表的项目资金各项金额。金额为表上所印，单位见 `unit` 列。",
    (
        _id("id", "资金行编号"),
        _id("form_id", "表单编号"),
        _text(
            "line",
            "资金行",
            "资金行的代码；中文名称见 `line_label`",
            required=True,
            enum=tuple(_LINE_LABELS),
        ),
        _text("line_label", "资金行名称", "表上所印的行名"),
        _int("position", "行序号", "在表中的顺序"),
        _text("unit", "金额单位", "所属表单所印的金额单位（元、万元等）"),
        _decimal("initial", "年初预算数", f"自评表；{_IN_UNIT}"),
        _decimal("adjusted", "全年预算数", f"自评表；{_IN_UNIT}"),
        _decimal("executed", "全年执行数", f"自评表；{_IN_UNIT}"),
        _decimal("weight", "分值", "自评表；单位：分"),
        _decimal("rate", "执行率", "自评表，表上所印；单位：%"),
        _decimal("score", "得分", "自评表；单位：分"),
        _decimal("amount", "金额", f"申报表；{_IN_UNIT}"),
    ),
    (("form_id", "forms"),),
)
INDICATORS = Table(
    "indicators",
    "绩效指标",
    "表单的绩效指标表：一级、二级、三级指标，指标值，分值与得分。",
    (
        _id("id", "指标编号"),
        _id("form_id", "表单编号"),
        _int("position", "行序号", "在指标表中的顺序（从 1 起）"),
        _text("level1", "一级指标", required=True),
        _text("level2", "二级指标", required=True),
        _text("name", "三级指标", required=True),
        _text("target", "年度指标值"),
        _text("actual", "实际完成值", "自评表所印"),
        _decimal("weight", "分值", "自评表；单位：分"),
        _decimal("score", "得分", "自评表；单位：分"),
        _text("note", "偏差原因分析及改进措施", "自评表所印"),
        _decimal("ref_score", "参考得分", "按评分方案重算；单位：分"),
        _text("ref_formula", "参考得分算式", "参考得分的计算过程"),
        *_place("该指标行"),
    ),
    (("form_id", "forms"),),
)
FINDINGS = Table(
    "findings",
    "问题",
    "读取与审核发现的问题：规则编号、问题类型、级别、问题说明与依据，以及所在位置。",
    (
        _id("id", "问题编号"),
        _id("form_id", "表单编号"),
        _int("indicator_id", "指标编号", "问题所在的指标行（`indicators.id`）；整张表单的问题为空"),
        _text("stage", "环节", "`reading` 读取，`review` 审核", enum=("reading", "review")),
        _text("code", "规则编号", required=True),
        _text("kind", "问题类型代码", "规则目录中的问题类型（如 `total-not-sum`）"),
        _text("title", "问题类型", "规则目录中问题类型的名称"),
        _text(
            "severity",
            "级别",
            "`error` 错误，`warning` 警告，`info` 提示",
            enum=("error", "warning", "info"),
        ),
        _text("message", "问题说明", "指明位置与数值"),
        _text("basis", "依据", "所依据的文件与条款"),
        *_place("问题"),
        _text("indicator", "三级指标", "问题所在的三级指标名称"),
        _text("field", "字段", "问题所在的字段（交换格式的键，如 `total_score`）"),
    ),
    (("form_id", "forms"), ("indicator_id", "indicators")),
)
TABLES = (FORMS, FUNDS, INDICATORS, FINDINGS, PROJECTS)


@dataclass(slots=True)
class PackageSummary:
    """What was written: the folder, and how many rows each table has."""

    folder: Path
    rows: dict[str, int] = field(default_factory=dict)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # the stored digits, never an exponent
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(BOM)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.name for c in table.columns])
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return count


def _stream(session: Session, query: Executable) -> Iterator[Sequence[Any]]:
    yield from session.execute(query.execution_options(yield_per=_BATCH))


def _form_rows(session: Session, ids: Any) -> Iterator[Sequence[Any]]:
    names = [c.name for c in FORMS.columns if c.name not in ("document_sha256",)]
    columns = [FormRow.__table__.c[n] for n in names]
    query = (
        select(*columns, Document.sha256)
        .join(Document, Document.id == FormRow.document_id)
        .where(FormRow.id.in_(select(ids.c.id)))
        .order_by(FormRow.id)
    )
    at = [c.name for c in FORMS.columns].index("document_sha256")
    for row in _stream(session, query):
        values = list(row[:-1])
        values.insert(at, row[-1])
        yield values


def _funds_rows(session: Session, ids: Any) -> Iterator[Sequence[Any]]:
    query = (
        select(FundsLine, FormRow.funds_unit)
        .join(FormRow, FormRow.id == FundsLine.form_id)
        .where(FundsLine.form_id.in_(select(ids.c.id)))
        .order_by(FundsLine.id)
    )
    for line, unit in _stream(session, query):
        yield (
            line.id,
            line.form_id,
            line.line,
            _LINE_LABELS.get(line.line, line.line),
            line.position,
            unit,
            line.initial,
            line.adjusted,
            line.executed,
            line.weight,
            line.rate,
            line.score,
            line.amount,
        )


def _indicator_rows(session: Session, ids: Any) -> Iterator[Sequence[Any]]:
    names = [c.name for c in INDICATORS.columns]
    columns = [IndicatorRow.__table__.c[n] for n in names]
    query = (
        select(*columns).where(IndicatorRow.form_id.in_(select(ids.c.id))).order_by(IndicatorRow.id)
    )
    return _stream(session, query)


def _title(kind: str) -> str:
    try:
        return by_kind(kind).title
    except KeyError:
        return kind


def _finding_rows(session: Session, ids: Any) -> Iterator[Sequence[Any]]:
    query = (
        select(FindingRow).where(FindingRow.form_id.in_(select(ids.c.id))).order_by(FindingRow.id)
    )
    for (finding,) in _stream(session, query):
        yield (
            finding.id,
            finding.form_id,
            finding.indicator_id,
            finding.stage,
            finding.code,
            finding.kind,
            _title(finding.kind),
            finding.severity,
            finding.message,
            finding.basis,
            finding.page,
            finding.line,
            finding.cell,
            finding.indicator,
            finding.field,
        )


def _project_rows(session: Session, ids: Any) -> Iterator[Sequence[Any]]:
    used = select(FormRow.project_id).where(FormRow.id.in_(select(ids.c.id)))
    query = (
        select(Project.id, Project.name, Project.unit, Project.department)
        .where(Project.id.in_(used))
        .order_by(Project.id)
    )
    return _stream(session, query)


_ROWS: dict[str, Callable[[Session, Any], Iterator[Sequence[Any]]]] = {
    "forms": _form_rows,
    "funds": _funds_rows,
    "indicators": _indicator_rows,
    "findings": _finding_rows,
    "projects": _project_rows,
}
# The unit filter matches a part of the name: said so in the package's description.
_FILTER_NAMES = {**FILTER_LABELS, "unit": "实施单位（包含）"}


def describe_filters(filters: FormFilters) -> str:
    """「年度 2024；主管部门 某某局」, or 「全部表单」."""
    active = filters.active()
    if not active:
        return "全部表单"
    shown = dict(active)
    if filters.kind:
        shown["kind"] = KIND_LABELS.get(filters.kind, filters.kind)
    if filters.severity in {s.value for s in Severity}:
        shown["severity"] = Severity(filters.severity).label
    return "；".join(f"{_FILTER_NAMES.get(k, k)} {v}" for k, v in shown.items())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_package(
    session: Session,
    folder: Path,
    filters: FormFilters | None = None,
    *,
    limit: int | None = None,
    created: dt.datetime | None = None,
    licenses: Sequence[dict[str, str]] = LICENSES,
) -> PackageSummary:
    """Write the package of the forms `filters` match (every form when None; at most
    `limit`, the first by id) into `folder`, which is created when missing."""
    filters = filters or FormFilters()
    folder.mkdir(parents=True, exist_ok=True)
    matching = forms_query(filters, "id").with_only_columns(FormRow.id)
    ids = (matching.limit(limit) if limit is not None else matching).subquery()
    summary = PackageSummary(folder)
    resources = []
    for table in TABLES:
        path = folder / table.path
        summary.rows[table.name] = _write_csv(path, table, _ROWS[table.name](session, ids))
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{_sha256(path)}",
                "schema": table.schema(),
            }
        )
    documents = session.execute(
        select(func.count(func.distinct(FormRow.document_id))).where(
            FormRow.id.in_(select(ids.c.id))
        )
    ).scalar_one()
    when = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    counts = summary.rows
    descriptor = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": (
            "各单位报送的财政项目支出绩效自评表与绩效目标申报表，经 jixiao 读取、计分与审核后的数据："
            f"表单 {counts['forms']} 张（{describe_filters(filters)}），资金行 {counts['funds']} 行，"
            f"绩效指标 {counts['indicators']} 项，问题 {counts['findings']} 条，"
            f"项目 {counts['projects']} 个。金额与得分为十进制数字文本，逐位保留表上所印数值；"
            "各表以编号相互关联，同一表单库的编号在各次发布之间保持不变。"
            "参考得分是按评分方案重算的建议值，不代替表上所印得分。"
        ),
        "keywords": list(KEYWORDS),
        "created": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [dict(item) for item in licenses],
        "sources": [
            {
                "title": "各单位报送的绩效自评表与绩效目标申报表",
                "description": f"jixiao 表单库中 {documents} 份来源文件（筛选：{describe_filters(filters)}）",
            }
        ],
        "resources": resources,
    }
    (folder / DESCRIPTOR).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary


def zip_package(folder: Path, out: IO[bytes]) -> None:
    """The package in `folder` (as `write_package` left it) as one zip file."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / DESCRIPTOR, DESCRIPTOR)
        for table in TABLES:
            archive.write(folder / table.path, table.path)
