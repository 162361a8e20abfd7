"""Numbers: the rounding policy, the intervals of printed values, numbers in formulas.

Part of the core, used by the score and review steps (and by whatever prints a score).
Rounding lives here and nowhere else: scores, and any value printed to 0.01, are rounded
half-up to 0.01 (`Decimal.ROUND_HALF_UP`: 9.995 → 10.00, 0.125 → 0.13). Do not use
Python's `round()` or a bare `Decimal.quantize`: they round half to even (0.125 → 0.12),
and `round()` on a float prints 9.99 for 9.995. Some systems truncate printed rates
instead (95.588 → 95.58): a profile says whether that is accepted
(`Profile.rate_rounding`).

The interval helpers live here too, because they are the other face of the same policy:
a value printed as `40.05` was really anything in [40.045, 40.055], so a check that
compares printed numbers allows half a unit of each one's last printed digit.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from jixiao.profile import RateRounding

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
# Half a unit of the last digit, by exponent: 0 → 0.5, -2 → 0.005 (the common ones).
_HALF_UNITS = {e: Decimal(5).scaleb(e - 1) for e in range(-6, 3)}


# --- rounding ----------------------------------------------------------------------------


def round_half_up(value: Decimal, quantum: Decimal) -> Decimal:
    """`value` to a multiple of `quantum` (`ONE`, `CENT` …), half-up: how numbers are printed."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def round_score(value: Decimal) -> Decimal:
    """A score (or any value printed to 0.01) as printed: half-up to 0.01."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def truncate_cents(value: Decimal) -> Decimal:
    """Truncated to 0.01 towards zero (how some systems print rates: 95.588 → 95.58)."""
    return value.quantize(CENT, rounding=ROUND_DOWN)


def below(bound: Decimal) -> Decimal:
    """The largest multiple of 0.01 strictly below `bound` (top of a half-open band)."""
    return bound.quantize(CENT, rounding=ROUND_CEILING) - CENT


# --- what a printed value may have been ------------------------------------------------------


def half_unit(printed: Decimal) -> Decimal:
    """Half a unit of the last printed digit: `40.05` → 0.005, `1203` → 0.5.

    (Not cached: `Decimal("1203") == Decimal("1203.00")`, so a cache keyed on the value
    would mix up their precisions.)"""
    exponent = printed.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: no interval
        return ZERO
    return _HALF_UNITS.get(exponent) or Decimal(5).scaleb(exponent - 1)


def printed_interval(printed: Decimal) -> tuple[Decimal, Decimal]:
    """The true values an amount printed as `printed` may have had (never below 0
    for a non-negative amount)."""
    half = half_unit(printed)
    low = printed - half
    if printed >= 0 > low:
        low = ZERO
    return low, printed + half


def ratio_interval(numerator: Decimal, denominator: Decimal) -> tuple[Decimal, Decimal] | None:
    """The interval of `numerator/denominator` given both are printed rounded.

    None when the denominator may be zero (the ratio is then unbounded)."""
    n_low, n_high = printed_interval(numerator)
    d_low, d_high = printed_interval(denominator)
    if d_low <= 0:
        return None
    return n_low / d_high, n_high / d_low


def printed_rate_range(
    ratio_low: Decimal,
    ratio_high: Decimal,
    rounding: RateRounding,
    quantum: Decimal = CENT,
) -> tuple[Decimal, Decimal]:
    """The lowest and highest percentage a system could print, to `quantum` (0.01 unless
    the form printed fewer decimals), for a true ratio in [ratio_low, ratio_high]: half-up,
    and also truncated when the profile allows it."""
    low_pct, high_pct = ratio_low * HUNDRED, ratio_high * HUNDRED
    low, high = round_half_up(low_pct, quantum), round_half_up(high_pct, quantum)
    if rounding == "truncate":
        low = min(low, low_pct.quantize(quantum, rounding=ROUND_DOWN))
    return low, high


# --- numbers in formulas and messages --------------------------------------------------------


@lru_cache(maxsize=8192)
def fmt(value: Decimal) -> str:
    """A number as a formula shows it: `10.00` → `10`, `1880.00` → `1880`, `6.39`."""
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    return format(value.normalize(), "f")


def with_cents(value: Decimal) -> Decimal:
    """`value` with at least two decimals and no trailing zero past them, exactly:
    `98` → `98.00`, `9.4` → `9.40`, `2718.793263` stays, `2718.7900` → `2718.79`.
    Only zeros are added or dropped, so the number shown is the number stored."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: nothing to pad
        return value
    if exponent > -2:
        return value.quantize(CENT)
    trimmed = value.normalize()
    trimmed_exponent = trimmed.as_tuple().exponent
    assert isinstance(trimmed_exponent, int)
    return trimmed if trimmed_exponent < -2 else value.quantize(CENT)


def score_text(value: Decimal) -> str:
    """A score or weight as the forms print it, always with two decimals: `98` → `98.00`."""
    return format(with_cents(value), "f")


def money_text(value: Decimal) -> str:
    """An amount as the tables print it: thousands separators, at least two decimals."""
    return format(with_cents(value), ",f")


@lru_cache(maxsize=8192)
def fmt_score(value: Decimal) -> str:
    """A score with its two decimals: `9.4` → `9.40`."""
    return str(round_score(value))
