"""The API's request and response shapes, kept apart from the tables.

Queries (`FormQuery`, `FindingQuery`) are what the list page and the API accept; the
`…Public` models are what they return; `FormUpdate` is what an editor may change.
Amounts and scores are decimal *strings*, exactly as stored (never floats).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from jixiao.store.queries import FindingFilters, FormFilters
from jixiao.web.records import DeclarationRecord, SelfEvaluationRecord


def _blank_to_none(value: Any) -> Any:
    # HTML forms send empty fields as "": an empty filter is no filter.
    if isinstance(value, str) and not value.strip():
        return None
    return value


OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
Kind = Literal["self_evaluation", "declaration"]
SeverityName = Literal["error", "warning", "info"]


def dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class FormQuery(BaseModel):
    """Filters, search, sorting and paging of the form list."""

    year: OptInt = Field(None, description="年度")
    department: OptStr = Field(None, description="主管部门（完全一致）")
    unit: OptStr = Field(None, description="实施单位（包含此文字）")
    kind: Annotated[Kind | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="表单类型：self_evaluation 自评表，declaration 申报表"
    )
    grade: OptStr = Field(None, description="评分等级（表上所印）：优、良、中、差")
    finding: OptStr = Field(None, description="含此类问题（问题类型，如 total-not-sum）")
    severity: Annotated[SeverityName | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="含此级别的问题：error、warning、info"
    )
    q: OptStr = Field(
        None,
        description="全文检索：项目名称、主管部门、实施单位、目标、指标名称；空格分隔的词须全部出现",
    )
    project_id: OptInt = Field(None, description="同一项目（关联）的表单")
    import_id: OptInt = Field(None, description="某次导入的表单")
    sort: OptStr = Field(
        None,
        description="排序：id、year、project、department、unit、kind、funds、rate、score、"
        "ref_score、grade、findings、errors；前加 - 为降序",
    )
    limit: Annotated[int, BeforeValidator(_blank_to_none)] = Field(50, ge=1, le=500)
    offset: Annotated[int, BeforeValidator(_blank_to_none)] = Field(0, ge=0)

    def filters(self) -> FormFilters:
        return FormFilters(
            year=self.year,
            department=self.department,
            unit=self.unit,
            kind=self.kind,
            grade=self.grade,
            finding=self.finding,
            severity=self.severity,
            q=self.q,
            project_id=self.project_id,
            import_id=self.import_id,
        )


class FindingQuery(BaseModel):
    kind: OptStr = Field(None, description="问题类型")
    severity: Annotated[SeverityName | None, BeforeValidator(_blank_to_none)] = None
    code: OptStr = Field(None, description="规则编号")
    stage: Annotated[Literal["reading", "review"] | None, BeforeValidator(_blank_to_none)] = Field(
        None, description="reading 读取，review 审核"
    )
    form_id: OptInt = None
    year: OptInt = None
    department: OptStr = None
    limit: Annotated[int, BeforeValidator(_blank_to_none)] = Field(50, ge=1, le=500)
    offset: Annotated[int, BeforeValidator(_blank_to_none)] = Field(0, ge=0)

    def filters(self) -> FindingFilters:
        return FindingFilters(
            kind=self.kind,
            severity=self.severity,
            code=self.code,
            stage=self.stage,
            form_id=self.form_id,
            year=self.year,
            department=self.department,
        )


class FindingCounts(BaseModel):
    error: int
    warning: int
    info: int


class FormSummaryPublic(BaseModel):
    id: int
    kind: Kind
    year: int | None
    project: str
    department: str | None
    unit: str | None
    funds_unit: str
    funds_amount: str | None = Field(description="全年预算数（自评表）或年度资金申请总额（申报表）")
    execution_rate: str | None = Field(description="执行率（%），表上所印")
    total_score: str | None = Field(description="总分，表上所印")
    ref_total: str | None = Field(description="参考总分（按评分规则重算）")
    grade: str | None
    ref_grade: str | None
    findings: FindingCounts
    project_id: int
    document_id: int
    url: str


class FormListPublic(BaseModel):
    items: list[FormSummaryPublic]
    total: int
    limit: int
    offset: int


class FindingPublic(BaseModel):
    id: int
    code: str
    kind: str
    severity: SeverityName
    message: str
    basis: str
    stage: Literal["reading", "review"]
    line: int | None = Field(description="行号（文本格式）")
    page: int | None = Field(None, description="页码（PDF）")
    cell: str | None = Field(None, description="单元格（如 B12）")
    box: list[float] | None = Field(None, description="页面坐标 (x0, top, x1, bottom)，单位：点")
    indicator: str | None
    field: str | None
    form_id: int | None
    indicator_id: int | None
    document_id: int


class FindingWithFormPublic(FindingPublic):
    project: str | None
    unit: str | None
    year: int | None


class FindingListPublic(BaseModel):
    items: list[FindingWithFormPublic]
    total: int
    limit: int
    offset: int


class ReferencePublic(BaseModel):
    value: str | None
    formula: str | None
    low: str | None
    high: str | None


class ScorePublic(BaseModel):
    budget: ReferencePublic | None
    total: ReferencePublic | None
    grade: str | None


class DocumentPublic(BaseModel):
    id: int
    name: str
    sha256: str
    size: int
    format: str
    import_id: int
    url: str


class LinkedFormPublic(BaseModel):
    id: int
    kind: Kind
    year: int | None
    project: str
    unit: str | None
    url: str


def _detail(record: type[BaseModel], name: str) -> type[BaseModel]:
    """The form in the exchange format (all its keys), with what jixiao adds."""
    model: type[BaseModel] = create_model(
        name,
        __base__=record,
        id=(int, Field(description="表单编号")),
        project_id=(int, Field(description="项目编号（跨年度、跨表单类型关联）")),
        profile=(str, Field(description="审核所用的评分规则")),
        reference=(ScorePublic, Field(description="参考得分（按评分规则重算，附公式）")),
        findings=(list[FindingPublic], Field(description="读取与审核发现的问题")),
        document=(DocumentPublic, Field(description="来源文件")),
        linked_forms=(list[LinkedFormPublic], Field(description="同一项目的其他表单")),
    )
    return model


# One form as the API returns it: a self-evaluation or a declaration, told by `kind`.
FormDetailPublic: Any = Annotated[
    _detail(SelfEvaluationRecord, "SelfEvaluationDetail")
    | _detail(DeclarationRecord, "DeclarationDetail"),
    Field(discriminator="kind"),
]


class FormUpdate(BaseModel):
    """Change the project link: another project's id, or null for a project of its own."""

    model_config = ConfigDict(extra="forbid")

    project_id: int | None = Field(description="关联到此项目；null 表示单独成为一个项目")


