"""Profiles are data files: loading, inheritance, validation, the unknown-name message."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.profile import available_profiles, load_profile


def test_shipped_profiles() -> None:
    assert available_profiles() == ["national-2020", "shanghai"]
    national = load_profile()
    assert national.name == "national-2020" and national.rate_rounding == "round"
    assert national.budget_weight == Decimal(10)
    assert national.far_exceeded_ratio == Decimal("1.3")
    assert national.title and "财预〔2020〕10号" in national.basis


def test_shanghai_extends_the_national_profile() -> None:
    shanghai = load_profile("shanghai")
    national = load_profile("national-2020")
    assert shanghai.rate_rounding == "truncate" and shanghai.cost_as_level1
    assert shanghai.lenient_margin == national.lenient_margin  # inherited
    assert shanghai.le_formula == national.le_formula


def test_unknown_profile_lists_the_available_ones() -> None:
    with pytest.raises(ValueError, match="未知的评分方案「beijing」") as info:
        load_profile("beijing")
    assert "national-2020" in str(info.value) and "shanghai" in str(info.value)


def test_profile_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'extends = "shanghai"\nname = "mine"\ntitle = "试验方案"\n'
        '[thresholds]\nlow_execution_rate = 85\n[rules]\ndisabled = ["garbled-text", "BT001"]\n',
        encoding="utf-8",
    )
    profile = load_profile(str(path))
    assert profile.name == "mine" and profile.rate_rounding == "truncate"
    assert profile.low_execution_rate == Decimal(85)
    assert not profile.rule_enabled("BT005", "garbled-text")
    assert not profile.rule_enabled("BT001", "large-budget-adjustment")
    assert profile.rule_enabled("AR001", "total-not-sum")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\ntitle = "x"\n[thresholds]\nlow_rate = 1\n', "未知的设置"),
        ('name = "x"\ntitle = "x"\n[scoring]\nrate_rounding = "floor"\n', "只能是"),
        ('name = "x"\n', "缺少 name 或 title"),
        ('name = "x"\ntitle = "x"\n[framework]\ncost_as_level1 = "yes"\n', "true 或 false"),
        ("name = ", "不是有效的 TOML"),
    ],
)
def test_invalid_profiles_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_profile(str(path))


def test_a_profile_names_the_layout_its_forms_are_exported_in(tmp_path: Path) -> None:
    assert load_profile("national-2020").layout == "national"
    assert load_profile("shanghai").layout == "shanghai"
    assert load_profile("shanghai").summary()["layout"] == "shanghai"
    inherited = tmp_path / "inherited.toml"
    inherited.write_text('extends = "shanghai"\nname = "a"\ntitle = "甲"\n', encoding="utf-8")
    assert load_profile(str(inherited)).layout == "shanghai"
    own = tmp_path / "own.toml"
    own.write_text('name = "b"\ntitle = "乙"\nlayout = "./my-layout.toml"\n', encoding="utf-8")
    assert load_profile(str(own)).layout == "./my-layout.toml"
    bare = tmp_path / "bare.toml"
    bare.write_text('name = "c"\ntitle = "丙"\n', encoding="utf-8")
    assert load_profile(str(bare)).layout == "national"  # the default


def test_a_layout_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\ntitle = "x"\nlayout = 3\n', encoding="utf-8")
    with pytest.raises(ValueError, match="layout 必须是文本"):
        load_profile(str(path))
