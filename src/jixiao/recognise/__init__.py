"""Recognise forms in a Grid, anchored on the printed labels.

Step 3 of the pipeline (read → **recognise** → score → review). One recogniser serves
every reader: whatever the rendering, the rows of a Grid are walked by `forms`, the
indicator rows are split by `indicators`, and the labels are those of `labels`.
"""

from __future__ import annotations

from jixiao.findings import Finding
from jixiao.model import Form
from jixiao.read.grid import Grid
from jixiao.recognise.forms import recognise_rows


def recognise(grid: Grid) -> tuple[list[Form], list[Finding]]:
    """The forms of a Grid in document order, and what could not be read."""
    forms, findings = recognise_rows(grid.rows, grid.file)
    if not forms and not any(f.kind == "unsupported-form" for f in findings):
        from jixiao.catalogue import by_kind

        findings.append(
            by_kind("no-form-found").finding(
                "未找到绩效自评表或绩效目标申报表（没有表头「项目名称」或表名）", file=grid.file
            )
        )
    return forms, findings
