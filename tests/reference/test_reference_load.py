"""Loading the reference tables into the database, and reading them back."""

from io import StringIO

import pytest
from django.core.management import call_command

from guichet.reference import selectors
from guichet.reference.models import Country, Departement, HeadcountBand, NafCode, Region
from guichet.reference.services import reference_data_load

EXPECTED_COUNTS = {
    "regions": 18,
    "departements": 101,
    "naf_codes": 1728,
    "headcount_bands": 16,
    "countries": 249,
}

pytestmark = pytest.mark.django_db


def test_load_fills_every_table():
    counts = reference_data_load()

    assert counts == EXPECTED_COUNTS
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert HeadcountBand.objects.count() == 16
    assert Country.objects.count() == 249
    per_level = {
        level: NafCode.objects.filter(level=level).count() for level in NafCode.Level.values
    }
    assert per_level == {1: 21, 2: 88, 3: 272, 4: 615, 5: 732}


def test_load_twice_is_idempotent():
    first = reference_data_load()
    naf_before = list(NafCode.objects.values_list("code", "level", "label", "parent_id"))

    second = reference_data_load()

    assert second == first == EXPECTED_COUNTS
    assert list(NafCode.objects.values_list("code", "level", "label", "parent_id")) == naf_before


def test_reload_restores_changed_labels_and_links():
    reference_data_load()
    Region.objects.filter(code="27").update(name="Bourgogne")
    Departement.objects.filter(code="25").update(name="Doubs (ancien)", region_id="44")
    NafCode.objects.filter(code="J").update(label="INFORMATION ET COMMUNICATION")
    Country.objects.filter(iso2="DE").update(name_fr="Germany")
    HeadcountBand.objects.filter(code="12").update(label="20-49", max_employees=50)

    reference_data_load()

    assert selectors.region_name("27") == "Bourgogne-Franche-Comté"
    doubs = Departement.objects.get(code="25")
    assert (doubs.name, doubs.region_id) == ("Doubs", "27")
    assert selectors.naf_label("J") == "Information et communication"
    assert selectors.country_name("DE") == "Allemagne"
    band = HeadcountBand.objects.get(code="12")
    assert (band.label, band.min_employees, band.max_employees) == ("20 à 49 salariés", 20, 49)


def test_naf_hierarchy_from_subclass_to_section():
    reference_data_load()

    subclass = NafCode.objects.get(code="62.01Z")
    assert subclass.level == NafCode.Level.SOUS_CLASSE
    assert subclass.label == "Programmation informatique"
    chain = [subclass]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)

    assert [node.code for node in chain] == ["62.01Z", "62.01", "62.0", "62", "J"]
    assert [node.get_level_display() for node in chain] == [
        "sous-classe",
        "classe",
        "groupe",
        "division",
        "section",
    ]
    assert chain[-1].label == "Information et communication"
    assert str(chain[-1]) == "J – Information et communication"


def test_every_naf_code_has_a_parent_one_level_up():
    reference_data_load()

    assert not NafCode.objects.filter(level=1, parent__isnull=False).exists()
    for level in (2, 3, 4, 5):
        children = NafCode.objects.filter(level=level)
        assert not children.filter(parent__isnull=True).exists()
        assert not children.exclude(parent__level=level - 1).exists()
    assert NafCode.objects.get(code="A").children.count() == 3  # divisions 01, 02, 03
    assert NafCode.objects.get(code="C").children.count() == 24  # divisions 10 to 33


def test_section_labels_are_in_sentence_case_with_accents():
    reference_data_load()

    assert selectors.naf_label("A") == "Agriculture, sylviculture et pêche"
    assert selectors.naf_label("C") == "Industrie manufacturière"
    assert selectors.naf_label("U") == "Activités extra-territoriales"
    for label in NafCode.objects.filter(level=1).values_list("label", flat=True):
        assert label[0].isupper()
        assert label[1:] == label[1:].lower()


