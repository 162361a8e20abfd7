"""Measuring the review against the demo's labelled defects: recall and precision per kind.

Part of the demo, for developers: `benchmarks/review.py` prints it and
`tests/test_review_recall.py` holds the review to it. Synthetic forms are generated with
their labels (`jixiao.demo.defects`), each is reviewed exactly as `jixiao check` reviews a
form (`jixiao.review.review_form` under a profile), and per finding kind, per form:

- a **hit** is a form labelled with the kind (its defects must raise it) that raised it;
- a **miss** is a form labelled with the kind that did not;
- a **false alarm** is a form that raised the kind though its defects neither must nor
  may raise it (a kind a defect *allows* is neither a hit nor a false alarm).

Recall is hits / labelled forms; precision is hits / (hits + false alarms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from jixiao.demo.changes import changes
from jixiao.demo.defects import Labelled
from jixiao.demo.generator import iter_labelled
from jixiao.findings import Finding
from jixiao.profile import DEFAULT_PROFILE, Profile, load_profile
from jixiao.review import review_form

EXAMPLES = 5  # kept per kind, of misses and of false alarms


@dataclass(frozen=True, slots=True)
class Example:
    """One miss or false alarm, with what a developer needs to look into it."""

    number: int  # the form's position in the generated sequence, from 1
    kind: str  # self_evaluation | declaration
    project: str
    defects: tuple[str, ...]
    messages: tuple[str, ...]  # the findings of the kind (false alarm) or of the form (miss)
    changes: tuple[str, ...] = ()  # what the defects changed, cell by cell


@dataclass(slots=True)
class KindTally:
    """What the review found of one finding kind."""

    kind: str
    labelled: int = 0
    hits: int = 0
    false_alarms: int = 0
    allowed: int = 0  # forms that raised it where a defect allowed it
    missed: list[Example] = field(default_factory=list)
    alarms: list[Example] = field(default_factory=list)

    @property
    def misses(self) -> int:
        return self.labelled - self.hits

    @property
    def recall(self) -> float | None:
        return self.hits / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        raised = self.hits + self.false_alarms
        return self.hits / raised if raised else None


@dataclass(slots=True)
class Measurement:
    forms: int = 0
    spoiled: int = 0
    kinds: dict[str, KindTally] = field(default_factory=dict)

    def tally(self, kind: str) -> KindTally:
        if kind not in self.kinds:
            self.kinds[kind] = KindTally(kind)
        return self.kinds[kind]

    @property
    def labelled(self) -> int:
        return sum(t.labelled for t in self.kinds.values())

    @property
    def hits(self) -> int:
        return sum(t.hits for t in self.kinds.values())

    @property
    def false_alarms(self) -> int:
        return sum(t.false_alarms for t in self.kinds.values())


def _example(number: int, labelled: Labelled, findings: Iterable[Finding]) -> Example:
    form = labelled.form
    return Example(
        number,
        form.kind,
        form.project,
        labelled.defects,
        tuple(f"{f.code} {f.kind}: {f.message}" for f in findings),
        tuple(changes(labelled.original, form)) if labelled.original is not None else (),
    )


def add_review(
    measurement: Measurement, number: int, labelled: Labelled, findings: Iterable[Finding]
) -> None:
    """Count one reviewed form: its labels against the kinds its findings have."""
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    everything = list(findings)
    for finding in everything:
        by_kind[finding.kind].append(finding)
    measurement.forms += 1
    measurement.spoiled += bool(labelled.defects)
    for kind in sorted(labelled.expects):
        tally = measurement.tally(kind)
        tally.labelled += 1
        if kind in by_kind:
            tally.hits += 1
        elif len(tally.missed) < EXAMPLES:
            tally.missed.append(_example(number, labelled, everything))
    for kind, raised in sorted(by_kind.items()):
        if kind in labelled.expects:
            continue
        tally = measurement.tally(kind)
        if kind in labelled.allows:
            tally.allowed += 1
            continue
        tally.false_alarms += 1
        if len(tally.alarms) < EXAMPLES:
            tally.alarms.append(_example(number, labelled, raised))


def measure(forms: int, *, seed: int = 2024, profile: Profile | None = None) -> Measurement:
    """Generate `forms` labelled forms of `seed`, review each, count hits and misses."""
    chosen = profile if profile is not None else load_profile(DEFAULT_PROFILE)
    measurement = Measurement()
    for number, labelled in enumerate(iter_labelled(forms, seed=seed), start=1):
        review = review_form(labelled.form, file=f"demo-{seed}", index=number, profile=chosen)
        add_review(measurement, number, labelled, review.findings)
    return measurement
