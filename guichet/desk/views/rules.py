"""Administration of routing (platform administrators): routing rules, the "who would receive
this need?" preview, the coverage of the région, the service levels and the subjects."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require
from guichet.desk import selectors_rules as sel
from guichet.desk.forms_rules import PolicyForm, PreviewForm, RuleFilterForm, RuleForm, SubjectForm
from guichet.desk.models import DeskPolicy, RoutingRule, Subject
from guichet.desk.permissions import can_manage_routing
from guichet.desk.routing import profile_for
from guichet.reference.models import Departement, NafCode, Region

# --- Rules -------------------------------------------------------------------------------------

_RULE_HEADERS = [
    "Sujet",
    "Rang",
    "Organisation",
    "Personne nommée",
    "Régions",
    "Départements",
    "Communes",
    "Codes NAF",
    "Effectif minimum",
    "Effectif maximum",
    "Âge minimum (ans)",
    "Âge maximum (ans)",
    "Statuts export",
    "Active",
    "Remarque",
]


def _rule_row(rule: RoutingRule) -> list:
    return [
        rule.subject.label,
        rule.priority,
        rule.organisation.name,
        rule.person.get_full_name() if rule.person else "",
        ", ".join(r.name for r in rule.regions.all()),
        ", ".join(d.code for d in rule.departements.all()),
        ", ".join(rule.communes or []),
        ", ".join(n.code for n in rule.naf_codes.all()),
        rule.min_employees,
        rule.max_employees,
        rule.min_age_years,
        rule.max_age_years,
        ", ".join(sel.export_status_labels(rule.export_statuses)),
        "oui" if rule.is_active else "non",
        rule.note,
    ]


def rule_list(request):
    require(can_manage_routing(request.user))
    filters = RuleFilterForm(request.GET or None)
    rules = sel.rule_list(**filters.values())
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(_rule_row(r) for r in rules),
            headers=_RULE_HEADERS,
            filename="regles-orientation",
            fmt=fmt,
            sheet="Règles d'orientation",
        )
    for rule in rules:
        rule.territory = sel.territory_summary(rule)
        rule.filters = sel.filters_summary(rule)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "title": "Règles d'orientation",
        "filters": filters,
        "groups": sel.group_by_subject(rules),
        "count": len(rules),
        "any_rule": bool(rules) or RoutingRule.objects.exists(),
        "filtered": any(filters.values().values()),
        "query": query.urlencode(),
    }
    return render(request, "desk/rules/rule_list.html", context)


@transaction.atomic
def _save_rule(form: RuleForm) -> RoutingRule:
    """The rule and its lists (régions, départements, NAF codes) together; the audit log
    records both (RoutingRule is audited, many-to-many changes included)."""
    return form.save()


def _prefill(request) -> dict:
    """Initial values from the coverage page's links: ?sujet=CODE&departement=CODE."""
    initial = {}
    subject = Subject.objects.filter(code=request.GET.get("sujet", "")).first()
    if subject:
        initial["subject"] = subject
    departement = Departement.objects.filter(code=request.GET.get("departement", "")).first()
    if departement:
        initial["departements"] = [departement]
    return initial


