"""A file that is not a SIRENE stock is refused before anything is written, with a French
message naming the problem; reading follows CSV rules and counts physical lines."""

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from guichet.companies.models import Company, Establishment
from guichet.companies.sirene import SireneFileError, run_import
from guichet.companies.sirene.files import RecordReader
from guichet.companies.sirene.rows import siren_valid, siret_valid
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

A = siren(50000001)


@pytest.fixture
def stock(tmp_path) -> tuple[Path, Path]:
    return write_stock(tmp_path, [unit(A)], [establishment(siret(A))])


def refused(units: Path, establishments: Path, **options) -> str:
    with pytest.raises(SireneFileError) as error:
        run_import(unites_legales=units, etablissements=establishments, wet_run=True, **options)
    assert Company.objects.count() == 0
    assert Establishment.objects.count() == 0
    return str(error.value)


@pytest.mark.usefixtures("reference")
def test_missing_siren_column(tmp_path, stock):
    units = write_csv(tmp_path / "ul.csv", [unit(A)], [c for c in UNIT_COLUMNS if c != "siren"])
    message = refused(units, stock[1])
    assert message == (
        "La colonne « siren » est absente de l'en-tête du fichier des unités légales "
        "(StockUniteLegale) « ul.csv » : ce n'est pas un fichier stock SIRENE."
    )


@pytest.mark.usefixtures("reference")
def test_semicolon_delimiter(tmp_path, stock):
    places = write_csv(
        tmp_path / "et.csv", [establishment(siret(A))], ESTABLISHMENT_COLUMNS, delimiter=";"
    )
    message = refused(stock[0], places)
    assert "utilise le séparateur « point-virgule »" in message
    assert "séparés par des virgules" in message


@pytest.mark.usefixtures("reference")
def test_latin1_file(tmp_path, stock):
    units = write_csv(
        tmp_path / "ul.csv",
        [unit(A, denominationUniteLegale="CRÈMERIE")],
        UNIT_COLUMNS,
        encoding="latin-1",
    )
    message = refused(units, stock[1])
    assert message.startswith("Le fichier des unités légales (StockUniteLegale) « ul.csv »")
    assert "n'est pas encodé en UTF-8 (octet invalide à la ligne 2)" in message


@pytest.mark.usefixtures("reference")
def test_empty_file(tmp_path, stock):
    empty = tmp_path / "StockEtablissement_utf8.csv"
    empty.write_bytes(b"")
    message = refused(stock[0], empty)
    assert message == (
        "Le fichier des établissements (StockEtablissement) « StockEtablissement_utf8.csv » "
        "est vide."
    )


@pytest.mark.usefixtures("reference")
def test_files_swapped(stock):
    units, places = stock
    message = refused(places, units)
    assert "c'est un fichier des établissements, pas celui des unités légales" in message


@pytest.mark.usefixtures("reference")
def test_unit_file_given_as_establishments(tmp_path, stock):
    message = refused(stock[0], stock[0])
    assert "n'a ni colonne « siret » ni colonne « nic »" in message


@pytest.mark.usefixtures("reference")
def test_missing_file_and_bad_zip(tmp_path, stock):
    assert "est introuvable" in refused(tmp_path / "absent.csv", stock[1])
    not_a_zip = tmp_path / "StockUniteLegale_utf8.zip"
    not_a_zip.write_text("siren\n")
    assert "n'est pas une archive zip lisible" in refused(not_a_zip, stock[1])
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.csv", "siren\n")
        archive.writestr("b.csv", "siren\n")
    assert "doit contenir un seul fichier CSV (elle en contient 2)" in refused(two, stock[1])


@pytest.mark.usefixtures("reference")
def test_unknown_region_or_departement(stock):
    assert refused(*stock, regions=["99"]) == "Code de région inconnu : 99."
    assert refused(*stock, departements=["20"]) == "Code de département inconnu : 20."


@pytest.mark.django_db
def test_reference_data_must_be_loaded(stock):
    message = refused(*stock)
    assert "lancez d'abord « python manage.py load_reference_data »" in message


def records(text: bytes) -> list[tuple[int, bytes]]:
    return list(RecordReader(io.BytesIO(text)))


def test_records_keep_physical_line_numbers():
    data = b'h1,h2\na,b\n"x\ny",z\n\nc,"d ""e"" f"\nstray"quote,g\n'
    assert records(data) == [
        (2, b"a,b\n"),
        (3, b'"x\ny",z\n'),
        (6, b'c,"d ""e"" f"\n'),
        (7, b'stray"quote,g\n'),  # a quote inside a field does not open a quoted field
    ]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_fast_siren_check_agrees_with_python_stdnum(number):
    assert siren_valid(number) == stdnum_siren.is_valid(number)


@given(
    st.one_of(st.just("356000000"), st.text(alphabet="0123456789", min_size=9, max_size=9)),
    st.text(alphabet="0123456789", min_size=5, max_size=5),
)
def test_fast_siret_check_agrees_with_python_stdnum(prefix, nic):
    assert siret_valid(prefix + nic) == stdnum_siret.is_valid(prefix + nic)
