"""Diagnostics as values: what readers and review rules return beside their results.

Part of the core. A `Finding` never interrupts the pipeline: readers return
`(forms, findings)`, rules return findings. Each finding is an instance of one
`CatalogueEntry` (see `jixiao.catalogue`), which fixes its stable code, kind slug,
severity and basis; the finding adds the message and the place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jixiao.model import Source, quick_init


class Severity(StrEnum):
    ERROR = "error"  # the form contradicts itself, or nothing could be read
    WARNING = "warning"  # the form is doubtful: a reviewer should look
    INFO = "info"  # worth knowing, nothing to fix

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    kind: str
    severity: Severity
    message: str
    basis: str
    # Where the finding points: the file and, as far as the input tells, the line, page,
    # cell and box; None for a finding about no file at all.
    source: Source | None = None
    form: int | None = None  # 1-based position of the form in its file
    project: str | None = None
    indicator: str | None = None
    field: str | None = None

    @property
    def file(self) -> str | None:
        return (self.source.file or None) if self.source is not None else None

    @property
    def line(self) -> int | None:
        return self.source.line if self.source is not None else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
            "basis": self.basis,
            "file": self.file,
            "line": self.line,
        }
        source = self.source
        if source is not None:
            # Page, cell and box only where the input has them (PDF, spreadsheet).
            if source.page is not None:
                out["page"] = source.page
            if source.cell is not None:
                out["cell"] = source.cell
            if source.box is not None:
                out["box"] = list(source.box)
        out.update(form=self.form, project=self.project, indicator=self.indicator, field=self.field)
        return out

    def place(self) -> str:
        """`file:line` for editors to jump to (line omitted when unknown)."""
        file = self.file or "-"
        return f"{file}:{self.line}" if self.line is not None else file


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One documented kind of finding."""

    code: str
    kind: str
    severity: Severity
    family: str
    title: str  # short, in Chinese, for lists and the UI
    description: str  # what it detects, in Chinese
    basis: str  # the rule or document it rests on

    def finding(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        source: Source | None = None,
        form: int | None = None,
        project: str | None = None,
        indicator: str | None = None,
        field: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            kind=self.kind,
            severity=severity or self.severity,
            message=message,
            basis=self.basis,
            # `source` places it fully; `file` and `line` are the short way for text inputs.
            source=source
            if source is not None
            else (
                Source(file=file or "", line=line) if file is not None or line is not None else None
            ),
            form=form,
            project=project,
            indicator=indicator,
            field=field,
        )


def in_line_order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings as a file's reader meets them: those about the whole file first, then by
    line (a stable sort: findings of one line keep the order the rules gave them)."""
    return tuple(sorted(findings, key=lambda f: -1 if f.line is None else f.line))
