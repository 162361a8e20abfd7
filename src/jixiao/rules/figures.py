"""Figures stated in the goal texts, and the indicator each one speaks of.

Part of the review step (read → recognise → score → **review**), shared by the rules that
hold a text against its table (`rules.mentions`). A figure is a number with its unit
(`培训 300 人次`, `覆盖率达到 95%`, `补贴 12 万元`), the words before it and after it, and what
the writer qualified it with (以上, 约, 不少于 …). An indicator is found for a figure by the
structure of what a writer says, never by a list of names:

1. **by its name**: the words before the figure are the indicator's name, or end with it,
   or are its name without a generic tail (人工成本 for 人工成本总额);
2. **by the measured thing**: the words end with what the indicator measures (培训覆盖率
   for 工伤保险政策培训覆盖率, 满意度 for the form's one satisfaction measure), and exactly one
   indicator of the form measures it;
3. **by the thing counted after the number** when the words before are only a verb
   (举行 11 场公益性招聘会, 完成 1 次专项审计): the words after it are inside exactly one name.

Each way must point at exactly one indicator; two candidates mean the text is not
about one of them, and nothing is compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.model import Form, SelfEvaluation, quick_init
from jixiao.values import parse_decimal
from jixiao.vocabulary.measures import NOT_SATISFACTION_RE, SATISFACTION_RE
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import UNIT_WORDS

Bound = Literal["at_least", "at_most", "about"]
# The goal texts a figure is read from, and how a message names them.
GoalField = Literal["goal_actual", "goal_expected", "goal_annual"]
GOAL_LABELS: dict[GoalField, str] = {
    "goal_actual": "实际完成情况",
    "goal_expected": "预期目标",
    "goal_annual": "年度总体目标",
}
# A remark in brackets without figures of its own.
_REMARK_RE = re.compile(r"[(（][^()（）\d]{1,30}[)）]")

# Units a figure may carry in a text: every unit word the value grammar knows, with the
# money shorthand 万 and the percent sign. Calendar words are left out: `2024年3月` is a
# date, `沪人社规〔2024〕7号` a document number, not quantities.
_CALENDAR = frozenset({"年", "月", "日", "周", "季度", "号", "期", "届"})
_TEXT_UNITS = sorted(
    {u for u in UNIT_WORDS if u not in _CALENDAR and not u.isascii()} | {"万", "%"},
    key=len,
    reverse=True,
)
_FIGURE_RE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<unit>" + "|".join(re.escape(u) for u in _TEXT_UNITS) + r")"
    r"(?P<qual>以上|以下|以内|余|多|左右)?"
)
# A phrase: a run of text without digits, spaces or punctuation.
_PHRASE_RUN_RE = re.compile(r"[^\d\s,，。;；、:：!！?？()（）“”\"《》〈〉【】\[\]/%+]+")
_MAX_PHRASE = 40
_VERB_END_RE = re.compile(
    r"(?:达到|达|为|是|共计|总计|合计|共|约|均|保持在|控制在|超过|不超过|不高于|不多于|最多|"
    r"不少于|不低于|不足|低于|短于|少于)$"
)
# Words a writer puts before what a sentence is about: 年度、其中、全年、实际 ….
_FILLER_RE = re.compile(
    r"^(?:年度|年|其中|全年|共计|共|实际|累计|本年|当年|计划|预计|拟|完成|通过|使|对|为|的|和|及|已|"
    r"开展|举办|举行|组织|召开|发放|印制|安排|服务|支付|培训|新增|提供|实现|达成|惠及|接待|"
    r"处理|办理|受理|录用|招聘|派出|慰问|探望|资助|补贴|完成了|共有|合计)+"
)
_AT_LEAST = frozenset({"以上", "余", "多", "超过", "不少于", "不低于"})
_AT_MOST = frozenset(
    {"以下", "以内", "不足", "低于", "短于", "少于", "不超过", "不高于", "不多于", "最多"}
)
_APPROXIMATE = frozenset({"约", "左右"})
# Generic tails a text may leave off a name: 人工成本 for 人工成本总额.
_GENERIC_TAILS = ("", "总额", "总数", "总量", "数量", "数", "人数", "次数", "件数", "场次")
# What a name measures: its last words, when they are a measure (a rate, a degree, a
# count, an amount), so that 培训覆盖率 and 工伤保险政策培训覆盖率 measure one thing.
_MEASURE_END_RE = re.compile(r"(?:率|度|人数|人次|次数|件数|户数|场次|数量|总量|成本|费用|时长)$")
_SATISFACTION_END_RE = re.compile(r"满意[度率]$")
_MIN_MEASURE = 3
_NUMBER_BEFORE_RE = re.compile(r"\d{1,4}$")
_LIST_SEPARATORS = frozenset({"、", ",", "和", "及"})


@quick_init
@dataclass(frozen=True, slots=True)
class Figure:
    """One number of a text with its unit and the words around it."""

    number: Decimal
    unit: str
    head: str  # the words before the number, as written
    lead: str  # the digits `head` starts after (a year), for the quote only
    phrase: str  # `head` without the verb that introduces the number
    after: str  # the words after the unit, to the next punctuation
    words: frozenset[str]  # the verb and the qualifier (达到, 以上, 约 …)
    text: str  # the number, unit and qualifier as written
    start: int
    end: int

    @property
    def quote(self) -> str:
        return f"{self.lead}{self.head}{self.text}"

    @property
    def bound(self) -> Bound | None:
        if self.words & _APPROXIMATE:
            return "about"
        if self.words & _AT_LEAST:
            return "at_least"
        if self.words & _AT_MOST:
            return "at_most"
        return None

    @property
    def percent(self) -> bool:
        return self.unit == "%"


def goal_texts(form: Form) -> Iterator[tuple[GoalField, str, bool]]:
    """(field, text, whether it reports actuals) for each goal text, normalised and
    without the remarks in brackets that part a name from its figure (送达率（除退信外）达到)."""
    texts: list[tuple[GoalField, str | None, bool]] = (
        [("goal_actual", form.goal_actual, True), ("goal_expected", form.goal_expected, False)]
        if isinstance(form, SelfEvaluation)
        else [("goal_annual", form.goal_annual, False)]
    )
    for field, text, actual in texts:
        if text:
            yield field, _REMARK_RE.sub("", norm_name(text)), actual


def figures_in(text: str) -> list[Figure]:
    """Every figure of a (normalised) text, in reading order."""
    runs = {m.end(): m.start() for m in _PHRASE_RUN_RE.finditer(text)}
    out: list[Figure] = []
    for match in _FIGURE_RE.finditer(text):
        number = parse_decimal(match.group("num").replace(",", ""))
        if number is None:
            continue
        start = match.start()
        begin = runs.get(start)
        head = text[max(begin, start - _MAX_PHRASE) : start] if begin is not None else ""
        # The quote keeps the year a phrase starts after (`2024年完成…`, not `年完成…`).
        lead = _NUMBER_BEFORE_RE.search(text[max(0, start - _MAX_PHRASE - 4) : begin or 0])
        if not head.startswith(("年", "月")) or lead is None:
            lead = None
        verb_match = _VERB_END_RE.search(head)
        phrase = head[: verb_match.start()] if verb_match is not None else head
        if not head and out and text[out[-1].end : start] in _LIST_SEPARATORS:
            # `补贴 23 家、1158 人次`: the second figure is about what the first one was.
            phrase = out[-1].phrase
        after_run = _PHRASE_RUN_RE.match(text, match.end())
        after_end = after_run.end() if after_run is not None else match.end()
        words = {w for w in (verb_match and verb_match.group(0), match.group("qual")) if w}
        out.append(
            Figure(
                number=number,
                unit=match.group("unit"),
                head=head,
                lead=lead.group(0) if lead is not None else "",
                phrase=phrase,
                after=text[match.end() : min(after_end, match.end() + _MAX_PHRASE)],
                words=frozenset(words),
                text=match.group(0),
                start=start,
                end=match.end(),
            )
        )
    return out


def core(phrase: str) -> str:
    """The words of a phrase without the fillers a writer starts it with."""
    return _FILLER_RE.sub("", phrase)


def is_satisfaction(name: str) -> bool:
    return bool(SATISFACTION_RE.search(name)) and not NOT_SATISFACTION_RE.search(name)


def named_indicator(figure: Figure, names: tuple[str, ...]) -> int | None:
    """The position in `names` of the one indicator the figure speaks of, or None."""
    phrase = figure.phrase
    if len(phrase) >= 2:
        found = _by_name(phrase, names)
        if found is not None:
            return found if found >= 0 else None
        found = _by_measure(phrase, names)
        if found is not None:
            return found if found >= 0 else None
    if len(core(phrase)) < 2:
        return _by_thing_counted(figure.after, names)
    return None


def _one(positions: list[int]) -> int | None:
    """The single candidate; -1 for an ambiguous phrase (stop looking), None for none."""
    if len(positions) == 1:
        return positions[0]
    return -1 if positions else None


def _by_name(phrase: str, names: tuple[str, ...]) -> int | None:
    # A phrase equal to a name ends with it: one C-level test of all the names first, as
    # most phrases end with none and every figure of a text is looked up.
    if phrase.endswith(names):
        exact = [
            i
            for i, name in enumerate(names)
            if name == phrase or (len(name) >= 3 and phrase.endswith(name))
        ]
        if exact:
            return _one(exact)
    clean = core(phrase)
    if len(clean) >= _MIN_MEASURE:
        endings = tuple(clean + tail for tail in _GENERIC_TAILS)
        return _one([i for i, name in enumerate(names) if name.endswith(endings)])
    return None


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _by_measure(phrase: str, names: tuple[str, ...]) -> int | None:
    if _SATISFACTION_END_RE.search(phrase):
        # The form's one satisfaction measure, whatever the text calls its respondents.
        return _one([i for i, name in enumerate(names) if is_satisfaction(name)])
    if not _MEASURE_END_RE.search(phrase):
        return None
    best = 0
    positions: list[int] = []
    for i, name in enumerate(names):
        shared = _common_suffix(phrase, name)
        if shared < _MIN_MEASURE or not _MEASURE_END_RE.search(name[-shared:]):
            continue
        if shared > best:
            best, positions = shared, [i]
        elif shared == best:
            positions.append(i)
    return _one(positions)


def _by_thing_counted(after: str, names: tuple[str, ...]) -> int | None:
    thing = core(after)
    if len(thing) < _MIN_MEASURE:
        return None
    found = _one([i for i, name in enumerate(names) if thing in name])
    return found if found is not None and found >= 0 else None


def shares_words(figure: Figure, name: str, length: int = 2) -> bool:
    """The figure's words (before or after it) and the name share `length` characters in
    a row, fillers left out: a looser tie, used only where the numbers agree too."""
    for words in (core(figure.phrase), core(figure.after)):
        for i in range(len(words) - length + 1):
            if words[i : i + length] in name:
                return True
    return False
