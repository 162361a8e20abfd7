"""Writing forms out: one form per file in the official layout, and the list as Excel.

Per format, the command as a user runs it: `jixiao export FOLDER --format F --out DIR`
(a whole process: start-up, reading the files, writing one file per form), over distinct
forms: demo forms (`jixiao.demo`, every one different) written as the exchange JSON that
`jixiao parse --json` makes, so reading costs as little as it can. Five runs each, the
median and the spread, beside a floor measured in the same run on the same files:
`jixiao parse --json FOLDER` (the same start-up and reading, no writing), and the ratio.
forms/s counts the export's own share: forms / (export − floor).

The list: `GET /forms.xlsx` of a SQLite database of 10,000 demo forms, over a real server
(whole response), five runs, beside `GET /forms.csv` of the same list as the floor.

    python benchmarks/export.py [--forms 200] [--list-forms 10000] [--runs 5] [--formats xlsx,pdf,docx]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import spread, timed  # noqa: E402

from jixiao.demo.build import build_demo  # noqa: E402
from jixiao.demo.generator import iter_documents  # noqa: E402
from jixiao.exchange import form_to_exchange  # noqa: E402
from jixiao.pipeline import read_bytes  # noqa: E402
from jixiao.store.engine import make_engine  # noqa: E402
from jixiao.store.migrate import upgrade  # noqa: E402

JIXIAO = [sys.executable, "-m", "jixiao"]


def write_inputs(folder: Path, count: int) -> int:
    """`count` distinct demo forms as exchange JSON files, ten forms a file."""
    forms = []
    for document in iter_documents(count, seed=11):
        forms.extend(read_bytes(document.to_bytes(), document.name).forms)
        if len(forms) >= count:
            break
    forms = forms[:count]
    for start in range(0, len(forms), 10):
        records = [form_to_exchange(f) for f in forms[start : start + 10]]
        (folder / f"forms-{start:05d}.json").write_text(
            json.dumps(records, ensure_ascii=False), "utf-8"
        )
    return len(forms)


def run(args: list[str]) -> Callable[[], object]:
    def call() -> object:
        done = subprocess.run([*JIXIAO, *args], capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode("utf-8", "replace")[-2000:])
        return done

    return call


def benchmark_formats(formats: list[str], count: int, runs: int, work: Path) -> None:
    inputs = work / "inputs"
    inputs.mkdir()
    forms = write_inputs(inputs, count)
    print(f"{forms} distinct demo forms in {len(list(inputs.iterdir()))} files, {runs} runs each")
    floor = timed(run(["parse", "--json", str(inputs)]), runs)
    print(f"  floor: jixiao parse --json            {spread(floor)}")
    for fmt in formats:
        out = work / f"out-{fmt}"
        times = timed(run(["export", str(inputs), "--format", fmt, "--out", str(out)]), runs)
        written = len(list(out.iterdir()))
        own = max(statistics.median(times) - statistics.median(floor), 1e-9)
        print(
            f"  {fmt:5} jixiao export: {written} files   {spread(times)}   "
            f"{forms / own:,.0f} forms/s (export's own time)   "
            f"{forms / statistics.median(times):,.0f} forms/s (whole command)   "
            f"{statistics.median(times) / statistics.median(floor):.1f}× the floor"
        )


def benchmark_list(count: int, runs: int, work: Path) -> None:
    database = work / "list.db"
    engine = make_engine(str(database))
    upgrade(engine)
    build_demo(engine, forms=count)
    engine.dispose()
    port = 8719
    server = subprocess.Popen(
        [*JIXIAO, "serve", "--db", str(database), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/stats", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)

        def get(path: str) -> Callable[[], object]:
            return lambda: urllib.request.urlopen(base + path, timeout=120).read()

        size = len(get("/forms.xlsx")())
        floor = timed(get("/forms.csv"), runs)
        times = timed(get("/forms.xlsx"), runs)
        print(f"the list of {count} forms ({size / 1e6:.1f} MB of xlsx), {runs} runs")
        print(f"  floor: GET /forms.csv   {spread(floor)}")
        print(
            f"  GET /forms.xlsx         {spread(times)}   "
            f"{statistics.median(times) / statistics.median(floor):.1f}× the floor"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=200)
    parser.add_argument("--list-forms", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", default="xlsx,docx,pdf,csv,json")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-export-bench-") as tmp:
        work = Path(tmp)
        benchmark_formats(options.formats.split(","), options.forms, options.runs, work)
        benchmark_list(options.list_forms, options.runs, work)


if __name__ == "__main__":
    main()
