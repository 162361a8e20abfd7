"""Benchmark: recall and precision of the review on the demo's labelled defects.

Generates forms through the demo generator with their labels (`jixiao.demo.defects`:
the finding kinds each defect must raise, and those it may), reviews each under a profile
exactly as `jixiao check` does, and prints per finding kind the labelled forms, hits,
misses, false alarms, recall and precision, then the totals, then the first misses and
false alarms of each kind (the defects applied and the findings) for debugging. The
counting lives in `jixiao.demo.measure`. A plain script, no pytest:

    .venv/bin/python benchmarks/review.py [--forms 2000] [--seed N] [--profile NAME]
"""

from __future__ import annotations

import argparse
import time

from jixiao.demo.measure import Example, KindTally, Measurement, measure
from jixiao.profile import DEFAULT_PROFILE, load_profile


def _ratio(value: float | None) -> str:
    return f"{value:7.1%}" if value is not None else "      -"


def _row(name: str, labelled: int, hits: int, alarms: int, allowed: int) -> str:
    misses = labelled - hits
    recall = hits / labelled if labelled else None
    precision = hits / (hits + alarms) if hits + alarms else None
    return (
        f"{name:36} {labelled:8} {hits:6} {misses:6} {alarms:7} {allowed:7}"
        f" {_ratio(recall)} {_ratio(precision)}"
    )


def table(measurement: Measurement) -> list[str]:
    header = (
        f"{'kind':36} {'labelled':>8} {'hits':>6} {'misses':>6} {'false+':>7} {'allowed':>7}"
        f" {'recall':>7} {'precis.':>7}"
    )
    lines = [header, "-" * len(header)]
    for kind in sorted(measurement.kinds):
        t = measurement.kinds[kind]
        lines.append(_row(kind, t.labelled, t.hits, t.false_alarms, t.allowed))
    lines.append("-" * len(header))
    allowed = sum(t.allowed for t in measurement.kinds.values())
    lines.append(
        _row("total", measurement.labelled, measurement.hits, measurement.false_alarms, allowed)
    )
    return lines


def _example(example: Example) -> list[str]:
    defects = ", ".join(example.defects) or "(clean)"
    lines = [f"    form {example.number} ({example.kind}) 「{example.project}」 defects: {defects}"]
    lines.extend(f"      changed {change}" for change in example.changes)
    lines.extend(f"      found {message}" for message in example.messages)
    if not example.messages:
        lines.append("      found nothing")
    return lines


def examples(measurement: Measurement, count: int) -> list[str]:
    lines: list[str] = []
    tallies: list[KindTally] = [measurement.kinds[k] for k in sorted(measurement.kinds)]
    for t in tallies:
        if not t.missed and not t.alarms:
            continue
        lines.append(f"{t.kind}:")
        if t.missed:
            lines.append(f"  misses ({t.misses}), first {min(count, len(t.missed))}:")
            for example in t.missed[:count]:
                lines.extend(_example(example))
        if t.alarms:
            lines.append(f"  false alarms ({t.false_alarms}), first {min(count, len(t.alarms))}:")
            for example in t.alarms[:count]:
                lines.extend(_example(example))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=2000, help="how many forms to generate")
    parser.add_argument("--seed", type=int, default=2024, help="the generator's seed")
    parser.add_argument("--profile", default=DEFAULT_PROFILE)
    parser.add_argument("--examples", type=int, default=3, help="misses and alarms per kind")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    measurement = measure(args.forms, seed=args.seed, profile=load_profile(args.profile))
    elapsed = time.perf_counter() - start
    print(
        f"{measurement.forms} forms (seed {args.seed}, profile {args.profile}), "
        f"{measurement.spoiled} spoiled, in {elapsed:.1f} s; counted per form and kind"
    )
    print()
    print("\n".join(table(measurement)))
    listed = examples(measurement, args.examples)
    if listed:
        print()
        print("\n".join(listed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
