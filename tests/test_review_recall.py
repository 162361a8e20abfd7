"""The review finds what the demo's defects put in (recall) and little else (precision).

The demo's generator labels every defect it applies with the finding kinds it must raise
and those it may (`jixiao.demo.defects`); `jixiao.demo.measure` reviews the forms as
`jixiao check` does and counts, per kind and form, hits, misses and false alarms.
`benchmarks/review.py` prints the same measurement for larger samples.
"""

from __future__ import annotations

import pytest

from jixiao.catalogue import all_entries
from jixiao.demo.defects import DECLARATION_DEFECTS, SELF_EVALUATION_DEFECTS
from jixiao.demo.measure import KindTally, Measurement, measure

# About 800 labelled forms among 2,000, in a few seconds: with the ~300 of 700 forms most
# kinds have two or three samples, too few for a 95% bar to mean anything. Below 20 samples
# the bar allows no miss at all.
FORMS = 2000
SEED = 16
MIN_SAMPLES = 5  # labelled forms (recall), or forms raising the kind (precision)
BAR = 0.95
_TABLES = (*SELF_EVALUATION_DEFECTS, *DECLARATION_DEFECTS)
LABELLED_KINDS = sorted({kind for d in _TABLES for kind in d.expects})
HELD = LABELLED_KINDS


@pytest.fixture(scope="module")
def measurement() -> Measurement:
    return measure(FORMS, seed=SEED)


def _describe(tally: KindTally) -> str:
    lines = [
        f"{tally.kind}: {tally.hits}/{tally.labelled} found, {tally.false_alarms} false alarms"
    ]
    for example in (*tally.missed, *tally.alarms):
        lines.append(f"  form {example.number} {example.defects}: {example.changes}")
        lines.extend(f"    {m}" for m in example.messages)
    return "\n".join(lines)


def _check(measurement: Measurement, kind: str) -> None:
    tally = measurement.tally(kind)
    if tally.labelled < MIN_SAMPLES and tally.hits + tally.false_alarms < MIN_SAMPLES:
        pytest.skip(f"{kind}: {tally.labelled} labelled forms among {FORMS}, too few to judge")
    if tally.labelled >= MIN_SAMPLES:
        assert tally.recall is not None and tally.recall >= BAR, _describe(tally)
    if tally.hits + tally.false_alarms >= MIN_SAMPLES:
        assert tally.precision is not None and tally.precision >= BAR, _describe(tally)


@pytest.mark.parametrize("kind", HELD)
def test_recall_and_precision(measurement: Measurement, kind: str) -> None:
    _check(measurement, kind)


def test_kinds_not_labelled_are_not_raised(measurement: Measurement) -> None:
    """A kind no defect stands for (a rule crashing, say) is a false alarm wherever it is."""
    unexpected = {
        kind: tally.false_alarms
        for kind, tally in measurement.kinds.items()
        if kind not in LABELLED_KINDS and tally.false_alarms
    }
    assert unexpected == {}


def test_the_sample_is_the_demo_mix(measurement: Measurement) -> None:
    """Most kinds are judged, and about half of the forms are left clean."""
    judged = [k for k in HELD if measurement.tally(k).labelled >= MIN_SAMPLES]
    assert len(judged) >= len(HELD) * 2 // 3
    assert 0.3 < measurement.spoiled / measurement.forms < 0.6


def test_labels_are_catalogue_kinds() -> None:
    kinds = {entry.kind for entry in all_entries()}
    for defect in _TABLES:
        assert defect.expects and defect.expects <= kinds, defect.name
        assert defect.allows <= kinds and not defect.allows & defect.expects, defect.name
