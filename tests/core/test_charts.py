"""Inline SVG charts: valid SVG, named and described, one <title> per bar or point, the same
numbers as a data table, text escaped."""

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core import charts
from guichet.core.charts import Series

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["janvier 2026", "février 2026", "mars 2026"]


def _svg(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output


def test_bar_chart_is_valid_svg_with_title_and_description():
    chart = charts.bar_chart(
        chart_id="essai",
        title="Demandes reçues par mois",
        description="Deux barres par mois.",
        categories=MONTHS,
        series=[Series("2025", [3, 0, 7]), Series("2026", [5, 1, 1234])],
    )
    root = _svg(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "essai-title essai-desc"
    assert root.find(f"{SVG}title").text == "Demandes reçues par mois"
    assert root.find(f"{SVG}desc").text == "Deux barres par mois."
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 6
    labels = [bar.find(f"{SVG}title").text for bar in bars]
    assert "mars 2026 — 2026 : 1\u202f234" in labels
    # The tallest bar reaches higher than the others.
    heights = {b.find(f"{SVG}title").text: float(b.get("height")) for b in bars}
    assert heights["mars 2026 — 2026 : 1\u202f234"] == max(heights.values())
    assert heights["février 2026 — 2025 : 0"] == 0


def test_stacked_bars_pile_up():
    chart = charts.bar_chart(
        chart_id="pile",
        title="Empilées",
        description="d",
        categories=["a"],
        series=[Series("x", [2]), Series("y", [2])],
        stacked=True,
    )
    first, second = _svg(chart).findall(f"{SVG}rect")
    assert float(first.get("height")) == pytest.approx(float(second.get("height")))
    # The second segment sits right on top of the first.
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(
        float(first.get("y")), abs=0.2
    )
    assert first.get("x") == second.get("x")


def test_data_table_gives_the_same_numbers_and_a_legend_names_the_series():
    chart = charts.bar_chart(
        chart_id="t",
        title="Titre",
        description="d",
        categories=MONTHS,
        series=[Series("Reçues", [3, None, 1234]), Series("Prises", [1, 0, 2])],
        category_header="Mois",
    )
    table = str(chart.table)
    assert "<caption>Titre</caption>" in table
    assert (
        '<th scope="col">Mois</th><th scope="col">Reçues</th><th scope="col">Prises</th>' in table
    )
    assert '<tr><th scope="row">mars 2026</th><td>1\u202f234</td><td>2</td></tr>' in table
    assert "<td>–</td>" in table
    assert "Reçues" in str(chart.legend)
    html = str(chart.html)
    assert html.startswith('<figure class="fr-my-3w" role="group" aria-labelledby="t-caption">')
    assert "<details" in html
    assert "Voir les données de ce graphique sous forme de tableau" in html


def test_text_is_escaped():
    chart = charts.bar_chart(
        chart_id="x",
        title="<script>alert(1)</script>",
        description="a & b",
        categories=["<b>gras</b>"],
        series=[Series("s<", [1])],
    )
    root = _svg(chart)  # still parses: nothing injected
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert "<script>" not in str(chart.svg)
    assert "<b>" not in str(chart.table)


def test_line_chart_breaks_on_missing_values_and_uses_a_percent_axis():
    chart = charts.line_chart(
        chart_id="ligne",
        title="Part dans le délai",
        description="Une valeur par mois.",
        categories=["a", "b", "c", "d", "e"],
        series=[Series("Part", [50, 75, None, 20, 100])],
        y_max=100,
        unit="%",
    )
    root = _svg(chart)
    assert root.find(f"{SVG}title").text == "Part dans le délai"
    assert len(root.findall(f"{SVG}polyline")) == 2
    points = root.findall(f"{SVG}circle")
    assert next(p.find(f"{SVG}title").text for p in points) == "a — Part : 50\u00a0%"
    assert len(points) == 4
    axis = [t.text for t in root.findall(f"{SVG}text")]
    assert "100\u00a0%" in axis
    assert "0\u00a0%" in axis
    # 100 % is drawn at the top of the plot, 50 % halfway.
    top = float(points[-1].get("cy"))
    half = float(points[0].get("cy"))
    bottom = charts.HEIGHT - charts.MARGIN_BOTTOM
    assert top == pytest.approx(charts.MARGIN_TOP)
    assert half == pytest.approx((top + bottom) / 2)


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        charts.bar_chart(
            chart_id="x",
            title="t",
            description="d",
            categories=MONTHS,
            series=[Series("s", [1, 2])],
        )


def test_an_empty_chart_still_draws():
    chart = charts.bar_chart(
        chart_id="vide",
        title="Vide",
        description="Aucune donnée.",
        categories=MONTHS,
        series=[Series("s", [0, 0, 0])],
    )
    assert _svg(chart).find(f"{SVG}title").text == "Vide"


def test_french_numbers():
    assert charts.fr_number(1234567) == "1\u202f234\u202f567"
    assert charts.fr_number(2.5, 1, "j") == "2,5\u00a0j"
    assert charts.fr_number(None) == "–"
    assert charts.fr_number(33.333, 0, "%") == "33\u00a0%"


@given(st.floats(min_value=0.01, max_value=1e7, allow_nan=False))
def test_ticks_start_at_zero_cover_the_maximum_with_round_equal_steps(maximum):
    ticks = charts.nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum
    assert 2 <= len(ticks) <= 12
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** (len(str(int(step))) - 1) if step >= 1 else None
    if mantissa is not None:
        assert mantissa in (1, 2, 5, 10)


def test_ticks_of_counts_are_whole_numbers():
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(47) == [0, 10, 20, 30, 40, 50]
