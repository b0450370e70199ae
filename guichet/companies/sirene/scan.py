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

from guichet.companies.sirene.base import RowError
from guichet.companies.sirene.files import RecordReader, StockFile, split_fields
from guichet.companies.sirene.rows import HEADQUARTERS_TRUE, siren_valid, siret_key_valid

_SIREN_SPACE = 10**9
_HQ_TRUE = frozenset(v.encode() for v in HEADQUARTERS_TRUE) | {b"true", b"True", b"TRUE"}
Tick = Callable[[int, int], None]


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
    prefixes: frozenset[bytes] = field(init=False)

    def __post_init__(self) -> None:
        variants = {c for code in self.codes for c in (code, code.lower())}
        self.prefixes = frozenset(c.encode() for c in variants)

    def contains_commune(self, commune: bytes) -> bool:
        """Same answer as geography.locate(commune) being in the territory, on raw bytes."""
        if len(commune) != 5:
            commune = commune.strip()
            if len(commune) != 5:
                return False
        return (commune[:3] if commune[:2] == b"97" else commune[:2]) in self.prefixes


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


class _Columns:
    """Where the few columns the scan reads are. A missing optional column reads as b"" (index
    -1: the empty field appended to every row)."""

    def __init__(self, stock: StockFile) -> None:
        def at(name: str) -> int:
            index = stock.index(name)
            return -1 if index is None else index

        self.siren = at("siren")
        self.siret, self.nic = at("siret"), at("nic")
        self.commune = at("codeCommuneEtablissement")
        self.headquarters = at("etablissementSiege")
        self.status = at("statutDiffusionEtablissement")
        self.commas = len(stock.columns) - 1
        # Split no further than the last column read: the rest of the line stays one piece.
        last = max(self.siren, self.siret, self.nic, self.commune, self.headquarters, self.status)
        self.max_split = last + 1
        self.read = [i for i in (self.siren, self.siret, self.nic, self.commune,
                                 self.headquarters, self.status) if i >= 0]  # fmt: skip
        self.strip = last == self.commas  # the last column read is the line's last one

    def key_fields(self, raw: bytes) -> list[bytes] | None:
        """The row's leading fields (up to the last column the scan reads) as bytes, or None
        when they cannot be read (the row will be rejected by the last pass).

        Without quotes, the line is split on commas and must have the header's number of
        fields. With quotes after the leading fields (an address or a sign holding a comma),
        the leading fields are still exact; the rest of the row is checked only if it is kept.
        """
        if 34 not in raw:
            if raw.count(b",") != self.commas:
                return None
            fields = (raw.rstrip(b"\r\n") if self.strip else raw).split(b",", self.max_split)
        else:
            fields = raw.split(b",", self.max_split)
            if len(fields) <= self.max_split or raw.find(b'"') < len(raw) - len(fields[-1]):
                fields = self._parsed(raw)
                if fields is None:
                    return None
        fields.append(b"")
        return fields

    def _parsed(self, raw: bytes) -> list[bytes] | None:
        try:
            fields = split_fields(raw)
        except RowError:
            return None
        if len(fields) != self.commas + 1:
            return None
        leading = [b""] * (self.max_split + 1)
        for index in self.read:
            leading[index] = fields[index].encode()
        return leading


def _valid_identity(cols: _Columns, fields: list[bytes]) -> bool:
    """Only a well-identified, diffusible establishment makes its unit kept."""
    if fields[cols.status] == b"N":
        return False
    siren = fields[cols.siren].decode()
    siret = fields[cols.siret].decode() or siren + fields[cols.nic].decode()
    return siren_valid(siren) and siret.startswith(siren) and siret_key_valid(siret)


@dataclass
class ScanResult:
    records: int = 0
    # A unit with an establishment in the territory has rows in separate places of the file:
    # its headquarters may have been passed before the unit was marked (rescan_headquarters).
    split_units: bool = False
    spilled_hq: SirenBits | None = None  # units whose headquarters row is already spilled


