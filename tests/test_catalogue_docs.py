"""Every code is documented: docs/catalogue.md equals the registered catalogue both ways,
every rule has its entry, and every kind slug is spelt as docs/domain.md spells it."""

from __future__ import annotations

import re
from pathlib import Path

import jixiao.rules
from jixiao.catalogue import all_entries, by_code, by_kind
from tests.conftest import ROOT

_ROW = re.compile(
    r"^\|\s*([A-Z]{2}\d{3})\s*\|\s*`([a-z0-9-]+)`\s*\|\s*(error|warning|info)\s*\|\s*([^|]+?)\s*\|"
    r"\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$"
)


def _documented() -> dict[str, tuple[str, str, str]]:
    rows: dict[str, tuple[str, str, str]] = {}
    for line in (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            code, kind, severity, title = match.group(1, 2, 3, 4)
            assert code not in rows, f"{code} documented twice"
            rows[code] = (kind, severity, title)
    return rows


def test_docs_and_catalogue_agree_both_ways() -> None:
    documented = _documented()
    registered = {e.code: (e.kind, e.severity.value, e.title) for e in all_entries()}
    missing = sorted(set(registered) - set(documented))
    stale = sorted(set(documented) - set(registered))
    assert not missing, f"registered but not in docs/catalogue.md: {missing}"
    assert not stale, f"in docs/catalogue.md but not registered: {stale}"
    for code, row in registered.items():
        assert documented[code] == row, code


def test_every_rule_has_its_catalogue_entry() -> None:
    codes = [rule.code for rule in jixiao.rules.RULES]
    assert len(codes) == len(set(codes)), "a code is used by two rules"
    for rule in jixiao.rules.RULES:
        assert by_code(rule.code) is rule.entry
        assert by_kind(rule.kind) is rule.entry
        assert rule.entry.description and rule.entry.basis and rule.entry.title


def test_codes_follow_their_family() -> None:
    prefixes = {"arithmetic": "AR", "design": "ID", "scoring": "SC", "budget": "BT", "text": "BT"}
    for rule in jixiao.rules.RULES:
        assert rule.code.startswith(prefixes[rule.entry.family]), rule.code


def _domain_kinds() -> set[str]:
    text = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    section = text.split("## Review findings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", section))


def test_every_catalogue_kind_of_domain_md_has_a_rule_and_no_rule_invents_one() -> None:
    domain = _domain_kinds()
    assert len(domain) >= 35
    ruled = {rule.kind for rule in jixiao.rules.RULES}
    assert domain == ruled


def test_docs_mention_every_threshold_of_the_profiles() -> None:
    docs = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    toml = (ROOT / "src" / "jixiao" / "profiles" / "national-2020.toml").read_text(encoding="utf-8")
    keys = re.findall(r"^([a-z_0-9]+)\s*=", toml, flags=re.MULTILINE)
    for key in keys:
        if key in {"name", "title", "description", "basis", "disabled"}:
            continue
        assert f"`{key}`" in docs or key.startswith("require_"), key


def test_the_profiles_ship_inside_the_package() -> None:
    folder = Path(jixiao.rules.__file__).parent.parent / "profiles"
    assert {p.name for p in folder.glob("*.toml")} == {"national-2020.toml", "shanghai.toml"}
