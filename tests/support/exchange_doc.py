"""The field tables of `docs/exchange.md`, as the field schema makes them.

`python -m tests.support.exchange_doc` prints them; `tests/test_fields.py` checks that the
document holds exactly these, so the documentation of the format cannot drift from it.
"""

from __future__ import annotations

from jixiao.fields import FieldSpec, ValueType, form_fields, indicator_fields, record_fields
from jixiao.model import DeclarationFunds, FormKind, FundsRow, SelfEvaluationFunds

_TYPES = {
    ValueType.TEXT: "text",
    ValueType.INTEGER: "integer",
    ValueType.DECIMAL: "decimal string, as printed",
    ValueType.DATE: "date `YYYY-MM-DD`",
    ValueType.RECORD: "object",
    ValueType.INDICATORS: "list",
}


def _table(specs: tuple[FieldSpec, ...], prefix: str = "") -> str:
    rows = ["| key | printed label | value |", "| --- | --- | --- |"]
    for spec in specs:
        value = _TYPES[spec.value_type] + (", or null" if spec.optional else "")
        rows.append(f"| `{prefix}{spec.name}` | {spec.label} | {value} |")
    return "\n".join(rows)


def tables(kind: FormKind) -> list[str]:
    funds = (
        [
            _table(record_fields(SelfEvaluationFunds), "funds."),
            _table(record_fields(FundsRow), "funds.<row>."),
        ]
        if kind == "self_evaluation"
        else [_table(record_fields(DeclarationFunds), "funds.")]
    )
    return [_table(form_fields(kind)), *funds, _table(indicator_fields(kind), "indicators[].")]


if __name__ == "__main__":
    for kind in ("self_evaluation", "declaration"):
        print(f"## {kind}\n")
        print("\n\n".join(tables(kind)), end="\n\n")
