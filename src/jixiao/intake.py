"""Intake: one document read, recognised, scored and reviewed, ready to preview or store.

The steps read → recognise → score → review for one file, as the importer, the upload
preview and the demo builder all need them. Part of the core: it knows nothing of the
database or the web. Reading findings are attached to the form they concern (by the
form's position, else by line); what concerns no single form stays with the file.

A file may be saved only whole: when reading reported an error (binary content, no form,
an invalid record…) or could not read a form whole (a form without its name or its
indicator table), the intake carries a `refusal` and none of its forms is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jixiao.catalogue import MISSING_FIELD, TRUNCATED_FORM
from jixiao.findings import Finding, Severity
from jixiao.model import Form
from jixiao.pipeline import MAX_INPUT_BYTES, ReadResult, read_bytes, read_file
from jixiao.profile import Profile, load_profile
from jixiao.read.progress import Progress
from jixiao.review import review_result
from jixiao.scoring import FormScore

# Reading findings that mean a form was not read whole: storing it would store half a
# form, so the file is refused (with every other reading error).
BLOCKING = frozenset({TRUNCATED_FORM.code, MISSING_FIELD.code})


def _placed(finding: Finding) -> str:
    where = f"第 {finding.form} 张表单：" if finding.form is not None else ""
    return f"{where}{finding.message}"


@dataclass(frozen=True, slots=True)
class ReviewedForm:
    index: int  # 1-based position in the file
    form: Form
    score: FormScore | None
    reading: tuple[Finding, ...]
    review: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.reading + self.review


@dataclass(frozen=True, slots=True)
class Intake:
    name: str
    size: int
    sha256: str
    format: str
    forms: tuple[ReviewedForm, ...]
    file_findings: tuple[Finding, ...]  # reading findings about no single form
    data: bytes = field(repr=False, default=b"")

    @property
    def blocking(self) -> list[Finding]:
        """Reading findings that stop the file from being saved (see `BLOCKING`)."""
        every = list(self.file_findings)
        for reviewed in self.forms:
            every.extend(reviewed.reading)
        return [f for f in every if f.severity is Severity.ERROR or f.code in BLOCKING]

    @property
    def refusal(self) -> str | None:
        """Why this file cannot be saved (in Chinese), or None when it can."""
        blocking = self.blocking
        if blocking:
            reasons = "；".join(_placed(f) for f in blocking[:3])
            more = f" 等 {len(blocking)} 项" if len(blocking) > 3 else ""
            return f"文件「{self.name}」读取出错，整个文件未保存：{reasons}{more}"
        if not self.forms:
            return f"文件「{self.name}」中没有读到任何表单，未保存"
        return None

    @property
    def finding_count(self) -> int:
        return len(self.file_findings) + sum(len(r.findings) for r in self.forms)


@cache
def profile_named(name: str) -> Profile:
    return load_profile(name)


def take_in(
    data: bytes,
    name: str,
    profile: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    progress: Progress | None = None,
) -> Intake:
    """Read and review the document `data` (named `name` in findings and sources)."""
    read = read_bytes(data, name, max_bytes=max_bytes, progress=progress)
    return _intake(read, data, profile)


def take_in_path(
    path: Path,
    profile: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    progress: Progress | None = None,
) -> Intake:
    """Read and review a file on disk; a file over `max_bytes` is refused unread."""
    data = read_file(path, max_bytes)
    if isinstance(data, ReadResult):  # not read: the result says why
        return _intake(data, b"", profile)
    return take_in(data, str(path), profile, max_bytes=max_bytes, progress=progress)


def _intake(result: ReadResult, data: bytes, profile: str) -> Intake:
    # The same review as `jixiao check`, so that both report the same findings.
    reviewed = review_result(result, profile=profile_named(profile))
    per_form, file_level = _attach(result, reviewed.reading)
    reviews = reviewed.forms
    forms = tuple(
        ReviewedForm(
            index=review.index,
            form=review.form,
            score=review.score,
            reading=tuple(per_form[review.index - 1]),
            review=tuple(review.findings),
        )
        for review in reviews
    )
    return Intake(
        name=result.file,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        format=result.format,
        forms=forms,
        file_findings=tuple(file_level),
        data=data,
    )


def _attach(
    result: ReadResult, reading: tuple[Finding, ...]
) -> tuple[list[list[Finding]], list[Finding]]:
    """Reading findings per form (by position, else by line), and the rest."""
    per_form: list[list[Finding]] = [[] for _ in result.forms]
    starts = [form.source.line for form in result.forms]
    file_level: list[Finding] = []
    for finding in reading:
        index = _form_of(finding, starts)
        if index is None:
            file_level.append(finding)
        else:
            per_form[index].append(finding)
    return per_form, file_level


def _form_of(finding: Finding, starts: list[int | None]) -> int | None:
    if finding.form is not None and 1 <= finding.form <= len(starts):
        return finding.form - 1
    if finding.line is None:
        return None
    found: int | None = None
    for index, start in enumerate(starts):
        if start is not None and start <= finding.line:
            found = index
    return found
