"""The open-data package (`jixiao.export.datapackage`, `jixiao publish`): valid by
`frictionless validate`, CSVs Excel opens as Chinese, decimals exactly as stored.

Runs on SQLite and PostgreSQL (the database fixtures of tests/databases.py): of the
seeds, and of a demo database of 120 forms.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.cli import main
from jixiao.demo.build import build_demo
from jixiao.export.datapackage import DESCRIPTOR, TABLES, write_package
from jixiao.store.engine import make_engine
from jixiao.store.migrate import upgrade
from jixiao.store.queries import FormFilters
from jixiao.store.tables import FindingRow, FormRow, FundsLine, IndicatorRow
from tests.databases import (  # noqa: F401  (fixtures)
    database_templates,
    database_url,
    engine,
    postgres_keeper,
    postgres_url,
)
from tests.store.helpers import SEED_FORMS, seeded  # noqa: F401  (fixture)

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def validate(folder: Path) -> None:
    program = FRICTIONLESS if FRICTIONLESS.exists() else shutil.which("frictionless")
    assert program, "frictionless is not installed (the test extra)"
    done = subprocess.run(
        [str(program), "validate", str(folder / DESCRIPTOR)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def read_table(folder: Path, name: str) -> list[dict[str, str]]:
    raw = (folder / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it as Chinese
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def exact(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def check_round_trip(engine: Engine, folder: Path) -> None:  # noqa: F811
    """Every text and decimal of the CSVs is the stored one, digit for digit."""
    forms = {int(r["id"]): r for r in read_table(folder, "forms")}
    funds = {int(r["id"]): r for r in read_table(folder, "funds")}
    indicators = {int(r["id"]): r for r in read_table(folder, "indicators")}
    findings = {int(r["id"]): r for r in read_table(folder, "findings")}
    with Session(engine) as session:
        for row in session.scalars(select(FormRow)):
            printed = forms[row.id]
            assert printed["project"] == row.project
            assert printed["unit"] == (row.unit or "")
            for name in ("funds_amount", "funds_executed", "funds_wan", "total_score", "ref_total"):
                assert printed[name] == exact(getattr(row, name)), (row.id, name)
                if printed[name]:
                    assert Decimal(printed[name]) == getattr(row, name)
        for line in session.scalars(select(FundsLine)):
            for name in ("initial", "adjusted", "executed", "rate", "score", "amount"):
                assert funds[line.id][name] == exact(getattr(line, name))
        for indicator in session.scalars(select(IndicatorRow)):
            assert indicators[indicator.id]["name"] == indicator.name
            for name in ("weight", "score", "ref_score"):
                assert indicators[indicator.id][name] == exact(getattr(indicator, name))
        form_findings = session.scalars(select(FindingRow).where(FindingRow.form_id.is_not(None)))
        for finding in form_findings:
            assert findings[finding.id]["message"] == finding.message
            assert findings[finding.id]["code"] == finding.code


@pytest.mark.usefixtures("seeded")
def test_the_package_of_the_seeds(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    created = dt.datetime(2025, 3, 18, 9, 30, tzinfo=dt.UTC)
    with Session(engine) as session:
        summary = write_package(session, tmp_path, created=created)
    assert summary.rows["forms"] == SEED_FORMS
    validate(tmp_path)
    check_round_trip(engine, tmp_path)
    descriptor = json.loads((tmp_path / DESCRIPTOR).read_text("utf-8"))
    assert descriptor["title"] == "财政项目支出绩效表单开放数据"
    assert "绩效自评表" in descriptor["description"]
    assert descriptor["created"] == "2025-03-18T09:30:00Z"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"][0]["title"]
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == {t.name for t in TABLES}
    funds = resources["funds"]["schema"]
    assert funds["foreignKeys"] == [
        {"fields": ["form_id"], "reference": {"resource": "forms", "fields": ["id"]}}
    ]
    fields = {f["name"]: f for f in resources["forms"]["schema"]["fields"]}
    assert fields["funds_wan"]["type"] == "string" and "万元" in fields["funds_wan"]["description"]
    assert "funds_unit" in fields["funds_amount"]["description"]
    assert "unit" in {f["name"] for f in funds["fields"]}  # the unit of each funds row
    # The seeds print the declaration's 1,047,173,000.00 元: kept to the cent.
    printed = read_table(tmp_path, "forms")
    assert "1047173000.00" in {r["funds_amount"] for r in printed}
    assert "104717.30" in {r["funds_wan"] for r in printed}


@pytest.mark.usefixtures("seeded")
def test_a_filtered_package(engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    with Session(engine) as session:
        summary = write_package(session, tmp_path, FormFilters(kind="declaration"))
        declarations = session.scalars(
            select(FormRow.id).where(FormRow.kind == "declaration")
        ).all()
    assert summary.rows["forms"] == len(declarations) == 7
    validate(tmp_path)
    forms = read_table(tmp_path, "forms")
    assert {r["kind"] for r in forms} == {"declaration"}
    assert {int(r["form_id"]) for r in read_table(tmp_path, "indicators")} <= set(declarations)
    assert (
        "表单类型 申报表" in json.loads((tmp_path / DESCRIPTOR).read_text("utf-8"))["description"]
    )


def test_the_package_of_a_demo_database(tmp_path: Path) -> None:
    demo = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(demo)
    build_demo(demo, forms=120)
    folder = tmp_path / "package"
    with Session(demo) as session:
        summary = write_package(session, folder)
    assert summary.rows["forms"] == 120
    validate(folder)
    check_round_trip(demo, folder)
    demo.dispose()


@pytest.mark.usefixtures("seeded")
def test_publish_command(database_url: str, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "开放数据"
    result = CliRunner().invoke(
        main,
        ["publish", "--out", str(out), "--db", database_url, "--kind", "自评表", "--year", "2024"],
    )
    assert result.exit_code == 0, result.output
    assert "已写出开放数据包" in result.output
    assert "年度 2024" in result.output and "表单类型 自评表" in result.output
    forms = read_table(out, "forms")
    assert forms and {(r["kind"], r["year"]) for r in forms} == {("self_evaluation", "2024")}
    validate(out)
    help_text = CliRunner().invoke(main, ["publish", "--help"]).output
    assert "--out 文件夹" in help_text and "[自评表|申报表]" in help_text
