"""Shared fixtures: the seeds and their gold records (../shared, beside the checkout)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    env = os.environ.get("JIXIAO_SHARED")
    candidates = [Path(env)] if env else []
    # Beside the checkout in the workplace; at its fixed place when CI clones elsewhere.
    candidates += [ROOT.parent / "shared", ROOT / "shared", Path("/work/shared")]
    for candidate in candidates:
        if (candidate / "gold").is_dir() and (candidate / "seeds").is_dir():
            return candidate
    raise RuntimeError("shared/ (seeds and gold) not found beside the checkout; set JIXIAO_SHARED")


SHARED = _shared()
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
GOLD = sorted((SHARED / "gold").glob("*.json"))


def gold_records(seed: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        (SHARED / "gold" / (seed.stem + ".json")).read_text(encoding="utf-8")
    )
    return records


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return SEEDS
