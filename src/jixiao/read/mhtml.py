"""Saved web pages (`.mhtml`/`.mht`, "网页，单个文件") to a Grid, through the HTML reader.

Step 2 of the pipeline. A browser saves a page as one MIME message: the HTML in one part,
quoted-printable or base64, in the page's own charset (often GB2312/GBK on 政府信息公开
sites), and its images in others. The HTML part is decoded here and read by the HTML
reader, which finds the form's table wherever it sits in the page's navigation and text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.catalogue import UNREADABLE_INPUT
from jixiao.findings import Finding
from jixiao.read.decode import decode
from jixiao.read.grid import Grid
from jixiao.read.html import read_html

if TYPE_CHECKING:
    from email.message import Message

# A saved page is a few MB; its HTML part is read only up to this size.
_MAX_HTML_BYTES = 32 * 1024 * 1024


def is_mhtml(data: bytes) -> bool:
    """A MIME message of a saved page: MIME headers first, a multipart/related body."""
    head = data[:4096].lstrip().lower()
    return head.startswith(
        (b"from:", b"mime-version:", b"content-type:", b"subject:", b"date:")
    ) and (b"multipart/related" in head)


def read_mhtml(data: bytes, name: str) -> Grid | list[Finding]:
    # The email package is imported here, on first use: `is_mhtml` is asked of every
    # file read, and importing the package costs every command's start-up 20 ms.
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _html_part(message)
    if part is None:
        return [UNREADABLE_INPUT.finding("网页文件（MHTML）中没有 HTML 正文部分", file=name)]
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return [UNREADABLE_INPUT.finding("网页文件（MHTML）的 HTML 正文为空或无法解码", file=name)]
    if len(payload) > _MAX_HTML_BYTES:
        return [
            UNREADABLE_INPUT.finding(
                f"网页文件（MHTML）的 HTML 正文有 {len(payload) / 1048576:.0f} MB，超过上限，未读取",
                file=name,
            )
        ]
    text = _text(payload, part.get_content_charset())
    if text is None:
        return [UNREADABLE_INPUT.finding("网页文件（MHTML）的 HTML 正文无法解码为文本", file=name)]
    return read_html(text, name)


def _html_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None


def _text(payload: bytes, charset: str | None) -> str | None:
    """The HTML in the charset the part declares (GBK for GB2312: a superset browsers use),
    else as any text file is decoded."""
    if charset:
        codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
        try:
            return payload.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    text, _encoding = decode(payload)
    return text
