"""Cross-checks against real INSEE files kept outside the project (../shared/data).

These files are read, never copied into the project; the tests skip when the folder is absent.
"""

import csv
import json
from pathlib import Path

import pytest

from guichet.reference.facts import DEPARTEMENTS, REGIONS
from guichet.reference.models import NafCode
from guichet.reference.services import clean_label, naf_rows

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
NAF_DIR = SHARED_DATA / "nomenclatures" / "naf"
ADMIN_DIR = SHARED_DATA / "france_admin"

needs_naf = pytest.mark.skipif(
    not NAF_DIR.is_dir(), reason=f"shared NAF reference files absent ({NAF_DIR})"
)
needs_admin = pytest.mark.skipif(
    not ADMIN_DIR.is_dir(), reason=f"shared COG reference files absent ({ADMIN_DIR})"
)

NAF_FILES = {
    NafCode.Level.SECTION: "naf_rev2_n1_sections.csv",
    NafCode.Level.DIVISION: "naf_rev2_n2_divisions.csv",
    NafCode.Level.GROUPE: "naf_rev2_n3_groupes.csv",
    NafCode.Level.CLASSE: "naf_rev2_n4_classes.csv",
    NafCode.Level.SOUS_CLASSE: "naf_rev2_n5_sousclasses.csv",
}


def _read_naf_csv(name: str) -> dict[str, str]:
    with (NAF_DIR / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        return {code: clean_label(label) for code, label, *_ in reader}


def _compact(code: str) -> str:
    return code.replace(".", "")


@needs_naf
@pytest.mark.parametrize("level", list(NAF_FILES))
def test_naf_codes_match_insee_files(level):
    reference = _read_naf_csv(NAF_FILES[level])
    ours = {_compact(row.code): row.label for row in naf_rows() if row.level == level}

    assert set(ours) == set(reference)
    for code, label in reference.items():
        if level in (NafCode.Level.SECTION, NafCode.Level.SOUS_CLASSE):
            assert ours[code] == label, code
        else:
            # The INSEE file for these levels sometimes cuts the label at " ; ".
            assert ours[code].startswith(label), code


@needs_naf
def test_naf_subclass_to_section_matches_insee_file():
    with (NAF_DIR / "naf_rev2_n5_to_n1.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        reference = dict(reader)
    rows = {row.code: row for row in naf_rows()}
    sections = {}
    for row in rows.values():
        if row.level == NafCode.Level.SOUS_CLASSE:
            node = row
            while node.parent_code is not None:
                node = rows[node.parent_code]
            sections[_compact(row.code)] = node.code

    assert sections == reference


@needs_admin
def test_departements_match_cog_file():
    records = json.loads((ADMIN_DIR / "departements.json").read_text(encoding="utf-8"))
    # The file also lists the collectivités d'outre-mer (zone "com": 975, 977, …), which are
    # neither départements nor régions.
    reference = {r["code"]: (r["nom"], r["region"]) for r in records if r["zone"] != "com"}

    assert reference == DEPARTEMENTS


@needs_admin
def test_regions_match_cog_file():
    records = json.loads((ADMIN_DIR / "regions.json").read_text(encoding="utf-8"))

    reference = {r["code"]: r["nom"] for r in records if r["zone"] != "com"}

    assert reference == REGIONS
