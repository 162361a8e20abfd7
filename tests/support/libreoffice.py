"""LibreOffice headless for the test corpora: one way to convert documents.

Units make their PDFs, xls and doc files with office software; the corpus writers
(`office_xlsx`, `office_docx`, `office_pdf`) write the official layout and convert it
here, many files per LibreOffice start (each start costs about 2 s), each run with a
profile of its own so that runs at the same time never clash. The program is found as
the Word reader finds it (`jixiao.read.wordprocessing.soffice`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

from jixiao.read.wordprocessing import soffice

__all__ = ["convert", "required", "soffice"]


def required() -> bool:
    """Under CI the LibreOffice tests must run; elsewhere they may skip without it."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def convert(
    sources: Sequence[Path],
    target: str,
    outdir: Path,
    *,
    infilter: str | None = None,
    timeout: float = 300,
) -> list[Path]:
    """`sources` converted to `target` (`pdf`, `doc`, `xls`, `ods`, or a filter such as
    `pdf:writer_pdf_Export:{…}`) into `outdir`, in one LibreOffice run."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"lo-{os.getpid()}-{uuid.uuid4().hex}"
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    extension = target.split(":")[0]
    produced = [outdir / f"{source.stem}.{extension}" for source in sources]
    missing = [p.name for p in produced if not p.is_file()]
    if missing:
        raise RuntimeError(
            f"LibreOffice made no {extension} of {missing}: {done.stderr.decode('utf-8', 'replace')}"
        )
    return produced
