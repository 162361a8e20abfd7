"""Diagnostics as values: what readers and review rules return beside their results.

Part of the core. A `Finding` never interrupts the pipeline: readers return
`(forms, findings)`, rules return findings. Each finding is an instance of one
`CatalogueEntry` (see `jixiao.catalogue`), which fixes its stable code, kind slug,
severity and basis; the finding adds the message and the place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    kind: str
    severity: Severity
    message: str
    basis: str
    file: str | None = None
    line: int | None = None
    form: int | None = None  # 1-based position of the form in its file
    project: str | None = None
    indicator: str | None = None
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
            "basis": self.basis,
            "file": self.file,
            "line": self.line,
            "form": self.form,
            "project": self.project,
            "indicator": self.indicator,
            "field": self.field,
        }

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
            file=file,
            line=line,
            form=form,
            project=project,
            indicator=indicator,
            field=field,
        )
