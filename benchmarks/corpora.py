"""What the command benchmarks read, and the floor they are measured against.

- `seeds_corpus`: seeds 000 and 001 × 100 under distinct names (4,400 forms), the corpus
  issue 14's reading targets are stated on;
- `demo_corpus`: distinct forms of the demo generator, 20 to a file, rendered in turn
  through every text rendering the readers take (converter TSV, markdown pipe tables,
  HTML, pdftotext-style text), so that no seed repeated flatters a cache, and no file is
  skipped by an import as already stored;
- `FLOOR`: a process that reads the same bytes, decodes and splits them into lines, the
  least any reader must do; every figure is printed beside it as a ratio.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test suite's renderers (tests/support) draw the demo corpus

from tests.support.pdftotext_style import to_pdftotext  # noqa: E402
from tests.support.render import to_html, to_markdown, to_tsv  # noqa: E402

from jixiao.demo.generator import iter_forms  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
FLOOR = (
    "import sys, pathlib\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
    "    path.read_bytes().decode('utf-8', 'replace').splitlines()\n"
)
FORMS_PER_FILE = 20


def seeds_corpus(folder: Path) -> int:
    """Seeds 000 (8 forms) and 001 (36) × 100 into `folder`; how many forms."""
    forms = {"000": 8, "001": 36}
    for copy in range(100):
        for seed in sorted(SEEDS.glob("00[01]_*.txt")):
            shutil.copy(seed, folder / f"{copy:03d}_{seed.name}")
    return 100 * sum(forms.values())


def demo_corpus(folder: Path, count: int, seed: int = 7) -> int:
    """`count` demo forms into `folder`, every text rendering in turn; how many forms."""
    forms = list(iter_forms(count, seed=seed))
    renderers = (
        ("tsv", to_tsv),
        ("md", to_markdown),
        ("html", to_html),
        ("txt", to_pdftotext),
    )
    for start in range(0, len(forms), FORMS_PER_FILE):
        suffix, render = renderers[(start // FORMS_PER_FILE) % len(renderers)]
        text = render(forms[start : start + FORMS_PER_FILE])
        (folder / f"{start // FORMS_PER_FILE:05d}.{suffix}").write_text(text, encoding="utf-8")
    return len(forms)
