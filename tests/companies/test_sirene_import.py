"""The SIRENE stock import: what is kept, how it is mapped, idempotence, later stocks."""

import datetime
import zipfile

import pytest

from guichet.companies.models import Company, Contact, Establishment, ExportFact
from guichet.companies.sirene import run_import
from guichet.companies.sirene.report import KINDS
from tests.companies.fixtures.sirene import (
    ESTABLISHMENT_COLUMNS,
    UNIT_COLUMNS,
    establishment,
    siren,
    siret,
    unit,
    write_csv,
    write_stock,
)

pytestmark = pytest.mark.usefixtures("reference")

DIJON = {"codeCommuneEtablissement": "21231", "codePostalEtablissement": "21000"}
PARIS = {"codeCommuneEtablissement": "75056", "codePostalEtablissement": "75001"}
LYON = {"codeCommuneEtablissement": "69123", "codePostalEtablissement": "69001"}
AJACCIO = {"codeCommuneEtablissement": "2A004", "codePostalEtablissement": "20000"}
SAINT_DENIS_REUNION = {"codeCommuneEtablissement": "97411", "codePostalEtablissement": "97400"}


def run(tmp_path, units, establishments, **options):
    ul, et = write_stock(tmp_path, units, establishments)
    options.setdefault("wet_run", True)
    return run_import(unites_legales=ul, etablissements=et, **options)


def sirets():
    return list(Establishment.objects.order_by("siret").values_list("siret", flat=True))


def sirens():
    return list(Company.objects.order_by("siren").values_list("siren", flat=True))


def test_a_company_is_mapped_from_its_unit_and_establishment_rows(tmp_path):
    a = siren(10000001)
    hq = siret(a)
    report = run(
        tmp_path,
        [
            unit(
                a,
                denominationUniteLegale="FROMAGERIE DE L'ÉPOISSES",
                denominationUsuelle1UniteLegale="BERTHAUT",
                denominationUsuelle2UniteLegale="LE FROMAGER",
                sigleUniteLegale="FDE",
                trancheEffectifsUniteLegale="21",
                caractereEmployeurUniteLegale="O",
            )
        ],
        [
            establishment(
                hq,
                enseigne1Etablissement="BERTHAUT",
                numeroVoieEtablissement="7",
                indiceRepetitionEtablissement="B",
                typeVoieEtablissement="RUE",
                libelleVoieEtablissement="DES FROMAGES",
                complementAdresseEtablissement="ZA DU PONT",
                latitude="47.3",
            )
        ],
    )
    assert report["created"] == {"unites_legales": 1, "etablissements": 1}
    company = Company.objects.get(siren=a)
    assert company.name == "FROMAGERIE DE L'ÉPOISSES"
    assert company.usual_names == "BERTHAUT / LE FROMAGER"
    assert company.acronym == "FDE"
    assert "fromagerie de l epoisses" in company.search_text
    assert "fde" in company.search_text
    assert (company.naf_id, company.activity_code, company.activity_nomenclature) == (
        "10.71C",
        "10.71C",
        "NAFRev2",
    )
    assert (company.headcount_band_id, company.headcount_year) == ("21", 2022)
    assert (company.size_category, company.size_category_year) == ("PME", 2022)
    assert company.creation_date == datetime.date(2001, 5, 14)
    assert company.is_active
    assert company.ceased_on is None
    assert company.is_employer is True
    assert company.headquarters_siret == hq
    assert company.sirene_updated_at.isoformat() == "2024-03-01T09:12:13+00:00"
    assert len(company.sirene_digest) == 32
    place = Establishment.objects.get(siret=hq)
    assert place.company == company
    assert place.is_headquarters
    assert place.name == "BERTHAUT"
    assert place.address == "7 B RUE DES FROMAGES, ZA DU PONT"
    assert (place.postal_code, place.commune_code, place.commune_name) == (
        "21000",
        "21231",
        "DIJON",
    )
    assert (place.departement_id, place.region_id) == ("21", "27")
    assert (place.headcount_band_id, place.naf_id) == ("11", "10.71C")
    assert place.latitude is None  # no latitude column in this file


