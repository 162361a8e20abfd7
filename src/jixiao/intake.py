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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from jixiao import parts
from jixiao.catalogue import MISSING_FIELD, TRUNCATED_FORM
from jixiao.findings import Finding, Severity
from jixiao.model import Form
from jixiao.pipeline import MAX_INPUT_BYTES, ReadResult, read_bytes, read_file
from jixiao.profile import Profile, load_profile
from jixiao.read.progress import Progress
from jixiao.review import FileReview, review_result
from jixiao.scoring import FormScore

# Reading findings that mean a form was not read whole: storing it would store half a
# form, so the file is refused (with every other reading error).
BLOCKING = frozenset({TRUNCATED_FORM.code, MISSING_FIELD.code})


def _placed(finding: Finding) -> str:
    where = f"第 {finding.form} 张表单：" if finding.form is not None else ""
    return f"{where}{finding.message}"


def refusal_of(name: str, blocking: list[Finding], *, forms: int) -> str | None:
    """Why a file with these blocking findings and `forms` forms read cannot be saved (in
    Chinese), or None when it can."""
    if blocking:
        reasons = "；".join(_placed(f) for f in blocking[:3])
        more = f" 等 {len(blocking)} 项" if len(blocking) > 3 else ""
        return f"文件「{name}」读取出错，整个文件未保存：{reasons}{more}"
    if not forms:
        return f"文件「{name}」中没有读到任何表单，未保存"
    return None


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
        return refusal_of(self.name, self.blocking, forms=len(self.forms))

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
    return _reviewed(result, review_result(result, profile=profile_named(profile)), data)


def _reviewed(
    result: ReadResult,
    reviewed: FileReview,
    data: bytes,
    *,
    sha256: str | None = None,
    extra: tuple[Finding, ...] = (),
) -> Intake:
    # The same review as `jixiao check`, so that both report the same findings.
    per_form, file_level = _attach(result, (*extra, *reviewed.reading))
    first = result.first_form
    forms = tuple(
        ReviewedForm(
            index=review.index,
            form=review.form,
            score=review.score,
            reading=tuple(per_form[review.index - first]),
            review=tuple(review.findings),
        )
        for review in reviewed.forms
    )
    return Intake(
        name=result.file,
        size=len(data),
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        format=result.format,
        forms=forms,
        file_findings=tuple(file_level),
        data=data,
    )


class PartsDoNotFit(Exception):
    """A part of a large file did not read as the whole file reads there (`parts.fits`):
    the file must be read whole."""


# A large text rendering is read a part of about this size at a time (`take_in_parts`).
PART_BYTES = 2 * 1024 * 1024


def take_in_parts(
    data: bytes, name: str, profile: str, *, part_bytes: int | None = None
) -> Iterator[Intake] | None:
    """A large TSV or markdown file read and reviewed a part at a time (`jixiao.parts`),
    so that only one part's forms are held at once; None when the file is read whole
    (`take_in`). Each part is an `Intake` of the whole file (its name, size and hash) that
    holds the forms of the part, numbered as in the whole file, the first part holding
    the file's bytes and the findings of its decoding. The parts read as the whole file
    reads; when one does not (`parts.fits`), the iterator raises `PartsDoNotFit`, and the
    caller reads the file whole, discarding what it took of the parts."""
    cuts = parts.cuts(data, name, max(2, len(data) // (part_bytes or PART_BYTES)))
    if cuts is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    return _parts(cuts, data, digest, profile)


def _parts(cuts: parts.Cuts, data: bytes, digest: str, profile: str) -> Iterator[Intake]:
    size = len(data)
    decoding = cuts.findings
    for number, part in enumerate(cuts):  # each part's text is made when read, let go after
        result = parts.read(part)
        reviewed = review_result(result, profile=profile_named(profile))
        if not parts.fits(part, result, reviewed.findings):
            raise PartsDoNotFit(part.name)
        first = number == 0
        intake = _reviewed(
            result, reviewed, data if first else b"", sha256=digest, extra=decoding if first else ()
        )
        data = b""  # held by the first part alone
        del part, result, reviewed
        yield replace(intake, size=size)


def _attach(
    result: ReadResult, reading: tuple[Finding, ...]
) -> tuple[list[list[Finding]], list[Finding]]:
    """Reading findings per form (by position, else by line), and the rest."""
    per_form: list[list[Finding]] = [[] for _ in result.forms]
    starts = [form.source.line for form in result.forms]
    file_level: list[Finding] = []
    for finding in reading:
        index = _form_of(finding, starts, result.first_form)
        if index is None:
            file_level.append(finding)
        else:
            per_form[index].append(finding)
    return per_form, file_level


def _form_of(finding: Finding, starts: list[int | None], first: int = 1) -> int | None:
    """The position in `starts` of the form a finding concerns (forms numbered from
    `first` in their file)."""
    if finding.form is not None and first <= finding.form < first + len(starts):
        return finding.form - first
    if finding.line is None:
        return None
    found: int | None = None
    for index, start in enumerate(starts):
        if start is not None and start <= finding.line:
            found = index
    return found
