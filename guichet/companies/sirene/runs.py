"""SIRENE imports started from the web: where their files may come from, the ImportRun that
follows them, and the background execution with its progress.

Files come either from an upload, stored under GUICHET_IMPORT_DIR/uploads/ (outside the web
root, never served), or from a path on the server, which must lie inside GUICHET_IMPORT_DIR
once symbolic links and ".." are resolved.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.companies.models import ImportRun
from guichet.companies.sirene.base import Progress, SireneFileError
from guichet.companies.sirene.runner import run_import
from guichet.core.audit import acting_as
from guichet.core.uploads import discard_upload, store_upload

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".csv", ".zip")
PROGRESS_WRITE_INTERVAL = 1.0  # seconds between two progress writes on the ImportRun


def import_dir() -> Path:
    return Path(settings.GUICHET_IMPORT_DIR).resolve()


def server_path(text: str) -> Path:
    """The file a server path names, if it lies inside GUICHET_IMPORT_DIR (relative paths
    are read from there). Raises SireneFileError otherwise."""
    base = import_dir()
    candidate = (base / text.strip()).resolve()
    if not candidate.is_relative_to(base):
        raise SireneFileError(
            f"Le chemin « {text} » est en dehors du dossier des imports ({base}) : "
            "déposez le fichier dans ce dossier."
        )
    if not candidate.is_file():
        raise SireneFileError(f"Le fichier « {text} » est introuvable dans {base}.")
    return candidate


def upload_store(uploaded) -> Path:
    """Copy an uploaded file under GUICHET_IMPORT_DIR/uploads/<random>/ and return its path."""
    return store_upload(uploaded, folder=import_dir() / "uploads")


def upload_discard(path: Path) -> None:
    """Remove a stored upload (a refused file) and its folder."""
    discard_upload(path, folder=import_dir() / "uploads")


def import_run_create(
    *,
    by,
    unites_legales: Path,
    etablissements: Path,
    regions: list[str],
    departements: list[str],
    wet_run: bool,
) -> ImportRun:
    """Record the import and start it in the background once the record is committed."""
    from guichet.companies.tasks import run_sirene_import

    run = ImportRun.objects.create(
        started_by=by,
        unites_legales_path=str(unites_legales),
        etablissements_path=str(etablissements),
        regions=list(regions),
        departements=list(departements),
        wet_run=wet_run,
        phase="En attente du traitement en arrière-plan",
    )
    transaction.on_commit(lambda: run_sirene_import.enqueue(import_run_id=run.pk))
    return run


def import_run_execute(*, import_run_id: int) -> str:
    """Run a queued import and store its report or its error. Safe to run twice: a finished
    run is left as it is."""
    run = ImportRun.objects.filter(pk=import_run_id).select_related("started_by").first()
    if run is None or run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
        return "ignored"
    _update(run, status=ImportRun.Status.RUNNING, started_at=timezone.now(), error="")
    try:
        with acting_as(run.started_by, path=f"import_sirene/{run.pk}"):
            report = run_import(
                unites_legales=Path(run.unites_legales_path),
                etablissements=Path(run.etablissements_path),
                regions=run.regions,
                departements=run.departements,
                wet_run=run.wet_run,
                progress=ProgressRecorder(run.pk),
            )
    except SireneFileError as error:
        _update(run, status=ImportRun.Status.FAILED, error=str(error), finished_at=timezone.now())
        return "failed"
    except Exception as error:
        logger.exception("SIRENE import %s failed", run.pk)
        message = f"Erreur inattendue : {error.__class__.__name__}. Voir le journal du serveur."
        _update(run, status=ImportRun.Status.FAILED, error=message, finished_at=timezone.now())
        return "failed"
    run.refresh_from_db(fields=["bytes_total"])  # written by the progress callback
    _update(
        run,
        status=ImportRun.Status.DONE,
        report=report,
        phase="Terminé",
        rows_read=sum(report["read"].values()),
        bytes_read=run.bytes_total,
        finished_at=timezone.now(),
    )
    return "done"


def _update(run: ImportRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


class ProgressRecorder:
    """Progress callback writing to the ImportRun at most once a second (the page polls it)."""

    def __init__(self, import_run_id: int):
        self.import_run_id = import_run_id
        self.last = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_WRITE_INTERVAL and progress.phase != "Terminé":
            return
        self.last = now
        ImportRun.objects.filter(pk=self.import_run_id).update(
            phase=progress.phase[:100],
            rows_read=progress.rows_read,
            bytes_read=progress.bytes_read,
            bytes_total=progress.bytes_total,
        )
