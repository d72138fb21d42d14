"""Bar charts as a table: each row holds its label, its number and an SVG bar. Pure, no I/O.

The numbers are the table's text, so the bars add a picture without hiding anything from
people who cannot see them (the SVG is aria-hidden). The table wraps long labels on a phone,
which text inside one SVG cannot do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BAR_COLOUR = "#2171b5"  # 5:1 against white: a graphic people can make out (WCAG 1.4.11)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    href: str | None = None  # a link for the label, when there is a page for it


def bar_width(count: int, largest: int) -> str:
    """The bar's length as a percentage of the largest count, to one decimal place."""
    if largest <= 0 or count <= 0:
        return "0"
    text = f"{100 * count / largest:.1f}"
    return text.removesuffix(".0")


def _svg(width: str) -> str:
    rect = f'<rect width="{width}" height="1" fill="{BAR_COLOUR}"/>' if width != "0" else ""
    return (
        '<svg class="sv-bars__svg" aria-hidden="true" focusable="false" '
        f'viewBox="0 0 100 1" preserveAspectRatio="none">{rect}</svg>'
    )


def _row(bar: Bar, largest: int) -> str:
    label = escape(bar.label)
    if bar.href is not None:
        label = f'<a href="{escape(bar.href)}">{label}</a>'
    return (
        f'<tr><th scope="row">{label}</th>'
        f'<td><span class="sv-bars__value"><span class="sv-bars__count">{bar.count}</span>'
        f"{_svg(bar_width(bar.count, largest))}</span></td></tr>"
    )


def bar_chart(bars: Sequence[Bar], *, caption: str, label_heading: str, count_heading: str) -> str:
    """An HTML table with a caption, two column headings, and one row (with a bar) per item."""
    largest = max((b.count for b in bars), default=0)
    rows = "".join(_row(b, largest) for b in bars)
    return (
        f'<table class="sv-bars"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(label_heading)}</th>'
        f'<th scope="col">{escape(count_heading)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
