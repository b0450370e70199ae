"""The SIRENE file generator of the benchmark: the files it writes must be what INSEE publishes
(layout, valid identifiers, consistent headquarters), with exactly the bad rows it announces."""

import csv
import datetime
import io
import json
import zipfile
from collections import Counter

import pytest
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from bench.sirene_generator import (
    BAD_ROW_KINDS,
    ESTABLISHMENT_COLUMNS,
    ETABLISSEMENTS_FILE,
    UNIT_COLUMNS,
    UNITES_LEGALES_FILE,
    generate,
    luhn_check_digit,
    main,
    naf_subclasses,
    nic_for,
    siren_from_base,
)
from guichet.reference.facts import DEPARTEMENTS, REGIONS

ESTABLISHMENTS, UNITS, BAD = 2_000, 1_200, 10


def read(path):
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """One small stock with bad rows: (unit rows, establishment rows, bad rows by line)."""
    out = tmp_path_factory.mktemp("sirene")
    manifest = generate(
        out, etablissements=ESTABLISHMENTS, unites_legales=UNITS, seed=7, bad_rows=BAD
    )
    unit_header, units = read(out / UNITES_LEGALES_FILE)
    estab_header, estabs = read(out / ETABLISSEMENTS_FILE)
    return {
        "dir": out,
        "manifest": manifest,
        "unit_header": unit_header,
        "estab_header": estab_header,
        "units": [dict(zip(unit_header, row, strict=True)) for row in units],
        "estab_rows": estabs,
        "bad": {bad["line"]: bad["reason"] for bad in manifest["bad_rows"]},
    }


def good_establishments(stock):
    """Establishment rows as dicts, with their physical line, minus the announced bad rows."""
    header = stock["estab_header"]
    return [
        (line, dict(zip(header, row, strict=True)))
        for line, row in enumerate(stock["estab_rows"], start=2)
        if line not in stock["bad"]
    ]


def test_headers_are_the_official_insee_columns(stock):
    assert tuple(stock["unit_header"]) == UNIT_COLUMNS
    assert tuple(stock["estab_header"]) == ESTABLISHMENT_COLUMNS
    assert len(UNIT_COLUMNS) == 33
    assert len(ESTABLISHMENT_COLUMNS) == 48
    for column in ("siren", "denominationUniteLegale", "nicSiegeUniteLegale"):
        assert column in UNIT_COLUMNS
    for column in ("siret", "codeCommuneEtablissement", "etablissementSiege"):
        assert column in ESTABLISHMENT_COLUMNS
    assert not [c for c in ESTABLISHMENT_COLUMNS if c.startswith("geo_") or c == "longitude"]


def test_row_counts_and_announced_bad_rows(stock):
    assert len(stock["units"]) == UNITS
    assert len(stock["estab_rows"]) == ESTABLISHMENTS
    assert len(stock["bad"]) == BAD
    assert set(stock["bad"].values()) == set(BAD_ROW_KINDS)
    assert json.loads((stock["dir"] / "bad_rows.json").read_text()) == stock["manifest"]["bad_rows"]


def test_identifiers_are_valid_except_the_invalid_siret_rows(stock):
    assert all(siren_number.is_valid(unit["siren"]) for unit in stock["units"])
    assert len({unit["siren"] for unit in stock["units"]}) == UNITS
    for _line, estab in good_establishments(stock):
        assert siret_number.is_valid(estab["siret"]), estab["siret"]
        assert estab["siret"] == estab["siren"] + estab["nic"]
    sirets = [row[2] for row in stock["estab_rows"]]
    assert len(set(sirets)) == ESTABLISHMENTS
    invalid = [line for line, reason in stock["bad"].items() if reason == "invalid_siret"]
    for line in invalid:
        assert not siret_number.is_valid(stock["estab_rows"][line - 2][2])


def test_files_are_sorted_like_the_official_stock(stock):
    sirens = [unit["siren"] for unit in stock["units"]]
    assert sirens == sorted(sirens)
    sirets = [estab["siret"] for _line, estab in good_establishments(stock)]
    known = set(sirens)
    assert [s for s in sirets if s[:9] in known] == sorted(s for s in sirets if s[:9] in known)


