from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guichet.core import audit
from guichet.core.exports import FORMATS, export_response
from guichet.core.forms import AuditFilterForm
from guichet.core.models import AuditEvent
from guichet.core.permissions import can_view_audit_log, require
from guichet.core.registry import home_panels_for
from guichet.core.selectors import audit_events, audit_object_types


def home(request):
    return render(request, "core/home.html", {"panels": home_panels_for(request.user)})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for the load balancer: 503 names the failing part."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


LEGAL_PAGES = {
    "mentions-legales": ("core/legal/mentions_legales.html", "Mentions légales"),
    "donnees-personnelles": ("core/legal/donnees_personnelles.html", "Données personnelles"),
    "accessibilite": ("core/legal/accessibilite.html", "Déclaration d'accessibilité"),
}


@login_not_required
@require_GET
def legal_page(request, slug: str):
    template, title = LEGAL_PAGES[slug]
    context = {
        "title": title,
        "operator_name": settings.GUICHET_OPERATOR_NAME,
        "operator_address": settings.GUICHET_OPERATOR_ADDRESS,
        "contact_email": settings.GUICHET_CONTACT_EMAIL,
    }
    return render(request, template, context)


@require_GET
def audit_log(request):
    require(can_view_audit_log(request.user))
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types())
    events = audit_events(form.filters()).select_related(None)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        audit.record(action=AuditEvent.Action.EXPORT, object_type="core.AuditEvent")
        return export_response(
            rows=(
                (
                    e.at,
                    e.actor_label,
                    e.organisation_label,
                    e.get_action_display(),
                    e.object_type,
                    e.object_id,
                    e.object_label,
                    ", ".join(sorted(e.changes)),
                )
                for e in events.iterator()
            ),
            headers=[
                "Date",
                "Auteur",
                "Organisation",
                "Action",
                "Type d'objet",
                "Identifiant",
                "Objet",
                "Champs modifiés",
            ],
            filename="journal-audit",
            fmt=fmt,
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "core/audit_log.html",
        {"title": "Journal d'audit", "form": form, "page_obj": page, "query": query.urlencode()},
    )
