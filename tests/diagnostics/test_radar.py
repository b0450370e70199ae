"""The radar chart: valid SVG, one axis per dimension, every point inside the chart, a title,
a description and a table giving the same numbers."""

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.charts import Series
from guichet.diagnostics import radar

SVG = "{http://www.w3.org/2000/svg}"
LABELS = [
    "Stratégie et engagement de la direction",
    "Offre et adaptation",
    "Organisation et compétences",
    "Finances et risques",
    "Conformité (normes, douane, propriété intellectuelle)",
    "Marketing et numérique",
    "Expérience internationale",
]


def _xml(text) -> ET.Element:
    return ET.fromstring(str(text))  # noqa: S314 - our own output


def _parse(chart) -> ET.Element:
    return _xml(chart.svg)


def _points(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]


def _distance(x: float, y: float) -> float:
    return math.hypot(x - radar.CENTRE_X, y - radar.CENTRE_Y)


def _chart(values, earlier=None):
    series = [Series("Ce diagnostic", values)]
    if earlier is not None:
        series.append(Series("Diagnostic précédent", earlier))
    return radar.radar_chart(
        chart_id="radar-test",
        title="Scores par dimension",
        description=radar.describe(LABELS[: len(values)], values),
        labels=LABELS[: len(values)],
        series=series,
    )


def test_svg_is_valid_with_one_axis_per_dimension_and_accessible_names():
    chart = _chart([80, 45.5, 60, 35, 20, 100, 0])
    root = _parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Scores par dimension"
    description = root.find(f"{SVG}desc").text
    assert "Finances et risques 35" in description
    assert "Offre et adaptation 45,5" in description
    axes = [e for e in root.iter(f"{SVG}line") if e.get("class") == "radar-axis"]
    assert len(axes) == 7
    labels = [e for e in root.iter(f"{SVG}text") if e.get("class") == "radar-label"]
    assert len(labels) == 7
    # Long labels wrap over several lines (tspans) instead of leaving the drawing.
    lines = [span.text for span in labels[0]]
    assert " ".join(lines) == LABELS[0]
    assert len(lines) > 1


def test_points_lie_on_their_axis_at_the_score_distance():
    values = [80, 45.5, 60, 35, 20, 100, 0]
    root = _parse(_chart(values))
    (polygon,) = [e for e in root.iter(f"{SVG}polygon") if e.get("class") == "radar-series"]
    points = _points(polygon)
    assert len(points) == 7
    for (x, y), value in zip(points, values, strict=True):
        assert _distance(x, y) == pytest.approx(radar.RADIUS * value / 100, abs=0.1)
    # The first axis points straight up.
    assert points[0][0] == pytest.approx(radar.CENTRE_X, abs=0.1)
    assert points[0][1] < radar.CENTRE_Y
    titles = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert "Finances et risques — Ce diagnostic : 35 sur 100" in titles


def test_earlier_diagnostic_is_a_second_dashed_polygon_with_a_legend():
    chart = _chart([80, 60, 40], earlier=[50, None, 40])
    root = _parse(chart)
    polygons = [e for e in root.iter(f"{SVG}polygon") if e.get("class") == "radar-series"]
    assert len(polygons) == 2
    # The earlier one is drawn first (under the current one) and dashed.
    assert polygons[0].get("stroke-dasharray")
    assert not polygons[1].get("stroke-dasharray")
    assert "Diagnostic précédent" in str(chart.legend)
    # A missing score is drawn at the centre and written "–" in the table.
    assert _points(polygons[0])[1] == pytest.approx((radar.CENTRE_X, radar.CENTRE_Y), abs=0.1)
    table = str(chart.table)
    assert '<th scope="col">Dimension</th>' in table
    assert "Diagnostic précédent" in table
    assert "–" in table


def test_labels_and_titles_are_escaped():
    chart = radar.radar_chart(
        chart_id="x",
        title="<script>alert(1)</script>",
        description="d",
        labels=["A & B", "<b>C</b>", "D"],
        series=[Series("S", [10, 20, 30])],
    )
    svg = str(chart.svg)
    assert "<script>" not in svg
    assert "<b>" not in svg
    _xml(svg)  # still well-formed


def test_mismatched_series_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 axes"):
        radar.radar_chart(
            chart_id="x",
            title="t",
            description="d",
            labels=["A", "B", "C"],
            series=[Series("S", [1, 2])],
        )


@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=-50, max_value=250, allow_nan=False)),
        min_size=3,
        max_size=12,
    )
)
def test_every_point_stays_within_the_chart(values):
    labels = [f"Dimension {n}" for n in range(len(values))]
    chart = radar.radar_chart(
        chart_id="p", title="t", description="d", labels=labels, series=[Series("S", values)]
    )
    root = _parse(chart)
    axes = [e for e in root.iter(f"{SVG}line") if e.get("class") == "radar-axis"]
    assert len(axes) == len(values)
    for polygon in root.iter(f"{SVG}polygon"):
        for x, y in _points(polygon):
            assert 0 <= x <= radar.SIZE_W
            assert 0 <= y <= radar.SIZE_H
            assert _distance(x, y) <= radar.RADIUS + 0.1


def test_score_bar_is_clamped_and_decorative():
    bar = str(radar.score_bar(135, label="Finances"))
    root = _xml(bar)
    assert root.get("aria-hidden") == "true"
    rects = root.findall(f"{SVG}rect")
    assert rects[1].get("width") == "100.0"
    empty = _xml(radar.score_bar(None)).findall(f"{SVG}rect")
    assert empty[1].get("width") == "0.0"
