"""Saved web pages: the form's table inside a 政府信息公开 page, as .html and as .mhtml.

The page carries what such sites carry around the table — navigation menus, breadcrumbs,
a notice, scripts, styles, layout tables, a footer of links — in GBK as many of them are,
and saved by a browser as one MIME file (quoted-printable). Every gold form must come
back exactly.
"""

from __future__ import annotations

import quopri

import pytest

from jixiao.pipeline import read_bytes
from jixiao.read.sniff import Format
from tests.support.render import to_html
from tests.test_read_roundtrip import _comparable, _gold_forms

_NAV = """
<div class="top"><table class="layout"><tr><td><a href="/">首页</a></td><td><a href="/zwgk">政务公开</a></td>
<td><a href="/zxfw">在线服务</a></td><td><a href="/hdjl">互动交流</a></td></tr></table></div>
<ul class="nav"><li><a href="/zwgk/czyjs">财政预决算</a></li><li><a href="/zwgk/jxgl">绩效管理</a></li></ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 绩效管理</div>
<script>var _hmt = _hmt || []; document.write("<table><tr><td>广告</td></tr></table>");</script>
<style>table.form td { border: 1px solid #000; }</style>
<h1>关于公开项目支出绩效自评结果的说明</h1>
<p>发布日期：2025-06-30　来源：本单位　浏览次数：1024</p>
<p>根据预算绩效管理有关规定，现将项目支出绩效自评表公开如下：</p>
"""
_FOOTER = """
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="footer"><p>主办单位：某区人民政府办公室　地址：某区某路 1 号</p>
<p><a href="/sitemap">网站地图</a> | <a href="/contact">联系我们</a></p></div>
"""


def _page(forms_html: str) -> str:
    body = forms_html.replace("<html><body>", "").replace("</body></html>", "")
    return (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>绩效自评结果公开</title>'
        "<script src='/js/jquery.js'></script></head><body>"
        f"{_NAV}<div class='article'>{body}</div>{_FOOTER}</body></html>"
    )


def _mhtml(html: str) -> bytes:
    """A page as Chromium's 'Save as: Webpage, single file' writes it."""
    body = quopri.encodestring(html.encode("gbk"))
    boundary = "----MultipartBoundary--dYx0vIyLqVPC3aq2OGl3v1WkCPqwNmS1Rlt0Qd2lHf----"
    return (
        b"From: <Saved by Blink>\r\n"
        b"Snapshot-Content-Location: http://www.example.gov.cn/zwgk/jxgl/1.html\r\n"
        b"Subject: =?utf-8?Q?=E7=BB=A9=E6=95=88?=\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="'
        + boundary.encode()
        + b'"\r\n\r\n\r\n--'
        + boundary.encode()
        + b"\r\nContent-Type: text/html; charset=gb2312\r\n"
        b"Content-ID: <frame-1@mhtml.blink>\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b"Content-Location: http://www.example.gov.cn/zwgk/jxgl/1.html\r\n\r\n"
        + body
        + b"\r\n\r\n--"
        + boundary.encode()
        + b"\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Location: http://www.example.gov.cn/logo.png\r\n\r\niVBORw0KGgo=\r\n\r\n--"
        + boundary.encode()
        + b"--\r\n"
    )


@pytest.mark.parametrize("saved", ["html", "mhtml"])
def test_gold_forms_read_from_a_saved_page(saved: str) -> None:
    forms = _gold_forms()
    page = _page(to_html(forms))
    data = page.encode("gbk") if saved == "html" else _mhtml(page)
    result = read_bytes(data, f"公开.{saved}")
    assert result.format == (Format.HTML if saved == "html" else Format.MHTML)
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]
    assert not result.errors


def test_a_saved_page_without_html_says_so() -> None:
    data = _mhtml("").replace(b"text/html", b"text/plain")
    result = read_bytes(data, "空.mhtml")
    assert [f.kind for f in result.findings] == ["unreadable-input"]
    assert "MHTML" in result.findings[0].message
