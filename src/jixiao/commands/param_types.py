"""Option and argument values in Chinese (command line edge): twins of click's parameter
types with metavars 文本、整数、路径 and failures that name the value given.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

import click

from jixiao.oserrors import describe_os_error

if TYPE_CHECKING:
    _ChoiceBase = click.Choice[Any]
else:
    _ChoiceBase = click.Choice  # not subscriptable at run time before click 8.4


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
