"""The Chinese words the pages and exports use for jixiao's codes (one place for all)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from jixiao.catalogue import by_kind
from jixiao.findings import Severity
from jixiao.profile import available_profiles, load_profile
from jixiao.read.sniff import Format
from jixiao.vocabulary.kinds import KIND_LABELS as KIND_LABELS  # re-exported for the pages

KIND_TITLES = {
    "self_evaluation": "财政项目支出绩效自评表",
    "declaration": "财政项目支出绩效目标申报表",
}
SEVERITY_LABELS = {s.value: s.label for s in Severity}
STAGE_LABELS = {"reading": "读取", "review": "审核"}
FAMILY_LABELS = {
    "reading": "读取",
    "arithmetic": "计算与一致性",
    "design": "指标设计",
    "scoring": "评分",
    "budget": "预算",
    "text": "文字",
    "review": "审核运行",
}


class Comparison(NamedTuple):
    """A reference score against the printed one: a class for its colour, an arrow and
    the words a reader (or a screen reader) is told."""

    css: str
    arrow: str
    words: str


# Neither is red: a reference score is a suggestion, and higher is not wrong.
HIGHER = Comparison("higher", "▲", "参考得分高于表上所印")
LOWER = Comparison("lower", "▼", "参考得分低于表上所印")


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def severity_label(severity: str | None) -> str:
    return SEVERITY_LABELS.get(severity or "", severity or "")


def finding_title(kind: str) -> str:
    """The catalogue's short title of a finding kind (the slug when it is unknown)."""
    try:
        return by_kind(kind).title
    except KeyError:
        return kind


def finding_severity(kind: str) -> str | None:
    try:
        return by_kind(kind).severity.value
    except KeyError:
        return None


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family)


def format_label(value: str | None) -> str:
    """How a document's format is named to a user (`Format.label`), the value if unknown."""
    try:
        return Format(value or "").label
    except ValueError:
        return value or ""


@lru_cache(maxsize=64)
def profile_title(name: str | None) -> str:
    """A scoring profile as a user knows it (`全国基线（财预〔2020〕10号）`), not its file
    name. Only shipped profiles are looked up: a stored name is data, never a path to
    open, and a profile of the user's own keeps its name."""
    if name is None or name not in available_profiles():
        return name or ""
    return load_profile(name).title
