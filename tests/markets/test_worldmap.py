"""The world map: what a reader of the page gets (colours, names, values, links, legend)."""

import re
from xml.etree import ElementTree

import pytest

from guichet.core import svgmap
from guichet.markets import worldmap

SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.usefixtures("reference")


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))  # noqa: S314 - our own output


def _country_elements(markup: str) -> dict[str, ElementTree.Element]:
    """The drawn element of each country, found by its <title> ("Nom : …")."""
    root = _parse(markup)
    found = {}
    for element in root.iter():
        title = element.find(f"{SVG}title")
        if title is not None and element.tag in (f"{SVG}path", f"{SVG}a"):
            found[title.text.split(" : ")[0]] = element
    return found


def _fill(element) -> str:
    path = element if element.tag == f"{SVG}path" else element.find(f"{SVG}path")
    return path.get("fill")


def test_values_colour_their_country_darkest_for_the_largest():
    values = {"FRA": 12_300_000, "DEU": 1_000_000, "CHN": 500_000, "USA": 80_000_000}
    values |= {"BRA": 2e6, "IND": 3e6, "JPN": 4e6, "ITA": 5e6, "ESP": 6e6, "CAN": 7e6}
    markup = worldmap.world_map_svg(values, title="Importations de vins", unit="$")
    countries = _country_elements(markup)
    assert _fill(countries["États-Unis"]) == svgmap.SCALE[-1]
    assert _fill(countries["Chine"]) == svgmap.SCALE[0]
    assert _fill(countries["Australie"]) == svgmap.NO_VALUE
    assert countries["France"].find(f"{SVG}title").text == "France : 12,3\u00a0M$"
    assert countries["Australie"].find(f"{SVG}title").text == "Australie : pas de donnée"


def test_a_link_wraps_the_country_and_the_map_stays_navigable():
    markup = worldmap.world_map_svg(
        {"FRA": 1.0, "DEU": 2.0},
        links={"DEU": "/marches/pays/DEU/?filiere=3&x=<y>"},
        title="Carte",
        unit="%",
    )
    germany = _country_elements(markup)["Allemagne"]
    assert germany.tag == f"{SVG}a"
    assert germany.get("href") == "/marches/pays/DEU/?filiere=3&x=<y>"  # escaped in markup
    assert "&amp;x=&lt;y&gt;" in markup
    assert _country_elements(markup)["France"].tag == f"{SVG}path"
    root = _parse(markup)
    assert root.get("role") == "group"
    without_links = _parse(worldmap.world_map_svg({}, title="T", unit="$"))
    assert without_links.get("role") == "img"


def test_accessible_title_description_and_legend_with_class_bounds():
    values = {iso3: float(i + 1) for i, iso3 in enumerate(["FRA", "DEU", "ITA", "ESP", "BEL"])}
    values |= {"USA": 10.0, "CHN": 20.0, "JPN": 30.0, "GBR": 40.0, "CAN": 50.0}
    markup = worldmap.world_map_svg(values, title="Croissance <prévue>", unit="%")
    root = _parse(markup)
    assert root.find(f"{SVG}title").text == "Croissance <prévue>"
    desc = root.find(f"{SVG}desc").text
    assert "10 pays renseignés" in desc
    assert desc.index("Canada") < desc.index("Japon")
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert legend[0] == "En %"
    assert legend[1] == "1\u00a0% – 2,8\u00a0%"  # quantiles of 1…50: 2,8 ; 4,6 ; 14 ; 32 ; 50
    assert legend[5] == "32\u00a0% – 50\u00a0%"
    assert legend[6] == "Pas de donnée"
    assert "Pays mis en avant" not in legend


def test_highlighted_countries_are_outlined_and_drawn_on_top():
    markup = worldmap.world_map_svg({"FRA": 1.0}, title="T", unit="$", highlight={"CHN"})
    china = _country_elements(markup)["Chine"]
    assert china.get("stroke") == worldmap.HIGHLIGHT
    assert _country_elements(markup)["France"].get("stroke") is None
    assert markup.rindex("<title>Chine") > markup.rindex("<title>Zimbabwe")
    assert "Pays mis en avant" in markup
    assert "En dollars US" in markup


def test_markup_is_small_self_contained_and_allowed_by_the_csp():
    values = dict.fromkeys(worldmap.map_iso3(), 1e9)
    markup = worldmap.world_map_svg(values, links={"FRA": "/x/"}, title="T", unit="$")
    assert len(markup.encode()) < 400_000
    assert len(worldmap.map_iso3()) > 170
    lowered = markup.lower()
    for forbidden in ("<script", "style=", "onclick", "http://w", "https://", "<image", "url("):
        if forbidden == "http://w":
            # Only the SVG namespace may name a host.
            assert lowered.count("http://") == 1
            assert "http://www.w3.org/2000/svg" in lowered
            continue
        assert forbidden not in lowered


def test_values_without_a_shape_or_not_finite_are_ignored():
    markup = worldmap.world_map_svg(
        {"FRA": float("nan"), "XXX": 3.0, "DEU": None, "ITA": 2.0}, title="T", unit="$"
    )
    countries = _country_elements(markup)
    assert _fill(countries["France"]) == svgmap.NO_VALUE
    assert _fill(countries["Italie"]) == svgmap.SCALE[-1]
    assert "1 pays renseigné" in markup


def test_french_number_formats():
    assert worldmap.format_value(12_345_678, "$") == "12,3\u00a0M$"
    assert worldmap.format_value(2.5e9, "USD") == "2,5\u00a0Md$"
    assert worldmap.format_value(456_000, "€") == "456\u00a0k€"
    assert worldmap.format_value(-3.25, "%") == "−3,2\u00a0%"
    assert worldmap.format_value(1234, "km") == "1\u202f234\u00a0km"


def test_centroids_sit_inside_their_country_box():
    centroids = worldmap.country_centroids()
    shapes = worldmap.shapes()
    fr_x, fr_y = centroids["FRA"]
    x0, y0, x1, y1 = shapes["fr"].box
    assert x0 < fr_x < x1
    assert y0 < fr_y < y1
    # Geography: Germany is east of France, Brazil south of the United States.
    assert centroids["DEU"][0] > fr_x
    assert centroids["BRA"][1] > centroids["USA"][1]
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in centroids)
