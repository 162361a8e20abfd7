"""The review rules: one module per family, one explicit registry.

Step 5 of the pipeline (read → recognise → score → **review**). Importing this package
registers every rule's catalogue entry (`jixiao.catalogue`), so a code cannot run
without being documented. Families and code ranges:

- `AR…` arithmetic and consistency (`rules.arithmetic`, errors: the form contradicts itself);
- `ID…` indicator design (`rules.design`, warnings);
- `SC…` self-scoring (`rules.scores`, warnings);
- `BT…` budget and text (`rules.budget`, `rules.mentions`, `rules.text_quality`, info or
  warning);
- `RV001` a rule crashed (the review of that form is incomplete).
"""

from __future__ import annotations

from jixiao.catalogue import register
from jixiao.findings import CatalogueEntry, Severity
from jixiao.profile import Profile
from jixiao.rules import arithmetic, budget, design, mentions, scores, text_quality
from jixiao.rules.registry import Rule

RULE_CRASHED = CatalogueEntry(
    "RV001",
    "rule-crashed",
    Severity.ERROR,
    "review",
    "审核规则出错",
    "某条审核规则在这张表上运行出错（程序缺陷）：该规则的结论缺失，审核不完整。",
    "jixiao 审核引擎：规则出错不得中断审核，须作为问题报告",
)

RULES: tuple[Rule, ...] = (
    arithmetic.RULES
    + design.RULES
    + scores.RULES
    + budget.RULES
    + mentions.RULES
    + text_quality.RULES
)

register(
    (
        *arithmetic.ENTRIES,
        *design.ENTRIES,
        *scores.ENTRIES,
        *budget.ENTRIES,
        *mentions.ENTRIES,
        *text_quality.ENTRIES,
        RULE_CRASHED,
    )
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in code order."""
    return tuple(sorted(RULES, key=lambda rule: rule.code))


def enabled_rules(profile: Profile) -> tuple[Rule, ...]:
    """The rules a profile runs (its `[rules] disabled` list removed), in code order."""
    return tuple(r for r in all_rules() if profile.rule_enabled(r.code, r.kind))


__all__ = ["RULES", "RULE_CRASHED", "Rule", "all_rules", "enabled_rules"]