def test_departements_and_regions():
    reference_data_load()

    assert str(Region.objects.get(code="84")) == "Auvergne-Rhône-Alpes"
    assert str(Departement.objects.get(code="21")) == "Côte-d'Or (21)"
    assert Departement.objects.get(code="69").region.name == "Auvergne-Rhône-Alpes"
    assert Departement.objects.get(code="976").region_id == "06"
    assert list(selectors.departements_of_region("27").values_list("code", flat=True)) == [
        "21", "25", "39", "58", "70", "71", "89", "90",
    ]  # fmt: skip
    assert list(Region.objects.get(code="94").departements.values_list("name", flat=True)) == [
        "Corse-du-Sud",
        "Haute-Corse",
    ]
    assert selectors.region_of_departement("2A").name == "Corse"
    assert selectors.departement_name("974") == "La Réunion"
    assert selectors.region_name("99") is None
    assert selectors.region_of_departement("20") is None


def test_countries_have_french_names_and_iso_codes():
    reference_data_load()

    assert selectors.country_name("DE") == "Allemagne"
    assert selectors.country_name("us") == "États-Unis"
    assert selectors.country_name("GB") == "Royaume-Uni"
    assert selectors.country_name("ES") == "Espagne"
    assert selectors.country_name("XX") is None
    france = Country.objects.get(iso2="FR")
    assert (france.iso3, france.numeric, str(france)) == ("FRA", "250", "France")
    assert Country.objects.get(iso3="CHE").name_fr == "Suisse"
    # Ordering ignores accents: "États-Unis" sorts among the E, not after "Zimbabwe".
    names = list(Country.objects.values_list("name_fr", flat=True))
    assert names[-1] == "Zimbabwe"
    assert names.index("Espagne") < names.index("États-Unis") < names.index("Éthiopie")


def test_headcount_bands_in_size_order():
    reference_data_load()

    bands = list(HeadcountBand.objects.all())
    assert [band.code for band in bands][:4] == ["NN", "00", "01", "02"]
    assert str(bands[-1]) == "10 000 salariés et plus"
    assert bands[-1].max_employees is None
    assert selectors.headcount_band_label("12") == "20 à 49 salariés"
    assert selectors.headcount_band_label("99") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("62.01Z", "Programmation informatique"),
        ("6201Z", "Programmation informatique"),
        (" 6201z ", "Programmation informatique"),
        ("6201", "Programmation informatique"),
        ("620", "Programmation, conseil et autres activités informatiques"),
        ("62", "Programmation, conseil et autres activités informatiques"),
        ("j", "Information et communication"),
        ("99.99Z", None),
    ],
)
def test_naf_label_accepts_dotted_and_compact_codes(code, expected):
    reference_data_load()

    assert selectors.naf_label(code) == expected


def test_naf_ancestors_and_section():
    reference_data_load()

    assert [n.code for n in selectors.naf_ancestors("1071C")] == [
        "C", "10", "10.7", "10.71", "10.71C",
    ]  # fmt: skip
    assert selectors.naf_section("10.71C").label == "Industrie manufacturière"
    assert selectors.naf_ancestors("00.00Z") == []
    assert selectors.naf_section("00.00Z") is None
    assert list(selectors.naf_codes_of_level(NafCode.Level.SECTION).values_list("code", flat=True))[
        :3
    ] == ["A", "B", "C"]


def test_command_prints_one_line_per_table_in_french():
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:5] == [
        "Régions : 18",
        "Départements : 101",
        "Codes NAF : 1728 (21 sections, 88 divisions, 272 groupes, 615 classes, 732 sous-classes)",
        "Tranches d'effectifs : 16",
        "Pays : 249",
    ]
    assert lines[5].startswith("Référentiels chargés en ")
    assert lines[5].endswith(" s.")
    assert Country.objects.count() == 249


def test_command_run_twice_reports_the_same_counts():
    first, second = StringIO(), StringIO()

    call_command("load_reference_data", stdout=first)
    call_command("load_reference_data", stdout=second)

    assert first.getvalue().splitlines()[:5] == second.getvalue().splitlines()[:5]
    assert NafCode.objects.count() == 1728
