"""The API's request and response shapes, kept apart from the tables.

Queries (`FormQuery`, `FindingQuery`) are what the list page and the API accept; the
`…Public` models are what they return; `FormUpdate` is what an editor may change;
`ErrorResponse` is the one error body (`jixiao.web.errors`) as the API reference shows it.
Amounts and scores are decimal *strings*, exactly as stored (never floats).

Docstrings and `description`s of the models are user text: `/docs` and `/openapi.json`
show them, in Chinese, with code in backticks. A field that several shapes share takes
its text from one constant below.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model

from jixiao.store.queries import FindingFilters, FormFilters
from jixiao.store.stats import SINCE_CAP
from jixiao.web.records import DeclarationRecord, SelfEvaluationRecord, SourcePublic


def _blank_to_none(value: Any) -> Any:
    # HTML forms send empty fields as "": an empty filter is no filter.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _filter_text(value: Any) -> Any:
    """A text parameter without NUL characters (no stored text holds one, and PostgreSQL
    refuses them in a query), then `_blank_to_none`."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
    return _blank_to_none(value)


# The descriptions of the fields several shapes share, one text each.
FORM_ID = "表单编号"
FORM_URL = "表单页面的地址"
KIND = "表单类型：`self_evaluation` 自评表，`declaration` 申报表"
YEAR = "年度"
PROJECT = "项目名称"
DEPARTMENT = "主管部门"
DEPARTMENT_EXACT = f"{DEPARTMENT}（完全一致）"
UNIT = "实施单位"
PROJECT_ID = "项目编号（同一项目各年度、各类型的表单共用一个编号）"
IMPORT_ID = "导入批次的编号"
DOCUMENT_ID = "来源文件的编号"
PROFILE = "审核所用的评分方案（如 `shanghai`）"
TOTAL_SCORE = "总分，表上所印"
REF_TOTAL = "参考总分（按评分方案重算）"
GRADE = "评分等级，表上所印：优、良、中、差"
REF_GRADE = "参考等级（按参考总分评定）"
RULE_CODE = "规则编号"
FINDING_KIND = "问题类型（如 `total-not-sum`）"
SEVERITY = "问题级别：`error` 错误，`warning` 警告，`info` 提示"
STAGE = "发现问题的环节：`reading` 读取，`review` 审核"
FINDING_MESSAGE = "问题说明：指明位置与数值"
BASIS = "依据（文件与条款）"
INDICATOR = "所在的三级指标（名称）；整张表单的问题为 `null`"
FIELD = "所在字段（交换格式的键，如 `total_score`）；不属于某个字段时为 `null`"
FORMS = "表单数"
FINDINGS = "问题条数"
FILE_NAME = "文件名"
FILE_SIZE = "文件大小（字节）"
FILE_FORMAT = "识别出的文件格式（如 `pdf`、`xlsx`）"
FILE_SHA256 = "文件内容的 SHA-256 摘要（十六进制）"
LIMIT = "每页条数（1 至 500）"
OFFSET = "跳过前面的条数（从 0 开始）"
TOTAL = "符合条件的总条数（不受分页影响）"
UPLOAD_TOKEN = "这次上传的编号：预览、保存与放弃时用"
# The finding's place in its file, as the exchange record's `source` describes it.
_SOURCE = SourcePublic.model_fields

# The largest whole number every integer column holds (PostgreSQL's `integer`, of ids,
# years and counts, is 32 bits): a larger one matches no stored row, and the database
# would refuse it rather than say so.
MAX_STORED_INT = 2**31 - 1
# What a filter's text may hold: more than a reviewer types, less than the databases'
# limits on a pattern (SQLite refuses a LIKE pattern over 50,000 bytes).
MAX_FILTER_CHARS = 200
MAX_SEARCH_TERMS = 20


def _few_terms(value: str | None) -> str | None:
    if value is not None and len(value.split()) > MAX_SEARCH_TERMS:
        raise ValueError(f"最多 {MAX_SEARCH_TERMS} 个检索词")
    return value


