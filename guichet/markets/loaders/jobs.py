"""Loads started from the web: where their files may come from, the LoadJob that follows them
and its execution by the worker with a progress bar.

Files come from an upload (stored under the markets folder's uploads/, never served) or from a
path on the server inside GUICHET_MARKETS_IMPORT_DIR once symbolic links and ".." are resolved.
"""

from __future__ import annotations

import logging
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.core.audit import acting_as
from guichet.core.uploads import discard_upload, store_upload
from guichet.markets import storage
from guichet.markets.loaders import LoadError, load_geodist, load_macro, load_trade
from guichet.markets.models import DatasetKind, LoadJob, TradeSource

logger = logging.getLogger(__name__)

PROGRESS_WRITE_INTERVAL = 1.0  # seconds between two progress writes on the LoadJob
ALLOWED_SUFFIXES = (".csv", ".gz", ".zip", ".txt")
# format -> (dataset kind, source)
FORMATS = {
    "baci": (DatasetKind.TRADE, TradeSource.BACI),
    "comtrade": (DatasetKind.TRADE, TradeSource.COMTRADE),
    "customs-fr": (DatasetKind.CUSTOMS, TradeSource.CUSTOMS_FR),
    "geodist": (DatasetKind.GEODIST, TradeSource.GEODIST),
    "macro": (DatasetKind.MACRO, TradeSource.MACRO),
}


def import_dir() -> Path:
    default = storage.markets_dir() / "incoming"
    return Path(getattr(settings, "GUICHET_MARKETS_IMPORT_DIR", default)).resolve()


def server_path(text: str) -> Path:
    """The file a server path names, if it lies inside the import folder (relative paths are
    read from there). Raises LoadError otherwise."""
    base = import_dir()
    candidate = (base / text.strip()).resolve()
    if not candidate.is_relative_to(base):
        raise LoadError(
            f"Le chemin « {text} » est en dehors du dossier des imports ({base}) : "
            "copiez le fichier dans ce dossier."
        )
    if not candidate.is_file():
        raise LoadError(f"Le fichier « {text} » est introuvable dans {base}.")
    return candidate


def check_content(path: Path) -> None:
    """The file is what its name says: a zip archive, a gzip stream or plain text (CSV)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    name = path.name.lower()
    if name.endswith(".zip"):
        if not zipfile.is_zipfile(path):
            raise LoadError(f"« {path.name} » n'est pas une archive zip valide.")
        return
    if name.endswith(".gz"):
        if not head.startswith(b"\x1f\x8b"):
            raise LoadError(f"« {path.name} » n'est pas un fichier compressé gzip.")
        return
    if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8")):
        raise LoadError(f"« {path.name} » n'est pas un fichier CSV (texte).")


def upload_store(uploaded) -> Path:
    """Copy an uploaded file under uploads/<random>/ of the markets folder."""
    return store_upload(uploaded, folder=storage.uploads_dir())


def upload_discard(path: Path) -> None:
    discard_upload(path, folder=storage.uploads_dir())


def load_job_create(
    *, by, fmt: str, input_path: Path, original_name: str, uploaded: bool, countries_path=None
) -> LoadJob:
    """Record the load and run it in the background once the record is committed."""
    from guichet.markets.tasks import run_market_load

    kind, source = FORMATS[fmt]
    job = LoadJob.objects.create(
        kind=kind,
        source=source,
        input_path=str(input_path),
        original_name=original_name[:300],
        uploaded=uploaded,
        countries_path=str(countries_path or ""),
        message="En attente du traitement en arrière-plan",
        created_by=by,
    )
    transaction.on_commit(lambda: run_market_load.enqueue(job_id=job.pk))
    return job


def _run(job: LoadJob, progress):
    path = Path(job.input_path)
    common = {"user": job.created_by, "progress": progress, "report_to": _report(job)}
    if job.source == TradeSource.GEODIST:
        return load_geodist(path=path, **common)
    if job.source == TradeSource.MACRO:
        return load_macro(path=path, **common)
    return load_trade(
        fmt=job.source, path=path, countries_path=job.countries_path or None, **common
    )


def _report(job: LoadJob) -> Path:
    return storage.report_path(f"job-{job.pk}")


def load_job_execute(*, job_id: int) -> str:
    job = LoadJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status in (LoadJob.Status.DONE, LoadJob.Status.FAILED):
        return "ignored"
    _update(job, status=LoadJob.Status.RUNNING, progress=0, message="Démarrage")
    try:
        with acting_as(job.created_by, path=f"markets/load/{job.pk}"):
            outcome = _run(job, ProgressRecorder(job.pk))
    except LoadError as error:
        _update(job, status=LoadJob.Status.FAILED, message=str(error), finished_at=timezone.now())
        return "failed"
    except Exception as error:
        logger.exception("Market data load %s failed", job.pk)
        message = f"Erreur inattendue : {error.__class__.__name__}. Voir le journal du serveur."
        _update(job, status=LoadJob.Status.FAILED, message=message, finished_at=timezone.now())
        return "failed"
    finally:
        _discard_input(job)
    _update(
        job,
        status=LoadJob.Status.DONE,
        progress=100,
        message=" ".join(outcome.messages)[:2000],
        rows=outcome.rows,
        rows_rejected=outcome.rejected,
        report_path=storage.relative(outcome.report_path) if outcome.report_path else "",
        dataset=outcome.dataset,
        finished_at=timezone.now(),
    )
    return "done"


def _discard_input(job: LoadJob) -> None:
    """Uploaded files are not kept once loaded (their Parquet is); server files stay."""
    if job.uploaded:
        upload_discard(Path(job.input_path))
    if job.countries_path:
        upload_discard(Path(job.countries_path))


def _update(job: LoadJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    LoadJob.objects.filter(pk=job.pk).update(**fields)


class ProgressRecorder:
    """Progress callback writing to the LoadJob at most once a second (the page polls it)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, percent: int, message: str) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_WRITE_INTERVAL and percent < 100:
            return
        self.last = now
        LoadJob.objects.filter(pk=self.job_id).update(
            progress=min(int(percent), 99), message=message[:500]
        )
