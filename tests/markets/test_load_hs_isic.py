"""`load_hs_isic` on the real UN Statistics Division concordance (skipped when absent)."""

import io

from django.core.management import call_command

from guichet.markets import isic
from tests.markets.conftest import shared_data


def test_real_concordance_loads_and_refines_the_mapping(db):
    path = shared_data("nomenclatures/hs/hs_combined_to_isic4_concordance.csv")
    out = io.StringIO()
    call_command("load_hs_isic", path=str(path), stdout=out)
    assert "Correspondance chargée" in out.getvalue()
    table = isic.loaded_concordance()
    assert len(table) > 6000
    # Still wine: beverages (division 11) produce heading 2204.
    assert "11" in isic.naf_divisions_for_hs("220421")
    # Passenger cars: motor vehicles (29).
    assert "29" in isic.naf_divisions_for_hs("870323")
    # Spreadsheet-safe: codes keep their leading zeros.
    assert all(len(code) == 6 for code in table)
    assert "01" in isic.naf_divisions_for_hs("010121")
    assert "87" in isic.hs_chapters_for_naf_division("29")
