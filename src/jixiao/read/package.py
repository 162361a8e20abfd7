"""Office packages (xlsx, docx: ZIP files) judged before anything is inflated.

Step 2 of the pipeline, shared by the Excel and Word readers. The sizes a ZIP's entries
declare bound what the zip module will ever inflate, so they can be trusted to refuse a
zip bomb, a package of a million parts or one huge XML part before any of it is read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from jixiao.catalogue import INPUT_TOO_LARGE, UNREADABLE_INPUT
from jixiao.findings import Finding

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PackageLimits:
    entries: int  # parts in the package
    unpacked: int  # bytes of all parts inflated
    ratio: int  # compression ratio of one large part
    ratio_floor: int = MIB  # parts smaller than this may compress as they like
    xml_part: int | None = None  # bytes of one XML part, where its parser holds it whole


def package_problem(
    entries: list[zipfile.ZipInfo], limits: PackageLimits, what: str, name: str
) -> Finding | None:
    """Why the package `name` (a `what`: 工作簿, Word 文档) is refused unread, or None."""
    if len(entries) > limits.entries:
        return INPUT_TOO_LARGE.finding(
            f"{what}包含 {len(entries)} 个部件，超过上限 {limits.entries}，未读取", file=name
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        return UNREADABLE_INPUT.finding(
            f"{what}已加密（设有密码），无法读取：请去掉密码后再提交", file=name
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.unpacked:
        return INPUT_TOO_LARGE.finding(
            f"{what}解压后共 {total / MIB:.0f} MB，超过上限 {limits.unpacked / MIB:.0f} MB"
            "（疑似压缩炸弹），未读取",
            file=name,
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_floor and ratio > limits.ratio:
            return INPUT_TOO_LARGE.finding(
                f"{what}的部件「{entry.filename}」压缩比 {ratio:.0f}:1"
                f"（{entry.compress_size} 字节解压为 {entry.file_size / MIB:.0f} MB），"
                f"超过上限 {limits.ratio}:1（疑似压缩炸弹），未读取",
                file=name,
            )
        xml = entry.filename.endswith((".xml", ".rels"))
        if xml and limits.xml_part is not None and entry.file_size > limits.xml_part:
            return INPUT_TOO_LARGE.finding(
                f"{what}的部件「{entry.filename}」有 {entry.file_size / MIB:.0f} MB，"
                f"超过上限 {limits.xml_part / MIB:.0f} MB，未读取",
                file=name,
            )
    return None
