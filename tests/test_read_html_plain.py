"""The HTML reader's fast path gives the very cells HTMLParser gives.

`read.html` splits plain table markup with one regex (`_feed_plain`) and leaves anything
else to `HTMLParser`. Both feed the same handlers; these tests hold the fast path to
HTMLParser's events on the demo's tables and on random markup, plain or not.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.demo.generator import iter_forms
from jixiao.read.html import _TABLE_BLOCK, _feed_plain, _TableParser
from tests.support.render import to_html


def _by_htmlparser(markup: str) -> list[list[tuple[str, int, int]]]:
    parser = _TableParser()
    parser.feed(markup)
    parser.close()
    return parser.rows


def _by_plain(markup: str) -> list[list[tuple[str, int, int]]] | None:
    parser = _TableParser()
    return parser.rows if _feed_plain(parser, markup) else None


def test_the_demo_tables_take_the_fast_path_and_read_alike() -> None:
    page = to_html(list(iter_forms(40, seed=11)))
    tables = [match.group(0) for match in _TABLE_BLOCK.finditer(page)]
    assert len(tables) >= 40
    for table in tables:
        plain = _by_plain(table)
        assert plain is not None, table[:200]
        assert plain == _by_htmlparser(table)


PLAIN_TAGS = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<TR>",
        "<td>",
        "</td>",
        "<th>",
        "</th >",
        "<TD>",
        "<td/>",
        "<br>",
        "<br/>",
        "<br />",
        "<p>",
        "</p>",
        "<div class=x>",
        "<li>",
        "<span>",
        '<a href="/x/y?a=1&amp;b=2">',
        "</a>",
        '<td rowspan="2">',
        "<td colspan=3>",
        "<td ROWSPAN='2' colspan=\"2\">",
        '<th colspan="&#51;">',
        '<td rowspan="">',
        "<td nowrap>",
        '<td\trowspan="2"\ncolspan="2">',
        '<td colspan="x2y">',
    ]
)
TEXT = st.sampled_from(
    [
        "",
        "项目",
        " 一级指标 ",
        "100.00",
        "&amp;",
        "&nbsp;",
        "&#x4e00;",
        "a&b",
        "x > y",
        "\n",
        "&lt;td&gt;",
    ]
)
# Markup HTMLParser reads in its own way (or that might be read so): never fast.
OTHER = [
    "<!-- 注 -->",
    "<!DOCTYPE html>",
    "a < b",
    "<script>x</script>",
    "<td colspan=2/>",
    "< td>",
    '<td a="x/>',
    '<td rowspan=2 colspan="2"/>',
    "<td/ >",
    "<p/x>",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PLAIN_TAGS, TEXT), max_size=40))
def test_plain_markup_reads_as_htmlparser_reads_it(parts: list[str]) -> None:
    markup = "".join(parts)
    plain = _by_plain(markup)
    assert plain is not None, markup
    assert plain == _by_htmlparser(markup)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PLAIN_TAGS, TEXT, st.sampled_from(OTHER)), max_size=40))
def test_other_markup_is_left_to_htmlparser(parts: list[str]) -> None:
    markup = "".join(parts)
    plain = _by_plain(markup)
    if plain is not None:
        assert plain == _by_htmlparser(markup), markup
    else:
        assert any(part in parts for part in OTHER), markup
