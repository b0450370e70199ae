"""The fact tables and source readers, without a database."""

import itertools
import json
import sys

import pytest

from guichet.reference.facts import DEPARTEMENTS, HEADCOUNT_BANDS, REGIONS
from guichet.reference.models import NafCode
from guichet.reference.services import (
    ReferenceDataError,
    clean_label,
    country_rows,
    naf_rows,
    sentence_case,
    sort_name,
)

METROPOLITAN = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
OVERSEAS = ["971", "972", "973", "974", "976"]


def test_departements_are_the_101_insee_codes():
    assert sorted(DEPARTEMENTS) == sorted(METROPOLITAN + OVERSEAS)
    assert len(DEPARTEMENTS) == 101


@pytest.mark.parametrize("code", sorted(DEPARTEMENTS))
def test_each_departement_belongs_to_an_existing_region(code):
    name, region = DEPARTEMENTS[code]
    assert region in REGIONS, f"{code} {name}: unknown région {region!r}"
    assert name.strip() == name
    assert name


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("21", "Côte-d'Or", "27"),
        ("25", "Doubs", "27"),
        ("90", "Territoire de Belfort", "27"),
        ("69", "Rhône", "84"),
        ("2A", "Corse-du-Sud", "94"),
        ("2B", "Haute-Corse", "94"),
        ("75", "Paris", "11"),
        ("67", "Bas-Rhin", "44"),
        ("44", "Loire-Atlantique", "52"),
        ("971", "Guadeloupe", "01"),
        ("974", "La Réunion", "04"),
        ("976", "Mayotte", "06"),
    ],
)
def test_known_departements(code, name, region):
    assert DEPARTEMENTS[code] == (name, region)


def test_every_region_has_departements_in_the_expected_number():
    per_region = dict.fromkeys(REGIONS, 0)
    for _name, region in DEPARTEMENTS.values():
        per_region[region] += 1
    assert per_region == {
        "01": 1, "02": 1, "03": 1, "04": 1, "06": 1,
        "11": 8, "24": 6, "27": 8, "28": 5, "32": 5, "44": 10, "52": 5, "53": 4,
        "75": 12, "76": 13, "84": 12, "93": 6, "94": 2,
    }  # fmt: skip


def test_headcount_bands_cover_the_sirene_codes_contiguously():
    assert list(HEADCOUNT_BANDS) == [
        "NN", "00", "01", "02", "03", "11", "12", "21", "22",
        "31", "32", "41", "42", "51", "52", "53",
    ]  # fmt: skip
    assert HEADCOUNT_BANDS["00"] == ("0 salarié", 0, 0)
    assert HEADCOUNT_BANDS["01"] == ("1 ou 2 salariés", 1, 2)
    assert HEADCOUNT_BANDS["02"] == ("3 à 5 salariés", 3, 5)
    assert HEADCOUNT_BANDS["53"] == ("10 000 salariés et plus", 10000, None)
    # From "01" on, each band starts right after the previous one ends.
    bounded = [HEADCOUNT_BANDS[code] for code in list(HEADCOUNT_BANDS)[2:]]
    for (_, _, previous_max), (label, low, _) in itertools.pairwise(bounded):
        assert low == previous_max + 1, label


def test_naf_rows_has_five_levels_with_the_insee_counts():
    rows = naf_rows()
    per_level = dict.fromkeys(NafCode.Level.values, 0)
    for row in rows:
        per_level[row.level] += 1
    assert per_level == {1: 21, 2: 88, 3: 272, 4: 615, 5: 732}
    assert len({row.code for row in rows}) == 1728


def test_naf_rows_list_parents_before_children():
    seen: set[str] = set()
    for row in naf_rows():
        if row.level == NafCode.Level.SECTION:
            assert row.parent_code is None
        else:
            assert row.parent_code in seen, row.code
        seen.add(row.code)


def test_naf_labels_are_clean_and_sections_in_sentence_case():
    rows = {row.code: row for row in naf_rows()}
    assert rows["A"].label == "Agriculture, sylviculture et pêche"
    assert rows["D"].label == (
        "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné"
    )
    assert rows["O"].label == "Administration publique"  # trailing space in the package
    assert rows["88.10A"].label == "Aide à domicile"
    assert rows["58.29C"].label == "Édition de logiciels applicatifs"
    assert rows["47.52A"].label.endswith("(moins de 400 m²)")
    for row in rows.values():
        assert row.label == " ".join(row.label.split()), row.code
        assert "\u2019" not in row.label, row.code


def test_naf_rows_rejects_a_malformed_file(tmp_path):
    path = tmp_path / "db"
    path.write_text(json.dumps({"01.11Z": {"code": "01.11Z"}}), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="mal formé"):
        naf_rows(path)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="illisible"):
        naf_rows(path)


def test_label_helpers():
    assert sentence_case("COMMERCE ; RÉPARATION D'AUTOMOBILES ET DE MOTOCYCLES") == (
        "Commerce ; réparation d'automobiles et de motocycles"
    )
    assert sentence_case("ÉDITION") == "Édition"
    assert clean_label("Aide à domicile  \n") == "Aide à domicile"
    assert clean_label("d\u2019hébergement") == "d'hébergement"
    assert sort_name("États-Unis") == "etats-unis"
    assert sort_name("Åland, Îles") == "aland, iles"


def test_country_rows_are_named_in_french():
    rows = {row.iso2: row for row in country_rows()}
    assert len(rows) >= 249
    assert rows["DE"].name_fr == "Allemagne"
    assert rows["US"].name_fr == "États-Unis"
    assert (rows["FR"].iso3, rows["FR"].numeric) == ("FRA", "250")
    assert rows["KR"].name_fr == "Corée du Sud"


def test_reading_naf_data_does_not_import_the_chatty_package(capsys):
    naf_rows()

    assert capsys.readouterr().out == ""
    assert "naf" not in sys.modules
