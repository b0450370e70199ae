"""Pages that change the plan: the plan itself and its structure (axes, measures, indicators),
yearly targets, values entered by hand and the yearly text of each measure. The managers of the
plan's pilot organisation (and administrators) change the plan; a member of an indicator's
responsible partner enters its values. The services decide and word every refusal; these views
only wire forms, services and predicates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.core.audit import audit_view
from guichet.core.permissions import require
from guichet.plans import computations, permissions, selectors, services
from guichet.plans.forms import (
    AxisForm,
    IndicatorForm,
    ManualValueForm,
    MeasureForm,
    MeasureReportForm,
    PlanForm,
    TargetsForm,
)
from guichet.plans.models import Axis, Breakdown, Indicator, Measure, MeasureReport, Plan


def add_service_errors(form, error: ValidationError) -> None:
    """The service's French refusals on the form's fields (or above them)."""
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _plan_or_404(slug: str) -> Plan:
    plan = selectors.plan_by_slug(slug)
    if plan is None:
        raise Http404("Aucun plan ne porte cet identifiant.")
    return plan


def _editable_plan(request, slug: str) -> Plan:
    plan = _plan_or_404(slug)
    require(permissions.can_edit_plan(request.user, plan))
    return plan


def _indicator_or_404(plan: Plan, code: str) -> Indicator:
    indicator = (
        Indicator.objects.select_related("plan", "measure", "owner")
        .prefetch_related("targets")
        .filter(plan=plan, code=code)
        .first()
    )
    if indicator is None:
        raise Http404("Aucun indicateur de ce plan ne porte ce code.")
    return indicator


def _breadcrumb(plan: Plan | None, current: str, *, edit_link: bool = True) -> dict:
    links = [{"url": reverse("plans:plan_list"), "title": "Plans"}]
    if plan is not None:
        links.append({"url": reverse("plans:dashboard", args=[plan.slug]), "title": plan.name})
        if edit_link:
            links.append(
                {"url": reverse("plans:plan_edit", args=[plan.slug]), "title": "Modifier le plan"}
            )
    return {"links": links, "current": current, "root_dir": "/"}


def _hub(plan: Plan, anchor: str = "") -> str:
    url = reverse("plans:plan_edit", args=[plan.slug])
    return f"{url}#{anchor}" if anchor else url


def _form_page(request, *, plan, form, title, intro="", submit="Enregistrer", status=200):
    context = {
        "title": title,
        "intro": intro,
        "form": form,
        "submit_label": submit,
        "cancel_url": _hub(plan) if plan else reverse("plans:plan_list"),
        "breadcrumb_data": _breadcrumb(plan, title),
    }
    return render(request, "plans/edit_form.html", context, status=status)


def _computation_label(key: str) -> str:
    """The computation's French label; "" for a manual indicator or a key the library lacks
    (Computation objects are callable: templates would call them)."""
    computation = computations.get(key) if key else None
    return computation.label if computation else ""


def _save(form, call) -> bool:
    """Run the service when the form is valid; its refusals go on the form."""
    if not form.is_valid():
        return False
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


# --- plan ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_create(request):
    require(permissions.can_create_plan(request.user))
    form = PlanForm(request.POST or None, user=request.user)
    created = {}

    def call():
        created["plan"] = services.plan_create(by=request.user, **form.fields_for_service())

    if request.method == "POST" and _save(form, call):
        plan = created["plan"]
        messages.success(
            request,
            f"Le plan {plan.name} est créé : ajoutez ses axes, ses mesures et ses indicateurs.",
        )
        return redirect("plans:plan_edit", plan.slug)
    return _form_page(
        request,
        plan=None,
        form=form,
        title="Nouveau plan",
        intro="Un plan (par exemple PAREX 2) couvre des années ; il se découpe en axes, en "
        "mesures numérotées et en indicateurs, chacun avec ses cibles annuelles.",
        submit="Créer le plan",
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, slug: str):
    """The plan's editing page: its description, then its axes, measures and indicators with
    a link to change each."""
    plan = _editable_plan(request, slug)
    form = PlanForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and _save(
        form,
        lambda: services.plan_update(plan=plan, by=request.user, **form.fields_for_service()),
    ):
        messages.success(request, "Le plan est enregistré.")
        return redirect("plans:plan_edit", plan.slug)
    axes = Axis.objects.filter(plan=plan).order_by("number")
    measures = list(selectors.measures_of(plan))
    for measure in measures:
        measure.indicator_rows = [
            {
                "indicator": indicator,
                "computation": _computation_label(indicator.computation),
                "targets": sorted(indicator.targets.all(), key=lambda t: t.year),
            }
            for indicator in measure.indicators.all()
        ]
    context = {
        "title": f"Modifier le plan {plan.name}",
        "plan": plan,
        "form": form,
        "axes": [
            {"axis": axis, "measures": [m for m in measures if m.axis_id == axis.pk]}
            for axis in axes
        ],
        "breadcrumb_data": _breadcrumb(plan, "Modifier le plan", edit_link=False),
    }
    return render(request, "plans/edit_plan.html", context)


# --- axes and measures ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def axis_create(request, slug: str):
    plan = _editable_plan(request, slug)
    next_number = Axis.objects.filter(plan=plan).order_by("-number").first() or None
    form = AxisForm(
        request.POST or None,
        initial={"number": (next_number.number + 1) if next_number else 1},
    )
    if request.method == "POST" and _save(
        form, lambda: services.axis_create(plan=plan, by=request.user, **form.fields_for_service())
    ):
        messages.success(request, "L'axe est ajouté au plan.")
        return redirect(_hub(plan, "structure"))
    return _form_page(request, plan=plan, form=form, title="Nouvel axe", submit="Ajouter l'axe")


@require_http_methods(["GET", "POST"])
def axis_edit(request, slug: str, number: int):
    plan = _editable_plan(request, slug)
    axis = Axis.objects.filter(plan=plan, number=number).first()
    if axis is None:
        raise Http404("Aucun axe de ce plan ne porte ce numéro.")
    form = AxisForm(request.POST or None, axis=axis)
    if request.method == "POST" and _save(
        form, lambda: services.axis_update(axis=axis, by=request.user, **form.fields_for_service())
    ):
        messages.success(request, "L'axe est enregistré.")
        return redirect(_hub(plan, "structure"))
    return _form_page(request, plan=plan, form=form, title=f"Modifier l'axe {axis.number}")


def _measure_or_404(plan: Plan, number: int) -> Measure:
    measure = Measure.objects.select_related("plan", "axis").filter(plan=plan, number=number)
    measure = measure.first()
    if measure is None:
        raise Http404("Aucune mesure de ce plan ne porte ce numéro.")
    return measure


@require_http_methods(["GET", "POST"])
def measure_create(request, slug: str):
    plan = _editable_plan(request, slug)
    if not Axis.objects.filter(plan=plan).exists():
        messages.info(request, "Ajoutez d'abord un axe : chaque mesure relève d'un axe.")
        return redirect("plans:axis_create", plan.slug)
    last = Measure.objects.filter(plan=plan).order_by("-number").first()
    initial = {"number": last.number + 1 if last else 1}
    if request.GET.get("axe", "").isdigit():
        axis = Axis.objects.filter(plan=plan, number=int(request.GET["axe"])).first()
        if axis is not None:
            initial["axis"] = axis.pk
    form = MeasureForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and _save(
        form,
        lambda: services.measure_create(plan=plan, by=request.user, **form.fields_for_service()),
    ):
        messages.success(request, "La mesure est ajoutée au plan.")
        return redirect(_hub(plan, "structure"))
    return _form_page(
        request, plan=plan, form=form, title="Nouvelle mesure", submit="Ajouter la mesure"
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request, slug: str, number: int):
    plan = _editable_plan(request, slug)
    measure = _measure_or_404(plan, number)
    form = MeasureForm(request.POST or None, plan=plan, measure=measure)
    if request.method == "POST" and _save(
        form,
        lambda: services.measure_update(
            measure=measure, by=request.user, **form.fields_for_service()
        ),
    ):
        messages.success(request, "La mesure est enregistrée.")
        return redirect(_hub(plan, "structure"))
    return _form_page(request, plan=plan, form=form, title=f"Modifier la mesure {measure.number}")


@require_http_methods(["GET", "POST"])
def measure_report(request, slug: str, number: int):
    """What was done for the measure, year by year (the text of the yearly report)."""
    plan = _editable_plan(request, slug)
    measure = _measure_or_404(plan, number)
    reports = {r.year: r for r in MeasureReport.objects.filter(measure=measure)}
    year = request.GET.get("annee", "")
    today = timezone.localdate()
    if year.isdigit() and int(year) in plan.years:
        year = int(year)
    else:
        year = min(max(today.year, plan.first_year), plan.last_year)
    initial = {"year": year, "text": reports[year].text if year in reports else ""}
    form = MeasureReportForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and _save(
        form,
        lambda: services.measure_report_set(
            measure=measure,
            year=form.cleaned_data["year"],
            text=form.cleaned_data["text"],
            by=request.user,
        ),
    ):
        saved_year = form.cleaned_data["year"]
        messages.success(
            request, f"Le bilan {saved_year} de la mesure {measure.number} est enregistré."
        )
        url = reverse("plans:measure_report", args=[plan.slug, measure.number])
        return redirect(f"{url}?annee={saved_year}")
    context = {
        "title": f"Bilan de la mesure {measure.number} — {measure.title}",
        "plan": plan,
        "measure": measure,
        "form": form,
        "reports": [reports[y] for y in sorted(reports)],
        "years": [{"year": y, "written": y in reports} for y in plan.years],
        "breadcrumb_data": _breadcrumb(plan, f"Bilan de la mesure {measure.number}"),
    }
    return render(request, "plans/edit_measure_report.html", context)


# --- indicators ----------------------------------------------------------------------------


def _indicator_page(request, *, plan, form, title, submit, indicator=None):
    context = {
        "title": title,
        "plan": plan,
        "form": form,
        "indicator": indicator,
        "submit_label": submit,
        "computations": [
            {
                "label": f"{c.source} – {c.label}",
                "unit": c.unit,
                "description": c.description,
                "breakdowns": [
                    str(label).lower() for key, label in Breakdown.choices if key in c.breakdowns
                ],
            }
            for c in computations.all_computations()
        ],
        "cancel_url": _hub(plan, "structure"),
        "breadcrumb_data": _breadcrumb(plan, title),
    }
    return render(request, "plans/edit_indicator.html", context)


@require_http_methods(["GET", "POST"])
def indicator_create(request, slug: str):
    plan = _editable_plan(request, slug)
    measure = None
    if request.GET.get("mesure", "").isdigit():
        measure = Measure.objects.filter(plan=plan, number=int(request.GET["mesure"])).first()
    if not Measure.objects.filter(plan=plan).exists():
        messages.info(
            request, "Ajoutez d'abord une mesure : chaque indicateur relève d'une mesure."
        )
        return redirect("plans:measure_create", plan.slug)
    initial = {"code": services.suggested_code(measure)} if measure else {}
    form = IndicatorForm(request.POST or None, plan=plan, measure=measure, initial=initial or None)
    created = {}

    def call():
        created["indicator"] = services.indicator_create(
            plan=plan, by=request.user, **form.fields_for_service()
        )

    if request.method == "POST" and _save(form, call):
        indicator = created["indicator"]
        messages.success(
            request, f"L'indicateur {indicator.code} est créé : fixez maintenant ses cibles."
        )
        return redirect("plans:targets", plan.slug, indicator.code)
    return _indicator_page(
        request, plan=plan, form=form, title="Nouvel indicateur", submit="Créer l'indicateur"
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug: str, code: str):
    plan = _editable_plan(request, slug)
    indicator = _indicator_or_404(plan, code)
    form = IndicatorForm(request.POST or None, plan=plan, indicator=indicator)
    saved = {}

    def call():
        saved["indicator"] = services.indicator_update(
            indicator=indicator, by=request.user, **form.fields_for_service()
        )

    if request.method == "POST" and _save(form, call):
        messages.success(request, f"L'indicateur {saved['indicator'].code} est enregistré.")
        return redirect(_hub(plan, f"indicateur-{saved['indicator'].pk}"))
    return _indicator_page(
        request,
        plan=plan,
        form=form,
        title=f"Modifier l'indicateur {indicator.code}",
        submit="Enregistrer",
        indicator=indicator,
    )


@require_http_methods(["GET", "POST"])
def indicator_delete(request, slug: str, code: str):
    """Asks first: the indicator goes with its targets and the values entered for it."""
    plan = _editable_plan(request, slug)
    indicator = _indicator_or_404(plan, code)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator, by=request.user)
        messages.success(request, f"L'indicateur {code} est supprimé.")
        return redirect(_hub(plan, "structure"))
    context = {
        "title": f"Supprimer l'indicateur {indicator.code}",
        "plan": plan,
        "indicator": indicator,
        "targets": indicator.targets.count(),
        "values": indicator.manual_values.count(),
        "cancel_url": _hub(plan, f"indicateur-{indicator.pk}"),
        "breadcrumb_data": _breadcrumb(plan, f"Supprimer l'indicateur {indicator.code}"),
    }
    return render(request, "plans/edit_delete.html", context)


@require_http_methods(["GET", "POST"])
def targets(request, slug: str, code: str):
    """Every year's target of an indicator on one form."""
    plan = _editable_plan(request, slug)
    indicator = _indicator_or_404(plan, code)
    form = TargetsForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and _save(
        form,
        lambda: services.targets_set(indicator=indicator, values=form.values(), by=request.user),
    ):
        messages.success(request, f"Les cibles de l'indicateur {indicator.code} sont enregistrées.")
        return redirect(_hub(plan, f"indicateur-{indicator.pk}"))
    context = {
        "title": f"Cibles de l'indicateur {indicator.code}",
        "plan": plan,
        "indicator": indicator,
        "form": form,
        "cancel_url": _hub(plan, f"indicateur-{indicator.pk}"),
        "breadcrumb_data": _breadcrumb(plan, f"Cibles de l'indicateur {indicator.code}"),
    }
    return render(request, "plans/edit_targets.html", context)