def test_a_sole_trader_is_named_by_first_name_and_usage_name(tmp_path):
    a = siren(10000002)
    run(
        tmp_path,
        [
            unit(
                a,
                denominationUniteLegale="",
                prenom1UniteLegale="MARIE",
                prenomUsuelUniteLegale="MARIE",
                nomUniteLegale="DURAND",
                nomUsageUniteLegale="MARTIN",
                categorieJuridiqueUniteLegale="1000",
            )
        ],
        [establishment(siret(a))],
    )
    company = Company.objects.get(siren=a)
    assert company.name == "MARIE MARTIN"
    assert (company.first_name, company.last_name, company.usage_name) == (
        "MARIE",
        "DURAND",
        "MARTIN",
    )
    assert "durand" in company.search_text
    assert "marie martin" in company.search_text


@pytest.mark.parametrize(
    ("category", "band", "expected"),
    [
        ("PME", "02", "TPE"),  # SIRENE says PME, under 10 employees: a micro-enterprise
        ("", "NN", "TPE"),  # not classified, no employee
        ("", "11", ""),  # not classified, 10-19 employees: left empty
        ("PME", "11", "PME"),
        ("ETI", "03", "ETI"),  # SIRENE's ETI/GE are kept as they are
        ("GE", "53", "GE"),
    ],
)
def test_size_category_derives_micro_enterprises(tmp_path, category, band, expected):
    a = siren(10000003)
    run(
        tmp_path,
        [unit(a, categorieEntreprise=category, trancheEffectifsUniteLegale=band)],
        [establishment(siret(a))],
    )
    assert Company.objects.get(siren=a).size_category == expected


def test_an_old_nomenclature_keeps_its_code_without_naf_link(tmp_path):
    a = siren(10000004)
    report = run(
        tmp_path,
        [
            unit(
                a,
                activitePrincipaleUniteLegale="22.02",
                nomenclatureActivitePrincipaleUniteLegale="NAP",
            )
        ],
        [establishment(siret(a))],
    )
    assert report["rejected"] == []
    company = Company.objects.get(siren=a)
    assert (company.naf_id, company.activity_code, company.activity_nomenclature) == (
        None,
        "22.02",
        "NAP",
    )


def test_the_territory_keeps_units_with_an_establishment_there_and_their_headquarters(
    tmp_path,
):
    dijon_only, paris_hq, lyon_only = siren(20000001), siren(20000002), siren(20000003)
    report = run(
        tmp_path,
        [unit(dijon_only), unit(paris_hq), unit(lyon_only)],
        [
            establishment(siret(dijon_only)),
            establishment(siret(paris_hq, 1), **PARIS),  # headquarters in Paris: kept
            establishment(siret(paris_hq, 2), etablissementSiege="false", **DIJON),
            establishment(siret(paris_hq, 3), etablissementSiege="false", **PARIS),  # not kept
            establishment(siret(lyon_only), **LYON),
        ],
    )
    assert sirens() == [dijon_only, paris_hq]
    assert sirets() == [siret(dijon_only), siret(paris_hq, 1), siret(paris_hq, 2)]
    hq = Establishment.objects.get(siret=siret(paris_hq, 1))
    assert (hq.departement_id, hq.region_id, hq.is_headquarters) == ("75", "11", True)
    # Rows outside the territory are read, not kept, not rejected.
    assert report["read"] == {"unites_legales": 3, "etablissements": 5}
    assert report["kept"] == {"unites_legales": 2, "etablissements": 3}
    assert report["rejected"] == []


@pytest.mark.parametrize("headquarters_first", [True, False])
def test_a_unit_whose_rows_are_apart_in_the_file_keeps_its_headquarters(
    tmp_path, headquarters_first
):
    """A file not sorted by SIREN: the unit's rows are separated by another unit's."""
    a, b = siren(21000001), siren(21000002)
    headquarters = establishment(siret(a, 1), **PARIS)
    in_dijon = establishment(siret(a, 2), etablissementSiege="false", **DIJON)
    first, last = (headquarters, in_dijon) if headquarters_first else (in_dijon, headquarters)
    run(tmp_path, [unit(a), unit(b)], [first, establishment(siret(b)), last])
    assert sirets() == [siret(a, 1), siret(a, 2), siret(b)]


