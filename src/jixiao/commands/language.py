"""The commands' Chinese face: click's help, usage lines and errors in the official terms.

Part of the command line (the outermost edge). Every `jixiao` command is a `Command` and
the group a `Group` from here. click writes its own text in English, so each string a
user reads is set here, at the seam click offers for it:

- help: `HelpFormatter` writes 「用法：」 and the section headings, and wraps by the
  columns a CJK character takes on a terminal; `Command` writes the options with
  「默认：…」「范围：…」 and the help option's 「显示本帮助并退出。」;
- values: click's parameter types are swapped for Chinese twins — metavars 文本、整数、
  路径, and a failure naming the value given;
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
import re
import stat
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

import click
from click.formatting import join_options

from jixiao.oserrors import describe_os_error
from jixiao.vocabulary.width import wide_count

if TYPE_CHECKING:
    _ChoiceBase = click.Choice[Any]
else:
    _ChoiceBase = click.Choice  # not subscriptable at run time before click 8.4

HELP = "显示本帮助并退出。"
VERSION_HELP = "显示版本号并退出。"
VERSION_MESSAGE = "%(prog)s 版本 %(version)s"


# --- help: widths and wrapping ----------------------------------------------------------

_WIDE = "\u2e81-\U0010ffff"  # what `vocabulary.width` counts wide
# A line never starts with closing punctuation, nor ends with opening punctuation.
_CLOSING = frozenset("，。、；：？！）」』》】")
_OPENING = frozenset("（「『《【")
_JOINING = frozenset("～")  # a range 「1～64」 stays on one line
# Units a line may break between: spaces, a run of narrow text (a word, an option, a
# path stays whole), one wide character.
_UNIT = re.compile(rf"\s+|[^\s{_WIDE}]+|\S")
# A line break inside a paragraph between two CJK characters is no space.
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*\n\s*(?=[{_WIDE}])")


def columns(text: str) -> int:
    """The terminal columns `text` takes: a CJK character takes two."""
    return len(text) + wide_count(text)


def _units(text: str, cjk_breaks: bool) -> list[str]:
    units: list[str] = []
    glued = False  # the last unit was opening punctuation: the next one joins it
    for unit in _UNIT.findall(text) if cjk_breaks else re.findall(r"\s+|\S+", text):
        if unit.isspace():
            units.append(" ")
            glued = False
        elif units and (glued or (unit in _CLOSING | _JOINING and not units[-1].isspace())):
            units[-1] += unit
            glued = unit in _OPENING | _JOINING
        else:
            units.append(unit)
            glued = unit in _OPENING | _JOINING
    return units


def wrap(
    text: str, width: int, initial: str = "", subsequent: str = "", *, cjk_breaks: bool = True
) -> list[str]:
    """`text` filled into lines of at most `width` columns (a unit wider than the line
    gets a line of its own); `cjk_breaks=False` breaks at spaces only."""
    lines: list[str] = []
    indent, line, space = initial, "", False
    for unit in _units(text, cjk_breaks):
        if unit == " ":
            space = bool(line)
            continue
        piece = f" {unit}" if space else unit
        if line and columns(indent + line + piece) > width:
            lines.append(indent + line)
            indent, line = subsequent, unit
        else:
            line += piece
        space = False
    lines.append(indent + line)
    return lines


def fill(text: str, width: int, indent: str = "") -> list[str]:
    """Paragraphs (split at blank lines) filled to `width`, a blank line between them; a
    paragraph whose first line is `\\b` is kept as written (click's convention)."""
    out: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip("\n")):
        if out:
            out.append("")
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out.extend(indent + line for line in lines[1:])
        else:
            out.extend(wrap(_CJK_BREAK.sub("", paragraph), width, indent, indent))
    return out


