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
from jixiao.web.labels import kind_label
from jixiao.web.templating import money, number

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


def list_row(row: FormRow) -> str:
    """One `<tr>` of the form list."""
    funds = ""
    if row.funds_amount is not None:
        funds = f"{money(row.funds_amount)}<small>{_text(row.funds_unit)}</small>"
    rate_class = "num"
    rate = ""
    if row.execution_rate is not None:
        rate = f"{number(row.execution_rate)}%"
        if row.execution_rate < _LOW_RATE:
            rate_class = "num low"
    ref_class = "num"
    if (
        row.ref_total is not None
        and row.total_score is not None
        and row.ref_total != row.total_score
    ):
        ref_class = "num differs"
    grade = _text(row.grade)
    if row.ref_grade and row.grade and row.ref_grade != row.grade:
        grade += f' <span class="differs" title="参考评分等级">→{_text(row.ref_grade)}</span>'
    return (
        f"<tr><td>{'' if row.year is None else row.year}</td>"
        f'<td><span class="kind kind-{_text(row.kind)}">{_text(kind_label(row.kind))}</span></td>'
        f'<td class="project"><a href="/forms/{row.id}">{_text(row.project)}</a></td>'
        f'<td class="dept">{_text(row.department)}</td>'
        f'<td class="unit">{_text(row.unit)}</td>'
        f'<td class="num">{funds}</td>'
        f'<td class="{rate_class}">{rate}</td>'
        f'<td class="num">{_text(number(row.total_score))}</td>'
        f'<td class="{ref_class}">{_text(number(row.ref_total))}</td>'
        f"<td>{grade}</td>"
        f'<td class="counts">{_counts(row)}</td></tr>'
    )


def list_rows(rows: Iterable[FormRow]) -> Markup:
    """The `<tbody>` content of the form list."""
    return Markup("\n".join(list_row(row) for row in rows))