@pytest.mark.parametrize(
    ("options", "place", "expected"),
    [
        ({"departements": ["2A"]}, AJACCIO, ("2A", "94")),
        ({"regions": ["94"]}, AJACCIO, ("2A", "94")),
        ({"regions": ["04"]}, SAINT_DENIS_REUNION, ("974", "04")),
        ({"departements": ["974"]}, SAINT_DENIS_REUNION, ("974", "04")),
    ],
)
def test_corsica_and_overseas_departements(tmp_path, options, place, expected):
    here, dijon = siren(22000001), siren(22000002)
    run(
        tmp_path,
        [unit(here), unit(dijon)],
        [establishment(siret(here), **place), establishment(siret(dijon))],
        **options,
    )
    assert sirens() == [here]
    located = Establishment.objects.get()
    assert (located.departement_id, located.region_id) == expected


def test_columns_are_found_by_name_whatever_their_order(tmp_path):
    a = siren(23000001)
    unit_columns = [*reversed(UNIT_COLUMNS), "nouvelleColonneInsee"]
    unit_columns.remove("sigleUniteLegale")  # an optional column missing
    establishment_columns = [*ESTABLISHMENT_COLUMNS[::2], *ESTABLISHMENT_COLUMNS[1::2], "autre"]
    establishment_columns.remove("siret")  # rebuilt from siren + nic
    ul = write_csv(
        tmp_path / "ul.csv",
        [unit(a, sigleUniteLegale="XYZ", nouvelleColonneInsee="?")],
        unit_columns,
    )
    et = write_csv(tmp_path / "et.csv", [establishment(siret(a), autre="?")], establishment_columns)
    report = run_import(unites_legales=ul, etablissements=et, wet_run=True)
    assert report["created"] == {"unites_legales": 1, "etablissements": 1}
    company = Company.objects.get(siren=a)
    assert company.name == f"SOCIETE {a}"
    assert company.acronym == ""
    assert Establishment.objects.get().siret == siret(a)


