"""Text quality rules (BT004–BT006): goal texts copied, garbled, or from another year.

Part of the review step (read → recognise → score → **review**). Reads the texts of a
form on their own, without the table's numbers: an 实际完成情况 that copies the 预期目标,
repeated runs, sentence fragments and enumerations missing their numbers (in the goal
texts, indicator names and 偏差原因), two indicator names run together, and a plan dated
an earlier year than the form. Catalogue family "text".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.numbers import HUNDRED, ONE, ZERO, fmt, round_score
from jixiao.rules.context import FormContext, IndicatorFacts
from jixiao.rules.registry import BOTH, SELF, Rule
from jixiao.vocabulary.normalise import norm_name

_BASIS_TEXT = "财预〔2020〕10号 附件2 项目支出绩效自评表（年度总体目标：预期目标与实际完成情况）"

GOAL_ACTUAL_REPEATS_EXPECTED = CatalogueEntry(
    "BT004",
    "goal-actual-repeats-expected",
    Severity.WARNING,
    "text",
    "实际完成情况照抄预期目标",
    "实际完成情况照抄预期目标：预期目标 80% 以上的分句原样出现在实际完成情况中。照抄部分占"
    "实际完成情况 70% 以上为警告；写了完成情况、又重复预期目标全文的为提示。",
    _BASIS_TEXT,
)
GARBLED_TEXT = CatalogueEntry(
    "BT005",
    "garbled-text",
    Severity.WARNING,
    "text",
    "文字重复或残缺",
    "文字中有紧邻重复的片段（政策宣传政策宣传）、上一句的残片（全覆盖。覆盖。）、"
    "列举中缺了数字的项（补贴个，），或一个指标名称里叠着另一个指标的名称。",
    _BASIS_TEXT,
)
WRONG_YEAR_IN_TEXT = CatalogueEntry(
    "BT006",
    "wrong-year-in-text",
    Severity.WARNING,
    "text",
    "目标文字年份错误",
    "预期目标（申报表的年度总体目标）把往年的计划当作本年度的计划（如 2024 年度的表写"
    "“2023年预计送达文书”），多是照抄旧表。",
    _BASIS_TEXT,
)

ENTRIES = (GOAL_ACTUAL_REPEATS_EXPECTED, GARBLED_TEXT, WRONG_YEAR_IN_TEXT)


_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;、！!？?：:]+")
_COPY_SHARE = Decimal("0.8")  # of the expected text found in the actual text
_COPY_FILLS = Decimal("0.7")  # of the actual text made of the copy: a plain copy
_MIN_COPY_LENGTH = 15


def copied_share(expected: str, actual: str) -> tuple[Decimal, Decimal]:
    """How much of the expected text reappears verbatim in the actual text, clause by
    clause (split at punctuation): (share of the expected text, share of the actual text
    that the copied clauses fill)."""
    clauses = [c for c in _CLAUSE_SPLIT_RE.split(expected) if len(c) >= 2]
    total = sum(len(c) for c in clauses)
    if total == 0 or not actual:
        return ZERO, ZERO
    copied = sum(len(c) for c in clauses if c in actual)
    actual_letters = len(_CLAUSE_SPLIT_RE.sub("", actual))
    return Decimal(copied) / Decimal(total), min(ONE, Decimal(copied) / Decimal(actual_letters))


def check_goal_actual_repeats_expected(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.self_evaluation
    if form is None or not form.goal_expected or not form.goal_actual:
        return
    expected, actual = norm_name(form.goal_expected), norm_name(form.goal_actual)
    if len(expected) < _MIN_COPY_LENGTH:
        return
    of_expected, of_actual = copied_share(expected, actual)
    if of_expected < _COPY_SHARE:
        return
    if expected == actual:
        message = "与预期目标完全相同，没有写出实际完成了什么"
        severity = None
    elif of_actual >= _COPY_FILLS:
        message = (
            f"原样照抄了预期目标 {fmt(round_score(of_expected * HUNDRED))}% 的文字，"
            f"照抄部分占实际完成情况的 {fmt(round_score(of_actual * HUNDRED))}%"
        )
        severity = None
    else:
        # Results are reported, and the goal is then restated word for word: worth a note.
        message = (
            f"写明部分完成情况之外，原样重复了预期目标 {fmt(round_score(of_expected * HUNDRED))}% "
            "的文字"
        )
        severity = Severity.INFO
    yield ctx.at_form(
        GOAL_ACTUAL_REPEATS_EXPECTED,
        f"{ctx.prefix}：实际完成情况{message}",
        field="goal_actual",
        severity=severity,
    )


_REPEAT_RE = re.compile(r"([\u4e00-\u9fff]{3,20})\1")
_SENTENCE_SPLIT_RE = re.compile(r"[。！!？?]")
_CJK_ONLY_RE = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
# A measure word after a character that is no number. Numerals in words (百, 千, 零) and
# the words of an approximate count (多个, 若干个, 数个, 10余家) are numbers.
_MISSING_NUMBER_RE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<![零一二三四五六七八九十百千万亿两几多余数干各这那某整每哪半单])"
    r"(个|家|件|场|份)(?=[，,、；;。])"
)


@lru_cache(maxsize=16384)
def garbled_fragments(text: str, *, enumerations: bool) -> tuple[str, ...]:
    """What is broken in a text: repeated runs, sentence fragments, enumerated items
    without a number."""
    problems: list[str] = []
    repeat = _REPEAT_RE.search(text)
    if repeat is not None:
        problems.append(f"「{repeat.group(0)}」中「{repeat.group(1)}」紧邻重复")
    for previous, current in pairwise(_SENTENCE_SPLIT_RE.split(text)):
        if _CJK_ONLY_RE.match(current) and previous.endswith(current):
            problems.append(f"「{current}。」是上一句「{previous[-12:]}」的残片")
            break
    if enumerations:
        for match in _MISSING_NUMBER_RE.finditer(text):
            unit = match.group(1)
            if len(re.findall(rf"\d\s*{unit}", text)) >= 2:
                start = max(0, match.start() - 8)
                problems.append(f"列举中「{text[start : match.end()]}」缺少数字")
                break
    return tuple(problems)


# The goal texts of a form (attributes of the model), and how a message names them.
TextField = Literal["goal_expected", "goal_actual", "goal_overall", "goal_annual"]
_TEXT_FIELDS: tuple[tuple[TextField, str], ...] = (
    ("goal_expected", "预期目标"),
    ("goal_actual", "实际完成情况"),
    ("goal_overall", "项目总目标"),
    ("goal_annual", "年度总体目标"),
)


def check_garbled_text(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    for field, label in _TEXT_FIELDS:
        raw: str | None = getattr(form, field, None)
        if not raw:
            continue
        problems = garbled_fragments(norm_name(raw), enumerations=True)
        if problems:
            yield ctx.at_form(
                GARBLED_TEXT,
                f"{ctx.prefix}：{label}文字残缺或重复：{'；'.join(problems)}",
                field=field,
            )
    long_names = [(f, f.indicator.name) for f in ctx.facts if len(f.indicator.name) >= 6]
    for facts in ctx.facts:
        ind = facts.indicator
        stacked = _stacked_name(facts, ind.name, long_names) if len(ind.name.split()) > 1 else None
        if stacked is not None:
            yield ctx.at_indicator(
                GARBLED_TEXT,
                facts,
                f"{ctx.indicator_place(facts)}：指标名称里叠着第 {stacked.position} 项指标的名称"
                f"「{stacked.indicator.name}」",
                field="name",
            )
            continue
        for value, label, cell in ((ind.name, "指标名称", "name"), (ind.note, "偏差原因", "note")):
            if not value:
                continue
            problems = garbled_fragments(norm_name(value), enumerations=False)
            if problems:
                yield ctx.at_indicator(
                    GARBLED_TEXT,
                    facts,
                    f"{ctx.indicator_place(facts)}：{label}文字残缺或重复：{'；'.join(problems)}",
                    field=cell,
                )


def _stacked_name(
    facts: IndicatorFacts, name: str, long_names: list[tuple[IndicatorFacts, str]]
) -> IndicatorFacts | None:
    """Another indicator whose whole name starts this one, followed by a space: two
    cells of the printed table run together (`…售后服务次数 系统硬件售后服务次数`)."""
    for other, other_name in long_names:
        if (
            other is not facts
            and name.startswith(other_name)
            and name[len(other_name) : len(other_name) + 1].isspace()
        ):
            return other
    return None


_PLAN_YEAR_RE = re.compile(
    r"(?<![\d〔\[（(自从至])((?:19|20)\d{2})年度?(?:的)?(预计|计划|拟|将|力争|争取|目标)"
)


def check_wrong_year_in_text(ctx: FormContext) -> Iterator[Finding]:
    form = ctx.form
    if form.year is None:
        return
    fields: tuple[TextField, ...] = (
        ("goal_expected",) if isinstance(form, SelfEvaluation) else ("goal_annual",)
    )
    labels = dict(_TEXT_FIELDS)
    for field in fields:
        raw: str | None = getattr(form, field, None)
        if not raw:
            continue
        for match in _PLAN_YEAR_RE.finditer(norm_name(raw)):
            year = int(match.group(1))
            # An earlier year's plan is a copy of an old form; a later year may be an aim.
            if year < form.year:
                yield ctx.at_form(
                    WRONG_YEAR_IN_TEXT,
                    f"{ctx.prefix}（{form.year} 年度）：{labels[field]}写「{match.group(0)}」，"
                    f"把 {year} 年的计划当作本年度的",
                    field=field,
                )
                break


RULES = (
    Rule(GOAL_ACTUAL_REPEATS_EXPECTED, check_goal_actual_repeats_expected, SELF),
    Rule(GARBLED_TEXT, check_garbled_text, BOTH),
    Rule(WRONG_YEAR_IN_TEXT, check_wrong_year_in_text, BOTH),
)
