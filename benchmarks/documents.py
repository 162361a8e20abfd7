"""Reading documents as users hold them: text-layer PDF, Excel, Word.

Each figure times the command as a user runs it, `jixiao parse --json FOLDER > file`
(a whole process: start-up, reading, JSON written), over distinct forms: the 51 gold forms
of `tests/data/gold`, written in the official layout by the test corpus writers
(`tests/support/office_*`: PDF through LibreOffice, xlsx with openpyxl, docx with
python-docx), several copies with different writers' styles. Five runs each, the median
and the spread printed, beside a floor measured in the same run on the same files: bare
`pdftotext` (poppler) for the PDFs, and for xlsx and docx unzipping every part and parsing
its XML (`zipfile` + `xml.etree`), which any reader of the format must do.

OCR (with the extra installed): the PDF of the first style rasterised by `pdftoppm` at
200 dpi, each page turned by up to 1° and speckled (`tests/support/scans.py`), one
scanned PDF (JPEG pages, as scanners write them) per gold file, read by `jixiao check
--json` (seconds per page, whole process); the floor is the OCR engine alone on the same
page images, in one process.
Beside the speed, how well: fields exact against gold, and wrong fields no finding
points at (the ones that would pass silently).

    python benchmarks/documents.py [--copies 4] [--runs 5] [--ocr-runs 3] [--no-ocr | --only-ocr]

Needs LibreOffice (`soffice`) and poppler (`pdftotext`, `pdfinfo`, `pdftoppm`), as the
README says.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import spread, timed  # noqa: E402
from tests.support import scans  # noqa: E402
from tests.support.office_docx import write_docx  # noqa: E402
from tests.support.office_pdf import STYLES, Style, render_pdfs  # noqa: E402
from tests.support.office_xlsx import write_xlsx  # noqa: E402
from tests.test_read_gold import _normalise  # noqa: E402

from jixiao.exchange import forms_from_exchange  # noqa: E402
from jixiao.model import Form  # noqa: E402
from jixiao.read import ocr  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"


def gold_forms() -> list[Form]:
    forms: list[Form] = []
    for path in sorted(GOLD.glob("*.json")):
        read, _ = forms_from_exchange(json.loads(path.read_text("utf-8")), path.name)
        forms.extend(read)
    return forms


def jixiao_json(command: str, folder: Path, out: Path) -> Callable[[], object]:
    """`jixiao COMMAND --json FOLDER > out`, as a user runs it."""

    def run() -> object:
        with out.open("wb") as sink:
            return subprocess.run(
                [sys.executable, "-m", "jixiao", command, "--json", str(folder)],
                stdout=sink,
                stderr=subprocess.DEVNULL,
                check=False,
            )

    return run


def pdftotext_all(files: list[Path], out: Path) -> Callable[[], object]:
    def run() -> object:
        for path in files:
            subprocess.run(["pdftotext", str(path), str(out)], check=True)
        return None

    return run


def unzip_and_parse(files: list[Path]) -> Callable[[], object]:
    def run() -> object:
        for path in files:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith(".xml"):
                        ElementTree.fromstring(archive.read(name))
        return None

    return run


def pages(files: list[Path]) -> int:
    total = 0
    for path in files:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        total += next(
            int(line.split()[-1]) for line in info.stdout.splitlines() if line.startswith("Pages:")
        )
    return total


def report(
    label: str, unit: str, count: int, times: list[float], floor: list[float], floor_name: str
) -> None:
    median, floor_median = statistics.median(times), statistics.median(floor)
    print(f"{label:<6} {count / median:8.1f} {unit}/s   {spread(times)}")
    print(
        f"{'':<6} floor {floor_name}: {count / floor_median:.1f} {unit}/s, {spread(floor)};"
        f" jixiao at {median / floor_median:.1f}× the floor"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="styles/variants of the 51 forms")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ocr-runs", type=int, default=3)
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR measurement")
    parser.add_argument("--only-ocr", action="store_true", help="only the OCR measurement")
    args = parser.parse_args()
    for tool in ("soffice", "pdftotext", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: install LibreOffice and poppler-utils (see README)")
    forms = gold_forms()
    with tempfile.TemporaryDirectory(prefix="jixiao-documents-") as tmp:
        work = Path(tmp)
        if args.only_ocr:
            if not ocr.available():
                sys.exit('the OCR extra is not installed: pip install "jixiao[ocr]"')
            benchmark_ocr(STYLES[0], work, args.ocr_runs)
            return
        folders = {kind: work / kind for kind in ("pdf", "xlsx", "docx")}
        for folder in folders.values():
            folder.mkdir()
        styles = list(STYLES)[: args.copies]
        pdfs = render_pdfs({style.name: (forms, style) for style in styles}, work / "render")
        for path in pdfs.values():
            shutil.copy(path, folders["pdf"] / path.name)
        for copy in range(args.copies):
            even = copy % 2 == 0
            write_xlsx(
                forms, folders["xlsx"] / f"{copy}.xlsx", variant="sheets" if even else "stacked"
            )
            write_docx(
                forms,
                folders["docx"] / f"{copy}.docx",
                arrangement="tables" if even else "one-table",
            )
        out = work / "out.json"
        pdf_files = sorted(folders["pdf"].glob("*.pdf"))
        page_count = pages(pdf_files)
        print(
            f"corpus: {len(forms)} distinct forms; PDF in {len(styles)} writers' styles"
            f" ({page_count} pages), xlsx and docx in {args.copies} arrangements each"
        )

        for kind in ("pdf", "xlsx", "docx"):
            files = sorted(folders[kind].iterdir())
            times = timed(jixiao_json("parse", folders[kind], out), args.runs)
            read = json.loads(out.read_text("utf-8"))
            if kind == "pdf":
                floor = timed(pdftotext_all(files, work / "floor.txt"), args.runs)
                report("pdf", "pages", page_count, times, floor, "pdftotext")
            else:
                floor = timed(unzip_and_parse(files), args.runs)
                report(kind, "forms", len(read), times, floor, "unzip + XML parse")
            print(f"{'':<6} {len(read)} forms read of {len(forms) * len(files)} written")
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of one jixiao process: {children:.0f} MB RSS")
        if args.no_ocr:
            return
        if not ocr.available():
            print('ocr    not measured: the OCR extra is not installed (pip install "jixiao[ocr]")')
            return
        benchmark_ocr(STYLES[0], work, args.ocr_runs)


def benchmark_ocr(style: Style, work: Path, runs: int) -> None:
    """Seconds per scanned page, the engine alone as the floor, and the fields read."""
    folder = work / "scans"
    folder.mkdir()
    expected: list[list[dict[str, object]]] = []
    images_all = []
    # One scanned PDF per gold file: each file's forms printed, scanned, read back.
    for path in sorted(GOLD.glob("*.json")):
        forms, _ = forms_from_exchange(json.loads(path.read_text("utf-8")), path.name)
        single = render_pdfs({path.stem: (forms, style)}, work / f"render-{path.stem}")
        images = scans.page_images(single[path.stem], seed=len(expected))
        (folder / f"{path.stem}.pdf").write_bytes(scans.scanned_pdf(images))
        images_all.extend(images)
        expected.append(
            [
                _normalise({k: v for k, v in r.items() if k not in ("seed", "ordinal")})
                for r in json.loads(path.read_text("utf-8"))
            ]
        )
    page_count = len(images_all)
    out = work / "ocr.json"
    times = timed(jixiao_json("check", folder, out), runs)
    floor = engine_alone(images_all, work)
    median = statistics.median(times)
    print(
        f"ocr    {median / page_count:8.2f} s/page   {spread(times)} for {page_count} pages"
        f" (200 dpi, turned up to 1°, speckled)"
    )
    print(
        f"{'':<6} floor the OCR engine alone: {floor / page_count:.2f} s/page;"
        f" jixiao at {median / floor:.1f}× the floor"
    )
    report_accuracy(json.loads(out.read_text("utf-8")), expected, folder)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of one jixiao process (all kinds): {children:.0f} MB RSS")


def engine_alone(images: list[object], work: Path) -> float:
    """The OCR engine on the page images, nothing else, in one process (model loading
    included, as in the command): the cost any reader built on this engine pays."""
    folder = work / "floor-pages"
    folder.mkdir()
    for index, image in enumerate(images):
        (folder / f"{index:04d}.png").write_bytes(scans.png(image))  # type: ignore[arg-type]
    script = (
        "import sys, time, numpy as np\n"
        "from pathlib import Path\n"
        "from PIL import Image\n"
        "start = time.perf_counter()\n"
        "from jixiao.read.ocr.engine import read_lines\n"
        "for path in sorted(Path(sys.argv[1]).glob('*.png')):\n"
        "    read_lines(np.asarray(Image.open(path).convert('L')))\n"
        "print(time.perf_counter() - start)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def report_accuracy(
    checked: dict[str, list[dict[str, object]]],
    expected: list[list[dict[str, object]]],
    folder: Path,
) -> None:
    files = sorted(folder.glob("*.pdf"))
    doubtful = sum(1 for f in checked["findings"] if f["code"] == "RD016")
    right = total = 0
    flagged: list[str] = []
    silent: list[str] = []
    for path, want in zip(files, expected, strict=True):
        name = str(path)
        got = [
            _normalise({k: v for k, v in f.items() if k in want[0]})
            for f in checked["forms"]
            if f["file"] == name
        ]
        said = [
            (str(f["code"]), str(f["message"]), f.get("form"))  # type: ignore[misc]
            for f in checked["findings"]
            if f["file"] == name
        ]
        measured = scans.accuracy(want, got, said)  # type: ignore[arg-type]
        right, total = right + measured.right, total + measured.total
        flagged.extend(measured.flagged)
        silent.extend(measured.silent)
    print(
        f"{'':<6} fields exact: {right}/{total} = {right / total:.2%}; wrong {total - right}:"
        f" {len(flagged)} with a finding at them, {len(silent)} silent"
    )
    print(f"{'':<6} cells reported as doubtful (RD016): {doubtful}, for {total} fields read")
    for note in silent[:10]:
        print(f"{'':<6}   silent: {note}")


if __name__ == "__main__":
    main()
