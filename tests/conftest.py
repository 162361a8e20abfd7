"""Shared fixtures: the seeds and their gold records, kept in tests/data (see its README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
GOLD = sorted((DATA / "gold").glob("*.json"))

if not SEEDS or [p.stem for p in SEEDS] != [p.stem for p in GOLD]:
    raise RuntimeError(f"{DATA}: every seeds/*.txt needs its gold/*.json (and there must be some)")


def gold_records(seed: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        (DATA / "gold" / (seed.stem + ".json")).read_text(encoding="utf-8")
    )
    return records


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return SEEDS
