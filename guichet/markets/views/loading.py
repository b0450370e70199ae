"""Market data loading from the web (administrators): the loaded datasets, a form that starts a
load (upload or server path), the job's progress page, its JSON status and rejection report."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.core.exports import FORMATS as EXPORT_FORMATS
from guichet.core.exports import export_response
from guichet.core.permissions import require
from guichet.core.uploads import oversize_message
from guichet.markets import permissions, storage
from guichet.markets.loaders import LoadError
from guichet.markets.loaders.jobs import (
    ALLOWED_SUFFIXES,
    check_content,
    import_dir,
    load_job_create,
    server_path,
    upload_discard,
    upload_store,
)
from guichet.markets.models import LoadJob, TradeDataset

FORMAT_CHOICES = [
    ("baci", _("CEPII BACI (t,i,j,k,v,q ; une année par fichier)")),
    ("comtrade", _("UN Comtrade, fichier en masse (exportations)")),
    ("customs-fr", _("Douanes françaises, tableaux régionaux")),
    ("geodist", _("CEPII GeoDist, distances (dist_cepii.csv)")),
    ("macro", _("PIB et population par pays et année (ou Gapminder)")),
]
JOBS_SHOWN = 10


class LoadForm(DsfrBaseForm):
    """The file comes from an upload or from a path in GUICHET_MARKETS_IMPORT_DIR. Once valid,
    `path` (and `countries`) hold the checked files (uploads stored on the server)."""

    fmt = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    upload = forms.FileField(
        label=_("Fichier à charger"),
        required=False,
        help_text=_("CSV, CSV compressé (.csv.gz) ou archive .zip contenant un seul CSV."),
    )
    server_path = forms.CharField(
        label=_("… ou son chemin sur le serveur"), required=False, max_length=500
    )
    countries = forms.FileField(
        label=_("Table des pays BACI (facultatif)"),
        required=False,
        help_text=_("country_codes_V*.csv de BACI : remplace la correspondance des codes pays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self["server_path"].help_text = _(
            "Chemin relatif au dossier des imports %(folder)s (ou absolu, dans ce dossier). "
            "Pour les fichiers de plus de %(limit)s Mo."
        ) % {"folder": import_dir(), "limit": settings.GUICHET_MARKETS_UPLOAD_MAX_MB}
        self.path: Path | None = None
        self.countries_path: Path | None = None
        self.original_name = ""
        self._stored: list[Path] = []

    def clean(self):
        data = super().clean()
        uploaded, typed = data.get("upload"), (data.get("server_path") or "").strip()
        if bool(uploaded) == bool(typed):
            self.add_error(
                "upload", _("Déposez le fichier ou indiquez son chemin (l'un des deux).")
            )
        else:
            field = "server_path" if typed else "upload"
            try:
                self.path = server_path(typed) if typed else self._store(uploaded)
                check_content(self.path)
                self.original_name = self.path.name if typed else uploaded.name
            except LoadError as error:
                self.add_error(field, str(error))
        if data.get("countries"):
            try:
                self.countries_path = self._store(data["countries"])
                check_content(self.countries_path)
            except LoadError as error:
                self.add_error("countries", str(error))
        if self.errors:
            self.discard_uploads()
        return data

    def _store(self, uploaded) -> Path:
        name = uploaded.name.lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise LoadError(
                f"Le fichier « {uploaded.name} » n'est ni un .csv, ni un .csv.gz, ni un .zip."
            )
        limit = settings.GUICHET_MARKETS_UPLOAD_MAX_MB
        if message := oversize_message(uploaded, limit_mb=limit, import_dir=import_dir()):
            raise LoadError(message)
        path = upload_store(uploaded)
        self._stored.append(path)
        return path

    def discard_uploads(self) -> None:
        for path in self._stored:
            upload_discard(path)
        self._stored = []


def data(request):
    require(permissions.can_load_market_data(request.user))
    datasets = TradeDataset.objects.select_related("loaded_by").order_by("kind", "-year", "source")
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS:
        return _export(datasets, fmt)
    form = LoadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = load_job_create(
            by=request.user,
            fmt=form.cleaned_data["fmt"],
            input_path=form.path,
            original_name=form.original_name,
            uploaded=not form.cleaned_data.get("server_path"),
            countries_path=form.countries_path,
        )
        messages.success(request, "Le chargement est lancé : suivez sa progression ci-dessous.")
        return redirect("markets:job", pk=job.pk)
    jobs = LoadJob.objects.select_related("created_by", "dataset")[:JOBS_SHOWN]
    context = {
        "title": "Données de marché",
        "markets_tab": "data",
        "can_load": True,
        "datasets": datasets,
        "jobs": jobs,
        "form": form,
        "import_dir": import_dir(),
        "upload_max_mb": settings.GUICHET_MARKETS_UPLOAD_MAX_MB,
    }
    return render(request, "markets/loading.html", context)


def _export(datasets, fmt: str):
    rows = (
        (
            d.get_kind_display(),
            d.get_source_display(),
            d.year or "",
            d.product_level,
            d.rows,
            d.rows_rejected,
            d.value_total,
            d.currency,
            "oui" if d.is_demo else "non",
            d.original_name,
            d.loaded_at.strftime("%d/%m/%Y %H:%M"),
            d.loaded_by.get_full_name() if d.loaded_by else "",
        )
        for d in datasets
    )
    headers = [
        "Nature",
        "Source",
        "Année",
        "Niveau",
        "Lignes",
        "Rejetées",
        "Valeur totale",
        "Unité",
        "Démonstration",
        "Fichier d'origine",
        "Chargé le",
        "Chargé par",
    ]
    return export_response(rows=rows, headers=headers, filename="donnees-marches", fmt=fmt)


def job(request, pk: int):
    require(permissions.can_load_market_data(request.user))
    load_job = get_object_or_404(LoadJob.objects.select_related("created_by", "dataset"), pk=pk)
    context = {
        "title": f"Chargement n° {load_job.pk}",
        "job": load_job,
        "state": status_of(load_job),
    }
    return render(request, "markets/loading_job.html", context)


def job_status(request, pk: int):
    require(permissions.can_load_market_data(request.user))
    return JsonResponse(status_of(get_object_or_404(LoadJob, pk=pk)))


def job_report(request, pk: int):
    require(permissions.can_load_market_data(request.user))
    load_job = get_object_or_404(LoadJob, pk=pk)
    if not load_job.report_path:
        raise Http404("Aucun rapport de rejets pour ce chargement.")
    path = storage.absolute(load_job.report_path)
    if not path.is_file():
        raise Http404("Le rapport de rejets n'existe plus.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"chargement-{load_job.pk}-rejets.csv",
        content_type="text/csv; charset=utf-8",
    )


def status_of(load_job: LoadJob) -> dict:
    """What the progress bar shows (also served as JSON to the page's polling script)."""
    return {
        "status": load_job.status,
        "status_label": load_job.get_status_display(),
        "percent": load_job.progress,
        "message": load_job.message,
        "rows": load_job.rows,
        "rows_rejected": load_job.rows_rejected,
        "finished": load_job.status in (LoadJob.Status.DONE, LoadJob.Status.FAILED),
    }