# The bounds before the validator: after it, pydantic prints them as `ge`/`le`, not as
# JSON Schema's `minimum`/`maximum`.
OptInt = Annotated[int | None, Field(ge=0, le=MAX_STORED_INT), BeforeValidator(_blank_to_none)]
OptStr = Annotated[str | None, Field(max_length=MAX_FILTER_CHARS), BeforeValidator(_filter_text)]
Query = Annotated[OptStr, AfterValidator(_few_terms)]
Limit = Annotated[int, Field(ge=1, le=500, description=LIMIT), BeforeValidator(_blank_to_none)]
Offset = Annotated[
    int, Field(ge=0, le=MAX_STORED_INT, description=OFFSET), BeforeValidator(_blank_to_none)
]
# A stored record's id in a page's or the API's address.
StoredId = Annotated[int, Path(ge=0, le=MAX_STORED_INT)]
Kind = Literal["self_evaluation", "declaration"]
SeverityName = Literal["error", "warning", "info"]


def dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class FormQuery(BaseModel):
    """表单列表的筛选、全文检索、排序与分页。"""

    year: OptInt = Field(None, description=YEAR)
    department: OptStr = Field(None, description=DEPARTMENT_EXACT)
    unit: OptStr = Field(None, description=f"{UNIT}（包含此文字）")
    kind: Annotated[Kind | None, BeforeValidator(_blank_to_none)] = Field(None, description=KIND)
    grade: OptStr = Field(None, description=GRADE)
    finding: OptStr = Field(None, description=f"含此类问题：{FINDING_KIND}")
    severity: Annotated[SeverityName | None, BeforeValidator(_blank_to_none)] = Field(
        None, description=f"含此级别的问题；{SEVERITY}"
    )
    q: Query = Field(
        None,
        description="全文检索：项目名称、主管部门、实施单位、目标、指标名称；空格分隔的词须全部出现",
    )
    project_id: OptInt = Field(None, description=f"同一项目的表单：{PROJECT_ID}")
    import_id: OptInt = Field(None, description=f"某次导入的表单：{IMPORT_ID}")
    sort: OptStr = Field(
        None,
        description="排序：`id`、`year`、`project`、`department`、`unit`、`kind`、`funds`、"
        "`rate`、`score`、`ref_score`、`grade`、`findings`、`errors`；前加 `-` 为降序",
    )
    limit: Limit = 50
    offset: Offset = 0

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
    """问题列表的筛选与分页。"""

    kind: OptStr = Field(None, description=FINDING_KIND)
    severity: Annotated[SeverityName | None, BeforeValidator(_blank_to_none)] = Field(
        None, description=SEVERITY
    )
    code: OptStr = Field(None, description=RULE_CODE)
    stage: Annotated[Literal["reading", "review"] | None, BeforeValidator(_blank_to_none)] = Field(
        None, description=STAGE
    )
    form_id: OptInt = Field(None, description=f"某张表单的问题：{FORM_ID}")
    year: OptInt = Field(None, description=YEAR)
    department: OptStr = Field(None, description=DEPARTMENT_EXACT)
    limit: Limit = 50
    offset: Offset = 0

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
    """一张表单各级别的问题条数。"""

    error: int = Field(description="错误条数")
    warning: int = Field(description="警告条数")
    info: int = Field(description="提示条数")


class FormSummaryPublic(BaseModel):
    """表单摘要：列表的一行。"""

    id: int = Field(description=FORM_ID)
    kind: Kind = Field(description=KIND)
    year: int | None = Field(description=YEAR)
    project: str = Field(description=PROJECT)
    department: str | None = Field(description=DEPARTMENT)
    unit: str | None = Field(description=UNIT)
    funds_unit: str = Field(description="金额单位，表上所印（如 万元、元）")
    funds_amount: str | None = Field(
        description="全年预算数（自评表）或年度资金申请总额（申报表），单位见 `funds_unit`"
    )
    funds_wan: str | None = Field(
        description="`funds_amount` 换算为万元（按单位移动小数点，精确，不舍入）；"
        "列表按资金排序即按此值；表上金额单位不是货币单位时为空"
    )
    execution_rate: str | None = Field(description="执行率（%），表上所印")
    total_score: str | None = Field(description=TOTAL_SCORE)
    ref_total: str | None = Field(description=REF_TOTAL)
    grade: str | None = Field(description=GRADE)
    ref_grade: str | None = Field(description=REF_GRADE)
    findings: FindingCounts = Field(description="各级别的问题条数")
    project_id: int = Field(description=PROJECT_ID)
    document_id: int = Field(description=DOCUMENT_ID)
    url: str = Field(description=FORM_URL)