def test_every_establishment_belongs_to_a_unit_of_the_file_except_unknown_siren_rows(stock):
    sirens = {unit["siren"] for unit in stock["units"]}
    assert all(estab["siren"] in sirens for _line, estab in good_establishments(stock))
    orphans = [line for line, reason in stock["bad"].items() if reason == "unknown_siren"]
    assert orphans
    for line in orphans:
        row = stock["estab_rows"][line - 2]
        assert row[0] not in sirens
        assert siret_number.is_valid(row[2])


def test_headquarters_flag_matches_nic_siege(stock):
    headquarters = Counter()
    nic_siege = {unit["siren"]: unit["nicSiegeUniteLegale"] for unit in stock["units"]}
    for _line, estab in good_establishments(stock):
        is_hq = estab["etablissementSiege"] == "true"
        assert estab["etablissementSiege"] in ("true", "false")
        assert is_hq == (estab["nic"] == nic_siege[estab["siren"]])
        headquarters[estab["siren"]] += is_hq
    assert set(headquarters.values()) == {1}
    assert len(headquarters) == UNITS  # bad rows never replace a headquarters


def test_establishments_per_unit_have_a_heavy_tail(stock):
    per_unit = Counter(row[0] for row in stock["estab_rows"])
    counts = Counter(per_unit.values())
    assert counts[1] > UNITS / 2
    assert max(per_unit.values()) >= 20


def test_bad_rows_are_bad_for_the_announced_reason(stock):
    naf = set(naf_subclasses())
    activity = ESTABLISHMENT_COLUMNS.index("activitePrincipaleEtablissement")
    created = ESTABLISHMENT_COLUMNS.index("dateCreationEtablissement")
    for line, reason in stock["bad"].items():
        row = stock["estab_rows"][line - 2]
        if reason == "wrong_field_count":
            assert len(row) != len(ESTABLISHMENT_COLUMNS)
            continue
        assert len(row) == len(ESTABLISHMENT_COLUMNS)
        if reason == "unknown_naf":
            assert row[activity] not in naf
        elif reason == "malformed_date":
            with pytest.raises(ValueError, match=r"isoformat|month|day"):
                datetime.date.fromisoformat(row[created])


def test_good_rows_hold_valid_codes_and_dates(stock):
    naf = set(naf_subclasses())
    bands = {"", "NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42"}
    bands |= {"51", "52", "53"}
    for unit in stock["units"]:
        assert unit["activitePrincipaleUniteLegale"] in naf
        assert unit["trancheEffectifsUniteLegale"] in bands
        created = datetime.date.fromisoformat(unit["dateCreationUniteLegale"])
        assert datetime.date(1950, 1, 1) <= created <= datetime.date(2025, 12, 31)
    for _line, estab in good_establishments(stock):
        assert estab["activitePrincipaleEtablissement"] in naf
        assert estab["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2"
        datetime.date.fromisoformat(estab["dateCreationEtablissement"])
        commune = estab["codeCommuneEtablissement"]
        assert commune == "" or len(commune) == 5


def test_distributions_look_like_the_real_stock(stock):
    units = stock["units"]
    ceased = sum(u["etatAdministratifUniteLegale"] == "C" for u in units) / len(units)
    assert 0.1 < ceased < 0.2
    estabs = [e for _line, e in good_establishments(stock)]
    closed = sum(e["etatAdministratifEtablissement"] == "F" for e in estabs) / len(estabs)
    assert 0.1 < closed < 0.3
    sizes = Counter(u["categorieEntreprise"] for u in units if u["categorieEntreprise"])
    assert sizes.most_common(1)[0][0] == "PME"
    assert sizes["PME"] > 0.9 * sum(sizes.values())
    small = sum(u["trancheEffectifsUniteLegale"] in ("", "NN", "00", "01") for u in units)
    assert small > len(units) / 2
    # A ceased unit's establishments are all closed.
    ceased_sirens = {u["siren"] for u in units if u["etatAdministratifUniteLegale"] == "C"}
    assert all(
        e["etatAdministratifEtablissement"] == "F" for e in estabs if e["siren"] in ceased_sirens
    )


def test_names_of_companies_and_sole_traders(stock):
    units = stock["units"]
    sole = [u for u in units if u["categorieJuridiqueUniteLegale"] == "1000"]
    companies = [u for u in units if u["categorieJuridiqueUniteLegale"] != "1000"]
    assert sole
    assert companies
    assert all(not u["denominationUniteLegale"] and u["nomUniteLegale"] for u in sole)
    assert all(u["prenom1UniteLegale"] for u in sole)
    assert all(u["denominationUniteLegale"] for u in companies)
    names = " ".join(u["denominationUniteLegale"] for u in companies)
    assert any(c in names for c in "ÉÈÊÂÔÎÇ")  # accents survive
    assert any("," in u["denominationUniteLegale"] for u in companies)  # read back whole
    assert any(u["sigleUniteLegale"] for u in companies)
    assert any(u["denominationUsuelle1UniteLegale"] for u in units)


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name, etablissements=300, unites_legales=200, seed=seed, bad_rows=5)
    files = (UNITES_LEGALES_FILE, ETABLISSEMENTS_FILE)
    content = {n: [(tmp_path / n / f).read_bytes() for f in files] for n in "abc"}
    assert content["a"] == content["b"]
    assert content["a"][0] != content["c"][0]
    assert content["a"][1] != content["c"][1]


