"""Every text the command line prints is Chinese: help, version, usage errors, OS errors.

Each case runs the command as a user would (click's CliRunner over `jixiao.cli.main`) and
holds the output to three things: no English word a user would read (`latin_words`), the
exit code click gives (2 for a usage error), and a message that names what was wrong —
the option, the argument, the value, the path or the port.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from jixiao.cli import COMMANDS, main
from tests.conftest import SEEDS
from tests.support.latin import ALLOWED, latin_words

# What users type, read as names: the commands and the profiles.
TYPED = ALLOWED | {
    "parse",
    "check",
    "rules",
    "import",
    "export",
    "publish",
    "serve",
    "demo",
    "worker",
}
TYPED |= {"national-2020", "shanghai", "national"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="jixiao")


def english(result: Result, *typed: str) -> list[str]:
    """The English words of the output, leaving out the values the test typed itself."""
    output = result.output
    for value in typed:
        output = output.replace(value, " ")
    return latin_words(output, TYPED)


# --- help and version ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese(command: str) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    assert english(result) == []
    assert result.output.startswith(f"用法：jixiao {command}".rstrip() + " [选项]")
    assert "显示本帮助并退出。" in result.output


def test_help_shows_defaults_ranges_and_metavars_in_chinese() -> None:
    result = run("serve", "--help")
    assert "--port 整数" in result.output and "--host 文本" in result.output
    assert "（默认：8000）" in result.output
    assert "范围：1～64" in result.output
    assert "用法：jixiao parse [选项] 路径..." in run("parse", "--help").output


def test_version_is_chinese() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert english(result) == []
    assert result.output.startswith("jixiao 版本 ")
    assert "显示版本号并退出。" in run("--help").output


def test_help_columns_line_up_on_a_terminal() -> None:
    # A CJK character takes two columns: the descriptions start in one column and no
    # line runs past the width, however many Chinese characters the metavars hold.
    from jixiao.commands.help_text import columns

    lines = run("demo", "--help").output.splitlines()
    options = lines[lines.index("选项：") + 1 :]
    starts = set()
    for line in options:
        if line.startswith("  -"):
            help_text = line.partition("  ")[2].partition("  ")[2]
            starts.add(columns(line) - columns(help_text.lstrip()))
    assert len(starts) == 1, options
    assert all(columns(line) <= 78 for line in lines)


# --- usage errors -------------------------------------------------------------------------

USAGE_ERRORS = {
    "missing argument": (["parse"], "parse", ["缺少参数「路径...」"]),
    "unknown option": (["parse", "--bogus", "表.txt"], "parse", ["未知的选项 --bogus"]),
    "option close to another": (["check", "--profil", "表.txt"], "check", ["是否要用 --profile？"]),
    "option close to two": (["parse", "--jsn", "表.txt"], "parse", ["是否要用 --json 或 --jobs？"]),
    "bad integer": (["demo", "--seed", "十二"], "demo", ["选项 --seed", "「十二」不是整数"]),
    "out of range": (["serve", "--workers", "0"], "serve", ["选项 --workers", "「0」", "1～64"]),
    "bad choice": (["rules", "--profile", "北京"], "rules", ["选项 --profile", "「北京」"]),
    "unknown command": (["解析"], "", ["未知的命令「解析」", "parse、check"]),
    "extra argument": (["rules", "多余"], "rules", ["多余的参数「多余」"]),
    "option without its value": (["check", "--profile"], "check", ["选项 --profile 需要一个值"]),
    "value given to a flag": (["parse", "--json=是", "表.txt"], "parse", ["选项 --json 是开关"]),
    "missing command": (["--"], "", ["缺少命令", "parse、check"]),
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_usage_errors_are_chinese(case: str) -> None:
    args, command, named = USAGE_ERRORS[case]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert english(result) == []
    for text in named:
        assert text in result.output
    path = f"jixiao {command}".rstrip()
    assert f"运行 {path} --help 查看用法。" in result.output
    assert f"用法：{path} [选项]" in result.output
    assert "\n错误：" in result.output


def test_an_unknown_command_close_to_one_is_suggested() -> None:
    result = run("chek")
    assert result.exit_code == 2
    assert "未知的命令「chek」" in result.output and "是否要用 check？" in result.output
    assert english(result, "chek") == []


# --- OS errors ----------------------------------------------------------------------------


def test_a_missing_file_is_told_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "没有的表.txt"
    result = run("parse", str(missing))
    assert result.exit_code == 1
    assert english(result) == []
    assert f"{missing}: RD002 错误 无法打开文件：文件或文件夹不存在" in result.output


def test_a_missing_file_beside_a_good_one_is_one_finding(tmp_path: Path) -> None:
    result = run("check", str(SEEDS[0]), str(tmp_path / "无.txt"))
    assert f"{tmp_path / '无.txt'}: RD002 错误 无法打开文件：文件或文件夹不存在" in result.output
    assert "共 8 张表单（2 个文件" in result.output


# Linux capabilities that let root read any file, and prctl's request to drop one from
# the bounding set (after exec, root then holds only what the set allows).
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _PR_CAPBSET_DROP = 1, 2, 24


def test_an_unreadable_file_is_told_in_chinese() -> None:
    """A file the user may not read. Root reads any file, so under root (as CI runs) the
    command runs in a subprocess without the capabilities that let it."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-unreadable-"))
    try:
        folder.chmod(0o755)
        secret = folder / "保密.txt"
        secret.write_text("项目名称\n", encoding="utf-8")
        secret.chmod(0)
        as_root = os.geteuid() == 0

        def drop() -> None:
            if as_root:
                libc = ctypes.CDLL(None, use_errno=True)
                for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                    if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                        raise OSError(ctypes.get_errno(), "prctl")

        done = subprocess.run(
            [sys.executable, "-m", "jixiao", "parse", str(secret)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=drop,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(folder)},
            cwd=folder,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert latin_words(output) == []
    assert f"{secret}: RD002 错误 无法打开文件：没有读取权限" in output


def test_a_taken_port_fails_fast_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started on a taken port")

    monkeypatch.setattr(uvicorn, "run", refuse)
    database = tmp_path / "服务.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", str(database), "--port", str(port))
    assert result.exit_code == 1, result.output
    assert english(result) == []
    assert (
        f"无法在 127.0.0.1:{port} 上启动：端口已被占用；请用 --port 指定其他端口。" in result.output
    )
    assert not database.exists()  # refused before the database was opened


