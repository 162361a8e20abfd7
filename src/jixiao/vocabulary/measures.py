"""What an indicator measures, told by the words of its name, and what a note says.

Part of the core vocabulary, for the review rules: the keywords that tell a share from a
count, a deadline from a quality, a cost from a saving. Every list errs towards
precision: a word is here only when its presence makes the reading plain, because a
reviewer who sees false alarms stops reading.
"""

from __future__ import annotations

import re

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
# Names that measure a share of a whole, by their last words (a 率 not listed above, a
# 比例, a 占比 …): what they measure is a percentage.
SHARE_NAME_RE = re.compile(r"(?:率|比例|比率|占比|比重|百分比)$")
# Names that measure an amount of money, by their last words: 人均年运维成本, 计划印刷总费用,
# 死亡抚恤金, 物业管理费总额. (基金 and 资金 are money too; 金 after 黄 is not a form's word.)
AMOUNT_NAME_RE = re.compile(
    r"(?:成本|费用|经费|资金|金额|总额|单价|价格|造价|费|金|薪酬|工资|租金|投资|支出|开支)$"
)
# Shares that should be high: capped with ≤/< is the wrong direction. A 率 of these words,
# or a 比例/占比 of things that are good, up to standard, valid or normal (优良天数比例).
GOOD_SHARE_RE = re.compile(
    r"(完成|覆盖|准确|正确|合格|达标|知晓|使用|通过|及时|到位|到岗|出勤|参与|参训|结业|成功|"
    r"正常|稳定|修复|发放|响应|兑现|落实|执行|办结|满意|好评|入住|就业|受益|验收|按期|有效|优良)率$"
    r"|(优良|达标|合格|有效|正常)[\u4e00-\u9fff]{0,4}(比例|占比)$"
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
# Names that measure the satisfaction survey itself (how widely or how often it was held),
# not the satisfaction: 满意度调查覆盖率, 满意度测评次数, 满意度调查问卷发放份数.
SATISFACTION_SURVEY_RE = re.compile(
    r"满意[度率]?(?:调查|测评|问卷|回访)[\u4e00-\u9fff]*?"
    r"(?:覆盖|次数|份数|人数|户数|回收|发放|开展|完成|场次|频次)"
)
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
# Notes saying nothing went wrong: a no-deviation phrase, or a clause that says no more than
# that the target was reached (已完成。该指标已达成), not one that goes on to say how much
# (已完成年度计划的90%) or that only part was (部分已完成).
NO_DEVIATION_RE = re.compile(
    r"无偏差|没有偏差|未发生偏差|不存在偏差|"
    r"(?:^|[，,。；;！!])(?:(?!部分|基本|大部|大多|尚|未)[^，,。；;！!\d]){0,6}"
    r"(?:已全部完成|已完成|已达成|已达到)(?:年度|全年|预期|既定|绩效)*(?:目标|任务|指标|计划|要求)*"
    r"(?=$|[，,。；;！!])"
)
