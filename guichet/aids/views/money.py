"""Money pages of a granted aid (agreement, payments and their proofs, results) and the
envelopes page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from guichet.aids import permissions
from guichet.aids.forms_money import (
    AgreementForm,
    PaymentForm,
    ResultsForm,
    add_service_errors,
)
from guichet.aids.models import AidScheme, Application, BudgetEnvelope, Payment
from guichet.aids.selectors_payments import can_report_results, envelopes_table, paid_total
from guichet.aids.services import payments as payment_services
from guichet.aids.services import results as result_services
from guichet.aids.services.documents import capped_uploads
from guichet.aids.views.committee import application_url
from guichet.core.audit import audit_view
from guichet.core.charts import Series, bar_chart
from guichet.core.exports import FORMATS, export_response
from guichet.core.money import euros
from guichet.core.permissions import is_platform_admin, require


def _application(reference: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related("scheme__provider", "company", "organisation"),
        reference=reference,
    )


def _page(request, template: str, application: Application, form, title: str, **extra):
    context = {
        "title": title,
        "application": application,
        "application_url": application_url(application),
        "form": form,
        **extra,
    }
    return render(request, template, context)


def application_agreement(request, reference: str):
    application = _application(reference)
    require(permissions.can_pay(request.user, application))
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_services.application_agreement_sign(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "La convention est enregistrée : les versements peuvent commencer."
            )
            return redirect(application_url(application))
    title = f"Convention du dossier {application.reference}"
    return _page(request, "aids/money/agreement.html", application, form, title)


@capped_uploads
def application_payment(request, reference: str):
    application = _application(reference)
    require(permissions.can_pay(request.user, application))
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_services.payment_record(
                application=application,
                kind=data["kind"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                proof=data["proof"] or None,
                justified_expenses=data["justified_expenses"],
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{payment.get_kind_display()} de {euros(payment.amount)} enregistré"
                f"{'e' if payment.kind == Payment.Kind.ADVANCE else ''}.",
            )
            return redirect(application_url(application))
    paid = paid_total(application)
    granted = application.granted_amount or 0
    extra = {
        "paid": paid,
        "remaining": granted - paid,
        "advance_max": granted * payment_services.ADVANCE_MAX_SHARE,
        "advance_share": int(payment_services.ADVANCE_MAX_SHARE * 100),
        "rate": payment_services.applicable_rate(application) * 100,
    }
    title = f"Versement sur le dossier {application.reference}"
    return _page(request, "aids/money/payment.html", application, form, title, **extra)


def payment_proof(request, reference: str, pk: int):
    application = _application(reference)
    require(permissions.can_view_application(request.user, application))
    payment = get_object_or_404(Payment, pk=pk, application=application)
    if not payment.proof:
        return redirect(application_url(application))
    audit_view(obj=payment, actor=request.user)
    handle = payment.proof.open("rb")
    content_type = payment_services.proof_content_type(handle.read(16))
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=payment.proof_name or f"justificatif-{payment.pk}",
        content_type=content_type,
    )


def application_results(request, reference: str):
    application = _application(reference)
    require(can_report_results(request.user, application))
    form = ResultsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result_services.application_results_report(
                application=application,
                jobs_created=data["jobs_created"],
                export_revenue=data["export_revenue"],
                markets_opened=data["markets_opened"],
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Les résultats sont enregistrés : le dossier est clôturé.")
            return redirect(application_url(application))
    title = f"Résultats du dossier {application.reference}"
    return _page(request, "aids/money/results.html", application, form, title)


# --- envelopes ---------------------------------------------------------------------------------


def _visible_schemes(user):
    schemes = AidScheme.objects.all()
    if not is_platform_admin(user):
        schemes = schemes.filter(provider_id=user.organisation_id)
    return schemes


def _chosen_year(request, years: list[int]) -> int | None:
    """?annee=YYYY, "toutes" for every year; by default the current year (or the latest)."""
    asked = request.GET.get("annee", "")
    if asked == "toutes":
        return None
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    today = timezone.localdate().year
    return today if today in years or not years else max(years)


def _chart(rows, year: int):
    return bar_chart(
        chart_id="enveloppes",
        title=f"Enveloppes {year} : engagé, versé et reste à engager par dispositif (€)",
        description=(
            f"Pour chaque dispositif, montants engagés, versés et restant à engager en {year}."
        ),
        categories=[r.scheme_name for r in rows],
        series=[
            Series("Engagé", [float(r.committed) for r in rows]),
            Series("Versé", [float(r.paid) for r in rows]),
            Series("Reste à engager", [float(max(r.remaining, 0)) for r in rows]),
        ],
        unit="€",
        category_header="Dispositif",
    )


def envelopes(request):
    require(permissions.can_view_envelopes(request.user))
    schemes = _visible_schemes(request.user)
    years = sorted(
        set(BudgetEnvelope.objects.filter(scheme__in=schemes).values_list("year", flat=True)),
        reverse=True,
    )
    year = _chosen_year(request, years)
    rows = envelopes_table(schemes=schemes, year=year) if years else []
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(
                (r.scheme_name, r.year, r.amount, r.committed, r.paid, r.remaining, r.files)
                for r in rows
            ),
            headers=[
                "Dispositif",
                "Année",
                "Enveloppe (€)",
                "Engagé (€)",
                "Versé (€)",
                "Reste à engager (€)",
                "Dossiers accordés",
            ],
            filename=f"enveloppes-{year or 'toutes'}",
            fmt=fmt,
            sheet="Enveloppes",
        )
    totals = {
        "amount": sum((r.amount for r in rows), 0),
        "committed": sum((r.committed for r in rows), 0),
        "paid": sum((r.paid for r in rows), 0),
        "remaining": sum((r.remaining for r in rows), 0),
        "files": sum(r.files for r in rows),
    }
    context = {
        "title": "Enveloppes budgétaires",
        "rows": rows,
        "years": years,
        "year": year,
        "totals": totals,
        "chart": _chart(rows, year) if rows and year is not None else None,
    }
    return render(request, "aids/money/envelopes.html", context)
