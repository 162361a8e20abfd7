"""The 评分等级 a form prints, and the four official grades they mean.

Part of the core vocabulary: the recogniser knows a grade cell by `PRINTED_GRADES`, the
arithmetic rules compare a printed grade with the total through `normalise_grade`, and
the pages list `GRADES`.
"""

from __future__ import annotations

from jixiao.vocabulary.normalise import compact

# The official grades (财预〔2020〕10号 附件2), best first.
GRADES = ("优", "良", "中", "差")
GRADE_SYNONYMS = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "中": "中",
    "中等": "中",
    "一般": "中",
    "合格": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
}
PRINTED_GRADES = frozenset(GRADE_SYNONYMS)


def normalise_grade(printed: str | None) -> str | None:
    """A printed 评分等级 as one of 优/良/中/差 (None when it is none of them)."""
    if printed is None:
        return None
    return GRADE_SYNONYMS.get(compact(printed))
