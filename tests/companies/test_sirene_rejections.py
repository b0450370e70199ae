"""Bad rows never stop the import and are never silently dropped: each one is rejected with
its file, physical line number (header = 1) and a French reason, and every other row is kept."""

import pytest

from guichet.companies.models import Company, Establishment
from guichet.companies.sirene import files, run_import
from tests.companies.fixtures.sirene import (
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENTS_FILE,
    UNIT_COLUMNS,
    UNITS_FILE,
    append_lines,
    establishment,
    siren,
    siret,
    unit,
    write_stock,
)

pytestmark = pytest.mark.usefixtures("reference")

GOOD = [siren(40000001), siren(40000002)]
BAD = siren(40000009)


def run(tmp_path, units=(), establishments=(), *, unit_lines=(), establishment_lines=()):
    """Two good companies (lines 2-3 of each file), then the rows under test from line 4."""
    ul, et = write_stock(
        tmp_path,
        [unit(s) for s in GOOD] + list(units),
        [establishment(siret(s)) for s in GOOD] + list(establishments),
    )
    append_lines(ul, *unit_lines)
    append_lines(et, *establishment_lines)
    return run_import(unites_legales=ul, etablissements=et, wet_run=True)


def raw_line(row: dict, columns: list[str]) -> str:
    return ",".join(row.get(c, "") for c in columns)


def assert_good_rows_kept(*extra_sirens):
    kept = sorted([*GOOD, *extra_sirens])
    assert list(Company.objects.order_by("siren").values_list("siren", flat=True)) == kept
    assert set(Establishment.objects.values_list("siret", flat=True)) >= {siret(s) for s in GOOD}


def rejection(file, line, reason):
    return {"file": file, "line": line, "reason": reason}


def test_unit_siren_that_is_not_nine_digits(tmp_path):
    report = run(tmp_path, [unit("40000A01"), unit("4000000")])
    assert report["rejected"] == [
        rejection(UNITS_FILE, 4, "SIREN invalide « 40000A01 » : 9 chiffres attendus"),
        rejection(UNITS_FILE, 5, "SIREN invalide « 4000000 » : 9 chiffres attendus"),
    ]
    assert_good_rows_kept()


def test_establishment_siren_with_a_wrong_key(tmp_path):
    wrong = GOOD[0][:8] + str((int(GOOD[0][8]) + 1) % 10)
    report = run(tmp_path, establishments=[establishment(wrong + "00017")])
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE, 4, f"SIREN invalide « {wrong} » : clé de contrôle incorrecte"
        )
    ]
    assert_good_rows_kept()


@pytest.mark.parametrize(
    ("bad_siret", "reason"),
    [
        (siret(GOOD[0], 2)[:13] + "0", "clé de contrôle incorrecte"),
        (GOOD[0] + "0001", "14 chiffres attendus"),
        (GOOD[0] + "0001X", "14 chiffres attendus"),
    ],
)
def test_establishment_siret_invalid(tmp_path, bad_siret, reason):
    if bad_siret == siret(GOOD[0], 2):  # the key happened to be right: make it wrong
        bad_siret = bad_siret[:13] + "1"
    row = establishment(bad_siret, etablissementSiege="false", siren=GOOD[0])
    report = run(tmp_path, establishments=[row])
    assert report["rejected"] == [
        rejection(ESTABLISHMENTS_FILE, 4, f"SIRET invalide « {bad_siret} » : {reason}")
    ]
    assert_good_rows_kept()
    assert Establishment.objects.count() == 2


def test_siret_that_does_not_start_with_its_siren(tmp_path):
    other = siret(GOOD[1], 2)
    row = establishment(other, siren=GOOD[0], nic=other[9:], etablissementSiege="false")
    report = run(tmp_path, establishments=[row])
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE, 4, f"SIRET « {other} » ne commence pas par son SIREN {GOOD[0]}"
        )
    ]
    assert_good_rows_kept()


def test_establishment_of_an_unknown_unit(tmp_path):
    report = run(tmp_path, establishments=[establishment(siret(BAD))])
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE,
            4,
            f"SIREN {BAD} inconnu : absent du fichier des unités légales et du registre",
        )
    ]
    assert_good_rows_kept()


def test_unknown_naf_code_rejects_the_unit_and_its_establishments(tmp_path):
    report = run(
        tmp_path,
        [unit(BAD, activitePrincipaleUniteLegale="99.99Z")],
        [establishment(siret(BAD))],
    )
    assert report["rejected"] == [
        rejection(UNITS_FILE, 4, "code NAF rév. 2 inconnu : « 99.99Z »"),
        unit_rejected(4),
    ]
    assert_good_rows_kept()


def test_unknown_naf_code_of_an_establishment(tmp_path):
    report = run(
        tmp_path,
        [unit(BAD)],
        [establishment(siret(BAD), activitePrincipaleEtablissement="10.71")],  # a class
    )
    assert report["rejected"] == []  # "10.71" is a NAF class: it exists
    report = run(
        tmp_path,
        [unit(BAD)],
        [establishment(siret(BAD), activitePrincipaleEtablissement="1071C")],
    )
    assert report["rejected"] == [
        rejection(ESTABLISHMENTS_FILE, 4, "code NAF rév. 2 inconnu : « 1071C »")
    ]
    assert_good_rows_kept(BAD)


