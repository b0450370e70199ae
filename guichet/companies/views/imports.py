"""SIRENE imports from the web: list, new import, progress and report (administrators)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from guichet.companies import permissions
from guichet.companies.forms_imports import SireneImportForm
from guichet.companies.models import ImportRun
from guichet.companies.sirene.base import ETABLISSEMENTS, UNITES_LEGALES
from guichet.companies.sirene.report import NOTHING_CHANGED, changed
from guichet.companies.sirene.runs import import_run_create
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require

REJECTED_SHOWN = 500
COUNT_LABELS = [
    ("read", "Lignes lues"),
    ("created", "Créées"),
    ("updated", "Mises à jour"),
    ("unchanged", "Inchangées"),
    ("ceased", "Dont cessées ou fermées"),
    ("non_diffusible", "Non diffusibles (non reprises)"),
]


def import_list(request):
    require(permissions.can_run_imports(request.user))
    runs = ImportRun.objects.select_related("started_by").order_by("-created_at", "-pk")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(
        request, "companies/import_list.html", {"title": "Imports SIRENE", "page_obj": page}
    )


def import_create(request):
    require(permissions.can_run_imports(request.user))
    form = SireneImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_run_create(
            by=request.user,
            unites_legales=form.paths[UNITES_LEGALES],
            etablissements=form.paths[ETABLISSEMENTS],
            regions=form.cleaned_data["regions"],
            departements=form.cleaned_data["departements"],
            wet_run=form.cleaned_data["wet_run"],
        )
        messages.success(request, "L'import est lancé : suivez sa progression ci-dessous.")
        return redirect("companies:import_detail", pk=run.pk)
    return render(
        request, "companies/import_form.html", {"title": "Nouvel import SIRENE", "form": form}
    )


def import_detail(request, pk: int):
    require(permissions.can_run_imports(request.user))
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    report = run.report or {}
    rejected = report.get("rejected", [])
    fmt = request.GET.get("format", "")
    if fmt in FORMATS and run.status == ImportRun.Status.DONE:
        return export_response(
            rows=((r["file"], r["line"], r["reason"]) for r in rejected),
            headers=["Fichier", "Ligne", "Motif du rejet"],
            filename=f"import-sirene-{run.pk}-rejets",
            fmt=fmt,
        )
    context = {
        "title": str(run),
        "run": run,
        "state": status_of(run),
        "counts": _count_rows(report) if report else [],
        "rejected": rejected[:REJECTED_SHOWN],
        "rejected_total": len(rejected),
        "rejected_more": len(rejected) > REJECTED_SHOWN,
        "nothing_changed": NOTHING_CHANGED if report and not changed(report) else "",
    }
    return render(request, "companies/import_detail.html", context)


def import_status(request, pk: int):
    require(permissions.can_run_imports(request.user))
    run = get_object_or_404(ImportRun, pk=pk)
    return JsonResponse(status_of(run))


def status_of(run: ImportRun) -> dict:
    """What the progress bar shows (also served as JSON to the page's polling script)."""
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "percent": run.percent,
        "rows_read": run.rows_read,
        "phase": run.phase,
        "eta": _eta_seconds(run),
        "finished": run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED),
    }


def _eta_seconds(run: ImportRun) -> int | None:
    if run.status != ImportRun.Status.RUNNING or not run.started_at or not run.bytes_read:
        return None
    elapsed = (timezone.now() - run.started_at).total_seconds()
    remaining = max(run.bytes_total - run.bytes_read, 0)
    return int(elapsed * remaining / run.bytes_read)


def _count_rows(report: dict) -> list[tuple[str, int, int]]:
    return [
        (label, report[key][UNITES_LEGALES], report[key][ETABLISSEMENTS])
        for key, label in COUNT_LABELS
        if key in report
    ]