@require_http_methods(["GET", "POST"])
def manual_value(request, slug: str, code: str):
    """Enter a value of a manual indicator (year, period, source) and see the values entered
    before: the latest of a year counts."""
    plan = _plan_or_404(slug)
    require(permissions.can_view_plans(request.user))
    indicator = _indicator_or_404(plan, code)
    can_enter = permissions.can_enter_value(request.user, indicator)
    if request.method == "POST":
        require(can_enter)
    today = timezone.localdate()
    form = None
    if can_enter and not indicator.is_automatic:
        form = ManualValueForm(request.POST or None, indicator=indicator, today=today)
        if request.method == "POST" and _save(
            form,
            lambda: services.manual_value_enter(
                indicator=indicator, by=request.user, **form.fields_for_service()
            ),
        ):
            messages.success(
                request,
                f"Valeur {form.cleaned_data['year']} enregistrée pour l'indicateur "
                f"{indicator.code}.",
            )
            return redirect("plans:manual_value", plan.slug, indicator.code)
    elif request.method == "POST":
        raise Http404("Cet indicateur est calculé : sa valeur ne se saisit pas.")
    history = list(selectors.manual_values(indicator).order_by("-year", "-entered_at", "-pk"))
    counted = {}
    for value in history:
        counted.setdefault(value.year, value.pk)
        value.counts = counted[value.year] == value.pk
        if value.entered_by_id:
            audit_view(obj=value, actor=request.user)
    context = {
        "title": f"Valeurs de l'indicateur {indicator.code}",
        "plan": plan,
        "indicator": indicator,
        "form": form,
        "history": history,
        "can_enter": can_enter,
        "no_year_yet": form is not None and not form.fields["year"].choices,
        "breadcrumb_data": _breadcrumb(
            plan,
            f"Valeurs de l'indicateur {indicator.code}",
            edit_link=permissions.can_edit_plan(request.user, plan),
        ),
    }
    return render(request, "plans/manual_value.html", context)


