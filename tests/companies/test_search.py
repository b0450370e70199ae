"""The registry search selector: typo-tolerant names, identifiers, filters, on both engines."""

import pytest
from django.db import connection

from guichet.companies.models import Company, Establishment, Filiere
from guichet.companies.search import SearchFilters, search_companies
from guichet.companies.text import company_search_text
from tests.companies.conftest import make_company


def names(**criteria) -> list[str]:
    return [c.name for c in search_companies(SearchFilters(**criteria))]


@pytest.fixture
def registry(reference):
    make_company("111111111", "FROMAGERIE DIJONNAISE DU CENTRE", naf="10.51C")
    make_company("222222222", "BOULANGERIE PATISSERIE MARTIN", naf="10.71C")
    make_company("333333333", "PEUGEOT CITROEN AUTOMOBILES", naf="29.10Z", size_category="GE")
    make_company("444444444", "SOCIÉTÉ GÉNÉRALE DE L'ÊTRE", naf="70.22Z")
    make_company(
        "555555555", "GARAGE DU CENTRE", naf="45.20A", commune_code="25056", commune_name="BESANCON"
    )
    make_company(
        "666666666", "TRANSPORTS LAMBERT", naf="49.41A", commune_code="75056", commune_name="PARIS"
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("fromagerie dijonaise", "FROMAGERIE DIJONNAISE DU CENTRE"),
        ("boulangerie martin", "BOULANGERIE PATISSERIE MARTIN"),
        ("peugeot", "PEUGEOT CITROEN AUTOMOBILES"),
        ("societe generale de l'etre", "SOCIÉTÉ GÉNÉRALE DE L'ÊTRE"),
        ("Société Générale", "SOCIÉTÉ GÉNÉRALE DE L'ÊTRE"),
        ("PEUGOT", "PEUGEOT CITROEN AUTOMOBILES"),
        ("boulangerie patiserie", "BOULANGERIE PATISSERIE MARTIN"),
    ],
)
def test_a_name_with_a_typo_a_missing_word_or_accents_finds_its_company(registry, typed, expected):
    found = names(q=typed)
    assert found[0] == expected
    assert "TRANSPORTS LAMBERT" not in found


def test_exact_words_list_only_the_names_holding_them(registry):
    make_company("777777777", "FROMAGERIE DE DIJON")
    assert names(q="fromagerie dijonnaise") == ["FROMAGERIE DIJONNAISE DU CENTRE"]
    assert names(q="SARL Fromagerie Dijonnaise") == ["FROMAGERIE DIJONNAISE DU CENTRE"]


def test_a_name_that_matches_nothing_finds_nothing(registry):
    assert names(q="quincaillerie") == []


def test_the_closest_name_comes_first(registry):
    make_company("777777777", "FROMAGERIE DE DIJON")
    assert names(q="fromagerie dijonaise")[:2] == [
        "FROMAGERIE DIJONNAISE DU CENTRE",
        "FROMAGERIE DE DIJON",
    ]


@pytest.mark.parametrize("typed", ["333333333", "333 333 333", " 333.333.333 "])
def test_a_siren_with_or_without_spaces_finds_its_company(registry, typed):
    assert names(q=typed) == ["PEUGEOT CITROEN AUTOMOBILES"]


def test_a_siret_finds_the_company_of_that_establishment(registry):
    company = Company.objects.get(siren="555555555")
    Establishment.objects.create(siret="55555555500099", company=company, commune_code="21231")
    assert names(q="555 555 555 00012") == ["GARAGE DU CENTRE"]
    assert names(q="55555555500099") == ["GARAGE DU CENTRE"]
    assert names(q="555 555 555 00098") == []


def test_one_or_two_letters_match_the_start_of_a_name(registry):
    assert names(q="p") == ["PEUGEOT CITROEN AUTOMOBILES"]
    assert names(q="Ga") == ["GARAGE DU CENTRE"]
    assert names(q="z") == []


