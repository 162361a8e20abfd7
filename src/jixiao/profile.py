"""Profiles: the scoring and review settings of a jurisdiction, as data.

Part of the core (pure apart from reading the TOML files). A profile fixes what the
rules leave to a locality: how printed rates are rounded, which formula scores a capped
(`≤`) indicator, where the qualitative bands end, which 一级指标 a declaration must have,
every review threshold, which rules run, and the official layout its forms are exported
in (a name of `jixiao.export.layout`, kept here as text: the core never imports the
export step). Profiles live in `jixiao/profiles/*.toml`
(shipped in the wheel); a profile may `extends` another and override only what differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args

from jixiao.data_files import load_data, shipped

RateRounding = Literal["round", "truncate"]
LeFormula = Literal["linear", "ratio"]

DEFAULT_PROFILE = "national-2020"
_PACKAGE = "jixiao.profiles"


@dataclass(frozen=True)
class Profile:
    """The settings of one run of scoring and review (see `profiles/*.toml` for each)."""

    name: str
    title: str  # in Chinese, for people
    description: str = ""
    basis: str = "财预〔2020〕10号"
    # the official layout exports print (`jixiao.export.layout.load_layout`)
    layout: str = "national"
    # scoring
    budget_weight: Decimal = Decimal(10)
    rate_rounding: RateRounding = "round"
    le_formula: LeFormula = "linear"
    partial_band_upper_inclusive: bool = False
    # framework
    cost_as_level1: bool = False
    require_cost_indicator: bool = True
    require_benefit_indicator: bool = True
    require_satisfaction_indicator: bool = True
    # thresholds
    sum_tolerance: Decimal = Decimal("0.01")
    far_exceeded_ratio: Decimal = Decimal("1.3")
    far_exceeded_warning_ratio: Decimal = Decimal(2)
    lenient_margin: Decimal = Decimal("0.20")
    low_execution_rate: Decimal = Decimal(90)  # percent
    large_adjustment_ratio: Decimal = Decimal("0.30")
    # rules switched off (codes or kinds)
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    source: str = ""  # the file it was read from

    def rule_enabled(self, code: str, kind: str) -> bool:
        return code not in self.disabled_rules and kind not in self.disabled_rules

    def summary(self) -> dict[str, Any]:
        """The settings as plain JSON values (for `--json` output and the web)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "basis": self.basis,
            "layout": self.layout,
            "budget_weight": str(self.budget_weight),
            "rate_rounding": self.rate_rounding,
            "le_formula": self.le_formula,
            "partial_band_upper_inclusive": self.partial_band_upper_inclusive,
            "cost_as_level1": self.cost_as_level1,
            "require_cost_indicator": self.require_cost_indicator,
            "require_benefit_indicator": self.require_benefit_indicator,
            "require_satisfaction_indicator": self.require_satisfaction_indicator,
            "sum_tolerance": str(self.sum_tolerance),
            "far_exceeded_ratio": str(self.far_exceeded_ratio),
            "far_exceeded_warning_ratio": str(self.far_exceeded_warning_ratio),
            "lenient_margin": str(self.lenient_margin),
            "low_execution_rate": str(self.low_execution_rate),
            "large_adjustment_ratio": str(self.large_adjustment_ratio),
            "disabled_rules": sorted(self.disabled_rules),
        }


