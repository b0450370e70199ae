"""The départements map: shapes read from the pygal_maps_fr data file, values coloured and
named, the view cut to a région."""

import re

import pytest

from guichet.core import svgmap
from guichet.plans import francemap


def test_every_departement_has_a_shape():
    codes = francemap.codes()
    assert len(codes) == 102  # the 101 départements and Saint-Pierre-et-Miquelon (975)
    assert {"01", "21", "2A", "2B", "95", "971", "974", "976"} <= codes
    mainland = [s for s in francemap.shapes() if s.layer == francemap.MAINLAND]
    assert len(mainland) == 96
    # The Paris inset repeats Paris and its inner suburbs.
    assert {s.code for s in francemap.shapes() if s.layer == francemap.PARIS_INSET} == {
        "75",
        "92",
        "93",
        "94",
    }


def test_shapes_are_placed_where_france_is():
    by_code = {s.code: s for s in francemap.shapes() if s.layer == francemap.MAINLAND}
    # Finistère is west of Côte-d'Or, the Nord north of the Pyrénées-Orientales.
    assert by_code["29"].centroid[0] < by_code["21"].centroid[0]
    assert by_code["59"].centroid[1] < by_code["66"].centroid[1]
    # Côte-d'Or touches the Jura (their boxes overlap).
    a, b = by_code["21"].box, by_code["39"].box
    assert a[0] < b[2]
    assert b[0] < a[2]
    assert a[1] < b[3]
    assert b[1] < a[3]


@pytest.mark.django_db
def test_map_names_and_colours_the_departements(reference):
    svg = francemap.france_map_svg(
        {"21": 12, "39": 3, "58": 0},
        title="Entreprises accompagnées en 2025",
        unit="entreprises",
        links={"21": "/plans/parex-2/?departement=21"},
    )
    assert svg.startswith("<svg")
    assert re.search(
        r'<title id="carte-fr-\w+-title">Entreprises accompagnées en 2025</title>', svg
    )
    assert "<title>Côte-d&#x27;Or (21) : 12\u00a0entreprises</title>" in svg
    assert "<title>Jura (39) : 3\u00a0entreprises</title>" in svg
    # A zero is drawn as no value.
    assert "<title>Nièvre (58) : aucune</title>" in svg
    assert '<a href="/plans/parex-2/?departement=21"' in svg
    assert 'role="group"' in svg
    assert "style=" not in svg
    darkest = re.search(
        r"<title>Côte-d&#x27;Or \(21\)[^<]*</title><path d=\"[^\"]+\" fill=\"([^\"]+)\"", svg
    )
    assert darkest.group(1) == svgmap.SCALE[-1]
    assert "Carte des départements, 2 départements renseignés" in svg
    # The values are written on the map.
    assert ">12</text>" in svg


@pytest.mark.django_db
def test_focus_cuts_the_view_to_the_region(reference):
    whole = francemap.france_map_svg({"21": 1}, title="France", unit="entreprises")
    region = francemap.france_map_svg(
        {"21": 1},
        title="Région",
        unit="entreprises",
        focus=["21", "25", "39", "58", "70", "71", "89", "90"],
    )

    def view_width(svg):
        return float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ', svg).group(1))

    assert view_width(region) < view_width(whole) / 2
    # The overseas départements and the Paris inset are left out of a mainland région's view.
    assert "Réunion (974)" in whole or "La Réunion (974)" in whole
    assert "(974)" not in region
    assert whole.count("Paris (75)") == 2
    assert region.count("Paris (75)") == 1


def test_integer_classes_for_counts():
    assert francemap.integer_breaks([1, 2, 3, 7, 12]) == [2.0, 3.0, 5.0, 8.0, 12.0]
    assert francemap.integer_breaks([5, 5, 5]) == [5.0]
    assert francemap.integer_breaks([0.5, 1.5]) == pytest.approx([0.7, 0.9, 1.1, 1.3, 1.5])


@pytest.mark.django_db
def test_map_without_values(reference):
    svg = francemap.france_map_svg({}, title="Rien", unit="entreprises")
    assert "Rien : aucune valeur à afficher." in svg
    assert 'role="img"' in svg