def test_no_criterion_lists_every_company_by_name(registry):
    assert names() == sorted(Company.objects.values_list("name", flat=True))


def test_region_departement_and_commune_filters_look_at_establishments(registry):
    company = Company.objects.get(siren="666666666")  # Paris headquarters
    Establishment.objects.create(
        siret="66666666600020",
        company=company,
        commune_code="21231",
        commune_name="DIJON",
        departement_id="21",
        region_id="27",
    )
    assert "TRANSPORTS LAMBERT" in names(region="27")
    assert "TRANSPORTS LAMBERT" in names(departement="21")
    assert "TRANSPORTS LAMBERT" in names(commune="21231")
    assert names(departement="25") == ["GARAGE DU CENTRE"]
    assert names(commune="25056") == ["GARAGE DU CENTRE"]
    assert names(region="11") == ["TRANSPORTS LAMBERT"]


def test_a_commune_name_is_matched_whatever_its_case_accents_and_hyphens(registry):
    make_company(
        "888888888",
        "MENUISERIE BRET",
        commune_code="21540",
        commune_name="SAINT-APOLLINAIRE",
    )
    assert names(commune="Saint Apollinaire") == ["MENUISERIE BRET"]
    assert names(commune="saint-apollinaire") == ["MENUISERIE BRET"]
    assert "MENUISERIE BRET" not in names(commune="Dijon")
    assert "GARAGE DU CENTRE" not in names(commune="Dijon")
    assert "BOULANGERIE PATISSERIE MARTIN" in names(commune="Dijon")


def test_a_company_with_establishments_in_two_departements_is_listed_once(registry):
    company = Company.objects.get(siren="222222222")  # headquarters in Dijon (21)
    Establishment.objects.create(
        siret="22222222200030",
        company=company,
        commune_code="25056",
        departement_id="25",
        region_id="27",
    )
    assert names(region="27").count("BOULANGERIE PATISSERIE MARTIN") == 1
    assert names(q="boulangerie", region="27") == ["BOULANGERIE PATISSERIE MARTIN"]
    assert search_companies(SearchFilters(region="27")).count() == 5


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C", {"FROMAGERIE DIJONNAISE DU CENTRE", "BOULANGERIE PATISSERIE MARTIN", "PEUGEOT"}),
        ("10", {"FROMAGERIE DIJONNAISE DU CENTRE", "BOULANGERIE PATISSERIE MARTIN"}),
        ("10.7", {"BOULANGERIE PATISSERIE MARTIN"}),
        ("10.71", {"BOULANGERIE PATISSERIE MARTIN"}),
        ("10.71C", {"BOULANGERIE PATISSERIE MARTIN"}),
        ("G", {"GARAGE DU CENTRE"}),
    ],
)
def test_a_naf_code_of_any_level_matches_the_activities_under_it(registry, code, expected):
    found = {n.replace(" CITROEN AUTOMOBILES", "") for n in names(naf=code)}
    assert found == expected


def test_a_naf_code_matches_an_establishment_activity_too(registry):
    company = Company.objects.get(siren="666666666")
    Establishment.objects.create(siret="66666666600038", company=company, naf_id="10.71C")
    assert names(naf="10.71") == ["BOULANGERIE PATISSERIE MARTIN", "TRANSPORTS LAMBERT"]


def test_filiere_filter_uses_its_naf_codes(registry):
    agri = Filiere.objects.create(name="Agroalimentaire", slug="agroalimentaire")
    agri.naf_codes.set(["10"])
    assert names(filiere="agroalimentaire") == [
        "BOULANGERIE PATISSERIE MARTIN",
        "FROMAGERIE DIJONNAISE DU CENTRE",
    ]
    assert names(filiere="inconnue") == []


