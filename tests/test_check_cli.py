"""`jixiao check` and `jixiao rules`: human output, --json shape, exit codes, profiles."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from jixiao.catalogue import all_entries
from jixiao.cli import main
from tests.conftest import SEEDS

_FINDING_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+): (?P<code>[A-Z]{2}\d{3}) (错误|警告|提示) \S"
)
_FORM_LINE = re.compile(r"^.+:\d+: \[\d+\] (自评表|申报表)「")
FINDING_KEYS = {
    "code",
    "kind",
    "severity",
    "message",
    "basis",
    "file",
    "form",
    "project",
    "indicator",
    "field",
}


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_human_output_of_a_consistent_file() -> None:
    code, out, _ = _check("--profile", "shanghai", str(SEEDS[0]))
    assert code == 0  # warnings only
    lines = out.splitlines()
    findings = [line for line in lines if _FINDING_LINE.match(line)]
    forms = [line for line in lines if _FORM_LINE.match(line)]
    assert len(forms) == 8
    assert findings and lines.index(findings[-1]) < lines.index(forms[0])
    assert f"{SEEDS[0]}:80: SC002 警告 第1张表 质量指标「鉴定结果准确性」" in out
    assert "填报总分 99.95（优），参考总分 100.00（优）" in forms[0]
    assert lines[-1].startswith("共 8 张表单（1 个文件，方案 shanghai）：错误 0")


def test_errors_exit_one_and_reading_sums_are_left_to_the_rules() -> None:
    code, out, _ = _check(str(SEEDS[1]))
    assert code == 1
    assert f"{SEEDS[1]}:550: AR001 错误 第21张表：总分印为 96.40" in out
    assert "RD008" not in out  # the reader's sum check is superseded by AR001/AR002
    assert "RD010 提示" in out  # other reading findings are kept


def test_json_shape() -> None:
    code, out, _ = _check("--json", "--profile", "shanghai", *map(str, SEEDS))
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"profile", "forms", "findings"}
    assert data["profile"]["name"] == "shanghai"
    assert len(data["forms"]) == 51
    first = data["forms"][0]
    assert first["form"] == 1 and first["kind"] == "self_evaluation"
    assert first["printed"]["total"] == "99.95"
    assert first["reference"]["total"]["value"] == "100.00"
    assert first["reference"]["budget"]["formula"] == "10.00 = 10 × 40.03/40.05"
    assert len(first["reference"]["indicators"]) == 8
    declaration = data["forms"][-1]
    assert declaration["kind"] == "declaration" and declaration["reference"]["total"] is None
    for finding in data["findings"]:
        assert set(finding) >= FINDING_KEYS
    swapped = [f for f in data["findings"] if f["kind"] == "score-columns-swapped"]
    assert len(swapped) == 1
    assert swapped[0]["form"] == 13 and swapped[0]["field"] == "funds.total.score"
    assert swapped[0]["indicator"] is None and swapped[0]["file"] == str(SEEDS[1])
    band = next(f for f in data["findings"] if f["kind"] == "qualitative-band-out-of-range")
    assert band["indicator"] and band["field"] == "score" and band["project"]


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    code, out, _ = _check("--json", str(SEEDS[2]))
    assert code == 0
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"warning"}


def test_unknown_profile() -> None:
    code, _, err = _check("--profile", "beijing", str(SEEDS[0]))
    assert code == 2
    assert "未知的评分方案「beijing」" in err and "national-2020" in err and "shanghai" in err


def test_profile_file_can_disable_rules(tmp_path: Path) -> None:
    profile = tmp_path / "quiet.toml"
    profile.write_text(
        'extends = "shanghai"\nname = "quiet"\ntitle = "静默"\n'
        '[rules]\ndisabled = ["total-not-sum", "weights-not-100", "AR004", "AR005", "AR006"]\n',
        encoding="utf-8",
    )
    code, out, _ = _check("--json", "--profile", str(profile), str(SEEDS[1]))
    assert code == 0
    kinds = {f["kind"] for f in json.loads(out)["findings"]}
    assert "total-not-sum" not in kinds and "score-columns-swapped" not in kinds
    assert "target-far-exceeded" in kinds


def test_missing_file_is_an_error_finding(tmp_path: Path) -> None:
    code, out, _ = _check(str(tmp_path / "nope.txt"))
    assert code == 1
    assert "RD002 错误" in out


def test_rules_lists_the_whole_catalogue() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    for entry in all_entries():
        assert f"{entry.code}  {entry.severity.label}  {entry.kind}  {entry.title}" in result.stdout
    rows = json.loads(CliRunner().invoke(main, ["rules", "--json"]).stdout)
    assert {r["code"] for r in rows} == {e.code for e in all_entries()}
    assert {"code", "kind", "severity", "description", "basis"} <= set(rows[0])


def test_rules_of_a_profile(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        'name = "p"\ntitle = "p"\n[rules]\ndisabled = ["garbled-text"]\n', encoding="utf-8"
    )
    rows = json.loads(
        CliRunner().invoke(main, ["rules", "--json", "--profile", str(profile)]).stdout
    )
    assert "garbled-text" not in {r["kind"] for r in rows}
    assert "total-not-sum" in {r["kind"] for r in rows}
