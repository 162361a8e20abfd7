"""Recognise forms in a Grid, anchored on the printed labels.

Step 3 of the pipeline (read → **recognise** → score → review). One recogniser serves
every reader: whatever the rendering, the rows of a Grid are walked by `forms`, the
indicator rows are split by `indicators`, and the labels are those of `labels`.
"""

from __future__ import annotations

from jixiao.catalogue import NO_FORM_FOUND, UNSUPPORTED_FORM
from jixiao.findings import Finding
from jixiao.model import Form
from jixiao.read.grid import Grid
from jixiao.recognise.forms import recognise_rows


def recognise(grid: Grid, first_index: int = 1) -> tuple[list[Form], list[Finding]]:
    """The forms of a Grid in document order, and what could not be read; the forms are
    numbered from `first_index` (a part of a large file starts after the forms before it)."""
    forms, findings = recognise_rows(grid.rows, grid.file, first_index)
    if not forms and not any(f.code == UNSUPPORTED_FORM.code for f in findings):
        findings.append(
            NO_FORM_FOUND.finding(
                "未找到绩效自评表或绩效目标申报表（没有表头「项目名称」或表名）", file=grid.file
            )
        )
    return forms, findings
