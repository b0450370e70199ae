"""The fast first pass over the establishments file: which units have an establishment in the
territory, and which establishment rows the import must look at closely.

The national file has tens of millions of rows and a région keeps a few percent of them, so
this pass looks at each line without decoding it: a line without quotes is split on commas
(bytes), and only the SIREN, the commune code, the headquarters flag and the diffusion status
are read. The rows that may be kept — those in the territory, and the headquarters of units
that have one there — are copied to a spill file with their line number; the later passes
read that small file instead of the big one.

Memory stays bounded whatever the file size: the SIRENs are marked in bitmaps of 10^9 bits
(125 MB each), not in Python sets.
"""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from guichet.companies.sirene.base import RowError
from guichet.companies.sirene.files import RecordReader, StockFile, split_fields
from guichet.companies.sirene.rows import HEADQUARTERS_TRUE

_SIREN_SPACE = 10**9
_HQ_TRUE = frozenset(v.encode() for v in HEADQUARTERS_TRUE) | {b"true", b"True", b"TRUE"}
Tick = Callable[[RecordReader], None]


class SirenBits:
    """A set of SIRENs (0 … 999 999 999) in 125 MB, whatever the number of members."""

    def __init__(self) -> None:
        self.bits = bytearray(_SIREN_SPACE // 8)

    def add(self, siren: int) -> bool:
        """Add; return True when it was not there yet."""
        byte, mask = siren >> 3, 1 << (siren & 7)
        if self.bits[byte] & mask:
            return False
        self.bits[byte] |= mask
        return True

    def discard(self, siren: int) -> None:
        self.bits[siren >> 3] &= ~(1 << (siren & 7)) & 0xFF

    def __contains__(self, siren: int) -> bool:
        return bool(self.bits[siren >> 3] >> (siren & 7) & 1)


def siren_int(value: bytes | str) -> int | None:
    if len(value) == 9 and value.isdigit():
        return int(value)
    return None


@dataclass
class Territory:
    """The selected départements (the régions are expanded into theirs)."""

    regions: tuple[str, ...]
    departements: tuple[str, ...]
    codes: frozenset[str]
    _prefixes: frozenset[bytes] = field(init=False)

    def __post_init__(self) -> None:
        variants = {c for code in self.codes for c in (code, code.lower())}
        self._prefixes = frozenset(c.encode() for c in variants)

    def contains_commune(self, commune: bytes) -> bool:
        """Same answer as geography.locate(commune) being in the territory, on raw bytes."""
        if len(commune) != 5:
            commune = commune.strip()
            if len(commune) != 5:
                return False
        return (commune[:3] if commune[:2] == b"97" else commune[:2]) in self._prefixes


class Spill:
    """A temporary file of (line number, raw record): the rows the later passes look at."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="sirene-", suffix=".spill")  # noqa: SIM115 - closed by close()
        self.count = 0
        self.size = 0

    def add(self, line: int, raw: bytes) -> None:
        head = b"%d %d\n" % (line, len(raw))
        self.file.write(head)
        self.file.write(raw)
        self.count += 1
        self.size += len(head) + len(raw)

    def __iter__(self) -> Iterator[tuple[int, bytes, int]]:
        """(line, raw record, bytes consumed) in the order they were added."""
        self.file.flush()
        self.file.seek(0)
        read = self.file.read
        for head in self.file:
            line, length = head.split()
            raw = read(int(length))
            yield int(line), raw, len(head) + len(raw)

    def close(self) -> None:
        self.file.close()


@dataclass
class _Columns:
    siren: int
    siret: int | None
    nic: int | None
    commune: int | None
    headquarters: int | None
    status: int | None
    width: int

    @classmethod
    def of(cls, stock: StockFile) -> "_Columns":
        return cls(
            siren=stock.index("siren"),  # type: ignore[arg-type]
            siret=stock.index("siret"),
            nic=stock.index("nic"),
            commune=stock.index("codeCommuneEtablissement"),
            headquarters=stock.index("etablissementSiege"),
            status=stock.index("statutDiffusionEtablissement"),
            width=len(stock.columns),
        )

    def key_fields(self, raw: bytes) -> list[bytes] | None:
        """The row's fields as bytes, or None when it is malformed (it will be rejected)."""
        if 34 not in raw:  # no quote: split the bytes directly
            fields = raw.rstrip(b"\r\n").split(b",")
        else:
            try:
                fields = [f.encode() for f in split_fields(raw)]
            except RowError:
                return None
        return fields if len(fields) == self.width else None

    def get(self, fields: list[bytes], index: int | None) -> bytes:
        return fields[index] if index is not None else b""


def _valid_identity(cols: _Columns, fields: list[bytes]) -> bool:
    """Only a well-identified, diffusible establishment makes its unit kept."""
    if cols.get(fields, cols.status) == b"N":
        return False
    siren = fields[cols.siren].decode()
    siret = cols.get(fields, cols.siret).decode() or siren + cols.get(fields, cols.nic).decode()
    return siren_number.is_valid(siren) and siret.startswith(siren) and siret_number.is_valid(siret)


@dataclass
class ScanResult:
    records: int = 0
    missed_headquarters: int = 0  # HQ rows seen before their unit was known to be kept
    skipped_hq: SirenBits | None = None


def scan_establishments(
    stock: StockFile, territory: Territory, marked: SirenBits, spill: Spill, tick: Tick
) -> ScanResult:
    """Pass 1: mark the SIRENs with an establishment in the territory and spill the rows that
    may be kept. Rows are grouped by SIREN as INSEE sorts them; a headquarters outside the
    territory is spilled when its unit turns out to be kept within the same group, otherwise
    noted in `skipped_hq` for `rescan_headquarters`."""
    cols = _Columns.of(stock)
    result = ScanResult(skipped_hq=SirenBits())
    skipped_bits = result.skipped_hq.bits  # type: ignore[union-attr]
    marked_bits = marked.bits
    current, pending = b"", None
    with stock.open() as stream:
        reader = RecordReader(stream)
        for line, raw in reader:
            if not reader.records & 4095:
                tick(reader)
            fields = cols.key_fields(raw)
            if fields is None:
                spill.add(line, raw)  # malformed: rejected, with its line, by the last pass
                continue
            siren = fields[cols.siren]
            if siren != current:
                if pending is not None:
                    _close_group(pending, marked_bits, skipped_bits, spill)
                current, pending = siren, None
            if cols.commune is not None and territory.contains_commune(fields[cols.commune]):
                spill.add(line, raw)
                number = siren_int(siren)
                if (
                    number is not None
                    and _valid_identity(cols, fields)
                    and marked.add(number)
                    and skipped_bits[number >> 3] >> (number & 7) & 1
                ):
                    result.missed_headquarters += 1
            elif cols.get(fields, cols.headquarters) in _HQ_TRUE:
                pending = (line, raw, siren_int(siren))
        if pending is not None:
            _close_group(pending, marked_bits, skipped_bits, spill)
        result.records = reader.records
    return result


def _close_group(pending, marked_bits: bytearray, skipped_bits: bytearray, spill: Spill) -> None:
    line, raw, number = pending
    if number is None:
        spill.add(line, raw)  # an invalid SIREN on a headquarters row: let the last pass say so
    elif marked_bits[number >> 3] >> (number & 7) & 1:
        spill.add(line, raw)
    else:
        skipped_bits[number >> 3] |= 1 << (number & 7)


def rescan_headquarters(
    stock: StockFile,
    territory: Territory,
    marked: SirenBits,
    skipped: SirenBits,
    spill: Spill,
    tick: Tick,
) -> None:
    """Pass 1b, only for files not grouped by SIREN: spill the headquarters outside the
    territory of kept units that pass 1 saw before it knew the unit was kept."""
    cols = _Columns.of(stock)
    with stock.open() as stream:
        reader = RecordReader(stream)
        for line, raw in reader:
            if not reader.records & 4095:
                tick(reader)
            fields = cols.key_fields(raw)
            if fields is None or cols.get(fields, cols.headquarters) not in _HQ_TRUE:
                continue
            number = siren_int(fields[cols.siren])
            if number is None or number not in skipped or number not in marked:
                continue
            if cols.commune is None or not territory.contains_commune(fields[cols.commune]):
                spill.add(line, raw)