def rule_create(request):
    require(can_manage_routing(request.user))
    form = RuleForm(request.POST or None, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        rule = _save_rule(form)
        messages.success(request, f"La règle « {rule} » est créée.")
        return redirect("desk:rules")
    context = {"title": "Nouvelle règle d'orientation", "form": form, "rule": None}
    return render(request, "desk/rules/rule_form.html", context)


def rule_edit(request, pk: int):
    require(can_manage_routing(request.user))
    rule = get_object_or_404(RoutingRule.objects.select_related("subject", "organisation"), pk=pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        was_active = RoutingRule.objects.filter(pk=rule.pk, is_active=True).exists()
        rule = _save_rule(form)
        if was_active and not rule.is_active:
            text = f"La règle « {rule} » est désactivée : elle n'oriente plus de demande."
        else:
            text = f"La règle « {rule} » est enregistrée."
        messages.success(request, text)
        return redirect("desk:rules")
    context = {
        "title": "Modifier la règle d'orientation",
        "form": form,
        "rule": rule,
        "match_count": rule.matches.count(),
    }
    return render(request, "desk/rules/rule_form.html", context)


# --- Preview -----------------------------------------------------------------------------------


def _profile_rows(form: PreviewForm, profile) -> list[tuple[str, str]]:
    """The routing profile in words, as the preview shows it."""
    departement = Departement.objects.filter(code=profile.departement).first()
    region = Region.objects.filter(code=profile.region).first()
    company = form.company
    commune = profile.commune or "—"
    if form.establishment is None and company is not None and profile.commune:
        commune += " (siège)"
    elif form.establishment is not None and form.establishment.commune_name:
        commune = f"{form.establishment.commune_name} ({profile.commune})"
    naf = "—"
    if company is not None and company.naf_id:
        label = NafCode.objects.filter(code=company.naf_id).values_list("label", flat=True).first()
        naf = f"{company.naf_id} – {label}" if label else company.naf_id
    employees = "—"
    if company is not None and company.headcount_band_id:
        employees = f"{company.headcount_band.label} (au moins {profile.employees} salariés)"
    age = "—" if profile.age_years is None else f"{profile.age_years} ans"
    status = sel.export_status_labels([profile.export_status])[0] if profile.export_status else "—"
    return [
        ("Région", region.name if region else "—"),
        ("Département", str(departement) if departement else "—"),
        ("Commune", commune),
        ("Activité (NAF)", naf),
        ("Effectif", employees),
        ("Âge de l'entreprise", age),
        ("Statut export", status),
    ]


def preview(request):
    """Read-only: nothing is created, the rules are evaluated as routing would."""
    require(can_manage_routing(request.user))
    form = PreviewForm(request.GET or None)
    context = {"title": "Qui recevrait cette demande ?", "form": form, "result": None}
    if form.is_bound and form.is_valid():
        establishment = form.establishment
        profile = profile_for(
            company=form.company,
            commune_code=establishment.commune_code if establishment else "",
            postal_code=form.cleaned_data["postal_code"],
        )
        result = sel.preview(profile, form.cleaned_data["subject"])
        for step in result.steps:
            for rule in step.rules:
                rule.filters = sel.filters_summary(rule)
                rule.territory = sel.territory_summary(rule)
        context |= {
            "result": result,
            "company": form.company,
            "profile_rows": _profile_rows(form, profile),
        }
    return render(request, "desk/rules/preview.html", context)


# --- Coverage ----------------------------------------------------------------------------------


def coverage(request):
    require(can_manage_routing(request.user))
    regions = list(Region.objects.order_by("name"))
    wanted = request.GET.get("region") or settings.GUICHET_REGION
    region = next((r for r in regions if r.code == wanted), None)
    unknown_region = region is None
    if region is None:
        region = next((r for r in regions if r.code == settings.GUICHET_REGION), None)
    rows = sel.coverage(region) if region else []
    gaps = sel.gaps(rows)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=((c.subject.label, c.departement.code, c.departement.name, c.label) for c in gaps),
            headers=["Sujet", "Code département", "Département", "Couverture"],
            filename="couverture-non-couverte",
            fmt=fmt,
            sheet="Couverture",
        )
    policy = DeskPolicy.current()
    context = {
        "title": "Couverture du territoire",
        "regions": regions,
        "region": region,
        "unknown_region": unknown_region,
        "departements": [c.departement for c in rows[0].cells] if rows else [],
        "rows": rows,
        "gaps": gaps,
        "uncovered_count": sum(1 for c in gaps if c.state == sel.NONE),
        "fallback": policy.fallback_organisation,
    }
    return render(request, "desk/rules/coverage.html", context)


# --- Service levels ----------------------------------------------------------------------------


def policy(request):
    require(can_manage_routing(request.user))
    form = PolicyForm(request.POST or None, instance=DeskPolicy.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les niveaux de service du guichet sont enregistrés.")
        return redirect("desk:policy")
    return render(
        request, "desk/rules/policy.html", {"title": "Niveaux de service du guichet", "form": form}
    )


# --- Subjects ----------------------------------------------------------------------------------


def _subjects_counted():
    return Subject.objects.annotate(
        need_count=Count("needs", distinct=True), rule_count=Count("rules", distinct=True)
    ).order_by("order", "label")


def _subject_delete(request, subject: Subject):
    counted = _subjects_counted().get(pk=subject.pk)
    if counted.need_count or counted.rule_count:
        messages.error(
            request,
            f"Le sujet « {subject.label} » ne peut pas être supprimé : {counted.need_count} "
            f"demande(s) et {counted.rule_count} règle(s) l'utilisent. Décochez « Proposé aux "
            "entreprises » pour ne plus le proposer.",
        )
        return redirect("desk:subjects")
    label = subject.label
    subject.delete()
    messages.success(request, f"Le sujet « {label} » est supprimé.")
    return redirect("desk:subjects")


def _subject_post(request):
    """Returns a response (done) or the bound form to show again with its errors."""
    action = request.POST.get("action", "")
    subject = None
    if action in ("update", "delete"):
        subject = get_object_or_404(Subject, code=request.POST.get("code", ""))
    if action == "delete":
        return _subject_delete(request, subject), None
    form = SubjectForm(request.POST, instance=subject)
    if form.is_valid():
        saved = form.save()
        verb = "ajouté" if subject is None else "enregistré"
        messages.success(request, f"Le sujet « {saved.label} » est {verb} (code {saved.code}).")
        return redirect("desk:subjects"), None
    return None, form


def subjects(request):
    require(can_manage_routing(request.user))
    editing = None
    if request.method == "POST":
        response, form = _subject_post(request)
        if response is not None:
            return response
        editing = Subject.objects.get(pk=form.instance.pk) if form.instance.pk else None
    else:
        code = request.GET.get("modifier", "")
        editing = get_object_or_404(Subject, code=code) if code else None
        form = SubjectForm(instance=editing)
    rows = list(_subjects_counted())
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=(
                (
                    s.code,
                    s.label,
                    s.description,
                    s.order,
                    "oui" if s.is_active else "non",
                    s.need_count,
                    s.rule_count,
                )
                for s in rows
            ),
            headers=["Code", "Libellé", "Précision", "Ordre", "Proposé", "Demandes", "Règles"],
            filename="sujets-guichet",
            fmt=fmt,
            sheet="Sujets",
        )
    context = {"title": "Sujets de demande", "subjects": rows, "form": form, "editing": editing}
    return render(request, "desk/rules/subjects.html", context)