def unit_rejected(line: int) -> dict:
    return rejection(
        ESTABLISHMENTS_FILE, line, f"l'unité légale {BAD} est rejetée (ligne 4 de {UNITS_FILE})"
    )


def test_unknown_headcount_band(tmp_path):
    report = run(
        tmp_path,
        [unit(BAD, trancheEffectifsUniteLegale="99")],
        [
            establishment(siret(BAD)),
            establishment(
                siret(GOOD[0], 2), etablissementSiege="false", trancheEffectifsEtablissement="7"
            ),
        ],
    )
    assert report["rejected"] == [
        rejection(UNITS_FILE, 4, "tranche d'effectifs inconnue : « 99 »"),
        unit_rejected(4),
        rejection(ESTABLISHMENTS_FILE, 5, "tranche d'effectifs inconnue : « 7 »"),
    ]
    assert_good_rows_kept()


def test_malformed_dates(tmp_path):
    report = run(
        tmp_path,
        [unit(BAD, dateCreationUniteLegale="2019-02-30")],
        [
            establishment(siret(BAD)),
            establishment(siret(GOOD[0], 2), etablissementSiege="false"),
            establishment(siret(GOOD[1], 2), dateCreationEtablissement="14/05/2001"),
        ],
    )
    assert report["rejected"] == [
        rejection(
            UNITS_FILE,
            4,
            "date invalide dans dateCreationUniteLegale : « 2019-02-30 » (AAAA-MM-JJ attendu)",
        ),
        unit_rejected(4),
        rejection(
            ESTABLISHMENTS_FILE,
            6,
            "date invalide dans dateCreationEtablissement : « 14/05/2001 » (AAAA-MM-JJ attendu)",
        ),
    ]
    assert_good_rows_kept()
    assert Establishment.objects.count() == 3


def test_rows_with_a_wrong_number_of_fields(tmp_path):
    short_unit = raw_line(unit(BAD), UNIT_COLUMNS[:-1])
    long_place = raw_line(establishment(siret(GOOD[0], 2)), ESTABLISHMENT_COLUMNS) + ",x"
    report = run(tmp_path, unit_lines=[short_unit], establishment_lines=[long_place])
    unit_count, place_count = len(UNIT_COLUMNS), len(ESTABLISHMENT_COLUMNS)
    assert report["rejected"] == [
        rejection(
            UNITS_FILE, 4, f"nombre de champs incorrect : {unit_count - 1} au lieu de {unit_count}"
        ),
        rejection(
            ESTABLISHMENTS_FILE,
            4,
            f"nombre de champs incorrect : {place_count + 1} au lieu de {place_count}",
        ),
    ]
    assert_good_rows_kept()


def test_line_numbers_count_physical_lines_of_quoted_newlines(tmp_path):
    multiline = establishment(
        siret(GOOD[0], 2), etablissementSiege="false", complementAdresseEtablissement="BAT A\nBAT B"
    )
    bad = establishment(siret(GOOD[1], 2), etablissementSiege="false", dateDebut="x")
    bad["etatAdministratifEtablissement"] = "F"
    report = run(tmp_path, establishments=[multiline, bad])
    # header 1, good rows 2-3, the quoted row spans 4-5, the bad row is line 6.
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE, 6, "date invalide dans dateDebut : « x » (AAAA-MM-JJ attendu)"
        )
    ]
    assert Establishment.objects.get(siret=siret(GOOD[0], 2)).address.endswith("BAT A\nBAT B")


def test_bytes_that_are_not_utf8_after_the_checked_head(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "HEAD_CHECK_BYTES", 64)
    ul, et = write_stock(
        tmp_path,
        [unit(s) for s in GOOD],
        [establishment(siret(s)) for s in GOOD],
    )
    place = establishment(siret(GOOD[0], 2), etablissementSiege="false")
    row = raw_line(place, ESTABLISHMENT_COLUMNS).replace("LIBERTE", "LIBERT\xc9")
    with open(et, "ab") as handle:
        handle.write(row.encode("latin-1") + b"\n")
    report = run_import(unites_legales=ul, etablissements=et, wet_run=True)
    position = row.index("\xc9") + 1
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE, 4, f"caractères non UTF-8 (octet 0xC9 en position {position})"
        )
    ]
    assert_good_rows_kept()


def test_an_unclosed_quote_is_rejected(tmp_path):
    broken = raw_line(
        establishment(siret(GOOD[0], 2), etablissementSiege="false"), ESTABLISHMENT_COLUMNS
    ).replace("DE LA LIBERTE", '"DE LA LIBERTE')
    report = run(tmp_path, establishment_lines=[broken])
    assert report["rejected"] == [
        rejection(
            ESTABLISHMENTS_FILE, 4, "ligne mal formée : guillemets mal placés ou non refermés"
        )
    ]
    assert_good_rows_kept()
