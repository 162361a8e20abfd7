"""Units of measure and money as the forms print them, and their synonyms.

Part of the core vocabulary: the value grammar reads bare units with `UNIT_WORDS`, the
recogniser reads the funds unit with `FUNDS_UNIT_RE`/`UNIT_LINE_RE`, scoring compares a
target's and an actual's units with `comparable_unit`, and the review rules judge a unit
by what it measures with the sets below.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.vocabulary.normalise import compact

# Units written bare after the number (`500个`, `2000元/人`, `≥300公里`). A bare unit must
# be made of these words, so that `2024年重阳节前` or `2024年起周期改为2年` (a date, a
# sentence) is not read as 2024 of some unit; a unit in brackets may be anything.
UNIT_WORDS = (
    "个工作日",
    "工作日",
    "个月",
    "人次",
    "户次",
    "家次",
    "车次",
    "架次",
    "批次",
    "场次",
    "课时",
    "学时",
    "小时",
    "分钟",
    "公里",
    "千米",
    "平方米",
    "平方公里",
    "立方米",
    "万元",
    "亿元",
    "千元",
    "万人",
    "万册",
    "人",
    "户",
    "家",
    "次",
    "件",
    "个",
    "场",
    "份",
    "册",
    "本",
    "元",
    "天",
    "日",
    "周",
    "月",
    "年",
    "季度",
    "项",
    "所",
    "台",
    "套",
    "期",
    "篇",
    "条",
    "批",
    "名",
    "座",
    "米",
    "亩",
    "吨",
    "辆",
    "起",
    "例",
    "床",
    "张",
    "位",
    "处",
    "块",
    "部",
    "栋",
    "间",
    "门",
    "组",
    "支",
    "株",
    "棵",
    "头",
    "只",
    "盏",
    "宗",
    "单",
    "页",
    "类",
    "笔",
    "轮",
    "届",
    "号",
    "餐",
    "顿",
    "车",
    "公顷",
    "平米",
    "千瓦",
    "kW",
    "km",
    "m",
    "kg",
    "t",
    "GB",
    "TB",
)
# The funds unit: `项目资金（万元）` in a label, or `金额单位：万元` / `单位：元` printed
# above the table by some templates.
FUNDS_UNIT_RE = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]")
UNIT_LINE_RE = re.compile(r"^(?:金额|资金)?单位[:：]?(亿元|万元|千元|元)$")

PERCENT_UNITS = frozenset({"%", "‰", "百分比", "百分点"})
# Units that count things: a 率 or a money cost cannot be measured in them.
COUNT_UNITS = frozenset(
    {
        "人",
        "人次",
        "名",
        "户",
        "件",
        "个",
        "家",
        "次",
        "场",
        "场次",
        "份",
        "本",
        "册",
        "项",
        "台",
        "套",
        "所",
        "辆",
        "车",
        "批",
        "期",
        "篇",
        "起",
        "例",
        "张",
        "处",
        "座",
        "条",
        "课时",
        "位",
        "家次",
        "户次",
    }
)
MONEY_UNIT_RE = re.compile(r"^(?:万|亿|千|百)?元|^万$|^万/")
# A money unit as the official forms write it: 元, 万元, 亿元, per something or not
# (元/人, 万元/课时). `万` or `千` alone is a magnitude without its currency.
COMPLETE_MONEY_UNIT_RE = re.compile(r"^(?:亿|万|千|百)?元(?:/.+)?$")
INCOMPLETE_MONEY_UNIT_RE = re.compile(r"^(?:亿|万|千|百)(?:/.+)?$")
BARE_NUMBER_UNIT_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# Spellings of one unit that a comparison of target and actual treats as the same.
_UNIT_SYNONYMS = {"万": "万元"}
# Count units that name one thing: 名 and 位 count people as 人 does, 场次 counts what
# 场 counts. 人 and 人次 stay apart (persons against attendances).
_COUNT_SYNONYMS = {"名": "人", "位": "人", "场次": "场", "家次": "家", "户次": "户"}
# Classifiers that count anything of their kind: 个 any thing but a person, 次 any event.
_PERSON_UNITS = frozenset({"人", "人次"})
_EVENT_UNITS = frozenset({"次", "场", "轮", "批", "批次", "期", "届", "车次", "架次"})


def is_money_unit(unit: str) -> bool:
    return bool(MONEY_UNIT_RE.match(unit))


def money_unit_problem(unit: str) -> str | None:
    """Why `unit` cannot measure an amount of money (None when it can): `万` lacks its
    currency; `件` or `%` is not money at all."""
    if COMPLETE_MONEY_UNIT_RE.match(unit):
        return None
    if INCOMPLETE_MONEY_UNIT_RE.match(unit):
        return "货币单位不完整"
    return "不是货币单位"


def is_percent_unit(unit: str | None) -> bool:
    return unit in PERCENT_UNITS


def count_units_agree(a: str, b: str) -> bool:
    """Two count units can count the same things: equal up to a synonym, or one of them
    a classifier of the other's kind (`个` for 家, `次` for 场)."""
    a, b = _COUNT_SYNONYMS.get(a, a), _COUNT_SYNONYMS.get(b, b)
    if a == b:
        return True
    for generic, other in ((a, b), (b, a)):
        if generic == "个" and other not in _PERSON_UNITS:
            return True
        if generic == "次" and other in _EVENT_UNITS:
            return True
    return False


@lru_cache(maxsize=4096)
def norm_unit(unit: str | None) -> str | None:
    """A unit as printed, with its spelling variants unified (`（元/人）` and `(元／人)`):
    compact, `／` → `/`; None for no unit."""
    if unit is None:
        return None
    return compact(unit).replace("／", "/") or None


@lru_cache(maxsize=4096)
def comparable_unit(unit: str | None) -> str | None:
    """A unit for comparing a target with its actual: `norm_unit` with synonyms applied."""
    key = norm_unit(unit)
    return _UNIT_SYNONYMS.get(key, key) if key is not None else None