def scan_establishments(
    stock: StockFile, territory: Territory, marked: SirenBits, spill: Spill, tick: Tick
) -> ScanResult:
    """Pass 1: mark the SIRENs with a valid establishment in the territory and spill the rows
    that may be kept: those in the territory, and the headquarters of the marked units.

    INSEE sorts the file by SIRET, so a unit's rows come together: its headquarters outside
    the territory is spilled when the group holds a marked establishment. A unit whose rows
    are split in several groups (a file in another order) is noticed with the `seen` bitmap,
    and `rescan_headquarters` then completes the spill. The loop is written flat: it runs once
    per establishment of France."""
    cols = _Columns(stock)
    result = ScanResult(spilled_hq=SirenBits())
    spilled_hq = result.spilled_hq.bits  # type: ignore[union-attr]
    seen = SirenBits().bits
    marked_bits = marked.bits
    prefixes = territory.prefixes
    key_fields, add = cols.key_fields, spill.add
    commas, max_split, strip = cols.commas, cols.max_split, cols.strip
    i_siren, i_commune, i_hq = cols.siren, cols.commune, cols.headquarters
    current, pending, number = b"", None, None
    group_marked = continued = split_units = False
    with stock.open() as stream:
        reader = RecordReader(stream, tick)
        for line, raw in reader:
            if 34 not in raw and raw.count(b",") == commas:  # the common case, inlined
                fields = (raw.rstrip(b"\r\n") if strip else raw).split(b",", max_split)
                fields.append(b"")
            else:
                fields = key_fields(raw)
                if fields is None:
                    add(line, raw)  # malformed: rejected, with its line, by the last pass
                    continue
            siren = fields[i_siren]
            if siren != current:  # a new group of rows of one unit
                if pending is not None:
                    if group_marked:  # the headquarters outside the territory of a kept unit
                        _spill_headquarters(pending, number, spill, spilled_hq)
                    pending = None
                current, number = siren, siren_int(siren)
                group_marked = continued = False
                if number is not None:
                    byte, bit = number >> 3, 1 << (number & 7)
                    continued = bool(seen[byte] & bit)  # this unit had rows earlier
                    seen[byte] |= bit
                    group_marked = continued and bool(marked_bits[byte] & bit)
            commune = fields[i_commune]
            if len(commune) != 5:
                commune = commune.strip()
            if len(commune) == 5 and (
                (commune[:3] if commune[:2] == b"97" else commune[:2]) in prefixes
            ):
                add(line, raw)
                if not group_marked and number is not None and _valid_identity(cols, fields):
                    marked.add(number)
                    group_marked = True
                    split_units = split_units or continued
            elif fields[i_hq] in _HQ_TRUE:
                pending = [(line, raw)] if pending is None else [*pending, (line, raw)]
        if pending is not None and group_marked:
            _spill_headquarters(pending, number, spill, spilled_hq)
        result.records, result.split_units = reader.records, split_units
    return result


def _spill_headquarters(pending: list, number: int, spill: Spill, spilled_hq: bytearray):
    spilled_hq[number >> 3] |= 1 << (number & 7)
    for line, raw in pending:
        spill.add(line, raw)


def rescan_headquarters(
    stock: StockFile,
    territory: Territory,
    marked: SirenBits,
    spilled_hq: SirenBits,
    spill: Spill,
    tick: Tick,
) -> None:
    """Pass 1b, only when a marked unit's rows are split in the file: spill the headquarters
    outside the territory of the marked units that pass 1 did not spill."""
    cols = _Columns(stock)
    with stock.open() as stream:
        reader = RecordReader(stream, tick)
        for line, raw in reader:
            fields = cols.key_fields(raw)
            if fields is None or fields[cols.headquarters] not in _HQ_TRUE:
                continue
            number = siren_int(fields[cols.siren])
            if number is None or number in spilled_hq or number not in marked:
                continue
            if not territory.contains_commune(fields[cols.commune]):
                spill.add(line, raw)