def test_zip_files_as_insee_publishes_them(tmp_path):
    a = siren(24000001)
    ul, et = write_stock(tmp_path, [unit(a)], [establishment(siret(a))])
    zips = []
    for path in (ul, et):
        archive = tmp_path / (path.stem + ".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.write(path, path.name)
        zips.append(archive)
    report = run_import(unites_legales=zips[0], etablissements=zips[1], wet_run=True)
    assert report["created"] == {"unites_legales": 1, "etablissements": 1}
    assert sirets() == [siret(a)]


def test_a_second_run_on_the_same_files_changes_nothing(tmp_path):
    a, b = siren(25000001), siren(25000002)
    units = [unit(a), unit(b, etatAdministratifUniteLegale="C", dateDebut="2020-06-30")]
    establishments = [
        establishment(siret(a)),
        establishment(siret(a, 2), etablissementSiege="false"),
        establishment(siret(b), etatAdministratifEtablissement="F"),
    ]
    first = run(tmp_path, units, establishments)
    assert first["created"] == {"unites_legales": 2, "etablissements": 3}
    stamps = dict(Company.objects.values_list("siren", "updated_at"))
    second = run(tmp_path, units, establishments)
    for counter in ("created", "updated", "ceased"):
        assert second[counter] == dict.fromkeys(KINDS, 0)
    assert second["unchanged"] == {"unites_legales": 2, "etablissements": 3}
    assert dict(Company.objects.values_list("siren", "updated_at")) == stamps


def test_a_later_stock_updates_and_ceases_without_touching_platform_data(tmp_path, admin_user):
    a, b = siren(26000001), siren(26000002)
    establishments = [establishment(siret(a)), establishment(siret(b))]
    run(tmp_path, [unit(a), unit(b)], establishments)
    company = Company.objects.get(siren=b)
    Company.objects.filter(pk=company.pk).update(export_status="regular")
    fact = ExportFact.objects.create(
        company=company,
        attribute="status",
        value="regular",
        observed_on=datetime.date(2024, 1, 1),
        source="advisor",
    )
    contact = Contact.objects.create(
        company=company,
        first_name="Anne",
        last_name="Dupont",
        legal_basis="legitimate_interest",
        source="advisor",
    )
    later = [
        unit(a, denominationUniteLegale="NOUVEAU NOM"),
        unit(b, etatAdministratifUniteLegale="C", dateDebut="2024-06-30"),
    ]
    closed = [
        establishment(siret(a)),
        establishment(siret(b), etatAdministratifEtablissement="F", dateDebut="2024-06-30"),
    ]
    report = run(tmp_path, later, closed)
    assert report["updated"] == {"unites_legales": 2, "etablissements": 1}
    assert report["ceased"] == {"unites_legales": 1, "etablissements": 1}
    assert report["unchanged"] == {"unites_legales": 0, "etablissements": 1}
    assert Company.objects.get(siren=a).name == "NOUVEAU NOM"
    ceased = Company.objects.get(siren=b)
    assert (ceased.is_active, ceased.ceased_on) == (False, datetime.date(2024, 6, 30))
    assert ceased.export_status == "regular"
    place = Establishment.objects.get(siret=siret(b))
    assert (place.is_active, place.closed_on) == (False, datetime.date(2024, 6, 30))
    assert ExportFact.objects.get(pk=fact.pk).company_id == ceased.pk
    assert Contact.objects.get(pk=contact.pk).last_name == "Dupont"


def test_a_dry_run_writes_nothing_but_reports_the_same_counts(tmp_path):
    a = siren(27000001)
    dry = run(tmp_path, [unit(a)], [establishment(siret(a))], wet_run=False)
    assert dry["wet_run"] is False
    assert dry["created"] == {"unites_legales": 1, "etablissements": 1}
    assert Company.objects.count() == 0
    assert Establishment.objects.count() == 0
    run(tmp_path, [unit(a)], [establishment(siret(a))])
    again = run(
        tmp_path,
        [unit(a, denominationUniteLegale="AUTRE")],
        [establishment(siret(a))],
        wet_run=False,
    )
    assert again["updated"] == {"unites_legales": 1, "etablissements": 0}
    assert Company.objects.get().name == f"SOCIETE {a}"


def test_partially_diffusible_units_store_masked_fields_empty(tmp_path):
    a = siren(28000001)
    run(
        tmp_path,
        [
            unit(
                a,
                statutDiffusionUniteLegale="P",
                denominationUniteLegale="",
                prenom1UniteLegale="[ND]",
                prenomUsuelUniteLegale="[ND]",
                nomUniteLegale="LEGRAND",
                nomUsageUniteLegale="[ND]",
            )
        ],
        [
            establishment(
                siret(a),
                statutDiffusionEtablissement="P",
                numeroVoieEtablissement="[ND]",
                libelleVoieEtablissement="[ND]",
                typeVoieEtablissement="[ND]",
            )
        ],
    )
    company = Company.objects.get(siren=a)
    assert company.partially_diffusible
    assert company.name == "LEGRAND"
    assert "[ND]" not in company.search_text + company.first_name + company.usage_name
    assert Establishment.objects.get().address == ""


def test_non_diffusible_rows_are_not_taken_but_counted(tmp_path):
    hidden, shown, hidden_place = siren(29000001), siren(29000002), siren(29000003)
    report = run(
        tmp_path,
        [unit(hidden, statutDiffusionUniteLegale="N"), unit(shown), unit(hidden_place)],
        [
            establishment(siret(hidden)),
            establishment(siret(shown)),
            establishment(siret(hidden_place), statutDiffusionEtablissement="N"),
        ],
    )
    assert sirens() == [shown]
    assert report["non_diffusible"] == {"unites_legales": 1, "etablissements": 2}
    assert report["rejected"] == []


def test_la_poste_establishments_are_accepted_without_luhn_key(tmp_path):
    la_poste = "356000000"
    office = "35600000049837"  # digit sum multiple of 5, not a Luhn number
    report = run(
        tmp_path,
        [unit(la_poste, nicSiegeUniteLegale="00048")],
        [
            establishment("35600000000048", **PARIS),
            establishment(office, etablissementSiege="false"),
        ],
    )
    assert report["rejected"] == []
    assert sirets() == ["35600000000048", office]


def test_an_establishment_of_a_unit_known_only_in_the_registry_is_attached_to_it(tmp_path):
    a = siren(30000001)
    run(tmp_path, [unit(a)], [establishment(siret(a))])
    report = run(tmp_path, [], [establishment(siret(a, 2), etablissementSiege="false")])
    assert report["rejected"] == []
    assert Establishment.objects.get(siret=siret(a, 2)).company.siren == a
