"""Input files: a CSV, a gzip-compressed CSV (read as is by DuckDB) or a zip holding one CSV
(extracted next to the markets folder's uploads before reading)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from guichet.markets import storage
from guichet.markets.loaders.base import LoadError

CSV_SUFFIXES = (".csv", ".txt")


def prepare_input(path: Path) -> Path:
    """The CSV to read for `path` (the extracted member of a zip file)."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"Le fichier « {path} » est introuvable.")
    if not zipfile.is_zipfile(path):
        return path
    with zipfile.ZipFile(path) as archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir()
            and Path(m.filename).suffix.lower() in CSV_SUFFIXES
            and not Path(m.filename).name.startswith(".")
        ]
        if len(members) != 1:
            raise LoadError(
                f"L'archive « {path.name} » doit contenir un seul fichier CSV "
                f"({len(members)} trouvé(s))."
            )
        member = members[0]
        key = hashlib.sha256(f"{path.resolve()}:{path.stat().st_mtime_ns}".encode()).hexdigest()
        folder = storage.uploads_dir() / f"unzipped-{key[:16]}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(member.filename).name
        if not target.exists() or target.stat().st_size != member.file_size:
            with archive.open(member) as src, open(target, "wb") as out:
                while chunk := src.read(1024 * 1024):
                    out.write(chunk)
        return target