urlpatterns = [
    path("plans/nouveau/", plan_create, name="plan_create"),
    path("plans/<slug:slug>/modifier/", plan_edit, name="plan_edit"),
    path("plans/<slug:slug>/axes/nouveau/", axis_create, name="axis_create"),
    path("plans/<slug:slug>/axes/<int:number>/modifier/", axis_edit, name="axis_edit"),
    path("plans/<slug:slug>/mesures/nouvelle/", measure_create, name="measure_create"),
    path("plans/<slug:slug>/mesures/<int:number>/modifier/", measure_edit, name="measure_edit"),
    path("plans/<slug:slug>/mesures/<int:number>/bilan/", measure_report, name="measure_report"),
    path("plans/<slug:slug>/indicateurs/nouveau/", indicator_create, name="indicator_create"),
    path(
        "plans/<slug:slug>/indicateurs/<str:code>/modifier/",
        indicator_edit,
        name="indicator_edit",
    ),
    path(
        "plans/<slug:slug>/indicateurs/<str:code>/supprimer/",
        indicator_delete,
        name="indicator_delete",
    ),
    path("plans/<slug:slug>/indicateurs/<str:code>/cibles/", targets, name="targets"),
    path("plans/<slug:slug>/indicateurs/<str:code>/valeurs/", manual_value, name="manual_value"),
]