class FormListPublic(BaseModel):
    """表单列表的一页。"""

    items: list[FormSummaryPublic] = Field(description="本页的表单")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class FindingPublic(BaseModel):
    """读取或审核发现的一个问题。"""

    id: int = Field(description="问题编号")
    code: str = Field(description=RULE_CODE)
    kind: str = Field(description=FINDING_KIND)
    severity: SeverityName = Field(description=SEVERITY)
    message: str = Field(description=FINDING_MESSAGE)
    basis: str = Field(description=BASIS)
    stage: Literal["reading", "review"] = Field(description=STAGE)
    line: int | None = Field(description=_SOURCE["line"].description)
    page: int | None = Field(None, description=_SOURCE["page"].description)
    cell: str | None = Field(None, description=_SOURCE["cell"].description)
    box: list[float] | None = Field(None, description=_SOURCE["box"].description)
    indicator: str | None = Field(description=INDICATOR)
    field: str | None = Field(description=FIELD)
    form_id: int | None = Field(description=f"所属表单的{FORM_ID}；关于整个文件的问题为 `null`")
    indicator_id: int | None = Field(description="所在三级指标的编号")
    document_id: int = Field(description=DOCUMENT_ID)


class FindingWithFormPublic(FindingPublic):
    """一个问题，及其所属表单的项目名称、实施单位与年度。"""

    project: str | None = Field(description=PROJECT)
    unit: str | None = Field(description=UNIT)
    year: int | None = Field(description=YEAR)


class FindingListPublic(BaseModel):
    """问题列表的一页。"""

    items: list[FindingWithFormPublic] = Field(description="本页的问题")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class ReferencePublic(BaseModel):
    """一项参考得分：按评分方案重算的建议值及其算法。"""

    value: str | None = Field(description="参考得分")
    formula: str | None = Field(description="计算过程（文字）")
    low: str | None = Field(description="定性评分区间的下限（定性指标）")
    high: str | None = Field(description="定性评分区间的上限（定性指标）")


class ScorePublic(BaseModel):
    """表单的参考得分。"""

    budget: ReferencePublic | None = Field(description="预算执行率的参考得分")
    total: ReferencePublic | None = Field(description="参考总分")
    grade: str | None = Field(description=REF_GRADE)


class DocumentPublic(BaseModel):
    """表单的来源文件。"""

    id: int = Field(description=DOCUMENT_ID)
    name: str = Field(description=FILE_NAME)
    sha256: str = Field(description=FILE_SHA256)
    size: int = Field(description=FILE_SIZE)
    format: str = Field(description=FILE_FORMAT)
    import_id: int = Field(description=IMPORT_ID)
    url: str = Field(description="原始文件的下载地址")


class LinkedFormPublic(BaseModel):
    """同一项目的另一张表单。"""

    id: int = Field(description=FORM_ID)
    kind: Kind = Field(description=KIND)
    year: int | None = Field(description=YEAR)
    project: str = Field(description=PROJECT)
    unit: str | None = Field(description=UNIT)
    url: str = Field(description=FORM_URL)


