"""Bar charts as a table: each row holds its label, its number and an SVG bar. Pure, no I/O.

The numbers are the table's text, so the bars add a picture without hiding anything from
people who cannot see them (the SVG is aria-hidden). The table wraps long labels on a phone,
which text inside one SVG cannot do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
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


# The three figures of social value, each drawn in its own colour (each 3:1 or more on white).
FIGURE_COLOURS = {"committed": "#505a5f", "reported": "#6baed6", "confirmed": "#08519c"}
FIGURE_HEADINGS = {
    "committed": "Committed",
    "reported": "Reported by the supplier",
    "confirmed": "Confirmed by the organisation",
}


def format_number(value: Decimal) -> str:
    """A figure as people read it: 1,200 or 12.5 (no trailing zeros, no exponent)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


@dataclass(frozen=True)
class FigureRow:
    """One row of a figures chart: what it is, its unit, and its three figures."""

    label: str
    unit: str
    committed: Decimal
    reported: Decimal
    confirmed: Decimal
    href: str | None = None


def _figure_width(value: Decimal, largest: Decimal) -> str:
    if largest <= 0 or value <= 0:
        return "0"
    return f"{min(value / largest, Decimal(1)) * 100:.1f}".removesuffix(".0")


def _figures_svg(row: FigureRow) -> str:
    """Three bars, committed above reported above confirmed, on the row's own scale."""
    largest = max(row.committed, row.reported)
    rects = "".join(
        f'<rect y="{index * 4}" width="{width}" height="3" fill="{FIGURE_COLOURS[name]}"/>'
        for index, name in enumerate(FIGURE_COLOURS)
        if (width := _figure_width(getattr(row, name), largest)) != "0"
    )
    return (
        '<svg class="sv-figures__svg" aria-hidden="true" focusable="false" '
        f'viewBox="0 0 100 11" preserveAspectRatio="none">{rects}</svg>'
    )


def figures_chart(
    rows: Sequence[FigureRow], *, caption: str, label_heading: str, headings: dict[str, str]
) -> str:
    """A table of committed, reported and confirmed figures with a three-bar picture per row.

    `headings` names the three figure columns (keys as FIGURE_HEADINGS). On a phone each row
    stacks (class sv-stack), every cell under its column's heading (`data-label`).
    """
    names = {**FIGURE_HEADINGS, **headings}
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        for h in (label_heading, "Unit", *names.values(), "Compared")
    )
    body = []
    for row in rows:
        label = escape(row.label)
        if row.href is not None:
            label = f'<a href="{escape(row.href)}">{label}</a>'
        cells = "".join(
            f'<td data-label="{escape(names[n])}:" class="sv-figures__number">'
            f"{format_number(getattr(row, n))}</td>"
            for n in FIGURE_HEADINGS
        )
        body.append(
            f'<tr><th scope="row">{label}</th><td data-label="Unit:">{escape(row.unit)}</td>'
            f'{cells}<td data-label="Compared:">{_figures_svg(row)}</td></tr>'
        )
    return (
        f'<table class="sv-stack sv-figures"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def figures_key(headings: dict[str, str] | None = None) -> str:
    """What the three colours of a figures chart stand for, as text with a swatch each."""
    names = {**FIGURE_HEADINGS, **(headings or {})}
    items = "".join(
        f'<li><svg class="sv-figures__swatch" aria-hidden="true" focusable="false" '
        f'viewBox="0 0 1 1"><rect width="1" height="1" fill="{colour}"/></svg>'
        f"{escape(names[name])}</li>"
        for name, colour in FIGURE_COLOURS.items()
    )
    return f'<ul class="sv-figures__key">{items}</ul>'
