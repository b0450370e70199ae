"""Files uploaded from a form to start a background job (a SIRENE import, a market data
load): the size limit, the copy under a private folder of the server (outside the web root,
never served) and its removal."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.utils.text import get_valid_filename


def oversize_message(uploaded, *, limit_mb: int, import_dir: Path) -> str | None:
    """The French error for an upload over limit_mb megabytes (it should be copied to the
    import folder on the server instead), None when it fits."""
    if uploaded.size <= limit_mb * 1024 * 1024:
        return None
    return (
        f"Le fichier « {uploaded.name} » dépasse {limit_mb} Mo : copiez-le dans le "
        f"dossier des imports ({import_dir}) et indiquez son chemin."
    )


def store_upload(uploaded, *, folder: Path) -> Path:
    """Copy an uploaded file under folder/<random>/ and return its path."""
    name = get_valid_filename(Path(uploaded.name).name) or "fichier.csv"
    target_dir = folder / uuid.uuid4().hex
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    with open(target, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return target


def discard_upload(path: Path, *, folder: Path) -> None:
    """Remove an upload stored by store_upload(folder=folder) with its random folder; any
    other path (a file named on the server) is left alone."""
    if path.parent.parent == folder:
        shutil.rmtree(path.parent, ignore_errors=True)
