"""The indicator framework: 一级 → 二级, as 财预〔2020〕10号 and 财预〔2021〕101号 set it.

Part of the core vocabulary. The recogniser uses it to tell a category cell from an
indicator and to restore a lost 一级; the review rules use it to judge a 一级/二级 pair.
成本指标 is accepted both as a 一级 (财预〔2021〕101号) and as a 二级 under 产出指标 (older
forms); 社会公众或服务对象满意度指标 is the older official name of the satisfaction 二级.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.vocabulary.normalise import compact

FRAMEWORK: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标", "社会公众或服务对象满意度指标"),
}
LEVEL1 = frozenset(FRAMEWORK)
LEVEL2 = frozenset(l2 for l2s in FRAMEWORK.values() for l2 in l2s)
CATEGORY_VOCABULARY = LEVEL1 | LEVEL2


def _parents() -> dict[str, str]:
    """二级 names that belong to exactly one 一级: a lost 一级 cell can be inferred."""
    parents: dict[str, set[str]] = {}
    for level1, level2s in FRAMEWORK.items():
        for level2 in level2s:
            parents.setdefault(level2, set()).add(level1)
    return {level2: next(iter(ones)) for level2, ones in parents.items() if len(ones) == 1}


PARENT_OF: dict[str, str] = _parents()
# Printed both ways: as a 一级 of its own, and as a 二级 under its usual parent.
AMBIGUOUS_LEVEL = {"成本指标": "产出指标", "可持续影响指标": "效益指标"}

COST_LEVEL2 = frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标", "成本指标"})
ECONOMIC_COST_LEVEL2 = frozenset({"经济成本指标", "成本指标"})

# Printed variants of a framework name.
_LEVEL_SYNONYMS = {"生态环境效益指标": "生态效益指标", "可持续发展指标": "可持续影响指标"}
_GENERIC_CATEGORY = re.compile(r"^[\u4e00-\u9fff]{1,10}指标$")


@lru_cache(maxsize=16384)
def is_category(key: str) -> bool:
    """A 一级/二级 category: the framework's names, or a short `…指标` as printed."""
    return key in CATEGORY_VOCABULARY or bool(_GENERIC_CATEGORY.match(key))


def is_level1_name(key: str) -> bool:
    """A name that can only be a 一级 (成本指标 and 可持续影响指标 may be either)."""
    return key in LEVEL1 and key not in AMBIGUOUS_LEVEL


@lru_cache(maxsize=4096)
def norm_level(text: str) -> str:
    """A printed category as the framework names it: compact, `指标` restored where the
    form dropped it (`产出` → `产出指标`), known variants mapped."""
    key = compact(text)
    if key and not key.endswith("指标") and key + "指标" in CATEGORY_VOCABULARY:
        key += "指标"
    return _LEVEL_SYNONYMS.get(key, key)