def test_size_export_status_and_active_filters(registry):
    make_company("999999999", "ANCIENNE FONDERIE", is_active=False, export_status="regular")
    Company.objects.filter(siren="111111111").update(export_status="regular")
    assert names(size="GE") == ["PEUGEOT CITROEN AUTOMOBILES"]
    assert names(export_status="regular") == [
        "ANCIENNE FONDERIE",
        "FROMAGERIE DIJONNAISE DU CENTRE",
    ]
    assert names(export_status="regular", active_only=True) == ["FROMAGERIE DIJONNAISE DU CENTRE"]
    assert "ANCIENNE FONDERIE" not in names(active_only=True)


def test_filters_combine_with_each_other_and_with_the_name(registry):
    make_company("121212121", "FROMAGERIE DU DOUBS", naf="10.51C", commune_code="25056")
    assert names(q="fromagerie", departement="25") == ["FROMAGERIE DU DOUBS"]
    assert names(q="fromagerie", naf="10.51C", region="27", size="PME") == [
        "FROMAGERIE DU DOUBS",  # the closer name: every word typed, fewer others
        "FROMAGERIE DIJONNAISE DU CENTRE",
    ]
    assert names(q="fromagerie dijonaise", departement="25") == []
    assert names(q="fromagerie", size="GE") == []


def test_a_common_word_lists_every_company_holding_it(registry, monkeypatch):
    """Past the candidate limit, the list is every exact match, shortest name first."""
    monkeypatch.setattr("guichet.companies.search.names.CANDIDATES", 2)
    make_company("131313131", "GARAGE MODERNE")
    make_company("141414141", "AU GARAGE")
    found = names(q="garage")
    assert found == ["AU GARAGE", "GARAGE MODERNE", "GARAGE DU CENTRE"]


needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"
)


@needs_sqlite
def test_the_fts_index_follows_updates_and_deletes(registry):
    company = Company.objects.get(siren="666666666")
    company.name = "LOGISTIQUE BOURGUIGNONNE"
    company.search_text = company_search_text(company.name)
    company.save()
    assert names(q="logistique bourguignone") == ["LOGISTIQUE BOURGUIGNONNE"]
    assert names(q="transports lambert") == []
    Company.objects.filter(siren="666666666").update(search_text="fret rapide")
    assert names(q="fret rapide") == ["LOGISTIQUE BOURGUIGNONNE"]
    company.delete()
    assert names(q="fret rapide") == []
    assert fts_row_count() == Company.objects.count()


@needs_sqlite
def test_the_fts_index_follows_bulk_inserts_and_raw_upserts(registry):
    Company.objects.bulk_create(
        [Company(siren="151515151", name="SCIERIE JURASSIENNE", search_text="scierie jurassienne")]
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO companies_company (siren, name, denomination, usual_names, acronym, "
            "first_name, last_name, usage_name, search_text, legal_category, activity_code, "
            "activity_nomenclature, size_category, is_active, partially_diffusible, "
            "headquarters_siret, sirene_digest, export_status, created_at, updated_at) "
            "VALUES (%s, %s, '', '', '', '', '', '', %s, '', '', '', '', 1, 0, '', '', '', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) "
            "ON CONFLICT (siren) DO UPDATE SET name = excluded.name, "
            "search_text = excluded.search_text",
            [
                ("151515151", "SCIERIE DU JURA", "scierie du jura"),
                ("161616161", "HORLOGERIE COMTOISE", "horlogerie comtoise"),
            ],
        )
    assert names(q="scierie jura") == ["SCIERIE DU JURA"]
    assert names(q="jurassienne") == []
    assert names(q="horlogerie comtoize") == ["HORLOGERIE COMTOISE"]
    assert fts_row_count() == Company.objects.count()


def fts_row_count() -> int:
    """Rows of the FTS index, after FTS5 checked it against the company table."""
    with connection.cursor() as cursor:
        # Raises "database disk image is malformed" when the index and the table differ.
        cursor.execute(
            "INSERT INTO companies_company_fts(companies_company_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )
        cursor.execute("SELECT count(*) FROM companies_company_fts_docsize")
        return cursor.fetchone()[0]
