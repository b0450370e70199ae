"""The maps' shared geometry: SVG paths read as polygons, simplified, measured and written
back in whole units; the quantile classes and their colours."""

import pytest

from guichet.core import svgmap


def test_rings_read_relative_absolute_and_curve_commands():
    # A square drawn with a relative move, h/v steps and a closing z, then a triangle with
    # absolute line-tos and a curve whose control points are dropped.
    found = svgmap.rings("m10 10h5v5h-5z M0 0L4 0C5 1 5 2 4 4z")
    assert found == [
        [(10.0, 10.0), (15.0, 10.0), (15.0, 15.0), (10.0, 15.0)],
        [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)],
    ]


def test_simplify_drops_points_within_the_tolerance():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert svgmap.simplify(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert svgmap.simplify(line, 10) == [(0.0, 0.0), (4.0, 0.0)]


def test_area_and_centroid_of_a_polygon_and_of_a_flat_ring():
    assert svgmap.area_centroid([(0, 0), (4, 0), (4, 2), (0, 2)]) == (8.0, 2.0, 1.0)
    assert svgmap.area_centroid([(0, 0), (2, 0)]) == (0.0, 1.0, 0.0)


def test_path_data_in_whole_relative_units_and_a_speck_kept_as_a_dot():
    assert svgmap.path_data([[(0.4, 0.4), (10.2, 0.3), (10.0, -5.0)]]) == "M0 0l10 0 0-5z"
    assert svgmap.path_data([[(3.2, 3.1), (3.3, 2.9)]]) == "M3 3l1 0z"


def test_outline_keeps_the_largest_ring_and_rings_from_the_minimum_area():
    big = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    islet = [(20.0, 20.0), (21.0, 20.0), (21.0, 21.0)]
    drawn = svgmap.outline([islet, big], tolerance=0.5, min_ring_area=1.0)
    assert drawn.path == "M0 0l10 0 0 10-10 0z"
    assert drawn.centroid == pytest.approx((5.0, 5.0))
    assert drawn.box == (0.0, 0.0, 21.0, 21.0)
    with_islet = svgmap.outline([islet, big], tolerance=0.5, min_ring_area=0.5)
    assert with_islet.path == "M0 0l10 0 0 10-10 0zM20 20l1 0 0 1z"


def test_quantile_classes_and_their_colours():
    breaks = svgmap.class_breaks([1, 2, 3, 4, 100])
    assert breaks[-1] == 100
    assert svgmap.class_of(1, breaks) == 0
    assert svgmap.class_of(100, breaks) == len(breaks) - 1
    assert svgmap.class_breaks([7, 7]) == [7]
    assert svgmap.colours(1) == (svgmap.SCALE[-1],)
    assert svgmap.colours(3) == (svgmap.SCALE[0], svgmap.SCALE[2], svgmap.SCALE[4])
    assert svgmap.colours(9) == svgmap.SCALE