def test_communes_of_every_region_including_corsica_and_overseas(tmp_path):
    generate(tmp_path, etablissements=6_000, unites_legales=3_600, seed=1)
    _header, rows = read(tmp_path / ETABLISSEMENTS_FILE)
    commune = ESTABLISHMENT_COLUMNS.index("codeCommuneEtablissement")
    departements = set()
    for row in rows:
        code = row[commune]
        if code:
            departements.add(code[:3] if code.startswith("97") else code[:2])
    assert departements <= set(DEPARTEMENTS)
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= departements
    assert {DEPARTEMENTS[d][1] for d in departements} == set(REGIONS)


def test_zip_holds_the_same_csv_as_published_by_insee(tmp_path):
    generate(tmp_path / "csv", etablissements=200, unites_legales=150, seed=2)
    manifest = generate(
        tmp_path / "zip", etablissements=200, unites_legales=150, seed=2, zipped=True
    )
    for name in (UNITES_LEGALES_FILE, ETABLISSEMENTS_FILE):
        archive = tmp_path / "zip" / name.replace(".csv", ".zip")
        with zipfile.ZipFile(archive) as opened:
            assert opened.namelist() == [name]
            assert opened.read(name) == (tmp_path / "csv" / name).read_bytes()
    assert manifest["files"]["etablissements"] == "StockEtablissement_utf8.zip"


def test_command_line_writes_the_files_and_says_so(tmp_path, capsys):
    main(["--out", str(tmp_path), "--etablissements", "50", "--unites-legales", "40"])
    output = capsys.readouterr().out
    assert "50 establishments, 40 legal units, 0 bad rows" in output
    _header, rows = read(tmp_path / ETABLISSEMENTS_FILE)
    assert len(rows) == 50
    assert json.loads((tmp_path / "manifest.json").read_text())["etablissements"] == 50


def test_fewer_establishments_than_units_leaves_units_without_establishment(tmp_path):
    generate(tmp_path, etablissements=40, unites_legales=60, seed=5)
    _header, units = read(tmp_path / UNITES_LEGALES_FILE)
    _header, estabs = read(tmp_path / ETABLISSEMENTS_FILE)
    assert len(units) == 60
    assert len(estabs) == 40
    assert len({row[0] for row in estabs}) == 40


def test_check_digits_agree_with_python_stdnum():
    for base in (0, 73282932, 12345678, 99999999, 35600000):
        siren, siret_sum = siren_from_base(base)
        assert siren == f"{base:08d}" + luhn_check_digit(f"{base:08d}")
        assert siren_number.is_valid(siren)
        for counter in (1, 2, 17, 9999):
            siret = siren + nic_for(siret_sum, counter)
            assert siret == siret[:13] + luhn_check_digit(siret[:13])
            assert siret_number.is_valid(siret) or siren == "356000000"


def test_csv_quoting_round_trips(stock):
    with open(stock["dir"] / UNITES_LEGALES_FILE, encoding="utf-8") as stream:
        text = stream.read()
    quoted = [line for line in text.splitlines() if '"' in line]
    assert quoted
    for line in quoted:
        (row,) = csv.reader(io.StringIO(line))
        assert len(row) == len(UNIT_COLUMNS)
