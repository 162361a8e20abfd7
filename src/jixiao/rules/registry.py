"""The rule type: a catalogue entry, the function that checks it, the forms it reads.

Part of the review step. Each family module lists its rules explicitly in a `RULES`
tuple (no decorators, no discovery): the registry is the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jixiao.findings import CatalogueEntry, Finding
from jixiao.model import FormKind
from jixiao.rules.context import FormContext

Check = Callable[[FormContext], Iterable[Finding]]

SELF: frozenset[FormKind] = frozenset({"self_evaluation"})
DECLARATION: frozenset[FormKind] = frozenset({"declaration"})
BOTH: frozenset[FormKind] = frozenset({"self_evaluation", "declaration"})


@dataclass(frozen=True, slots=True)
class Rule:
    entry: CatalogueEntry
    check: Check
    forms: frozenset[FormKind]

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def kind(self) -> str:
        return self.entry.kind