class HelpFormatter(click.HelpFormatter):
    """click's formatter with Chinese headings and CJK-aware widths (click counts a CJK
    character as one column, so Chinese help ran past the terminal and lost alignment)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "用法：" if prefix is None else prefix
        lead = f"{prefix:>{self.current_indent}}{prog} "
        if not args:
            self.write(lead.rstrip(" ") + "\n")
            return
        text_width = self.width - self.current_indent
        if text_width >= columns(lead) + 20:
            lines = wrap(args, text_width, lead, " " * columns(lead), cjk_breaks=False)
        else:
            # The program name is too long: the arguments go below it.
            indent = " " * (max(self.current_indent, columns(prefix)) + 4)
            lines = [lead.rstrip(" "), *wrap(args, text_width, indent, indent, cjk_breaks=False)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(fill(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(columns(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = fill(second, max(self.width - first_col - 2, 10))
            hanging = " " * (first_col + self.current_indent)
            self.write(
                "\n".join([lines[0], *(hanging + line if line else "" for line in lines[1:])])
            )
            self.write("\n")


class Context(click.Context):
    formatter_class = HelpFormatter


# --- values: Chinese twins of click's parameter types ------------------------------------


def describe_range(kind: click.IntRange | click.FloatRange) -> str:
    """「1～64」, 「不小于 1」, 「大于 0 且不大于 1」 …"""
    low, high = kind.min, kind.max
    if low is not None and high is not None and not kind.min_open and not kind.max_open:
        return f"{low}～{high}"
    parts = []
    if low is not None:
        parts.append(f"大于 {low}" if kind.min_open else f"不小于 {low}")
    if high is not None:
        parts.append(f"小于 {high}" if kind.max_open else f"不大于 {high}")
    return " 且".join(parts)


class Text(click.types.StringParamType):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "文本"


class Integer(click.types.IntParamType):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」不是整数", param, ctx)


class IntegerRange(click.IntRange):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = Integer().convert(value, param, ctx)
        try:
            return super().convert(number, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」超出范围（{describe_range(self)}）", param, ctx)


class Number(click.types.FloatParamType):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "数"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」不是数", param, ctx)


class NumberRange(click.FloatRange):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "数"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = Number().convert(value, param, ctx)
        try:
            return super().convert(number, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」超出范围（{describe_range(self)}）", param, ctx)


class Boolean(click.types.BoolParamType):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "是否"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> bool:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」不是是否值（可用 1/0、true/false、yes/no、on/off）", param, ctx)


class PathType(click.Path):
    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        if self.file_okay and not self.dir_okay:
            return "文件"
        if self.dir_okay and not self.file_okay:
            return "文件夹"
        return "路径"

    def convert(
        self,
        value: str | os.PathLike[str],
        param: click.Parameter | None,
        ctx: click.Context | None,
    ) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(self._refusal(value), param, ctx)

    def _refusal(self, value: str | os.PathLike[str]) -> str:
        # click's checks, in its order, to say which one failed.
        shown = f"「{os.fsdecode(value)}」"
        try:
            mode = os.stat(os.path.realpath(value) if self.resolve_path else value).st_mode
        except OSError as exc:
            return f"{shown}：{describe_os_error(exc)}"
        if not self.file_okay and stat.S_ISREG(mode):
            return f"{shown}是文件，这里要的是文件夹"
        if not self.dir_okay and stat.S_ISDIR(mode):
            return f"{shown}是文件夹，这里要的是文件"
        if self.readable and not os.access(value, os.R_OK):
            return f"{shown}没有读取权限"
        if self.writable and not os.access(value, os.W_OK):
            return f"{shown}没有写入权限"
        return f"{shown}没有执行权限"


class Choices(_ChoiceBase):
    def _names(self, ctx: click.Context | None) -> list[str]:
        return [self.normalize_choice(choice, ctx) for choice in self.choices]

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        names = "|".join(self._names(ctx))
        if param.required and param.param_type_name == "argument":
            return f"{{{names}}}"
        return f"[{names}]"

    def get_missing_message(self, param: click.Parameter, ctx: click.Context | None) -> str:
        return f"可选：{'、'.join(self._names(ctx))}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」不是可选的值（可选：{'、'.join(self._names(ctx))}）", param, ctx)


# click's type (exactly: a subclass of one words its own failures) → its Chinese twin.
_TWINS: dict[type[Any], type[Any]] = {
    click.types.StringParamType: Text,
    click.types.IntParamType: Integer,
    click.IntRange: IntegerRange,
    click.types.FloatParamType: Number,
    click.FloatRange: NumberRange,
    click.types.BoolParamType: Boolean,
    click.Path: PathType,
    click.Choice: Choices,
}


def chinese_type(kind: click.ParamType[Any]) -> click.ParamType[Any]:
    """The Chinese twin of click's type `kind`, with the same settings; any other type
    (one of jixiao's own) is kept, and words its own metavar and failures."""
    twin = _TWINS.get(type(kind))
    if twin is None:
        return kind
    translated: click.ParamType[Any] = object.__new__(twin)
    vars(translated).update(vars(kind))  # the settings: choices, bounds, path checks …
    return translated


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
    return "或".join(names)


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
