"""Results of a diagnostic (scores, level, radar, strengths and gaps, recommendations, action
plan), the advisor's plan editing and hand-over, the PDF report, and the comparison of a
company's diagnostics over time.

Members of the organisation that ran the diagnostic (and administrators) see everything;
every other member who may open the company file sees the level and the scores only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from guichet.companies.models import Company
from guichet.core.audit import audit_view
from guichet.core.charts import Series, line_chart
from guichet.core.permissions import require
from guichet.diagnostics import permissions
from guichet.diagnostics import report as reports
from guichet.diagnostics.forms_results import (
    CompareForm,
    PlanLineForm,
    PlanOfferForm,
    TargetCountriesForm,
)
from guichet.diagnostics.models import Diagnostic, PlanItem
from guichet.diagnostics.radar import score_text
from guichet.diagnostics.services.plan import (
    diagnostic_share,
    plan_countries_set,
    plan_generate,
    plan_item_add,
    plan_item_delete,
    plan_item_move,
    plan_item_update,
    plan_regenerate,
)
from guichet.markets.selectors import suggested_countries_for_company
from guichet.reference.models import Country

_RESULT_STATUSES = (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)


def _diagnostic_or_404(pk: int) -> Diagnostic:
    return get_object_or_404(
        Diagnostic.objects.select_related(
            "company", "version__questionnaire", "advisor", "organisation"
        ),
        pk=pk,
    )


def _completed(diagnostic: Diagnostic) -> None:
    if diagnostic.status not in _RESULT_STATUSES:
        raise Http404("Ce diagnostic n'est pas terminé : il n'a pas encore de résultats.")


def _breadcrumb(company: Company, current: str, *, result_of: Diagnostic | None = None) -> dict:
    links = [
        {"url": reverse("companies:search"), "title": "Entreprises"},
        {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
    ]
    if result_of is not None:
        links.append(
            {
                "url": reverse("diagnostics:result", args=[result_of.pk]),
                "title": "Résultats du diagnostic",
            }
        )
    return {"links": links, "current": current, "root_dir": "/"}


def _ensure_plan(diagnostic: Diagnostic) -> None:
    """The plan is proposed on first sight of a completed diagnostic (idempotent)."""
    if diagnostic.status == Diagnostic.Status.COMPLETED and not diagnostic.plan_items.exists():
        plan_generate(diagnostic=diagnostic)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


# --- results ---------------------------------------------------------------------------------


def result(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    require(permissions.can_view_diagnostic(request.user, diagnostic))
    if diagnostic.status not in _RESULT_STATUSES:
        if permissions.can_fill_diagnostic(request.user, diagnostic):
            return redirect("diagnostics:fill", pk=diagnostic.pk)
        raise Http404("Ce diagnostic n'est pas terminé : il n'a pas encore de résultats.")
    full = permissions.can_view_answers(request.user, diagnostic)
    if full:
        _ensure_plan(diagnostic)
    results = reports.results_of(diagnostic, full=full)
    context = {
        "title": f"Résultats du diagnostic export — {diagnostic.company.name}",
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "results": results,
        "can_edit_plan": full
        and permissions.can_edit_plan(request.user, diagnostic)
        and diagnostic.status == Diagnostic.Status.COMPLETED,
        "can_share": permissions.can_share_plan(request.user, diagnostic)
        and diagnostic.status == Diagnostic.Status.COMPLETED,
        "can_compare": results.previous is not None
        and permissions.can_compare(request.user, diagnostic.company),
        "breadcrumb_data": _breadcrumb(diagnostic.company, "Résultats du diagnostic"),
    }
    return render(request, "diagnostics/results/result.html", context)


# --- action plan -----------------------------------------------------------------------------


def _plan_item(diagnostic: Diagnostic, raw) -> PlanItem:
    try:
        return diagnostic.plan_items.get(pk=int(raw))
    except (TypeError, ValueError, PlanItem.DoesNotExist):
        raise Http404("Cette ligne n'est plus au plan d'action.") from None


def _line_values(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "why": data["why"],
        "owner": data["owner"],
        "due_on": data["due_on"],
    }


def _post_step(request, diagnostic):
    form = PlanLineForm(request.POST, prefix="etape")
    if form.is_valid():
        try:
            item = plan_item_add(
                diagnostic=diagnostic,
                by=request.user,
                kind=PlanItem.Kind.STEP,
                **_line_values(form),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"L'étape « {item.title} » est ajoutée au plan.")
            return {}
    return {"step_form": form}


def _post_offer(request, diagnostic):
    form = PlanOfferForm(request.POST, prefix="offre")
    if form.is_valid():
        offer = form.cleaned_data["offer"]
        try:
            item = plan_item_add(
                diagnostic=diagnostic,
                by=request.user,
                kind=PlanItem.Kind.OFFER,
                offer=offer,
                title=offer.title[:200],
                owner=offer.provider.name[:150],
                why=form.cleaned_data["why"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"L'offre « {item.title} » est ajoutée au plan.")
            return {}
    return {"offer_form": form}


def _post_update(request, diagnostic):
    item = _plan_item(diagnostic, request.POST.get("ligne"))
    form = PlanLineForm(request.POST, prefix="ligne", step=item.kind == PlanItem.Kind.STEP)
    if form.is_valid():
        try:
            plan_item_update(item=item, by=request.user, **_line_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"La ligne « {item.title} » est modifiée.")
            return {}
    return {"edit_form": form, "edit_item": item}


def _post_countries(request, diagnostic):
    form = TargetCountriesForm(request.POST, prefix="pays")
    if form.is_valid():
        try:
            plan_countries_set(
                diagnostic=diagnostic, by=request.user, countries=form.cleaned_data["countries"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Les pays cibles sont enregistrés.")
            return {}
    return {"countries_form": form}


def _post_simple(request, diagnostic, action: str):
    """Delete, move, or propose the plan again: no form to show back."""
    if action == "regenerate":
        plan_regenerate(diagnostic=diagnostic, by=request.user)
        messages.success(
            request, "Un nouveau plan est proposé à partir des scores et du catalogue."
        )
        return
    item = _plan_item(diagnostic, request.POST.get("ligne"))
    if action == "delete":
        plan_item_delete(item=item, by=request.user)
        messages.success(request, f"La ligne « {item.title} » est retirée du plan.")
    else:
        plan_item_move(item=item, by=request.user, direction=action)


_FORM_ACTIONS = {
    "step": _post_step,
    "offer": _post_offer,
    "update": _post_update,
    "countries": _post_countries,
}


def _handle_post(request, diagnostic) -> dict:
    """Run the posted action; returns the forms to show again (with their errors), or {}."""
    action = request.POST.get("action", "")
    if action in _FORM_ACTIONS:
        return _FORM_ACTIONS[action](request, diagnostic)
    if action in ("delete", "up", "down", "regenerate"):
        try:
            _post_simple(request, diagnostic, action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return {}
    messages.error(request, "Action inconnue : rien n'a été modifié.")
    return {}


def _plan_context(request, diagnostic, extra) -> dict:
    items = list(diagnostic.plan_items.select_related("offer__provider").order_by("order", "pk"))
    countries = list(diagnostic.target_countries.order_by("sort_name"))
    context = {
        "title": f"Plan d'action export — {diagnostic.company.name}",
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "items": items,
        "step_form": PlanLineForm(prefix="etape"),
        "offer_form": PlanOfferForm(prefix="offre"),
        "countries": countries,
        "countries_form": TargetCountriesForm(prefix="pays", initial={"countries": countries}),
        "breadcrumb_data": _breadcrumb(
            diagnostic.company, "Modifier le plan d'action", result_of=diagnostic
        ),
    }
    editing = request.GET.get("ligne")
    if editing and "edit_item" not in extra:
        item = _plan_item(diagnostic, editing)
        context["edit_item"] = item
        context["edit_form"] = PlanLineForm(
            prefix="ligne",
            step=item.kind == PlanItem.Kind.STEP,
            initial={
                "title": item.title,
                "why": item.why,
                "owner": item.owner,
                "due_on": item.due_on,
            },
        )
    context.update(extra)
    return context


def _suggested_countries(diagnostic) -> list[dict]:
    """Countries the market analysis ranks first for the company's filières (issue 8), each
    marked when the plan already targets it."""
    chosen = set(diagnostic.target_countries.values_list("iso2", flat=True))
    return [
        {"suggestion": s, "chosen": s.country.iso2 in chosen}
        for s in suggested_countries_for_company(diagnostic.company, limit=5)
    ]


def _add_suggested_country(request, diagnostic) -> None:
    """One click adds a suggested country to the plan's target countries (same service and
    limit as the countries form)."""
    country = Country.objects.filter(iso2=request.POST.get("pays_suggere", "")).first()
    if country is None:
        messages.error(request, "Ce pays n'existe pas : rien n'a été modifié.")
        return
    current = list(diagnostic.target_countries.all())
    if country in current:
        messages.info(request, f"{country.name_fr} est déjà parmi les pays cibles.")
        return
    try:
        plan_countries_set(diagnostic=diagnostic, by=request.user, countries=[*current, country])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{country.name_fr} est ajouté aux pays cibles.")


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    require(permissions.can_edit_plan(request.user, diagnostic))
    if diagnostic.status == Diagnostic.Status.SHARED:
        messages.info(
            request, "Le plan d'action a été transmis à l'entreprise : il ne change plus."
        )
        return redirect("diagnostics:result", pk=diagnostic.pk)
    extra = {}
    if request.method == "POST" and request.POST.get("action") == "add_country":
        _add_suggested_country(request, diagnostic)
        return redirect(reverse("diagnostics:plan_edit", args=[diagnostic.pk]) + "#pays")
    if request.method == "POST":
        extra = _handle_post(request, diagnostic)
        if not extra:
            return redirect(reverse("diagnostics:plan_edit", args=[diagnostic.pk]) + "#plan")
    else:
        _ensure_plan(diagnostic)
    context = _plan_context(request, diagnostic, extra)
    context["suggested_countries"] = _suggested_countries(diagnostic)
    return render(request, "diagnostics/results/plan_edit.html", context)


@require_http_methods(["GET", "POST"])
def share(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    require(permissions.can_share_plan(request.user, diagnostic))
    if diagnostic.status == Diagnostic.Status.SHARED:
        messages.info(request, "Le plan d'action a déjà été transmis à l'entreprise.")
        return redirect("diagnostics:result", pk=diagnostic.pk)
    error = None
    _ensure_plan(diagnostic)
    if request.method == "POST":
        try:
            diagnostic_share(diagnostic=diagnostic, by=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                "Le plan d'action est transmis : remettez le rapport PDF à l'entreprise. Une "
                "action de suivi vous attend dans 30 jours.",
            )
            return redirect("diagnostics:result", pk=diagnostic.pk)
    context = {
        "title": f"Transmettre le plan d'action — {diagnostic.company.name}",
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "items_count": diagnostic.plan_items.count(),
        "error": error,
        "breadcrumb_data": _breadcrumb(
            diagnostic.company, "Transmettre le plan d'action", result_of=diagnostic
        ),
    }
    return render(request, "diagnostics/results/share.html", context)


# --- report ----------------------------------------------------------------------------------


def report_pdf(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    require(permissions.can_view_answers(request.user, diagnostic))
    _completed(diagnostic)
    _ensure_plan(diagnostic)
    content = reports.report_pdf(diagnostic)
    audit_view(obj=diagnostic, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(diagnostic)}"'
    )
    return response


# --- comparison ------------------------------------------------------------------------------


def _pair(request, diagnostics: list[Diagnostic]):
    """The two diagnostics to compare (earlier first): those chosen, else the last two."""
    by_pk = {d.pk: d for d in diagnostics}
    form = CompareForm(request.GET or None, diagnostics=diagnostics)
    if form.is_bound and form.is_valid():
        chosen = [by_pk[form.cleaned_data["earlier"]], by_pk[form.cleaned_data["later"]]]
    else:
        chosen = diagnostics[-2:]
        if not form.is_bound:
            form = CompareForm(
                diagnostics=diagnostics,
                initial={"earlier": chosen[0].pk, "later": chosen[1].pk},
            )
    position = {d.pk: n for n, d in enumerate(diagnostics)}
    chosen.sort(key=lambda d: position[d.pk])
    return form, chosen


def _overall_chart(diagnostics: list[Diagnostic]):
    dates = [reports.diagnostic_date(d) for d in diagnostics]
    return line_chart(
        chart_id="score-global",
        title="Score global des diagnostics successifs (sur 100)",
        description="Score global de chaque diagnostic terminé, du plus ancien au plus récent : "
        + ", ".join(
            f"{day} {score_text(d.overall_score)}"
            for day, d in zip(dates, diagnostics, strict=True)
        )
        + ".",
        categories=dates,
        series=[
            Series(
                "Score global",
                [reports.as_float(d.overall_score) for d in diagnostics],
            )
        ],
        y_max=100,
        decimals=1,
        category_header="Diagnostic du",
    )


def compare(request, siren: str):
    company = get_object_or_404(Company, siren=siren)
    require(permissions.can_compare(request.user, company))
    diagnostics = reports.completed_of(company)
    context = {
        "title": f"Évolution des diagnostics export — {company.name}",
        "company": company,
        "diagnostics": list(reversed(diagnostics)),
        "breadcrumb_data": _breadcrumb(company, "Évolution des diagnostics"),
        "can_start": permissions.can_start_diagnostic(request.user, company),
    }
    if len(diagnostics) >= 2:
        form, (earlier, later) = _pair(request, diagnostics)
        context.update(
            form=form,
            comparison=reports.compare(earlier, later),
            overall_chart=_overall_chart(diagnostics),
        )
    return render(request, "diagnostics/results/compare.html", context)
