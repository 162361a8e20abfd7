"""The words the review rules recognise: the indicator framework, units, and the
keywords that tell what an indicator measures.

Part of the core (pure data and precompiled patterns). Every list errs towards
precision: a word is here only when its presence makes the reading plain, because a
reviewer who sees false alarms stops reading (domain.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The indicator framework (domain.md): 一级 → 二级. 成本指标 is accepted both as a 一级
# (财预〔2021〕101号) and as a 二级 under 产出指标 (older forms). 社会公众或服务对象满意度指标 is
# the older official name of the satisfaction 二级.
FRAMEWORK: dict[str, frozenset[str]] = {
    "成本指标": frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标"}),
    "产出指标": frozenset({"数量指标", "质量指标", "时效指标", "成本指标"}),
    "效益指标": frozenset({"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}),
    "满意度指标": frozenset({"服务对象满意度指标", "社会公众或服务对象满意度指标"}),
}
COST_LEVEL2 = frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标", "成本指标"})
ECONOMIC_COST_LEVEL2 = frozenset({"经济成本指标", "成本指标"})


_KNOWN_LEVELS = frozenset(FRAMEWORK) | frozenset(l2 for l2s in FRAMEWORK.values() for l2 in l2s)
# Printed variants of a framework name.
_LEVEL_SYNONYMS = {"生态环境效益指标": "生态效益指标", "可持续发展指标": "可持续影响指标"}


@lru_cache(maxsize=4096)
def norm_level(text: str) -> str:
    """A printed category as the framework names it: no spaces, full-width forms unified,
    `指标` restored where the form dropped it (`产出` → `产出指标`), known variants mapped."""
    key = unicodedata.normalize("NFKC", "".join(text.split()))
    if key and not key.endswith("指标") and key + "指标" in _KNOWN_LEVELS:
        key += "指标"
    return _LEVEL_SYNONYMS.get(key, key)


@lru_cache(maxsize=16384)
def norm_name(text: str) -> str:
    """A name or text for comparison: NFKC, no whitespace."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


@lru_cache(maxsize=4096)
def norm_unit(unit: str | None) -> str | None:
    """`（元/人）`-style variants of one unit compared equal: NFKC, no spaces, `／` → `/`."""
    if unit is None:
        return None
    cleaned = unicodedata.normalize("NFKC", "".join(unit.split())).replace("／", "/")
    return cleaned or None


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
    }
)
MONEY_UNIT_RE = re.compile(r"^(?:万|亿|千|百)?元|^万$|^万/")
BARE_NUMBER_UNIT_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def is_money_unit(unit: str) -> bool:
    return bool(MONEY_UNIT_RE.match(unit))


# Rates whose name ends in 率 but that are not a share (效率 in 件/人, 频率 in 次/年).
NOT_A_SHARE_RATE = (
    "效率",
    "频率",
    "功率",
    "速率",
    "汇率",
    "容积率",
    "生产率",
    "周转率",
    "分辨率",
    "刷新率",
)
# Shares that should be high: capped with ≤/< is the wrong direction.
GOOD_SHARE_RE = re.compile(
    r"(完成|覆盖|准确|正确|合格|达标|知晓|使用|通过|及时|到位|到岗|出勤|参与|参训|结业|成功|"
    r"正常|稳定|修复|发放|响应|兑现|落实|执行|办结|满意|好评|入住|就业|受益|验收|按期)率$"
)
# Shares that should be low: floored with ≥/> is the wrong direction.
BAD_SHARE_RE = re.compile(
    r"(投诉|差错|错误|失误|故障|丢失|事故|发生|申请|退回|流失|空置|损失|返工|超支|变更|"
    r"违规|不合格|失败|误差|漏报|重复|拒收|退信|淘汰|辍学|复发|死亡|闲置)率$"
)
# Growth-type rates may legitimately exceed 100%.
GROWTH_RE = re.compile(r"增长|增幅|增速|增加|提升|提高|同比|环比|上涨|涨幅")

SATISFACTION_RE = re.compile(r"满意")
NOT_SATISFACTION_RE = re.compile(r"不满意")
SATISFACTION_ALIKE_RE = re.compile(r"满意|获得感|幸福感|认可|好评|评价|认同|投诉|信任|支持率")

# Words of time: a 时效指标 names a deadline, a speed or a punctuality.
TIME_WORD_RE = re.compile(
    r"及时|按时|按期|准时|时效|时限|时间|时长|审限|期限|工期|周期|定期|进度|提前|延期|逾期|"
    r"时段|天|日|月|年|季度|小时|分钟|[前内]$|截止|限期|速度|效率|响应"
)
TIMELINESS_NAME_RE = re.compile(r"及时|按时|按期|准时|时效|时限|审限|完成时间|办结时间")
# A 质量 word alongside a time word keeps an indicator in 质量指标 (准确及时).
QUALITY_WORD_RE = re.compile(r"准确|正确|合格|质量|规范|达标|完整|完好|安全|合规|精准|无误")
# A 数量 time measure: a duration belongs to 时效指标.
DURATION_NAME_RE = re.compile(r"时长|时间|及时|时效|按时|按期")
# Bad events: counting them is a quality measure, and capping them is right.
BAD_EVENT_RE = re.compile(
    r"故障|投诉|事故|差错|错误|失误|问题|缺陷|隐患|退回|违规|违法|纠纷|上访|信访|丢失|损失|"
    r"风险|事件|案件发生|不合格|返工|超支|逾期|延误"
)
# Ecological words: what a 生态效益指标 must speak of.
ECOLOGY_RE = re.compile(
    r"生态|环境|环保|绿色|低碳|碳|节能|能耗|耗能|排放|减排|污染|治污|垃圾|废|水|大气|空气|"
    r"土壤|植被|绿化|森林|林|湿地|草|噪声|噪音|节约|资源|循环|可再生|清洁|能源|电|气|油|"
    r"纸|无纸化|物种|自然|河|湖|海|扬尘|雾霾|光"
)
# Savings: a cost indicator measuring a saving or a reduction is rightly floored.
SAVING_RE = re.compile(r"节约|节省|节支|降低|下降|压减|压缩|减少|控制率|降幅|结余")
# Cost words in a name.
COST_NAME_RE = re.compile(r"成本|费|价|金额|资金|投入|支出|补贴|补助|薪|工资|租金|单价|标准")

# Notes that give no reason at all.
EMPTY_NOTES = frozenset({"", "/", "-", "—", "－", "--", "无", "暂无", "没有", "空", "无。"})
# Notes saying nothing went wrong.
NO_DEVIATION_RE = re.compile(
    r"无偏差|没有偏差|未发生偏差|不存在偏差|已完成|已全部完成|已达成|已达到"
)
