"""HS → ISIC → NAF division mapping: the chapter table, a loaded finer concordance, filières."""

import io

import pytest
from django.core.management import call_command

from guichet.companies.models import Filiere
from guichet.markets import hs, isic


def write_concordance(tmp_path, lines):
    path = tmp_path / "concordance.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_chapter_table_covers_every_goods_chapter():
    for chapter in hs.all_products("hs2"):
        if chapter != "99":
            assert isic.CHAPTER_DIVISIONS.get(chapter), chapter
    assert set(isic.CHAPTER_DIVISIONS) <= {f"{n:02d}" for n in range(1, 98)}


def test_chapter_table_by_default(db):
    assert isic.naf_divisions_for_hs("220421") == ["11", "20"]
    assert isic.naf_divisions_for_hs("2204") == ["11", "20"]
    assert isic.naf_divisions_for_hs("8703") == ["28", "29", "30"]
    assert isic.naf_divisions_for_hs("9999") == []
    assert isic.hs_chapters_for_naf_division("11") == ["22"]
    assert isic.hs_chapters_for_naf_division("10.71C") == [
        "02", "03", "04", "05", "07", "08", "09", "11", "15", "16", "17", "18", "19", "20",
        "21", "23", "35", "41",
    ]  # fmt: skip
    assert isic.hs_chapters_for_naf_division("62") == []
    assert isic.mapping_source().startswith("correspondance SH → CITI rév. 4 par chapitre")


def test_filiere_maps_to_products_through_divisions(reference):
    filiere = Filiere.objects.create(name="Vins et spiritueux", slug="vins")
    filiere.naf_codes.set(["11.02A", "11.01"])
    products = isic.hs_products_for_filiere(filiere)
    assert products == [code for code in hs.all_products("hs4") if code.startswith("22")]
    assert "2204" in products
    # Restricted to the products present in the data (which may hold codes HS 2022 lacks).
    available = {"2204", "2208", "0101", "2299", "220421"}
    assert isic.hs_products_for_filiere(filiere, available=available) == ["2204", "2208", "2299"]
    assert isic.hs_products_for_filiere(filiere, level="hs6", available=available) == ["220421"]


def test_a_naf_section_stands_for_its_divisions(reference):
    filiere = Filiere.objects.create(name="Agriculture", slug="agri")
    filiere.naf_codes.set(["A"])
    assert isic.filiere_divisions(filiere) == ["01", "02", "03"]
    assert "0101" in isic.hs_products_for_filiere(filiere)
    services = Filiere.objects.create(name="Numérique", slug="num")
    services.naf_codes.set(["62.01Z"])
    assert isic.hs_products_for_filiere(services) == []


def test_loaded_concordance_takes_precedence(db, tmp_path):
    path = write_concordance(
        tmp_path,
        [
            "HS_6d,HS_4d,HS_2d,ISIC4_4d,ISIC4_3d,ISIC4_2d,ISIC4_1d",
            "220421,2204,22,1102,110,11,C",
            "220421,2204,22,1102,110,11,C",  # duplicate pair: kept once
            "10121,0101,01,0141,014,01,A",  # leading zero lost by a spreadsheet
            "870323,8703,87,2910,291,29,C",
            "850110,8501,85,,,,",  # no ISIC class: rejected
            "abc,,,2910,,,",  # not a code: rejected
        ],
    )
    call_command("load_hs_isic", path=str(path), stdout=(out := io.StringIO()))
    assert "3 paires pour 3 codes SH6 (2 lignes rejetées)" in out.getvalue()
    assert isic.concordance_path().exists()
    assert isic.naf_divisions_for_hs("220421") == ["11"]  # the chapter table also says 20
    assert isic.naf_divisions_for_hs("2204") == ["11"]
    assert isic.naf_divisions_for_hs("010121") == ["01"]  # absent: the chapter table
    assert isic.naf_divisions_for_hs("8703") == ["29"]
    assert isic.naf_divisions_for_hs("8501") == ["26", "27"]  # not in the loaded file
    assert "chargée (3 codes SH6)" in isic.mapping_source()
    call_command("load_hs_isic", clear=True, stdout=(out := io.StringIO()))
    assert "correspondance par chapitre s'applique" in out.getvalue()
    assert isic.naf_divisions_for_hs("220421") == ["11", "20"]


def test_load_errors_are_french(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("load_hs_isic", path=str(tmp_path / "absent.csv"))
    bad = write_concordance(tmp_path, ["code,activity", "220421,1102"])
    with pytest.raises(CommandError, match="Colonne SH introuvable parmi : code, activity"):
        call_command("load_hs_isic", path=str(bad))
    call_command(
        "load_hs_isic", path=str(bad), hs_column="code", isic_column="activity", stdout=None
    )
    assert isic.naf_divisions_for_hs("220421") == ["11"]
    empty = write_concordance(tmp_path, ["HS6,ISIC4", "x,y"])
    with pytest.raises(CommandError, match="Aucune paire"):
        call_command("load_hs_isic", path=str(empty))
    with pytest.raises(CommandError, match="--path"):
        call_command("load_hs_isic")
