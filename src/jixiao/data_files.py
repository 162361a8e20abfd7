"""Data files in TOML that may `extends` another: the scoring profiles and the export
layouts (core, no I/O beyond reading the file asked for).

Both ship named files inside a package (`jixiao/profiles/national-2020.toml`,
`jixiao/export/layouts/shanghai.toml`) and take a file of the user's own by path, which
may extend a shipped one (or another file) and give only what differs, table by table.
What a kind of file is called is given in Chinese, for the messages.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


def shipped(package: str) -> list[str]:
    """The names of the `.toml` files shipped in `package`."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files(package).iterdir()
        if entry.name.endswith(".toml")
    )


def load_data(name_or_path: str, package: str, what: str) -> tuple[dict[str, Any], str]:
    """The data of a shipped file by name, or of a file by path, with what it extends
    merged under it; and where it was read from. `what` names the kind of file in
    messages (评分方案, 表样). Raises `ValueError` in Chinese for an unknown name, a file
    that is not TOML, and an `extends` that loops."""
    return _load(name_or_path, package, what, seen=())


def _load(
    name_or_path: str, package: str, what: str, seen: tuple[str, ...]
) -> tuple[dict[str, Any], str]:
    if name_or_path in seen:
        raise ValueError(f"{what}的 extends 形成循环：{' → '.join((*seen, name_or_path))}")
    if name_or_path in shipped(package):
        source = f"{package}/{name_or_path}.toml"
        text = resources.files(package).joinpath(f"{name_or_path}.toml").read_text("utf-8")
    else:
        path = Path(name_or_path)
        if not (path.suffix == ".toml" and path.is_file()):
            names = "、".join(shipped(package))
            raise ValueError(
                f"未知的{what}「{name_or_path}」；可用的{what}：{names}（或 .toml 文件路径）"
            )
        source = str(path)
        text = path.read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{what}文件 {source} 不是有效的 TOML：{exc}") from exc
    parent = data.get("extends")
    if parent is None:
        return data, source
    if not isinstance(parent, str):
        raise ValueError(f"{what} {source}：extends 必须是{what}名称")
    base, _ = _load(parent, package, what, (*seen, name_or_path))
    return merged(base, data), source


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`, table by table (a table in a table is merged too)."""
    out = dict(base)
    for key, value in override.items():
        if key == "extends":
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out