class DepartmentCount(BaseModel):
    department: str
    forms: int
    findings: int


class RateBand(BaseModel):
    band: str
    forms: int


class FindingKindCount(BaseModel):
    kind: str
    title: str
    forms: int
    findings: int


class StatsPublic(BaseModel):
    forms: int
    documents: int
    projects: int
    findings: int
    by_kind: dict[str, int]
    by_year: dict[str, dict[str, int]]
    grades: dict[str, int]
    ref_grades: dict[str, int]
    execution_rates: list[RateBand]
    finding_kinds: list[FindingKindCount]
    severities: dict[str, int]
    departments: list[DepartmentCount]


class FindingBrief(BaseModel):
    code: str
    kind: str
    severity: SeverityName
    message: str
    line: int | None
    indicator: str | None
    field: str | None


class UploadFormPublic(BaseModel):
    index: int
    kind: Kind
    year: int | None
    project: str
    department: str | None
    unit: str | None
    total_score: str | None
    ref_total: str | None
    grade: str | None
    ref_grade: str | None
    findings: list[FindingBrief]


class UploadFilePublic(BaseModel):
    name: str
    size: int
    format: str
    sha256: str
    status: Literal["ready", "refused", "known"]
    message: str
    findings: list[FindingBrief] = Field(description="关于整个文件的读取问题")
    forms: list[UploadFormPublic]


class UploadPublic(BaseModel):
    token: str
    profile: str
    files: list[UploadFilePublic]
    savable_forms: int
    url: str


class SavedFilePublic(BaseModel):
    name: str
    status: Literal["saved", "skipped", "refused"]
    message: str
    document_id: int | None


class SavedPublic(BaseModel):
    import_id: int
    forms: int
    findings: int
    form_ids: list[int]
    files: list[SavedFilePublic]
    url: str


class RulePublic(BaseModel):
    code: str
    kind: str
    severity: SeverityName
    family: str
    title: str
    description: str
    basis: str
