"""Parts of the registry benchmark that decide its figures: the DuckDB floor must select what
the import keeps, and the search queries must be the kinds the README names."""

import csv
import json
import random

import pytest

from bench.registry import duckdb_floor, region_departements, with_typo, without_a_word
from bench.sirene_generator import ETABLISSEMENTS_FILE, UNITES_LEGALES_FILE, generate
from guichet.reference.facts import DEPARTEMENTS


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("stock")
    generate(out, etablissements=1_500, unites_legales=900, seed=11, bad_rows=6)
    return out


def departement_of(commune: str) -> str:
    return commune[:3] if commune.startswith("97") else commune[:2]


def expected_selection(files, departements: set[str]) -> tuple[int, int]:
    """What the import keeps, computed row by row: establishments in the territory, the
    headquarters of their units wherever they are, and those units."""
    with open(files / ETABLISSEMENTS_FILE, encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if None not in row]  # parsable rows
    chosen = {
        r["siren"] for r in rows if departement_of(r["codeCommuneEtablissement"]) in departements
    }
    kept = [
        r
        for r in rows
        if departement_of(r["codeCommuneEtablissement"]) in departements
        or (r["etablissementSiege"] == "true" and r["siren"] in chosen)
    ]
    with open(files / UNITES_LEGALES_FILE, encoding="utf-8", newline="") as stream:
        units = sum(row["siren"] in chosen for row in csv.DictReader(stream))
    return len(kept), units


@pytest.mark.parametrize("region", ["27", "94", None])
def test_duckdb_floor_selects_what_the_import_keeps(files, region):
    departements = region_departements(region)
    _seconds, establishments, units = duckdb_floor(files, departements)
    expected_establishments, expected_units = expected_selection(files, set(departements))
    assert units == expected_units
    # DuckDB accepts a row with one extra empty field, which the import rejects.
    bad = json.loads((files / "bad_rows.json").read_text())
    extra = sum(row["reason"] == "wrong_field_count" for row in bad)
    assert expected_establishments <= establishments <= expected_establishments + extra
    assert establishments > 0


def test_region_departements():
    assert region_departements("94") == ["2A", "2B"]
    assert "21" in region_departements("27")
    assert len(region_departements(None)) == len(DEPARTEMENTS)


def is_one_slip(typed: str, word: str) -> bool:
    """One letter dropped, or two neighbouring letters swapped."""
    if len(typed) == len(word) - 1:
        return any(word[:i] + word[i + 1 :] == typed for i in range(len(word)))
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    return len(typed) == len(word) and typed in swaps


def test_typo_is_one_slip_in_the_longest_word():
    rnd = random.Random(1)
    for name in ("BOULANGERIE MARTIN", "Menuiserie du Morvan", "SCI LES CHÊNES", "ARNAUD"):
        typed, words = with_typo(rnd, name).split(), name.split()
        changed = [i for i, (t, w) in enumerate(zip(typed, words, strict=True)) if t != w]
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        assert changed == [longest] or typed[longest] == words[longest]
        assert is_one_slip(typed[longest], words[longest]) or typed == words


def test_missing_word_drops_one_word_of_three_or_more():
    rnd = random.Random(2)
    assert without_a_word(rnd, "DUPONT ET FILS").count(" ") == 1
    assert without_a_word(rnd, "GARAGE DUPONT") == "GARAGE DUPONT"
