"""Server-rendered SVG charts for the overview page (presentation step).

No JavaScript and no chart library: each function returns one `<svg>` element that the
template inserts as is. Text is escaped here, since the SVG is marked safe. Bars may
link somewhere (a filtered form list), so every figure on the dashboard leads to the
forms behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from jixiao.vocabulary.width import display_width

FONT_SIZE = 13
PALETTE = ("#2f6690", "#d9822b", "#3a7d44", "#9b2f2f", "#6c5b7b", "#8a8a8a")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    colour: str | None = None


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Roughly how wide `text` renders: CJK glyphs are square, Latin ones about 0.6 em."""
    return size * display_width(text, narrow=0.6)


def _fit(text: str, width: float, size: int = FONT_SIZE) -> str:
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def _link(href: str | None, body: str) -> str:
    return f'<a href="{escape(href)}">{body}</a>' if href else body


def hbar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    width: int = 560,
    label_width: int = 200,
    unit: str = "",
) -> Markup:
    """Horizontal bars, one per row, longest first as given; value printed after each."""
    row_h, bar_h, top = 26, 16, 6
    height = top + row_h * max(len(bars), 1) + 4
    value_room = 70
    scale_width = width - label_width - value_room
    peak = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="0" y="{top + 14}" class="empty">暂无数据</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = max(bar.value / peak * scale_width, 1 if bar.value else 0)
        colour = bar.colour or PALETTE[0]
        label = _fit(bar.label, label_width - 10)
        body = (
            f"<title>{escape(bar.label)}：{bar.value}{escape(unit)}</title>"
            f'<text x="{label_width - 8}" y="{y + bar_h - 3}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_h}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_h - 3}" class="value">'
            f"{bar.value}{escape(unit)}</text>"
        )
        parts.append(f'<g class="bar">{_link(bar.href, body)}</g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(
    groups: Sequence[tuple[str, Sequence[int], str | None]],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 560,
    height: int = 230,
) -> Markup:
    """Vertical columns: one group per x label, one column per series within a group.

    `groups` holds (label, one value per series, link of the group or None).
    """
    top, bottom, left = 22, 40, 8
    legend_h = 20 if len(series) > 1 else 0
    plot_h = height - top - bottom - legend_h
    peak = max((v for _, values, _ in groups for v in values), default=0) or 1
    slot = (width - left * 2) / max(len(groups), 1)
    column_w = min(36.0, slot * 0.8 / max(len(series), 1))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" '
        'class="axis"/>',
    ]
    if not groups:
        parts.append(f'<text x="{left}" y="{top + 14}" class="empty">暂无数据</text>')
    for g, (label, values, href) in enumerate(groups):
        x0 = left + g * slot + (slot - column_w * len(values)) / 2
        body = []
        for k, value in enumerate(values):
            h = value / peak * plot_h
            x = x0 + k * column_w
            colour = series[k].colour if k < len(series) else PALETTE[k % len(PALETTE)]
            name = series[k].name if k < len(series) else ""
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{column_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(label)} {escape(name)}：'
                f"{value}</title></rect>"
            )
            if value:
                body.append(
                    f'<text x="{x + (column_w - 2) / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                    f'text-anchor="middle" class="value">{value}</text>'
                )
        centre = left + g * slot + slot / 2
        body.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"{escape(_fit(label, slot - 4))}</text>"
        )
        parts.append(f'<g class="column">{_link(href, "".join(body))}</g>')
    if legend_h:
        x = left
        y = height - 8
        for one in series:
            parts.append(
                f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{one.colour}"/>'
                f'<text x="{x + 16}" y="{y}">{escape(one.name)}</text>'
            )
            x += int(text_width(one.name)) + 40
    parts.append("</svg>")
    return Markup("".join(parts))
