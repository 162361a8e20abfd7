"""The commands' Chinese face: click's help, usage lines and errors in the official terms.

Part of the command line (the outermost edge). Every `jixiao` command is a `Command` and
the group a `Group` from here. click writes its own text in English, so each string a
user reads is set here, at the seam click offers for it:

- help: `help_text.HelpFormatter` writes 「用法：」 and the section headings, and wraps
  by the columns a CJK character takes on a terminal; `Command` writes the options with
  「默认：…」「范围：…」 and the help option's 「显示本帮助并退出。」;
- values: click's parameter types are swapped for their Chinese twins in
  `param_types` — metavars 文本、整数、路径, and a failure naming the value given;
- usage errors: click raises them worded in English; `Command.parse_args` and
  `Command.invoke` turn each, by its class, into one told in Chinese that names the
  option, the argument or the value, with the hint 「运行 jixiao parse --help 查看用法。」.
  Exit codes stay click's: 2 for a usage error, 1 for any other;
- an `OSError` that reaches a command is told by `jixiao.oserrors`, not by `strerror`.
"""

from __future__ import annotations

import difflib
import errno
import os
from collections.abc import Iterable, Sequence
from typing import IO, Any

import click
from click.formatting import join_options

from jixiao.commands.help_text import Context
from jixiao.commands.param_types import chinese_type, describe_range
from jixiao.oserrors import describe_os_error

HELP = "显示本帮助并退出。"
VERSION_HELP = "显示版本号并退出。"
VERSION_MESSAGE = "%(prog)s 版本 %(version)s"


# --- errors ------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """`text` ending as a Chinese sentence does (click's messages end with a period)."""
    return text if text.endswith(("。", "？", "！")) else f"{text}。"


def _hint(ctx: click.Context) -> str | None:
    if ctx.command.get_help_option(ctx) is None:
        return None
    names = ctx.command.get_help_option_names(ctx)
    return f"运行 {ctx.command_path} {max(names, key=len)} 查看用法。"


