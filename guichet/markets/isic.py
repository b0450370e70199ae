"""From HS products to activities and back: HS → ISIC rév. 4 (CITI rév. 4) → NAF division.

NAF rév. 2 derives from NACE rév. 2, itself aligned on ISIC rév. 4 at the division level: an
ISIC division and a NAF division share their two digits (ISIC 10 "Manufacture of food
products" is NAF 10 "Industries alimentaires"). Finer NAF classes map only approximately, so
the mapping works on divisions.

Two sources, the finer one winning when present:
- by default, CHAPTER_DIVISIONS below: each HS chapter (2 digits) with the ISIC divisions that
  produce its goods, main one first. It was drawn up from the UN Statistics Division's HS →
  ISIC rév. 4 correspondence tables (read at chapter level, keeping the producing divisions
  and leaving out repair and trade activities); it is approximate at chapter level (chapter 84
  covers machinery of division 28 but also computers of division 26).
- `python manage.py load_hs_isic --path FILE` loads an official HS6 → ISIC class concordance
  (such as the UN Statistics Division tables) into var/markets/hs_isic.parquet; from then on
  codes found in it use it, codes it lacks (another HS vintage) still use the chapter table.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from guichet.markets import hs, storage

# HS chapter → ISIC rév. 4 divisions producing its goods (main first). Source: UN Statistics
# Division, HS–ISIC rév. 4 correspondence, summarised by chapter (see the module docstring).
CHAPTER_DIVISIONS: dict[str, tuple[str, ...]] = {
    "01": ("01",),
    "02": ("10",),
    "03": ("03", "10"),
    "04": ("10", "01"),
    "05": ("10", "01"),
    "06": ("01",),
    "07": ("01", "10"),
    "08": ("01", "10"),
    "09": ("10", "01"),
    "10": ("01",),
    "11": ("10",),
    "12": ("01",),
    "13": ("02", "01"),
    "14": ("02", "01"),
    "15": ("10",),
    "16": ("10",),
    "17": ("10",),
    "18": ("10",),
    "19": ("10",),
    "20": ("10",),
    "21": ("10",),
    "22": ("11", "20"),
    "23": ("10",),
    "24": ("12", "01"),
    "25": ("08", "23"),
    "26": ("07",),
    "27": ("19", "06", "05", "35"),
    "28": ("20",),
    "29": ("20", "21"),
    "30": ("21",),
    "31": ("20",),
    "32": ("20",),
    "33": ("20",),
    "34": ("20",),
    "35": ("20", "10"),
    "36": ("20",),
    "37": ("20",),
    "38": ("20",),
    "39": ("20", "22"),
    "40": ("22", "20"),
    "41": ("15", "10"),
    "42": ("15",),
    "43": ("14", "15", "01"),
    "44": ("16", "02"),
    "45": ("16",),
    "46": ("16",),
    "47": ("17",),
    "48": ("17",),
    "49": ("58", "18"),
    "50": ("13", "01"),
    "51": ("13", "01"),
    "52": ("13", "01"),
    "53": ("13", "01"),
    "54": ("13", "20"),
    "55": ("13", "20"),
    "56": ("13",),
    "57": ("13",),
    "58": ("13",),
    "59": ("13",),
    "60": ("13",),
    "61": ("14",),
    "62": ("14",),
    "63": ("13", "14"),
    "64": ("15",),
    "65": ("14",),
    "66": ("32",),
    "67": ("32",),
    "68": ("23",),
    "69": ("23",),
    "70": ("23",),
    "71": ("32", "24"),
    "72": ("24",),
    "73": ("25", "24"),
    "74": ("24", "25"),
    "75": ("24",),
    "76": ("24", "25"),
    "78": ("24",),
    "79": ("24",),
    "80": ("24",),
    "81": ("24",),
    "82": ("25",),
    "83": ("25",),
    "84": ("28", "26", "27", "25"),
    "85": ("27", "26"),
    "86": ("30",),
    "87": ("29", "30", "28"),
    "88": ("30",),
    "89": ("30",),
    "90": ("26", "32"),
    "91": ("26",),
    "92": ("32",),
    "93": ("25",),
    "94": ("31", "27"),
    "95": ("32",),
    "96": ("32",),
    "97": ("90",),
}

CHAPTER_SOURCE = (
    "correspondance SH → CITI rév. 4 par chapitre (approximative), d'après les tables de la "
    "Division de statistique des Nations unies"
)


def concordance_path() -> Path:
    return storage.markets_dir() / "hs_isic.parquet"


@lru_cache(maxsize=4)
def _read_concordance(path: str, mtime: float) -> dict[str, frozenset[str]]:
    con = storage.connect()
    try:
        rows = con.execute(
            "SELECT hs6, division FROM read_parquet(?) GROUP BY hs6, division", [path]
        ).fetchall()
    finally:
        con.close()
    found: dict[str, set[str]] = {}
    for hs6, division in rows:
        found.setdefault(hs6, set()).add(division)
    return {code: frozenset(divs) for code, divs in found.items()}


def loaded_concordance() -> dict[str, frozenset[str]] | None:
    """HS6 → ISIC divisions from the loaded concordance, or None when none is loaded."""
    path = concordance_path()
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    return _read_concordance(str(path), mtime)


@lru_cache(maxsize=8)
def _prefix_index(path: str, mtime: float, digits: int) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for code, divs in _read_concordance(path, mtime).items():
        index.setdefault(code[:digits], set()).update(divs)
    return {code: frozenset(divs) for code, divs in index.items()}


def _loaded_for(code: str) -> frozenset[str] | None:
    path = concordance_path()
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    digits = min(len(code), 6)
    if digits not in (2, 4, 6):
        return None
    return _prefix_index(str(path), mtime, digits).get(code[:digits])


def mapping_source() -> str:
    """Which mapping is in use, in French (shown with the results)."""
    table = loaded_concordance()
    if table is None:
        return CHAPTER_SOURCE
    return (
        f"table de correspondance SH6 → CITI rév. 4 chargée ({len(table)} codes SH6), "
        "complétée par chapitre pour les codes qu'elle ne contient pas"
    )


def naf_divisions_for_hs(code: str) -> list[str]:
    """The ISIC = NAF divisions producing an HS product (2, 4 or 6 digits)."""
    code = str(code or "").strip()
    loaded = _loaded_for(code)
    if loaded:
        return sorted(loaded)
    return sorted(CHAPTER_DIVISIONS.get(code[:2], ()))


def hs_chapters_for_naf_division(div: str) -> list[str]:
    """The HS chapters whose goods a NAF (= ISIC) division produces."""
    div = str(div or "").strip()[:2]
    chapters = {ch for ch, divs in CHAPTER_DIVISIONS.items() if div in divs}
    table = loaded_concordance()
    if table is not None:
        chapters |= {code[:2] for code, divs in table.items() if div in divs}
    return sorted(chapters)


def naf_divisions_of_codes(codes: Iterable[str]) -> list[str]:
    """NAF codes of any level ("C", "10", "10.7", "10.71", "10.71C") → their divisions; a
    section stands for every division under it."""
    from guichet.reference.models import NafCode

    divisions: set[str] = set()
    sections: list[str] = []
    for code in codes:
        code = str(code or "").strip()
        if len(code) >= 2 and code[:2].isdigit():
            divisions.add(code[:2])
        elif len(code) == 1 and code.isalpha():
            sections.append(code.upper())
    if sections:
        divisions |= set(
            NafCode.objects.filter(
                parent_id__in=sections, level=NafCode.Level.DIVISION
            ).values_list("code", flat=True)
        )
    return sorted(divisions)


def hs_products_for_divisions(
    divisions: Iterable[str], *, level: str = "hs4", available: set[str] | None = None
) -> list[str]:
    """HS products at `level` produced by any of the NAF divisions; with `available` (the
    products of the loaded data), only those."""
    wanted = set(divisions)
    if not wanted:
        return []
    digits = hs.level_digits(level)
    if available is not None:
        candidates = sorted({c for c in (str(x).strip() for x in available) if len(c) == digits})
    else:
        candidates = hs.all_products(digits)
    return [code for code in candidates if wanted & set(naf_divisions_for_hs(code))]


def hs_products_for_filiere(
    filiere, *, level: str = "hs4", available: set[str] | None = None
) -> list[str]:
    """HS products of a filière: its NAF codes → divisions → products (see the module
    docstring for how approximate this is)."""
    divisions = filiere_divisions(filiere)
    return hs_products_for_divisions(divisions, level=level, available=available)


def filiere_divisions(filiere) -> list[str]:
    return naf_divisions_of_codes(filiere.naf_codes.values_list("code", flat=True))


class ConcordanceError(ValueError):
    """A concordance file that cannot be read (message in French)."""


HS_COLUMNS = ("hs_6d", "hs6", "hs", "hs_code", "hscode")
ISIC_COLUMNS = ("isic4_4d", "isic4", "isic", "isic_code", "isic4_code", "citi4")


def _pick(columns: list[str], preferred: tuple[str, ...], prefix: str, coarse: tuple[str, ...]):
    lower = {c.lower().strip(): c for c in columns}
    for name in preferred:
        if name in lower:
            return lower[name]
    for name in columns:
        low = name.lower().strip()
        if low.startswith(prefix) and not low.endswith(coarse):
            return name
    return None


def load_concordance(path, *, hs_column: str | None = None, isic_column: str | None = None):
    """Loads an HS6 → ISIC rév. 4 class concordance CSV (header required) into
    var/markets/hs_isic.parquet, replacing the previous one. Codes are read as text; a 5-digit
    HS code or 3-digit ISIC code lost its leading zero (spreadsheet) and gets it back; rows
    without a valid pair are counted as rejected. Returns (pairs kept, rows rejected, HS6
    codes)."""
    path = Path(path)
    if not path.is_file():
        raise ConcordanceError(f"Fichier introuvable : {path}")
    con = storage.connect()
    try:
        try:
            rel = con.read_csv(str(path), header=True, all_varchar=True)
        except Exception as exc:  # DuckDB reports every parsing problem its own way
            raise ConcordanceError(f"Fichier illisible comme CSV : {exc}") from None
        columns = list(rel.columns)
        hs_col = hs_column or _pick(columns, HS_COLUMNS, "hs", ("_4d", "_2d"))
        isic_col = isic_column or _pick(columns, ISIC_COLUMNS, "isic", ("_3d", "_2d", "_1d"))
        for wanted, found in (("SH", hs_col), ("CITI", isic_col)):
            if found is None or found not in columns:
                raise ConcordanceError(
                    f"Colonne {wanted} introuvable parmi : {', '.join(columns)} "
                    "(indiquez-la avec --hs-column / --isic-column)."
                )
        pairs = rel.select(
            duckdb.ColumnExpression(hs_col).alias("hs"),
            duckdb.ColumnExpression(isic_col).alias("isic"),
        ).fetchall()
    finally:
        con.close()
    kept: set[tuple[str, str]] = set()
    rejected = 0
    for hs_code, isic_code in pairs:
        hs6 = _digits(hs_code, 6)
        isic4 = _digits(isic_code, 4)
        if hs6 is None or isic4 is None:
            rejected += 1
            continue
        kept.add((hs6, isic4))
    if not kept:
        raise ConcordanceError("Aucune paire SH6 → CITI valide dans ce fichier.")
    _write(sorted(kept))
    return len(kept), rejected, len({h for h, _ in kept})


def _digits(value, width: int) -> str | None:
    text = str(value or "").strip().replace(".", "")
    if not text.isdigit():
        return None
    if len(text) == width - 1:
        text = "0" + text
    return text if len(text) == width else None


def _write(pairs: list[tuple[str, str]]) -> None:
    target = concordance_path()
    tmp = target.with_suffix(".tmp.parquet")
    table = pa.table(
        {
            "hs6": pa.array([h for h, _ in pairs], pa.string()),
            "isic4": pa.array([i for _, i in pairs], pa.string()),
            "division": pa.array([i[:2] for _, i in pairs], pa.string()),
        }
    )
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def clear_concordance() -> bool:
    """Back to the chapter table; True when a loaded concordance was removed."""
    path = concordance_path()
    if path.exists():
        path.unlink()
        return True
    return False
