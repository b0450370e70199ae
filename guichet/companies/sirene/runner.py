"""The SIRENE stock import: three streamed passes, batched upserts, one report.

1. Establishments (fast scan, `scan.py`): mark the SIRENs that have a valid establishment in
   the territory; copy the rows that may be kept (in the territory, or headquarters of a
   marked unit) to a spill file. Only when a marked unit's rows are apart in the file (a file
   not sorted by SIRET) does a second scan look for headquarters passed too early.
2. Legal units: read the marked ones, compare them with the database by digest, map and
   validate the new or changed ones, upsert them by batches of `BATCH_SIZE` rows, one
   transaction per batch (on a second connection in a wet run: see writer.BatchWriter).
3. The spilled establishments: the same.

A dry run does everything but the writes, so it reports the same counts. Memory is bounded:
bitmaps of 125 MB (three during pass 1, two after) plus one batch; rows and rejections go
through temporary files.
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from guichet.companies.geography import departement_regions
from guichet.companies.models import Company, Establishment
from guichet.companies.sirene import writer
from guichet.companies.sirene.base import (
    ETABLISSEMENTS,
    UNITES_LEGALES,
    Progress,
    RowError,
    SireneFileError,
)
from guichet.companies.sirene.files import RecordReader, StockFile, open_stock, split_fields
from guichet.companies.sirene.report import KINDS, Meter, Rejections, empty_counts
from guichet.companies.sirene.rows import (
    COMPANY_ACTIVE,
    COMPANY_COLUMNS,
    ESTABLISHMENT_ACTIVE,
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENT_SOURCE,
    UNIT_SOURCE,
    Picker,
    RowMapper,
    check_siren,
    digest,
    establishment_identity,
    unmask,
)
from guichet.companies.sirene.scan import (
    SirenBits,
    Spill,
    Territory,
    rescan_headquarters,
    scan_establishments,
    siren_int,
)
from guichet.reference.models import HeadcountBand, NafCode, Region

BATCH_SIZE = 5000
PHASES = {
    "scan": "Repérage des établissements du territoire",
    "rescan": "Recherche des sièges situés hors du territoire",
    "units": "Lecture des unités légales",
    "establishments": "Lecture des établissements retenus",
}


def territory_of(regions=(), departements=()) -> Territory:
    """The départements to import; the default is the platform's région (GUICHET_REGION).
    Unknown codes are refused with a French message."""
    from django.conf import settings

    known_regions = set(Region.objects.values_list("code", flat=True))
    dep_regions = departement_regions() if known_regions else {}
    if not dep_regions:
        raise SireneFileError(
            "Les données de référence ne sont pas chargées : lancez d'abord "
            "« python manage.py load_reference_data »."
        )
    regions = tuple(dict.fromkeys(r.strip() for r in regions if r.strip()))
    departements = tuple(dict.fromkeys(_departement_code(d) for d in departements if d.strip()))
    if not regions and not departements:
        regions = (settings.GUICHET_REGION,)
    if unknown := [r for r in regions if r not in known_regions]:
        raise SireneFileError(f"Code de région inconnu : {', '.join(unknown)}.")
    if unknown := [d for d in departements if d not in dep_regions]:
        raise SireneFileError(f"Code de département inconnu : {', '.join(unknown)}.")
    codes = {d for d, r in dep_regions.items() if r in regions} | set(departements)
    return Territory(regions=regions, departements=departements, codes=frozenset(codes))


def _departement_code(code: str) -> str:
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def run_import(
    *,
    unites_legales: Path,
    etablissements: Path,
    regions=(),
    departements=(),
    wet_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> dict:
    """Import the SIRENE stock files into the registry (a dry run unless `wet_run`) and return
    the report (see report.py). SireneFileError is raised before anything is written when a
    file is not a SIRENE stock or the territory is unknown."""
    started = time.monotonic()
    territory = territory_of(regions, departements)
    units = open_stock(unites_legales, UNITES_LEGALES)
    establishments = open_stock(etablissements, ETABLISSEMENTS)
    mapper = RowMapper(
        naf_codes=set(NafCode.objects.values_list("code", flat=True)),
        headcount_bands=set(HeadcountBand.objects.values_list("code", flat=True)),
    )
    job = ImportJob(
        units=units,
        establishments=establishments,
        territory=territory,
        mapper=mapper,
        wet_run=wet_run,
        meter=Meter(progress, units.size + establishments.size),
    )
    try:
        job.run()
        return job.report(seconds=time.monotonic() - started)
    finally:
        job.close()


class ImportJob:
    def __init__(self, *, units, establishments, territory, mapper, wet_run, meter):
        self.units: StockFile = units
        self.establishments: StockFile = establishments
        self.territory: Territory = territory
        self.mapper: RowMapper = mapper
        self.wet_run: bool = wet_run
        self.meter: Meter = meter
        self.counts = empty_counts()
        self.rejections = Rejections()
        self.spill = Spill()
        self.marked = SirenBits()  # a valid establishment in the territory; unit not dropped
        self.kept: SirenBits | None = None  # unit read and kept
        self.rejected_units: dict[int, int] = {}  # SIREN → line of its rejected unit row
        self.writer = writer.BatchWriter.for_run(wet_run=wet_run)

    # --- orchestration ----------------------------------------------------------------------
    def run(self) -> None:
        self._scan()
        self.kept = SirenBits()
        self._units_pass()
        self.writer.drain()  # the establishments need the ids of the units just written
        self._establishments_pass()
        self.writer.close()
        self.meter.finish()

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            self.spill.close()
            self.rejections.close()

    def reject(self, stock: StockFile, line: int, reason: str) -> None:
        self.rejections.add(file=stock.name, line=line, reason=reason)

    # --- pass 1 ---------------------------------------------------------------------------
    def _scan(self) -> None:
        stock = self.establishments
        self.meter.start_phase(PHASES["scan"])
        result = scan_establishments(
            stock, self.territory, self.marked, self.spill, self.meter.emit
        )
        self.counts["read"][ETABLISSEMENTS] = result.records
        self.meter.end_phase(stock.size, result.records)
        if result.split_units:
            self.meter.start_phase(PHASES["rescan"], extra_bytes=stock.size)
            rescan_headquarters(
                stock, self.territory, self.marked, result.spilled_hq, self.spill, self.meter.emit
            )
            self.meter.end_phase(stock.size, result.records)
        result.spilled_hq = None  # free its 125 MB before the next bitmap

    # --- pass 2 ---------------------------------------------------------------------------
    def _units_pass(self) -> None:
        stock = self.units
        self.meter.start_phase(PHASES["units"], extra_bytes=self.spill.size)
        picker = Picker(stock.columns, UNIT_SOURCE)
        position = stock.index("siren")
        width = len(stock.columns)
        marked = self.marked.bits
        batch: list[tuple] = []
        with stock.open() as stream:
            reader = RecordReader(stream, self.meter.emit)
            for line, raw in reader:
                if 34 in raw:
                    number = self._quoted_unit_siren(line, raw, position, width)
                elif raw.count(b",") != width - 1:
                    self.reject(stock, line, _field_count_reason(raw.count(b",") + 1, width))
                    continue
                else:
                    key = raw.split(b",", position + 1)[position]
                    number = siren_int(key)
                    if number is None:
                        number = self._bad_unit_siren(line, key.rstrip(b"\r\n").decode())
                if number is None or not marked[number >> 3] >> (number & 7) & 1:
                    continue
                self._unit_row(line, raw, number, picker, batch)
                if len(batch) >= BATCH_SIZE:
                    self._flush_units(batch)
                    batch = []
            self._flush_units(batch)
            self.counts["read"][UNITES_LEGALES] = reader.records
        self.meter.end_phase(stock.size, reader.records)

    def _quoted_unit_siren(self, line: int, raw: bytes, position: int, width: int) -> int | None:
        try:
            fields = split_fields(raw)
            if len(fields) != width:
                raise RowError(_field_count_reason(len(fields), width))
        except RowError as error:
            self.reject(self.units, line, str(error))
            return None
        number = siren_int(fields[position])
        return self._bad_unit_siren(line, fields[position]) if number is None else number

    def _bad_unit_siren(self, line: int, value: str) -> int | None:
        """A SIREN that is not 9 digits is rejected wherever the unit is (it cannot be matched
        with any establishment); the last digit's key is checked on the units kept."""
        try:
            return int(check_siren(value))
        except RowError as error:
            self.reject(self.units, line, str(error))
            return None

    def _unit_row(self, line: int, raw: bytes, number: int, picker: Picker, batch: list) -> None:
        try:
            values = picker(split_fields(unmask(raw)))
            if values[1] == "N":
                self.counts["non_diffusible"][UNITES_LEGALES] += 1
                self.marked.discard(number)
                return
        except RowError as error:
            self._reject_unit(line, number, error)
            return
        if not self.kept.add(number):
            self.reject(self.units, line, f"SIREN {values[0]} présent plusieurs fois")
            return
        batch.append(Pending(line, values[0], values, digest(values), number))

    def _reject_unit(self, line: int, number: int, error: RowError) -> None:
        """A rejected unit is not kept: its establishments are rejected in turn (pass 3)."""
        self.reject(self.units, line, str(error))
        self.marked.discard(number)
        self.kept.discard(number)
        self.rejected_units[number] = line

    def _flush_units(self, batch: list["Pending"]) -> None:
        self._flush(
            Company,
            "siren",
            COMPANY_COLUMNS,
            COMPANY_ACTIVE,
            UNITES_LEGALES,
            batch,
            build=lambda item: self.mapper.unit(item.values, item.digest),
            on_error=lambda item, error: self._reject_unit(item.line, item.extra, error),
        )

    # --- pass 3 ---------------------------------------------------------------------------
    def _establishments_pass(self) -> None:
        self.meter.start_phase(PHASES["establishments"])
        picker = Picker(self.establishments.columns, ESTABLISHMENT_SOURCE)
        batch: list[Pending] = []
        consumed = rows = 0
        for line, raw, size in self.spill:
            consumed += size
            rows += 1
            if not rows & 1023:
                self.meter.emit(consumed, rows)
            item = self._establishment_row(line, raw, picker)
            if item is not None:
                batch.append(item)
            if len(batch) >= BATCH_SIZE:
                self._flush_establishments(batch)
                batch = []
        self._flush_establishments(batch)
        self.meter.end_phase(consumed, rows)

    def _establishment_row(self, line: int, raw: bytes, picker: Picker) -> "Pending | None":
        """The row to compare and write (extra = the unit is known only from the database),
        or None when it is not kept."""
        try:
            values = picker(split_fields(unmask(raw)))
            siren, siret = establishment_identity(values, self._checked_siren)
            if values[3] == "N":
                self.counts["non_diffusible"][ETABLISSEMENTS] += 1
                return None
            number = int(siren)
            from_database = False
            if number not in self.kept:
                if number in self.marked:
                    from_database = True  # no unit row in the file: the registry may know it
                elif number in self.rejected_units:
                    raise RowError(
                        f"l'unité légale {siren} est rejetée (ligne {self.rejected_units[number]} "
                        f"de {self.units.name})"
                    )
                else:  # the unit is not diffusible: nor are its establishments
                    self.counts["non_diffusible"][ETABLISSEMENTS] += 1
                    return None
        except RowError as error:
            self.reject(self.establishments, line, str(error))
            return None
        return Pending(line, siret, values, digest(values), from_database)

    def _checked_siren(self, number: int) -> bool:
        """Marked (pass 1 checked its key) or kept: no need to check the key again."""
        return number in self.kept or number in self.marked

    def _flush_establishments(self, batch: list["Pending"]) -> None:
        if not batch:
            return
        ids = writer.company_ids({item.key[:9] for item in batch})
        items: dict[str, Pending] = {}
        for item in batch:
            siren = item.key[:9]
            if item.extra and siren not in ids:
                self.reject(
                    self.establishments,
                    item.line,
                    f"SIREN {siren} inconnu : absent du fichier des unités légales et du registre",
                )
            elif item.key in items:
                self.reject(
                    self.establishments, item.line, f"SIRET {item.key} présent plusieurs fois"
                )
            else:
                items[item.key] = item

        def build(item: Pending) -> tuple:
            row = self.mapper.establishment(item.values, item.key, item.digest)
            return (ids.get(item.key[:9]), *row)

        self._flush(
            Establishment,
            "siret",
            ("company_id", *ESTABLISHMENT_COLUMNS),
            ESTABLISHMENT_ACTIVE + 1,
            ETABLISSEMENTS,
            list(items.values()),
            build=build,
            on_error=lambda item, error: self.reject(self.establishments, item.line, str(error)),
        )

    # --- writing --------------------------------------------------------------------------
    def _flush(self, model, key, columns, active, kind, items, *, build, on_error) -> None:
        """Compare the batch with the database by digest; map and write what is new or
        changed (an unchanged row is not even mapped again)."""
        if not items:
            return
        counts = self.counts
        existing = writer.existing_rows(model, key, [item.key for item in items])
        changed = []
        for item in items:
            old = existing.get(item.key)
            if old is not None and old.digest == item.digest:
                counts["unchanged"][kind] += 1
                continue
            try:
                row = build(item)
            except RowError as error:
                on_error(item, error)
                continue
            if old is None:
                counts["created"][kind] += 1
            else:
                counts["updated"][kind] += 1
                if old.is_active and not row[active]:
                    counts["ceased"][kind] += 1
            changed.append(row)
        if self.wet_run:
            self.writer.write(model, key=key, columns=columns, rows=changed)

    # --- report ---------------------------------------------------------------------------
    def report(self, *, seconds: float) -> dict:
        self.marked = self.kept = None  # type: ignore[assignment]  # free 250 MB first
        counts = self.counts
        kept = {
            kind: counts["created"][kind] + counts["updated"][kind] + counts["unchanged"][kind]
            for kind in KINDS
        }
        return {
            "read": counts["read"],
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "ceased": counts["ceased"],
            "rejected": list(self.rejections),
            "seconds": round(seconds, 2),
            "non_diffusible": counts["non_diffusible"],
            "kept": kept,
            "wet_run": self.wet_run,
            "territory": {
                "regions": list(self.territory.regions),
                "departements": list(self.territory.departements),
            },
        }


class Pending(NamedTuple):
    """A row read and checked, waiting for its batch: key (SIREN or SIRET), picked SIRENE
    values and their digest; `extra` is the unit's SIREN number (units) or whether the unit is
    known only from the database (establishments)."""

    line: int
    key: str
    values: tuple[str, ...]
    digest: str
    extra: int | bool


def _field_count_reason(found: int, expected: int) -> str:
    return f"nombre de champs incorrect : {found} au lieu de {expected}"
