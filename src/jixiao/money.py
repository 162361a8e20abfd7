"""Money units: amounts converted exactly between 元, 千元, 万元 and 亿元 (core, no I/O).

A form prints its amounts in its own unit (项目资金（万元）, 金额单位：元). Everything that
compares amounts across forms (the list's 资金 column, its sorting, totals, exports)
converts them to one unit, 万元, the unit most forms print. The units are powers of
ten, so a conversion moves the decimal point and never rounds: 27,187,932.63 元 is
2,718.793263 万元, digit for digit, and
1,047,173,000.00 元 is 104,717.30 万元.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.numbers import with_cents

# Each money unit as the power of ten of one 元 it counts.
UNIT_EXPONENTS = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}

# The unit of the figures that span forms.
COMMON_UNIT = "万元"


def convert(amount: Decimal, unit: str, to: str = COMMON_UNIT) -> Decimal | None:
    """`amount` printed in `unit`, in `to`; None when either is not a money unit."""
    source = UNIT_EXPONENTS.get(unit.strip())
    target = UNIT_EXPONENTS.get(to.strip())
    if source is None or target is None:
        return None
    # Moving the point leaves trailing zeros (1047173000.00 元 → 104717.300000 万元): they
    # are dropped down to the cents, which is exact.
    return with_cents(amount.scaleb(source - target))


def in_common_unit(amount: Decimal | None, unit: str) -> Decimal | None:
    """`amount` (printed in `unit`) in 万元, or None when it cannot be converted."""
    return None if amount is None else convert(amount, unit)
