"""The findings workbook (export step): every finding of a list of forms, one row each.

What a reviewer works through: each row names the form (its 编号 a link to its page),
its unit and project, the rule (规则编号 and the catalogue's title), the severity, where
on the form the finding is, the message and its basis. Like the list download
(`listing`) it takes plain rows and gives bytes; the sheet is written by
`listing.xlsx_bytes` — header frozen, autofilter, widths — with the long texts wrapped
and the page set to print across.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from jixiao.export.listing import LinkFor, Value, xlsx_bytes
from jixiao.fields import ValueType, form_fields, indicator_fields, record_fields
from jixiao.model import FormKind

FINDINGS_HEADER = (
    "表单编号",
    "表单类型",
    "年度",
    "主管部门",
    "实施单位",
    "项目名称",
    "规则编号",
    "问题类型",
    "级别",
    "位置",
    "问题说明",
    "依据",
)
# The long texts wrap (column → its width at most, in Excel's units, a CJK character
# taking two), so that the sheet prints across an A4 page at a readable size.
WRAPPED_COLUMNS = {3: 18, 4: 18, 5: 22, 7: 18, 9: 22, 10: 42, 11: 28}
SHEET = "问题清单"


def field_label(kind: str | None, field: str | None, *, indicator: bool = False) -> str | None:
    """The printed label of a field named by its exchange key: `funds.total.executed` →
    「年度资金总额 全年执行数」, `total_score` → 「总分」; None when it has none."""
    if not field or kind not in ("self_evaluation", "declaration"):
        return None
    form_kind: FormKind = "self_evaluation" if kind == "self_evaluation" else "declaration"
    specs = indicator_fields(form_kind) if indicator else form_fields(form_kind)
    labels: list[str] = []
    names = field.split(".")
    for depth, name in enumerate(names):
        spec = next((s for s in specs if s.name == name), None)
        if spec is None:
            return None
        # The block's own heading (项目资金) goes without saying once a row is named.
        if not (spec.value_type is ValueType.RECORD and depth == 0 and len(names) > 1):
            labels.append(spec.label)
        if spec.record is None:
            break
        specs = record_fields(spec.record)
    return " ".join(labels) or None


def finding_place(
    kind: str | None,
    *,
    page: int | None = None,
    line: int | None = None,
    cell: str | None = None,
    indicator: str | None = None,
    field: str | None = None,
) -> str:
    """Where on its form a finding is, as a reader looks for it: 「第 2 页，第 14 行，
    三级指标「补贴发放人次」，年度指标值」; 「整张表单」 when nothing narrower is known."""
    parts = []
    if page is not None:
        parts.append(f"第 {page} 页")
    if line is not None:
        parts.append(f"第 {line} 行")
    if cell:
        parts.append(f"单元格 {cell}")
    if indicator:
        parts.append(f"三级指标「{indicator}」")
    label = field_label(kind, field, indicator=bool(indicator))
    if label:
        parts.append(label)
    return "，".join(parts) or "整张表单"


def findings_xlsx(rows: Iterable[Sequence[Value]], *, link: LinkFor | None = None) -> bytes:
    """The workbook of `rows` (in `FINDINGS_HEADER`'s order; the first is the form's 编号,
    a link to `link(编号)` when given)."""
    return xlsx_bytes(
        FINDINGS_HEADER,
        rows,
        sheet=SHEET,
        link=link,
        wrap=WRAPPED_COLUMNS,
        landscape=True,
    )