def _detail(record: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """The form in the exchange format (all its keys), with what jixiao adds."""
    model: type[BaseModel] = create_model(
        name,
        __base__=record,
        __doc__=doc,
        id=(int, Field(description=FORM_ID)),
        project_id=(int, Field(description=PROJECT_ID)),
        profile=(str, Field(description=PROFILE)),
        reference=(ScorePublic, Field(description="参考得分（按评分方案重算，附计算过程）")),
        findings=(list[FindingPublic], Field(description="读取与审核发现的问题")),
        document=(DocumentPublic, Field(description="来源文件")),
        linked_forms=(list[LinkedFormPublic], Field(description="同一项目的其他表单")),
    )
    return model


# One form as the API returns it: a self-evaluation or a declaration, told by `kind`.
FormDetailPublic: Any = Annotated[
    _detail(
        SelfEvaluationRecord,
        "SelfEvaluationDetail",
        "一张自评表：交换格式的全部字段，及编号、参考得分、问题、来源文件与同一项目的其他表单",
    )
    | _detail(
        DeclarationRecord,
        "DeclarationDetail",
        "一张申报表：交换格式的全部字段，及编号、参考得分、问题、来源文件与同一项目的其他表单",
    ),
    Field(discriminator="kind"),
]


class FormUpdate(BaseModel):
    """修改项目关联：关联到另一个项目的编号，或 `null` 单独成为一个项目。"""

    model_config = ConfigDict(extra="forbid")

    project_id: int | None = Field(
        ge=0, le=MAX_STORED_INT, description="关联到此项目；`null` 表示单独成为一个项目"
    )


class DepartmentCount(BaseModel):
    """一个主管部门的表单数与问题条数。"""

    department: str = Field(description=DEPARTMENT)
    forms: int = Field(description=FORMS)
    findings: int = Field(description=FINDINGS)


class RateBand(BaseModel):
    """预算执行率的一个区间及其表单数。"""

    band: str = Field(description="执行率区间（如 `90–95%`）；未填执行率的为「（未填）」")
    forms: int = Field(description=FORMS)


class FindingKindCount(BaseModel):
    """一类问题：有此问题的表单数与问题条数。"""

    kind: str = Field(description=FINDING_KIND)
    title: str = Field(description="问题类型的名称")
    forms: int = Field(description=FORMS)
    findings: int = Field(description=FINDINGS)


class StatsPublic(BaseModel):
    """总览统计（导入时预先算好）。"""

    forms: int = Field(description="表单总数")
    documents: int = Field(description="文件总数")
    projects: int = Field(description="项目总数")
    findings: int = Field(description="问题总条数")
    by_kind: dict[str, int] = Field(description="各表单类型的表单数（键为表单类型）")
    by_year: dict[str, dict[str, int]] = Field(
        description="各年度、各表单类型的表单数（年度 → 表单类型 → 表单数）"
    )
    grades: dict[str, int] = Field(description="各评分等级（表上所印）的表单数")
    ref_grades: dict[str, int] = Field(description="各参考等级的表单数")
    execution_rates: list[RateBand] = Field(description="预算执行率的分布")
    finding_kinds: list[FindingKindCount] = Field(description="各类问题（条数多者在前）")
    severities: dict[str, int] = Field(description="各级别的问题条数（键为问题级别）")
    departments: list[DepartmentCount] = Field(description="各主管部门（问题多者在前）")
    stored_since: int = Field(
        description="统计之后又存入、尚未计入以上各项的表单数（导入进行中，或导入中断后尚未重新统计；"
        f"至多数到 {SINCE_CAP}）"
    )


class FindingBrief(BaseModel):
    """上传预览中的一个问题。"""

    code: str = Field(description=RULE_CODE)
    kind: str = Field(description=FINDING_KIND)
    severity: SeverityName = Field(description=SEVERITY)
    message: str = Field(description=FINDING_MESSAGE)
    line: int | None = Field(description=_SOURCE["line"].description)
    indicator: str | None = Field(description=INDICATOR)
    field: str | None = Field(description=FIELD)


class UploadFormPublic(BaseModel):
    """上传预览中，文件里读到的一张表单。"""

    index: int = Field(description="在文件中的序号（从 1 开始）")
    kind: Kind = Field(description=KIND)
    year: int | None = Field(description=YEAR)
    project: str = Field(description=PROJECT)
    department: str | None = Field(description=DEPARTMENT)
    unit: str | None = Field(description=UNIT)
    total_score: str | None = Field(description=TOTAL_SCORE)
    ref_total: str | None = Field(description=REF_TOTAL)
    grade: str | None = Field(description=GRADE)
    ref_grade: str | None = Field(description=REF_GRADE)
    findings: list[FindingBrief] = Field(description="这张表单的问题")


class UploadFilePublic(BaseModel):
    """上传预览中的一个文件：读取与审核的结果。"""

    name: str = Field(description=FILE_NAME)
    size: int = Field(description=FILE_SIZE)
    format: str = Field(description=FILE_FORMAT)
    sha256: str = Field(description=FILE_SHA256)
    status: Literal["ready", "refused", "known"] = Field(
        description="`ready` 可以保存，`refused` 不能保存（原因见 `message`），"
        "`known` 已导入过（保存时跳过）"
    )
    message: str = Field(description="读取结果的说明")
    findings: list[FindingBrief] = Field(description="关于整个文件的读取问题")
    forms: list[UploadFormPublic] = Field(description="文件中读到的表单（至多列出前 1000 张）")
    forms_read: int = Field(default=0, description="文件中读到的表单数（含未列出的）")


class SavedFilePublic(BaseModel):
    """保存上传时，一个文件的结果。"""

    name: str = Field(description=FILE_NAME)
    status: Literal["saved", "skipped", "refused"] = Field(
        description="`saved` 已保存，`skipped` 已跳过（已导入过），`refused` 不能保存"
    )
    message: str = Field(description="保存结果的说明")
    document_id: int | None = Field(description=f"{DOCUMENT_ID}；未保存时为 `null`")


class SavedPublic(BaseModel):
    """已保存的上传：一个导入批次。"""

    import_id: int = Field(description=IMPORT_ID)
    forms: int = Field(description="保存的表单数")
    findings: int = Field(description="保存的问题条数")
    form_ids: list[int] = Field(description="保存的表单的编号")
    files: list[SavedFilePublic] = Field(description="各文件的结果")
    url: str = Field(description="这次导入的表单列表页面的地址")


UploadState = Literal["queued", "reading", "ready", "save_queued", "saving", "saved", "failed"]


class UploadProgressPublic(BaseModel):
    """一次上传的处理进度（不含预览），供页面在后台任务运行时轮询。"""

    token: str = Field(description=UPLOAD_TOKEN)
    state: UploadState = Field(
        default="ready",
        description="`queued` 等待读取，`reading` 读取中，`ready` 预览就绪、待保存，"
        "`save_queued` 等待保存，`saving` 保存中，`saved` 已保存，`failed` 处理失败",
    )
    done: int = Field(default=0, description="当前步骤（读取或保存）已处理的文件数")
    total: int = Field(default=0, description="上传的文件数")
    failure: str | None = Field(default=None, description="处理失败的原因；未失败时为 `null`")


class UploadPublic(UploadProgressPublic):
    """一次上传：读取与保存的进度，读取完成后为预览（已读取并审核、暂存待保存的文件）。"""

    profile: str = Field(description=PROFILE)
    files: list[UploadFilePublic] = Field(description="上传的文件；读取完成前为空")
    savable_forms: int = Field(description="保存时将写入表单库的表单数")
    url: str = Field(description="上传预览页面的地址")
    saved: SavedPublic | None = Field(default=None, description="保存的结果；保存完成前为 `null`")


class RulePublic(BaseModel):
    """审核规则目录中的一条规则。"""

    code: str = Field(description=RULE_CODE)
    kind: str = Field(description=FINDING_KIND)
    severity: SeverityName = Field(description=SEVERITY)
    family: str = Field(description="规则类别（如 `arithmetic` 计算与一致性）")
    title: str = Field(description="规则名称")
    description: str = Field(description="规则说明")
    basis: str = Field(description=BASIS)


# The error body is built by `jixiao.web.errors.error_body`; these models only describe
# it (tests check real answers against them), so they forbid keys it never sends.
class InvalidParameter(BaseModel):
    """请求参数无效时，一个出错的参数。"""

    model_config = ConfigDict(extra="forbid")

    loc: list[str | int] = Field(
        description="出错的位置：来源（`query` 查询参数、`path` 路径参数、`body` 请求体）及参数名"
    )
    msg: str = Field(description="这个参数的出错原因")


class ErrorBody(BaseModel):
    """错误的内容。"""

    model_config = ConfigDict(extra="forbid")

    status: int = Field(description="HTTP 状态码，与响应的状态码相同")
    code: str = Field(
        description="错误代码，供程序判断：`bad_request` 请求有误，`not_found` 没有此资源，"
        "`method_not_allowed` 不支持此请求方法，`upload_too_large` 上传过大，"
        "`upload_quota` 待保存的上传已达容量上限（429），"
        "`upload_state` 上传尚在读取中或正在保存，不能进行此操作（409），"
        "`storage_full` 服务器磁盘空间不足（507），"
        "`invalid_request` 请求参数无效，`export_unavailable` 导出所需的组件未安装，"
        "`database_unavailable` 数据库暂时无法连接或正忙（503，可稍后重试），"
        "`query_timeout` 查询用时超过服务器上限、已中止（503），"
        "`request_timeout` 请求内容送达中断或过慢（408），"
        "`internal_error` 服务器内部错误"
    )
    message: str = Field(description="出错原因（中文，可直接展示给用户）")
    detail: list[InvalidParameter] | dict[str, str | int] | None = Field(
        None,
        description="补充信息，部分错误才有：请求参数无效时为各出错参数；"
        "上传过大时为文件名、大小与上限（字节）",
    )


class ErrorResponse(BaseModel):
    """出错时的响应：所有接口统一的错误结构。"""

    model_config = ConfigDict(extra="forbid")

    error: ErrorBody = Field(description="错误")
