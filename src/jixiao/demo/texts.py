"""How the synthetic goal texts quote the table: one wording for the generator and the defects.

Part of the demo (it feeds the pipeline, it is not a step of it). The generator's 预期目标
and 年度总体目标 quote one indicator's target (「培训人次不少于1200人次」), its 实际完成情况
quotes that indicator's actual (「完成培训人次1260人次」) and, on about half of the forms,
the year's spending and execution rate (「全年支出86.4万元，预算执行率96.52%」), the way
units write them. A defect that changes a quoted cell quotes it again with the same
words, so that the text keeps agreeing with the table unless the text is the defect.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.numbers import ONE, fmt, round_half_up
from jixiao.values import Op, Quantity, parse_actual, parse_target

PERCENT = "%"
# Units counted in whole things: a text says 「完成…1260人次」.
COUNTED = frozenset(
    {"人", "人次", "场", "次", "个", "家", "份", "件", "台", "起", "册", "套", "期"}
)
_FUNDS_RE = re.compile(r"全年支出(?P<spent>\d+(?:\.\d+)?)万元，预算执行率(?P<rate>\d+(?:\.\d+)?)%")


def is_money(unit: str | None) -> bool:
    return unit is not None and (unit.startswith(("元", "万元")) or unit == "万")


def quote(number: Decimal, unit: str | None) -> str:
    """A figure as a text writes it: `1260人次`, `96.5%`, `735.12元/人`."""
    return f"{fmt(number)}{unit or ''}"


def _quantity(value: object) -> Quantity | None:
    return value if isinstance(value, Quantity) else None


def actual_mention(name: str, actual: str | None) -> str | None:
    """What the 实际完成情况 says of an indicator whose 实际完成值 is `actual`."""
    value = _quantity(parse_actual(actual))
    if value is None or value.op is not None:
        return None
    figure = quote(value.number, value.unit)
    if value.unit == PERCENT:
        return f"{name}达到{figure}"
    if value.unit in COUNTED:
        return f"完成{name}{figure}"
    return f"{name}为{figure}"


def target_mention(name: str, target: str | None) -> str | None:
    """What the 预期目标 (年度总体目标) says of an indicator whose target is `target`."""
    value = _quantity(parse_target(target))
    if value is None or value.op is None:
        return None
    figure = quote(value.number, value.unit)
    if value.op.is_upper_bound:
        return f"{name}不超过{figure}"
    if value.op in (Op.GE, Op.GT):
        floor = "不低于" if value.unit == PERCENT or is_money(value.unit) else "不少于"
        return f"{name}{floor}{figure}"
    return f"{name}{figure}"


def funds_mention(executed: Decimal, rate: Decimal, *, whole: bool = False) -> str:
    """「全年支出86.4万元，预算执行率96.52%」: the rate as printed, or to a whole percent."""
    shown = round_half_up(rate, ONE) if whole else rate
    return f"全年支出{fmt(executed)}万元，预算执行率{fmt(shown)}%"


def requote(text: str | None, old: str | None, new: str | None) -> str | None:
    """`text` with the mention `old` written again as `new` (unchanged when absent)."""
    if text is None or old is None or new is None or old == new or old not in text:
        return text
    return text.replace(old, new, 1)


def requote_funds(text: str | None, executed: Decimal, rate: Decimal) -> str | None:
    """`text` with its spending and execution rate quoted again (to the same precision)."""
    if text is None:
        return None
    match = _FUNDS_RE.search(text)
    if match is None:
        return text
    new = funds_mention(executed, rate, whole="." not in match.group("rate"))
    return text[: match.start()] + new + text[match.end() :]


def funds_figures(text: str | None) -> tuple[str, str] | None:
    """The (spending, rate) figures a text quotes, as written; None when it quotes none."""
    match = _FUNDS_RE.search(text or "")
    return (match.group("spent"), match.group("rate")) if match is not None else None


def replace_funds_figures(text: str, spent: str, rate: str) -> str:
    """`text` with its quoted spending and rate replaced by these figures (as written)."""
    match = _FUNDS_RE.search(text)
    assert match is not None
    new = f"全年支出{spent}万元，预算执行率{rate}%"
    return text[: match.start()] + new + text[match.end() :]