class CommandError(click.ClickException):
    """A failure told in Chinese (exit code 1)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{_sentence(self.format_message())}", file=file, err=file is None)


class CommandUsageError(click.UsageError):
    """A usage error told in Chinese: the usage line, the hint, the error (exit code 2)."""

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        color = ctx.color if ctx is not None else None
        if ctx is not None:
            hint = _hint(ctx)
            lead = ctx.get_usage() + (f"\n{hint}" if hint else "")
            click.echo(f"{lead}\n", file=file, err=file is None, color=color)
        click.echo(
            f"错误：{_sentence(self.format_message())}", file=file, err=file is None, color=color
        )


class Interrupted(click.ClickException):
    """Ctrl+C or the end of input while a command ran (click's 「Aborted!」, exit code 1)."""

    def __init__(self) -> None:
        super().__init__("已中止。")

    def show(self, file: IO[Any] | None = None) -> None:
        # The blank line closes the terminal's echo of ^C.
        click.echo(f"\n{self.message}", file=file, err=file is None)


def _quoted(values: Iterable[str]) -> str:
    return "、".join(f"「{value}」" for value in values)


def _or(names: Sequence[str]) -> str:
    # Spaces keep an option apart from the word: 「--json 或 --jobs」, not 「--json或--jobs」.
    return " 或 ".join(names)


def _param_label(exc: click.BadParameter) -> str:
    """「选项 --seed」, 「参数「路径...」」: what the user gave the bad value to."""
    hint = exc.param_hint
    if hint is not None:
        names = [hint] if isinstance(hint, str) else list(hint)
        kind = "选项" if all(name.startswith("-") for name in names) else "参数"
        return f"{kind} {' / '.join(names)}"
    param = exc.param
    if isinstance(param, click.Option):
        return f"选项 {' / '.join(param.opts)}"
    if isinstance(param, click.Argument) and exc.ctx is not None:
        return f"参数「{param.make_metavar(exc.ctx)}」"
    return "参数"


def _missing(exc: click.MissingParameter) -> str:
    param = exc.param
    if isinstance(param, click.Argument) and exc.ctx is not None:
        what = f"缺少参数「{param.make_metavar(exc.ctx)}」"
    elif isinstance(param, click.Option):
        what = f"缺少选项 {' / '.join(param.opts)}"
    else:
        what = "缺少参数"
    extra = param.type.get_missing_message(param, exc.ctx) if param is not None else None
    return f"{what}（{extra}）" if extra else what


def _bad_option_usage(exc: click.BadOptionUsage, ctx: click.Context) -> str:
    name = exc.option_name
    option = next(
        (p for p in ctx.command.get_params(ctx) if isinstance(p, click.Option) and name in p.opts),
        None,
    )
    if option is None or option.is_flag or option.count:
        # The parser refuses a value given to a flag (`--json=1`).
        return f"选项 {name} 是开关，不接受值"
    if option.nargs > 1:
        return f"选项 {name} 需要 {option.nargs} 个值"
    return f"选项 {name} 需要一个值"


def _commands(ctx: click.Context) -> list[str]:
    group = ctx.command
    return group.list_commands(ctx) if isinstance(group, click.Group) else []


def unknown_command(name: str, ctx: click.Context) -> str:
    known = _commands(ctx)
    message = f"未知的命令「{name}」；可用的命令：{'、'.join(known)}"
    close = difflib.get_close_matches(name, known)
    return f"{message}。是否要用 {_or(close)}？" if close else message


def _usage_message(exc: click.UsageError, ctx: click.Context) -> str:
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        # Its message is already Chinese: from a twin above, or from a command's own check.
        label = _param_label(exc)
        return f"{label}{'' if label.endswith('」') else ' '}的值无效：{exc.message}"
    if isinstance(exc, click.NoSuchOption):
        message = f"未知的选项 {exc.option_name}"
        return f"{message}；是否要用 {_or(exc.possibilities)}？" if exc.possibilities else message
    if isinstance(exc, click.BadOptionUsage):
        return _bad_option_usage(exc, ctx)
    if isinstance(exc, click.BadArgumentUsage):
        return "参数的值的个数不对"
    if (
        type(exc) is click.UsageError
        and isinstance(ctx.command, click.Group)
        and ctx.invoked_subcommand is None
    ):
        # click's 「Missing command.」: options were given to the group, no command.
        return f"缺少命令；可用的命令：{'、'.join(_commands(ctx))}"
    return exc.message  # a usage error of jixiao's own, worded in Chinese


def in_chinese(exc: click.ClickException, ctx: click.Context) -> click.ClickException:
    """`exc` told in Chinese (the same exception when it already is)."""
    if isinstance(exc, CommandError | CommandUsageError | Interrupted):
        return exc
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc  # shows the help, which is Chinese already
    if isinstance(exc, click.UsageError):
        where = exc.ctx or ctx
        return CommandUsageError(_usage_message(exc, where), where)
    if isinstance(exc, click.FileError):
        return CommandError(f"无法打开文件「{exc.ui_filename}」")
    return CommandError(exc.format_message())  # jixiao's own failures are worded in Chinese


def os_error_message(exc: OSError) -> str:
    """「path」：why, for an OSError that reached a command (the path when it has one)."""
    reason = describe_os_error(exc)
    name = exc.filename
    if isinstance(name, str | bytes | os.PathLike):
        return f"「{os.fsdecode(name)}」：{reason}"
    return reason


# --- commands ----------------------------------------------------------------------------


class Command(click.Command):
    """A click command whose help, usage and errors are Chinese (see the module)."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            param.type = chinese_type(param.type)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        write_options(self, ctx, formatter)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(getattr(a, "help", None) for a in arguments):
            with formatter.section("参数"):
                formatter.write_dl(
                    [(a.make_metavar(ctx), getattr(a, "help", "") or "") for a in arguments]
                )

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # click words extra arguments in English inside parse_args and lets them through
        # when extra arguments are allowed: so they are let through, and refused here.
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click.ClickException as exc:
            raise in_chinese(exc, ctx) from exc
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise CommandUsageError(f"多余的参数{_quoted(rest)}", ctx)
        return rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise in_chinese(exc, ctx) from exc
        except OSError as exc:
            # A broken pipe is click's to handle (it exits quietly); an OSError without
            # an errno is no system error but a library's bug, and keeps its traceback.
            if exc.errno is None or exc.errno == errno.EPIPE:
                raise
            raise CommandError(os_error_message(exc)) from exc
        except (click.Abort, KeyboardInterrupt, EOFError) as exc:
            raise Interrupted() from exc


class Group(Command, click.Group):
    """A click group whose help, usage and errors are Chinese (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        write_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Refused here, before click words it (an option-like word is click's to parse).
        name = args[0]
        if (
            self.get_command(ctx, name) is None
            and not name.startswith("-")
            and not ctx.resilient_parsing
        ):
            raise CommandUsageError(unknown_command(name, ctx), ctx)
        return super().resolve_command(ctx, args)


def option_help(option: click.Option, ctx: click.Context) -> str:
    """The option's help with its default, range and whether it is required, in Chinese."""
    extra = option.get_help_extra(ctx)
    notes = []
    if "envvars" in extra:
        notes.append(f"环境变量：{'、'.join(extra['envvars'])}")
    if "default" in extra:
        shown = "运行时决定" if callable(option.default) else extra["default"]
        notes.append(f"默认：{shown}")
    if isinstance(option.type, click.IntRange | click.FloatRange):
        notes.append(f"范围：{describe_range(option.type)}")
    if option.required:
        notes.append("必填")
    help = option.help or ""
    return f"{help}（{'；'.join(notes)}）" if notes else help


def _spec(option: click.Option, ctx: click.Context) -> str:
    """`-h, --help` or `--port 整数`: the option's spellings and metavar."""
    spellings = []
    for opts in (option.opts, option.secondary_opts):
        if opts:
            joined, _slash = join_options(opts)
            if not option.is_flag and not option.count:
                joined += f" {option.make_metavar(ctx)}"
            spellings.append(joined)
    return " / ".join(spellings)


def write_options(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    rows = [
        (_spec(param, ctx), option_help(param, ctx))
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not param.hidden
    ]
    if rows:
        with formatter.section("选项"):
            formatter.write_dl(rows)
