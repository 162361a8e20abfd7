"""`--jobs`: the commands print the same bytes with one process or several.

Run as users run them (a whole `python -m jixiao` process), on the seeds and on copies
of them under other names, so that the files are distributed over the workers in more
than one way; stdout, stderr and the exit code are compared.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).parent / "data" / "seeds"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("jobs")
    for copy in range(3):
        for seed in sorted(SEEDS.iterdir()):
            shutil.copy(seed, root / f"{copy}_{seed.name}")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    return root


def _run(*args: str | Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", *map(str, args)], capture_output=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["parse"],
        ["parse", "--json"],
        ["check"],
        ["check", "--json"],
        ["check", "--profile", "shanghai"],
    ],
    ids=" ".join,
)
def test_one_job_and_two_print_the_same(folder: Path, command: list[str]) -> None:
    one = _run(*command, "--jobs", "1", folder)
    two = _run(*command, "--jobs", "2", folder)
    assert one == two
    code, out, err = one
    assert out  # something was printed: a real comparison
    assert err if command[0] == "parse" else not err  # parse reports findings on stderr
    assert code == (1 if command[0] == "check" else 0)


def test_json_is_one_document_in_file_order(folder: Path) -> None:
    import json

    _, out, _ = _run("parse", "--json", "--jobs", "2", folder)
    records = json.loads(out)
    files = [r["source"]["file"] for r in records]
    assert files == sorted(
        files, key=lambda f: sorted(p.name for p in folder.iterdir()).index(Path(f).name)
    )
    assert len(records) == 3 * 51