def test_a_database_in_a_missing_folder_is_told_in_chinese(tmp_path: Path) -> None:
    result = run("import", str(SEEDS[0]), "--db", str(tmp_path / "无" / "库.db"))
    assert result.exit_code == 1
    assert english(result) == []
    folder = tmp_path / "无"
    assert f"无法打开数据库「{folder / '库.db'}」：文件夹「{folder}」不存在。" in result.output


def test_a_file_that_is_no_database_is_told_in_chinese(tmp_path: Path) -> None:
    fake = tmp_path / "假.db"
    fake.write_text("这不是数据库。\n" * 200, encoding="utf-8")
    result = run("import", str(SEEDS[0]), "--db", str(fake))
    assert result.exit_code == 1
    assert english(result) == []
    assert "：这不是 SQLite 数据库文件。" in result.output


def test_an_unreachable_database_server_is_told_in_chinese() -> None:
    pytest.importorskip("psycopg")
    result = run("import", str(SEEDS[0]), "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert english(result) == []
    assert "127.0.0.1:1/none」：无法连接数据库服务器" in result.output


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOENT, "文件或文件夹不存在"),
        (errno.EACCES, "没有读取权限"),
        (errno.EISDIR, "这是文件夹，不是文件"),
        (errno.ENOTDIR, "路径中有一级不是文件夹"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EADDRINUSE, "端口已被占用"),
        (errno.ERANGE, f"系统错误（errno {errno.ERANGE}）"),
    ],
)
def test_an_os_error_is_told_by_its_errno(code: int, reason: str) -> None:
    from jixiao.oserrors import describe_os_error

    exc = OSError(code, os.strerror(code), "/某处/表.txt")
    assert describe_os_error(exc) == reason
    assert os.strerror(code) not in describe_os_error(exc)


def test_an_os_error_on_a_port_is_told_as_such() -> None:
    from jixiao.oserrors import describe_os_error

    denied = OSError(errno.EACCES, os.strerror(errno.EACCES))
    assert "端口" in describe_os_error(denied, port=80)
    assert describe_os_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known")) == (
        "无法解析主机名"
    )
    assert describe_os_error(OSError("no errno")) == "系统错误"


def test_an_os_error_reaching_a_command_is_told_in_chinese(tmp_path: Path) -> None:
    from jixiao.commands.language import Command

    @click.command("demo", cls=Command)
    def broken() -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "库.db"))

    result = CliRunner().invoke(broken, [])
    assert result.exit_code == 1
    assert english(result) == []
    assert f"错误：「{tmp_path / '库.db'}」：没有读取权限。" in result.output


# --- every click type a command may use has a Chinese twin --------------------------------


def _every_kind() -> click.Command:
    from jixiao.commands.language import Command

    @click.command("demo", cls=Command)
    @click.argument("mode", type=click.Choice(["快", "慢"]))
    @click.option(
        "--share", type=click.FloatRange(0, 1, min_open=True), default=0.5, show_default=True
    )
    @click.option("--count", type=click.IntRange(min=1), required=True)
    @click.option("--ratio", type=float)
    @click.option("--strict", type=bool)
    @click.option("--folder", type=click.Path(file_okay=False, exists=True))
    def every_kind(**_: object) -> None:
        """每一种参数类型。"""

    return every_kind


def test_every_kind_of_value_has_chinese_help() -> None:
    result = CliRunner().invoke(_every_kind(), ["--help"])
    assert result.exit_code == 0
    assert english(result) == []
    assert "范围：大于 0 且不大于 1" in result.output and "范围：不小于 1" in result.output
    assert "必填" in result.output and "--folder 文件夹" in result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["中", "--count", "1"], "「中」不是可选的值（可选：快、慢）"),
        (["--count", "1"], "缺少参数「{快|慢}」（可选：快、慢）"),
        (["快"], "缺少选项 --count"),
        (["快", "--count", "0"], "「0」超出范围（不小于 1）"),
        (["快", "--count", "1", "--share", "0"], "「0」超出范围（大于 0 且不大于 1）"),
        (["快", "--count", "1", "--ratio", "半"], "「半」不是数"),
        (["快", "--count", "1", "--strict", "也许"], "「也许」不是是否值"),
        (["快", "--count", "1", "--folder", "/不存在的"], "「/不存在的」：文件或文件夹不存在"),
        (["快", "--count", "1", "--folder", str(SEEDS[0])], "是文件，这里要的是文件夹"),
    ],
)
def test_every_kind_of_bad_value_is_chinese(args: list[str], named: str) -> None:
    result = CliRunner().invoke(_every_kind(), args)
    assert result.exit_code == 2, result.output
    assert english(result) == []
    assert named in result.output


def test_an_interrupted_command_says_so_in_chinese() -> None:
    from jixiao.commands.language import Command

    @click.command("demo", cls=Command)
    def interrupted() -> None:
        raise KeyboardInterrupt

    result = CliRunner().invoke(interrupted, [])
    assert result.exit_code == 1
    assert result.output.strip() == "已中止。"
