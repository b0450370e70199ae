"""Opening the INSEE stock files and refusing what is not one, before anything is written.

INSEE publishes `StockUniteLegale_utf8.csv` and `StockEtablissement_utf8.csv`, each also as a
`.zip` holding that one CSV: comma-separated, UTF-8, one header row, camelCase column names
whose order and set change between releases, so columns are always located by name.

Reading is done on bytes, one physical line at a time, so that a record's physical line number
is known (a quoted field may hold a newline: the record then spans several lines) and so that
the import can look at a line without decoding and splitting it (see `scan.py`).

Encoding: the first `HEAD_CHECK_BYTES` of a file are decoded before anything is written, so a
file saved in Latin-1 or Windows-1252 is refused at once. A file that is valid UTF-8 in its
first megabytes and carries a bad byte further on is not refused (that would need a full
pre-read of several gigabytes): each record that cannot be decoded is rejected as a bad row.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from guichet.companies.sirene.base import (
    ETABLISSEMENTS,
    UNITES_LEGALES,
    RowError,
    SireneFileError,
)

HEAD_CHECK_BYTES = 4 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
READ_BUFFER = 1024 * 1024
# A quoted field left open swallows the following lines until its closing quote; past this many
# lines the record is given up and rejected, and reading resumes after it.
MAX_RECORD_LINES = 200
_BOM = codecs.BOM_UTF8
_QUOTE = 34  # ord('"')

KIND_LABELS = {
    UNITES_LEGALES: "fichier des unités légales (StockUniteLegale)",
    ETABLISSEMENTS: "fichier des établissements (StockEtablissement)",
}


@dataclass(frozen=True)
class StockFile:
    """A checked SIRENE stock file: where it is, its columns, and how big it is uncompressed."""

    path: Path
    kind: str
    name: str  # the CSV's base name, as the rejected rows name it
    size: int  # bytes of CSV (uncompressed size for a zip)
    columns: tuple[str, ...]
    member: str | None = None  # name of the CSV inside a zip

    def index(self, column: str) -> int | None:
        try:
            return self.columns.index(column)
        except ValueError:
            return None

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """A buffered binary stream of the CSV, header included."""
        with ExitStack() as stack:
            if self.member is None:
                yield stack.enter_context(open(self.path, "rb", buffering=READ_BUFFER))
                return
            archive = stack.enter_context(zipfile.ZipFile(self.path))
            member = stack.enter_context(archive.open(self.member))
            # ZipExtFile.readline is written in Python: a C buffer makes line reading fast.
            yield stack.enter_context(io.BufferedReader(member, READ_BUFFER))  # type: ignore[arg-type]


def open_stock(path: Path | str, kind: str) -> StockFile:
    """Check that `path` is a SIRENE stock file of the given kind and return its description.

    Raises SireneFileError with a French message naming the problem: missing file, unreadable
    or ambiguous zip, empty file, not UTF-8, wrong delimiter, missing `siren` column, or the
    other kind of file (units given as establishments and the reverse).
    """
    path = Path(path)
    label = f"{KIND_LABELS[kind]} « {path.name} »"
    if not path.is_file():
        raise SireneFileError(f"Le {label} est introuvable.")
    member, name, size = _locate_csv(path, label)
    stock = StockFile(path=path, kind=kind, name=name, size=size, columns=(), member=member)
    with stock.open() as stream:
        head = stream.read(HEAD_CHECK_BYTES)
        if b"\n" not in head:  # the whole header line is needed, however long
            head += stream.readline(MAX_HEADER_BYTES)
    columns = _header_columns(head, complete=len(head) >= size, label=label)
    _check_columns(columns, kind, label)
    return StockFile(
        path=path, kind=kind, name=name, size=size, columns=tuple(columns), member=member
    )


def _locate_csv(path: Path, label: str) -> tuple[str | None, str, int]:
    if not zipfile.is_zipfile(path):
        if path.suffix.lower() == ".zip":
            raise SireneFileError(f"Le {label} n'est pas une archive zip lisible.")
        return None, path.name, path.stat().st_size
    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile:
        raise SireneFileError(f"Le {label} n'est pas une archive zip lisible.") from None
    csvs = [i for i in members if i.filename.lower().endswith(".csv")]
    if len(csvs) != 1:
        raise SireneFileError(
            f"L'archive {label} doit contenir un seul fichier CSV (elle en contient {len(csvs)})."
        )
    info = csvs[0]
    return info.filename, Path(info.filename).name, info.file_size


def _header_columns(head: bytes, *, complete: bool, label: str) -> list[str]:
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    if not head.strip():
        raise SireneFileError(f"Le {label} est vide.")
    _check_utf8(head, complete=complete, label=label)
    first_line = head.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    for delimiter, delimiter_name in ((";", "point-virgule"), ("\t", "tabulation")):
        if "," not in first_line and delimiter in first_line:
            raise SireneFileError(
                f"Le {label} utilise le séparateur « {delimiter_name} » : les fichiers stock "
                "SIRENE sont séparés par des virgules. Utilisez le fichier publié par l'INSEE."
            )
    return [c.strip() for c in next(csv.reader([first_line]))]


def _check_utf8(head: bytes, *, complete: bool, label: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError as error:
        line = head[: error.start].count(b"\n") + 1
        raise SireneFileError(
            f"Le {label} n'est pas encodé en UTF-8 (octet invalide à la ligne {line}) : "
            "utilisez les fichiers « _utf8 » publiés par l'INSEE."
        ) from None


def _check_columns(columns: list[str], kind: str, label: str) -> None:
    if "siren" not in columns:
        raise SireneFileError(
            f"La colonne « siren » est absente de l'en-tête du {label} : "
            "ce n'est pas un fichier stock SIRENE."
        )
    if kind == ETABLISSEMENTS and "siret" not in columns and "nic" not in columns:
        raise SireneFileError(
            f"Le {label} n'a ni colonne « siret » ni colonne « nic » : ce n'est pas un fichier "
            "des établissements (vérifiez que les deux fichiers ne sont pas inversés)."
        )
    if kind == UNITES_LEGALES and ("siret" in columns or "nic" in columns):
        raise SireneFileError(
            f"Le {label} a une colonne « siret » : c'est un fichier des établissements, pas celui "
            "des unités légales (vérifiez que les deux fichiers ne sont pas inversés)."
        )


class RecordReader:
    """Iterates the data records of a stream as (first physical line number, raw bytes).

    The header is line 1. A record whose quotes are unbalanced continues on the next physical
    line (a quoted field holding a newline), as CSV defines it. Blank lines are not records.
    Every `TICK_RECORDS` records, `tick(bytes read, records read)` feeds the progress bar.
    """

    TICK_RECORDS = 4096

    def __init__(self, stream: BinaryIO, tick: Callable[[int, int], None] | None = None):
        self.stream = stream
        self.tick = tick
        stream.readline()  # the header
        self.line = 1  # physical lines consumed so far
        self.records = 0

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        # Locals rather than attributes: this loop runs once per line of a multi-GB file.
        stream, tick, line, records = self.stream, self.tick, self.line, self.records
        for raw in stream:
            line += 1
            first = line
            if _QUOTE in raw and raw.count(b'"') % 2 and _inside_quotes(raw):
                raw, extra = self._complete(raw)
                line += extra
            elif len(raw) <= 2 and not raw.strip():
                continue
            records += 1
            if tick is not None and not records % self.TICK_RECORDS:
                tick(stream.tell(), records)
            yield first, raw
        self.line, self.records = line, records

    def _complete(self, raw: bytes) -> tuple[bytes, int]:
        """The record continued on the following lines, and how many lines were added."""
        parts = [raw]
        while len(parts) < MAX_RECORD_LINES:
            more = self.stream.readline()
            if not more:
                break
            parts.append(more)
            if _QUOTE in more and not _inside_quotes(b"".join(parts)):
                break
        return b"".join(parts), len(parts) - 1


def _inside_quotes(raw: bytes) -> bool:
    """Whether the record ends inside a quoted field (so its next physical line belongs to it).

    A quote opens a quoted field only at the start of a field: `12 B"IS,` is an ordinary
    field. The csv module decides, reading a second line only when it is inside quotes.
    """
    wanted_more = False

    def lines():
        nonlocal wanted_more
        yield raw.decode("utf-8", "replace")
        wanted_more = True

    with suppress(csv.Error):
        next(csv.reader(lines()), None)
    return wanted_more


def split_fields(raw: bytes) -> list[str]:
    """The fields of one raw record, or RowError with the French reason it cannot be read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RowError(
            f"caractères non UTF-8 (octet 0x{raw[error.start]:02X} en position {error.start + 1})"
        ) from None
    text = text.rstrip("\r\n")
    if '"' not in text:
        return text.split(",")
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error:
        raise RowError("ligne mal formée : guillemets mal placés ou non refermés") from None
    if len(rows) != 1:
        raise RowError("ligne mal formée : guillemets mal placés ou non refermés")
    return rows[0]
