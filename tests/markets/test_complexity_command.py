"""`manage.py complexity` on a user's long table: output columns, the full grid, codes kept
as text, French errors."""

import csv

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from guichet.markets.complexity import compute

HEADER = "annee,pays,sh,valeur,libelle\n"
ROWS = [
    ("2020", "FRA", "0101", "6"),
    ("2020", "FRA", "0203", "2"),
    ("2020", "FRA", "8703", "2"),
    ("2020", "DEU", "0101", "2"),
    ("2020", "DEU", "0203", "6"),
    ("2020", "DEU", "8703", "2"),
    ("2020", "ITA", "0101", "2"),
    ("2020", "ITA", "0203", "2"),
    ("2020", "ITA", "8703", "16"),
    ("2021", "FRA", "0101", "5"),
    ("2021", "DEU", "8703", "3"),
    ("2021", "DEU", "8703", "1"),  # a duplicate: summed
    ("2021", "ESP", "0203", "4"),
    ("2021", "ESP", "0101", ""),  # empty: 0
]


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "long.csv"
    path.write_text(header + "".join(",".join(row) + ",x\n" for row in rows), encoding="utf-8")
    return path


def run(tmp_path, path, **columns):
    out = tmp_path / "out.csv"
    options = {"time": "annee", "loc": "pays", "prod": "sh", "val": "valeur", **columns}
    call_command("complexity", input=str(path), out=str(out), **options)
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), out


def test_full_grid_with_codes_as_text(tmp_path):
    rows, out = run(tmp_path, write(tmp_path, ROWS))
    header = out.read_text(encoding="utf-8").splitlines()[0].replace('"', "")
    assert header == "time,loc,prod,rca,mcp,density,eci,pci,cog,diversity,ubiquity"
    # 2 years × 4 locations (DEU, ESP, FRA, ITA) × 3 products, every cell.
    assert len(rows) == 24
    assert {row["prod"] for row in rows} == {"0101", "0203", "8703"}
    cells = {(row["time"], row["loc"], row["prod"]): row for row in rows}
    # The hand-checked case of test_complexity: FRA's RCA in 0101 is 2.4, in 8703 0.4.
    assert float(cells["2020", "FRA", "0101"]["rca"]) == pytest.approx(2.4)
    assert float(cells["2020", "FRA", "8703"]["rca"]) == pytest.approx(0.4)
    assert cells["2020", "FRA", "8703"]["mcp"] == "0"
    assert cells["2020", "FRA", "0101"]["diversity"] == "1"
    # A product a location does not export is in the grid with RCA 0.
    assert float(cells["2021", "FRA", "8703"]["rca"]) == 0
    assert cells["2021", "FRA", "8703"]["density"] != ""
    # ESP exports nothing in 2020: in the grid, measures empty.
    assert cells["2020", "ESP", "0101"]["rca"] == ""
    assert cells["2020", "ESP", "0101"]["eci"] == ""


def test_values_are_the_core_computation(tmp_path):
    rows, _ = run(tmp_path, write(tmp_path, ROWS))
    # 2021: DEU 8703 = 3 + 1, ESP 0203 = 4, FRA 0101 = 5 (ITA nothing that year).
    values = np.array([[0, 0, 4.0], [0, 4, 0], [5, 0, 0]])
    expected = compute(values, ["DEU", "ESP", "FRA"], ["0101", "0203", "8703"])
    for i, loc in enumerate(["DEU", "ESP", "FRA"]):
        for k, prod in enumerate(["0101", "0203", "8703"]):
            row = next(r for r in rows if (r["time"], r["loc"], r["prod"]) == ("2021", loc, prod))
            assert float(row["rca"]) == pytest.approx(expected.rca[i, k])
            assert float(row["density"]) == pytest.approx(float(expected.density[i, k]))
            assert float(row["eci"]) == pytest.approx(expected.eci[i])
            assert float(row["pci"]) == pytest.approx(expected.pci[k])
            assert int(row["ubiquity"]) == expected.ubiquity[k]


def test_missing_column(tmp_path):
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) du fichier : produit"):
        run(tmp_path, write(tmp_path, ROWS), prod="produit")


def test_non_numeric_value_says_which_line(tmp_path):
    rows = [*ROWS[:3], ("2020", "DEU", "0101", "douze"), ("2020", "ITA", "0101", "n/a")]
    with pytest.raises(
        CommandError, match="2 valeur\\(s\\) non numérique\\(s\\), la première ligne 5"
    ):
        run(tmp_path, write(tmp_path, rows))


def test_negative_values(tmp_path):
    rows = [*ROWS[:4], ("2020", "DEU", "0203", "-3")]
    with pytest.raises(CommandError, match="1 valeur\\(s\\) négative\\(s\\), la première ligne 6"):
        run(tmp_path, write(tmp_path, rows))


def test_empty_input(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="Le fichier est vide"):
        run(tmp_path, empty)
    with pytest.raises(CommandError, match="aucune ligne de données"):
        run(tmp_path, write(tmp_path, []))


def test_semicolons_and_quoted_fields(tmp_path):
    # A French spreadsheet export: semicolons, a quoted label with a comma far down the file.
    lines = [f"{year};{loc};{prod};{value};x" for year, loc, prod, value in ROWS[:9]]
    lines += [f'2020;GBR;{k:04d};1;"Royaume-Uni, le"' for k in range(200, 230)]
    path = tmp_path / "long.csv"
    path.write_text("annee;pays;sh;valeur;libelle\n" + "\n".join(lines) + "\n", encoding="utf-8")
    rows, _ = run(tmp_path, path)
    assert len(rows) == 4 * 32  # 0101, 8703 and 0200–0229 (0203 among them)
    assert {row["prod"] for row in rows} >= {"0101", "0200", "0229"}
