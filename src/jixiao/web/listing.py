"""The rows of the form list as HTML, rendered in Python (present step).

The list is the most requested page and fifty rows of eleven cells are most of its
work: through Jinja every cell is an attribute lookup, a filter call and an escape.
Here a row is one f-string, several times cheaper, with the same escaping (markupsafe)
and the same markup the template had. The page around it stays a template.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from markupsafe import Markup, escape

from jixiao.store.tables import FormRow
from jixiao.web.display import compared, money, score
from jixiao.web.labels import kind_label

_LOW_RATE = Decimal(90)


def _text(value: object) -> str:
    return "" if value is None else str(escape(value))


def _counts(row: FormRow) -> str:
    out = ""
    if row.error_count:
        out += f'<span class="badge sev-error" title="错误">{row.error_count}</span>'
    if row.warning_count:
        out += f'<span class="badge sev-warning" title="警告">{row.warning_count}</span>'
    if row.info_count:
        out += f'<span class="badge sev-info" title="提示">{row.info_count}</span>'
    if not row.finding_count:
        out += '<span class="none">无</span>'
    return out


def _funds(row: FormRow) -> str:
    if row.funds_wan is not None:
        return money(row.funds_wan)
    if row.funds_amount is None:
        return ""
    # A unit that is not money (misprinted): the printed figure, with what it says.
    return f'{money(row.funds_amount)}<small title="表上金额单位">{_text(row.funds_unit)}</small>'


def list_row(row: FormRow) -> str:
    """One `<tr>` of the form list. Amounts are in 万元 (the column's unit), whatever the
    form printed; each cell names its column for the card layout of a phone."""
    rate_class = "num"
    rate = ""
    if row.execution_rate is not None:
        rate = f"{score(row.execution_rate)}%"
        if row.execution_rate < _LOW_RATE:
            rate_class = "num low"
    grade = _text(row.grade)
    if row.ref_grade and row.grade and row.ref_grade != row.grade:
        grade += f' <span class="grade-change" title="参考评分等级">→{_text(row.ref_grade)}</span>'
    return (
        f'<tr><td data-label="年度">{"" if row.year is None else row.year}</td>'
        f'<td data-label="类型"><span class="kind kind-{_text(row.kind)}">'
        f"{_text(kind_label(row.kind))}</span></td>"
        f'<td class="project" data-label="项目名称"><a href="/forms/{row.id}">'
        f"{_text(row.project)}</a></td>"
        f'<td class="dept" data-label="主管部门">{_text(row.department)}</td>'
        f'<td class="unit" data-label="实施单位">{_text(row.unit)}</td>'
        f'<td class="num" data-label="资金（万元）">{_funds(row)}</td>'
        f'<td class="{rate_class}" data-label="执行率">{rate}</td>'
        f'<td class="num" data-label="总分">{score(row.total_score)}</td>'
        f'<td class="num" data-label="参考总分">{compared(row.ref_total, row.total_score)}</td>'
        f'<td class="grade" data-label="等级">{grade}</td>'
        f'<td class="counts" data-label="问题">{_counts(row)}</td></tr>'
    )


def list_rows(rows: Iterable[FormRow]) -> Markup:
    """The `<tbody>` content of the form list."""
    return Markup("\n".join(list_row(row) for row in rows))
