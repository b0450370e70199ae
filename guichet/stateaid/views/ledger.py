"""A company's ledger: its single undertaking's position at a date, every line (cancelled ones
struck through with their reason), the spreadsheet export, declaring an aid received
elsewhere and cancelling a line."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.stateaid import permissions, rules, selectors, services
from guichet.stateaid.forms import CancelGrantForm, DeclaredAidForm, LedgerDateForm
from guichet.stateaid.models import StateAidGrant
from guichet.stateaid.sections import positions_context
from guichet.stateaid.views.common import (
    add_errors,
    company_breadcrumb,
    company_or_404,
    over_ceiling_messages,
)

LEDGER_HEADERS = [
    "SIREN",
    "Entreprise",
    "Date d'octroi",
    "Montant (ESB, €)",
    "Règlement",
    "Organisme",
    "Origine",
    "Objet",
    "Compte à la date",
    "Annulée le",
    "Motif d'annulation",
    "Référence d'origine",
]


def _row(line: StateAidGrant) -> tuple:
    return (
        line.company.siren,
        line.company.name,
        line.granted_on,
        line.amount,
        line.get_regulation_display(),
        line.granting_body,
        line.get_source_display(),
        line.description,
        "oui" if line.counts else "non",
        line.cancelled_at,
        line.cancelled_reason,
        line.source_ref,
    )


def ledger(request, siren: str):
    company = company_or_404(siren)
    require(permissions.can_view_ledger(request.user, company))
    form = LedgerDateForm(request.GET or None, initial={"at": timezone.localdate()})
    at = form.position_date()
    group, company_ids = selectors.undertaking_of(company)
    lines = list(selectors.grants_of_companies(company_ids))
    for line in lines:
        line.counts = line.cancelled_at is None and rules.counts_at(line.granted_on, at)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(_row(line) for line in lines),
            headers=LEDGER_HEADERS,
            filename=f"aides-d-etat-{company.siren}-au-{at.isoformat()}",
            fmt=fmt,
            sheet="Aides d'État",
        )
    context = {
        "title": f"Aides d'État — {company.name}",
        "company": company,
        "breadcrumb_data": company_breadcrumb(company, "Aides d'État"),
        "form": form,
        "at": at,
        "positions": positions_context(selectors.totals_of_companies(company_ids, at=at), at),
        "group": group,
        "lines": lines,
        "counted": sum(1 for line in lines if line.counts),
        "can_declare": permissions.can_declare_aid(request.user, company),
        "can_cancel": permissions.can_cancel_grant(request.user),
    }
    return render(request, "stateaid/ledger.html", context)


def _over_ceiling(company, granted_on) -> list[str]:
    """Today's position first; an older declaration may have exceeded a ceiling back then."""
    for day in (timezone.localdate(), granted_on):
        found = over_ceiling_messages(selectors.totals_at(company, at=day))
        if found:
            return found
    return []


def declare(request, siren: str):
    company = company_or_404(siren)
    require(permissions.can_declare_aid(request.user, company))
    form = DeclaredAidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.state_aid_declared_record(
                company=company, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"L'aide de {grant.granting_body} du {grant.granted_on:%d/%m/%Y} est ajoutée au "
                f"registre de {company.name}.",
            )
            for warning in _over_ceiling(company, grant.granted_on):
                messages.warning(request, warning)
            return redirect("stateaid:ledger", siren=company.siren)
    context = {
        "title": "Déclarer une aide reçue ailleurs",
        "company": company,
        "form": form,
        "breadcrumb_data": company_breadcrumb(company, "Déclarer une aide reçue ailleurs"),
    }
    return render(request, "stateaid/declare.html", context)


def grant_cancel(request, pk: int):
    require(permissions.can_cancel_grant(request.user))
    grant = get_object_or_404(StateAidGrant.objects.select_related("company"), pk=pk)
    ledger_url = reverse("stateaid:ledger", args=[grant.company.siren])
    if grant.cancelled_at is not None:
        messages.info(request, "Cette aide est déjà annulée.")
        return redirect(ledger_url)
    form = CancelGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.state_aid_grant_cancel(
                grant=grant, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"L'aide du {grant.granted_on:%d/%m/%Y} ({grant.granting_body}) est annulée : "
                f"elle reste au registre, barrée, et ne compte plus pour les plafonds.",
            )
            return redirect(ledger_url)
    context = {
        "title": "Annuler une aide du registre",
        "company": grant.company,
        "grant": grant,
        "form": form,
        "ledger_url": ledger_url,
        "breadcrumb_data": company_breadcrumb(grant.company, "Annuler une aide"),
    }
    return render(request, "stateaid/cancel.html", context)
