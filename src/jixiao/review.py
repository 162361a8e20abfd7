"""Review: every rule of the catalogue run over a form, all findings at once.

Step 5 of the pipeline (read → recognise → score → **review**). Pure: a form, its place
and a profile in; its reference scores and findings out. A rule that raises does not
stop the review: it becomes an `RV001 rule-crashed` finding naming the rule and the
error (house style: "don't trust the plugins").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jixiao.catalogue import READ_SUMS_MISMATCH
from jixiao.findings import Finding, in_line_order
from jixiao.model import Form, quick_init
from jixiao.pipeline import ReadResult
from jixiao.profile import Profile
from jixiao.rules import RULE_CRASHED, RULES, Rule
from jixiao.rules.context import FormContext
from jixiao.scoring import FormScore, score_form


@quick_init
@dataclass(frozen=True, slots=True)
class FormReview:
    form: Form
    file: str
    index: int  # 1-based position in its file
    score: FormScore
    findings: tuple[Finding, ...]  # errors first, then by place


def _sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.severity.rank, finding.line or 0, finding.code)


def _crashed(rule: Rule, ctx: FormContext, exc: Exception) -> Finding:
    return ctx.at_form(
        RULE_CRASHED,
        f"{ctx.prefix}：规则 {rule.code} {rule.kind} 运行出错（{type(exc).__name__}: {exc}），"
        "该规则的审核结论缺失",
    )


def review_form(form: Form, *, file: str, index: int, profile: Profile) -> FormReview:
    """Score a form and run every rule the profile enables for its kind."""
    score = score_form(form, profile)
    ctx = FormContext(form, file=file, index=index, profile=profile, score=score)
    findings: list[Finding] = []
    for rule in _rules_for(profile, form.kind):
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:  # a rule's bug must not stop the review of the others
            findings.append(_crashed(rule, ctx, exc))
    findings.sort(key=_sort_key)
    return FormReview(form=form, file=file, index=index, score=score, findings=tuple(findings))


def review_forms(
    forms: Sequence[Form], *, file: str, profile: Profile, first_index: int = 1
) -> list[FormReview]:
    """Review the forms of one file (their index is their position in it, from 1; a part of
    a large file starts at `first_index`)."""
    return [
        review_form(form, file=file, index=index, profile=profile)
        for index, form in enumerate(forms, start=first_index)
    ]


@lru_cache(maxsize=64)
def _rules_for(profile: Profile, kind: str) -> tuple[Rule, ...]:
    # The enabled rules depend only on the profile and the form kind: select them once.
    return tuple(
        rule for rule in RULES if kind in rule.forms and profile.rule_enabled(rule.code, rule.kind)
    )


# --- a whole file: reading findings beside the review -------------------------------------

# The reader's own sum check (RD008) is superseded by the arithmetic rules, which say
# which sum is wrong and by how much.
SUPERSEDED_READING = frozenset({READ_SUMS_MISMATCH.code})


@quick_init
@dataclass(frozen=True, slots=True)
class FileReview:
    """The review of one read file: its reading findings and each form's review."""

    file: str
    format: str
    reading: tuple[Finding, ...]  # reading findings, without those the rules supersede
    forms: tuple[FormReview, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of the file, reading and review, in line order."""
        return in_line_order((*self.reading, *(f for form in self.forms for f in form.findings)))


def review_result(result: ReadResult, *, profile: Profile) -> FileReview:
    """Review every form a reader returned, keeping its reading findings."""
    reading = tuple(f for f in result.findings if f.code not in SUPERSEDED_READING)
    forms = tuple(
        review_forms(result.forms, file=result.file, profile=profile, first_index=result.first_form)
    )
    return FileReview(file=result.file, format=result.format, reading=reading, forms=forms)