# TOML table -> (key, converter) of the Profile fields it may set.
_DECIMAL_FIELDS = {
    ("scoring", "budget_weight"): "budget_weight",
    ("thresholds", "sum_tolerance"): "sum_tolerance",
    ("thresholds", "far_exceeded_ratio"): "far_exceeded_ratio",
    ("thresholds", "far_exceeded_warning_ratio"): "far_exceeded_warning_ratio",
    ("thresholds", "lenient_margin"): "lenient_margin",
    ("thresholds", "low_execution_rate"): "low_execution_rate",
    ("thresholds", "large_adjustment_ratio"): "large_adjustment_ratio",
}
_BOOL_FIELDS = {
    ("scoring", "partial_band_upper_inclusive"): "partial_band_upper_inclusive",
    ("framework", "cost_as_level1"): "cost_as_level1",
    ("framework", "require_cost_indicator"): "require_cost_indicator",
    ("framework", "require_benefit_indicator"): "require_benefit_indicator",
    ("framework", "require_satisfaction_indicator"): "require_satisfaction_indicator",
}
_CHOICE_FIELDS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("scoring", "rate_rounding"): ("rate_rounding", get_args(RateRounding)),
    ("scoring", "le_formula"): ("le_formula", get_args(LeFormula)),
}
_TOP_FIELDS = ("name", "title", "description", "basis", "layout")


def available_profiles() -> list[str]:
    """The names of the profiles shipped with jixiao."""
    return shipped(_PACKAGE)


def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by name, or a profile file by path.

    Raises `ValueError` (with a Chinese message listing the shipped profiles) for an
    unknown name, and for a file that is not a valid profile.
    """
    data, source = load_data(name_or_path, _PACKAGE, "评分方案")
    return _build(data, source)


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"评分方案：{where} 必须是数值")
    try:
        # Floats go through str() so that 0.3 stays 0.3.
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"评分方案：{where} 不是数值：{value!r}") from exc


_KNOWN_KEYS: dict[str, set[str]] = {
    "scoring": {"budget_weight", "rate_rounding", "le_formula", "partial_band_upper_inclusive"},
    "framework": {
        "cost_as_level1",
        "require_cost_indicator",
        "require_benefit_indicator",
        "require_satisfaction_indicator",
    },
    "thresholds": {key for (table, key) in _DECIMAL_FIELDS if table == "thresholds"},
    "rules": {"disabled"},
}


def _check_keys(data: dict[str, Any], source: str) -> None:
    # A misspelt key would otherwise silently keep the default: refuse it.
    for key, value in data.items():
        if key in _TOP_FIELDS or key == "extends":
            continue
        if key not in _KNOWN_KEYS or not isinstance(value, dict):
            raise ValueError(f"评分方案 {source}：未知的设置「{key}」")
        unknown = sorted(set(value) - _KNOWN_KEYS[key])
        if unknown:
            raise ValueError(f"评分方案 {source}：[{key}] 中未知的设置：{'、'.join(unknown)}")


def _build(data: dict[str, Any], source: str) -> Profile:
    _check_keys(data, source)
    kwargs: dict[str, Any] = {"source": source}
    for key in _TOP_FIELDS:
        if key in data:
            if not isinstance(data[key], str):
                raise ValueError(f"评分方案 {source}：{key} 必须是文本")
            kwargs[key] = data[key]
    if "name" not in kwargs or "title" not in kwargs:
        raise ValueError(f"评分方案 {source}：缺少 name 或 title")
    for (table, key), attr in _DECIMAL_FIELDS.items():
        if key in data.get(table, {}):
            kwargs[attr] = _decimal(data[table][key], f"[{table}] {key}")
    for (table, key), attr in _BOOL_FIELDS.items():
        if key in data.get(table, {}):
            value = data[table][key]
            if not isinstance(value, bool):
                raise ValueError(f"评分方案 {source}：[{table}] {key} 必须是 true 或 false")
            kwargs[attr] = value
    for (table, key), (attr, choices) in _CHOICE_FIELDS.items():
        if key in data.get(table, {}):
            value = data[table][key]
            if value not in choices:
                raise ValueError(
                    f"评分方案 {source}：[{table}] {key} 只能是 {' 或 '.join(choices)}，不是 {value!r}"
                )
            kwargs[attr] = value
    disabled = data.get("rules", {}).get("disabled", [])
    if not isinstance(disabled, list) or not all(isinstance(x, str) for x in disabled):
        raise ValueError(f"评分方案 {source}：[rules] disabled 必须是规则代码或类别的列表")
    kwargs["disabled_rules"] = frozenset(disabled)
    return Profile(**kwargs)
