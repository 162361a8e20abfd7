"""The command line: thin click commands over the library (the outermost edge).

Commands live one per module in `jixiao.commands` and are imported only when run, so
that `jixiao --help` starts fast and a command's heavy dependencies (SQLAlchemy,
FastAPI) cost nothing to the others.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from jixiao.commands.language import VERSION_HELP, VERSION_MESSAGE, Group

# name -> (module, attribute, one-line help shown by `jixiao --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "parse": ("jixiao.commands.parse", "parse", "读取表单文件，输出摘要或交换格式 JSON。"),
    "check": ("jixiao.commands.check", "check", "读取、计分并审核表单，列出全部问题。"),
    "rules": ("jixiao.commands.rules", "rules", "列出审核规则目录。"),
    "import": ("jixiao.commands.importer", "import_", "把表单文件导入数据库。"),
    "export": ("jixiao.commands.export", "export", "把表单按官方表样导出为 Excel、PDF、Word 等。"),
    "serve": ("jixiao.commands.serve", "serve", "启动网页服务。"),
    "worker": ("jixiao.commands.worker", "worker", "处理后台任务：读取、审核与保存上传的文件。"),
    "demo": ("jixiao.commands.demo", "demo", "生成演示数据库并启动网页服务。"),
    "publish": ("jixiao.commands.publish", "publish", "把表单库写成开放数据包（CSV 与数据说明）。"),
}


class LazyGroup(Group):
    """A group whose subcommands are imported on first use (its help and errors are
    Chinese, as every command's: `jixiao.commands.language`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None or not _available(cmd_name):
            return None
        module = importlib.import_module(spec[0])
        command = getattr(module, spec[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text comes from the table above, so listing commands imports nothing.
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    module = COMMANDS[name][0]
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jixiao", message=VERSION_MESSAGE, help=VERSION_HELP)
def main() -> None:
    """jixiao（绩效）：财政项目支出绩效目标申报表与自评表的读取、计分、审核与分析。"""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
