"""Bar chart tables: numbers as text, bars as aria-hidden SVG, every label escaped."""

from __future__ import annotations

from bs4 import BeautifulSoup

from socialvalue.charts import BAR_COLOUR, Bar, bar_chart, bar_width

HOSTILE = "Sample <script>alert(1)</script> \"quoted\" & 'apos'"


def chart(bars: list[Bar]) -> BeautifulSoup:
    html = bar_chart(bars, caption="Sample caption", label_heading="Priority", count_heading="Orgs")
    return BeautifulSoup(html, "html.parser")


def test_bar_width_is_a_share_of_the_largest() -> None:
    assert [bar_width(n, 8) for n in (0, 1, 4, 8)] == ["0", "12.5", "50", "100"]
    assert bar_width(1, 3) == "33.3"
    assert bar_width(0, 0) == "0"


def test_the_table_has_a_caption_headings_and_one_row_per_bar() -> None:
    soup = chart([Bar("Preventing crime", 4, "priorities/pc/"), Bar("Reducing harm", 8)])
    table = soup.find("table", class_="sv-bars")
    assert table.caption.get_text() == "Sample caption"
    assert [(th.get_text(), th["scope"]) for th in table.thead.find_all("th")] == [
        ("Priority", "col"),
        ("Orgs", "col"),
    ]
    rows = table.tbody.find_all("tr")
    assert [(r.th.get_text(), r.th["scope"], r.td.get_text()) for r in rows] == [
        ("Preventing crime", "row", "4"),
        ("Reducing harm", "row", "8"),
    ]
    assert rows[0].th.a["href"] == "priorities/pc/" and rows[1].th.a is None
    svgs = [r.find("svg") for r in rows]
    assert all(s["aria-hidden"] == "true" and s["focusable"] == "false" for s in svgs)
    assert [(s.rect["width"], s.rect["fill"]) for s in svgs] == [
        ("50", BAR_COLOUR),
        ("100", BAR_COLOUR),
    ]


def test_a_zero_count_has_no_bar_but_keeps_its_number() -> None:
    row = chart([Bar("None yet", 0), Bar("Some", 2)]).tbody.tr
    assert row.td.get_text() == "0"
    assert row.find("svg") is not None and row.find("rect") is None


def test_hostile_labels_and_links_are_escaped() -> None:
    html = bar_chart(
        [Bar(HOSTILE, 1, '"><script>x</script>')],
        caption="<b>caption</b>",
        label_heading="<i>",
        count_heading="&",
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.tbody.th.get_text() == HOSTILE
    assert soup.tbody.th.a["href"] == '"><script>x</script>'
    assert soup.caption.get_text() == "<b>caption</b>"
    assert soup.find("script") is None


def test_no_bars_is_an_empty_table_body() -> None:
    soup = chart([])
    assert soup.tbody.find_all("tr") == []


def test_same_input_same_bytes() -> None:
    bars = [Bar("A", 3, "a/"), Bar("B", 7, "b/")]
    assert bar_chart(bars, caption="c", label_heading="l", count_heading="n") == bar_chart(
        bars, caption="c", label_heading="l", count_heading="n"
    )
