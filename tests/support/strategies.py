"""Hypothesis strategies for realistic forms: test support for reader round trips.

Texts are drawn from characters and words of real forms, kept clear of the printed
labels (项目名称, 指标, 年度 …) that a reader rightly treats as structure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from jixiao.model import (
    Declaration,
    DeclarationFunds,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
)
from jixiao.vocabulary.framework import FRAMEWORK

# Characters of real project and indicator names, without those that build labels.
_CHARS = (
    "培训补贴资金发放宣传服务管理系统运维保障建设就业人才鉴定认定调查经费工作专项中心"
    "区市局社会养老慰问案件法律咨询信息网络平台档案邮寄印刷采购合同审核质量及时准确完"
    "成覆盖率数量次数满意对象群众企业单位"
)
_WORDS = [
    "培训",
    "补贴",
    "宣传",
    "运维",
    "系统",
    "服务",
    "鉴定",
    "慰问",
    "法律",
    "档案",
    "印刷",
    "就业",
]

name_text = st.builds(
    lambda word, tail: word + tail,
    st.sampled_from(_WORDS),
    st.text(alphabet=_CHARS, min_size=1, max_size=14),
)
sentence = st.builds(
    lambda parts: "，".join(parts) + "。",
    st.lists(
        st.text(alphabet=_CHARS + "0123456789%", min_size=2, max_size=20), min_size=1, max_size=4
    ),
)
units = st.sampled_from(["人", "次", "件", "%", "元/人", "万元", "家", "场", "份", "个", "小时"])
ops = st.sampled_from(["=", "≥", "≤", ">", "<"])
amount = st.decimals(min_value=0, max_value=Decimal("99999"), places=2, allow_nan=False)
weight = st.decimals(min_value=0, max_value=30, places=2)
qualitative = st.sampled_from(
    ["及时", "提升", "建立健全", "合规", "有效", "公平公正", "准确", "完善", "与政策规定一致"]
)
grade_text = st.sampled_from(
    ["达成指标", "部分达成指标并具有一定效果", "未达成指标且效果较差", "达成预期指标"]
)


@st.composite
def quantity_text(draw: st.DrawFn, with_op: bool) -> str:
    number = draw(amount)
    unit = draw(units)
    op = draw(ops) if with_op else ""
    return f"{op}{number}({unit})"


@st.composite
def indicators(
    draw: st.DrawFn,
    scored: bool,
    names: st.SearchStrategy[str] = name_text,
    qualitatives: st.SearchStrategy[str] = qualitative,
) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    level1s = draw(
        st.lists(st.sampled_from(sorted(FRAMEWORK)), min_size=1, max_size=4, unique=True)
    )
    for level1 in level1s:
        for level2 in draw(
            st.lists(st.sampled_from(FRAMEWORK[level1]), min_size=1, max_size=2, unique=True)
        ):
            for _ in range(draw(st.integers(min_value=1, max_value=3))):
                quantitative = draw(st.booleans())
                target = draw(quantity_text(True) if quantitative else qualitatives)
                actual = None
                note = None
                score = None
                w = None
                if scored:
                    actual = draw(quantity_text(False) if quantitative else grade_text)
                    w = draw(weight)
                    score = draw(st.decimals(min_value=0, max_value=w, places=2))
                    note = draw(st.none() | sentence)
                out.append(
                    Indicator(
                        level1=level1,
                        level2=level2,
                        name=draw(names),
                        target=target,
                        actual=actual,
                        weight=w,
                        score=score,
                        note=note,
                    )
                )
    return tuple(out)


@st.composite
def funds_rows(draw: st.DrawFn) -> SelfEvaluationFunds:
    def row(scored: bool) -> FundsRow:
        return FundsRow(
            initial=draw(amount),
            adjusted=draw(amount),
            executed=draw(amount),
            weight=Decimal("10.00") if scored else None,
            rate=draw(st.decimals(min_value=0, max_value=100, places=2)),
            score=draw(st.decimals(min_value=0, max_value=10, places=2)) if scored else None,
        )

    return SelfEvaluationFunds(
        total=row(True), appropriation=row(False), carryover=row(False), other=row(False)
    )


@st.composite
def self_evaluations(
    draw: st.DrawFn,
    names: st.SearchStrategy[str] = name_text,
    qualitatives: st.SearchStrategy[str] = qualitative,
    goals: st.SearchStrategy[tuple[str, str]] | None = None,
) -> SelfEvaluation:
    expected, actual = draw(goals) if goals is not None else (draw(sentence), draw(sentence))
    return SelfEvaluation(
        year=draw(st.integers(min_value=2018, max_value=2030)),
        project=draw(name_text),
        department=draw(name_text) + "局",
        unit=draw(name_text) + "中心",
        funds_unit="万元",
        funds=draw(funds_rows()),
        goal_expected=expected,
        goal_actual=actual,
        indicators=draw(indicators(scored=True, names=names, qualitatives=qualitatives)),
        total_weight=Decimal("100.00"),
        total_score=draw(st.decimals(min_value=0, max_value=100, places=2)),
        grade=draw(st.sampled_from(["优", "良", "中", "差"])),
    )


@st.composite
def declarations(draw: st.DrawFn) -> Declaration:
    year = draw(st.integers(min_value=2018, max_value=2030))
    annual = draw(amount)
    return Declaration(
        year=year,
        project=draw(name_text),
        nature=draw(st.sampled_from(["经常性项目", "一次性项目"])),
        category=draw(st.sampled_from(["特定目标类", "其他运转类"])),
        department=draw(name_text) + "局",
        unit=draw(name_text) + "中心",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        funds_unit="元",
        funds=DeclarationFunds(
            project_total=draw(st.none() | amount),
            project_fiscal=draw(st.none() | amount),
            project_other=draw(st.none() | amount),
            annual_total=annual,
            annual_appropriation=annual,
            annual_carryover=Decimal("0.00"),
            annual_other=Decimal("0.00"),
        ),
        goal_overall=draw(st.none() | sentence),
        goal_annual=draw(sentence),
        indicators=draw(indicators(scored=False)),
    )


forms = st.one_of(self_evaluations(), declarations())


# For plain text (pdftotext), where no grid survives, two layouts are ambiguous by
# nature: a name exactly as wide as its column (wrapped or not?) and a lone short name
# above a wrapped qualitative target (the row's name, or the note of the row above?).
# Real forms rarely combine them; the gold forms cover the wrapped targets that occur.
short_names = st.builds(
    lambda word, tail: word + tail,
    st.sampled_from(_WORDS),
    st.text(alphabet=_CHARS, min_size=1, max_size=9),
)
one_line_qualitative = st.sampled_from(
    ["及时", "提升", "建立健全", "合规", "有效", "公平公正", "准确"]
)
report_goals = st.tuples(sentence, st.builds(lambda s: "达到年初预期目标，" + s, sentence))
plain_text_self_evaluations = self_evaluations(
    names=short_names, qualitatives=one_line_qualitative, goals=report_goals
)
