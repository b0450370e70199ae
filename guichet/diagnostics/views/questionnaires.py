"""Questionnaires and their versions: every member reads them and how they are scored;
administrators copy the published version into a draft, edit the draft's questions, options,
scores and scoring notes, then publish it. A published version is shown read-only, and every
attempt to change it — even by a forged request — is refused by the versioning services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guichet.core.permissions import require
from guichet.diagnostics import permissions, selectors, services
from guichet.diagnostics.forms import QuestionEditForm, VersionNotesForm, add_service_errors
from guichet.diagnostics.models import Question, QuestionnaireVersion
from guichet.diagnostics.scoring import GAP_THRESHOLD, LEVELS, STRENGTH_THRESHOLD

Status = QuestionnaireVersion.Status
BADGES = {Status.DRAFT: "info", Status.PUBLISHED: "success", Status.RETIRED: ""}


def _version_or_404(slug: str, number: int) -> QuestionnaireVersion:
    version = selectors.version_by_number(slug, number)
    if version is None:
        raise Http404("Cette version de questionnaire n'existe pas.")
    return version


def _breadcrumb(version: QuestionnaireVersion | None = None, current: str | None = None) -> dict:
    if version is None:
        return {"links": [], "current": "Questionnaires", "root_dir": "/"}
    links = [{"url": reverse("diagnostics:questionnaires"), "title": "Questionnaires"}]
    if current:
        links.append({"url": _version_url(version), "title": _version_title(version)})
    return {"links": links, "current": current or _version_title(version), "root_dir": "/"}


def _version_title(version: QuestionnaireVersion) -> str:
    return f"{version.questionnaire.title} — version {version.number}"


def _version_url(version: QuestionnaireVersion) -> str:
    return reverse("diagnostics:version", args=[version.questionnaire.slug, version.number])


def questionnaire_list(request):
    require(permissions.can_view_questionnaires(request.user))
    questionnaires = list(selectors.questionnaires_with_versions())
    counts = dict(
        QuestionnaireVersion.objects.annotate(n=Count("diagnostics")).values_list("pk", "n")
    )
    rows = []
    for questionnaire in questionnaires:
        versions = list(questionnaire.versions.all())
        rows.append(
            {
                "questionnaire": questionnaire,
                "versions": [
                    {"version": v, "badge": BADGES[v.status], "diagnostics": counts.get(v.pk, 0)}
                    for v in versions
                ],
                "published": next((v for v in versions if v.status == Status.PUBLISHED), None),
            }
        )
    context = {
        "title": "Questionnaires de diagnostic",
        "rows": rows,
        "can_manage": permissions.can_manage_questionnaires(request.user),
        "breadcrumb_data": _breadcrumb(),
    }
    return render(request, "diagnostics/questionnaires/list.html", context)


def version_detail(request, slug: str, number: int):
    require(permissions.can_view_questionnaires(request.user))
    version = _version_or_404(slug, number)
    can_manage = permissions.can_manage_questionnaires(request.user)
    is_draft = version.status == Status.DRAFT
    context = {
        "title": _version_title(version),
        "version": version,
        "badge": BADGES[version.status],
        "tree": selectors.version_tree(version),
        "levels": LEVELS,
        "strength_threshold": STRENGTH_THRESHOLD,
        "gap_threshold": GAP_THRESHOLD,
        "can_manage": can_manage,
        "can_edit": can_manage and is_draft,
        "problems": services.version_problems(version) if can_manage and is_draft else [],
        "draft": selectors.draft_of(version.questionnaire) if can_manage else None,
        "diagnostics_count": version.diagnostics.count(),
        "breadcrumb_data": _breadcrumb(version),
    }
    return render(request, "diagnostics/questionnaires/version.html", context)


@require_POST
def version_new(request, slug: str, number: int):
    require(permissions.can_manage_questionnaires(request.user))
    version = _version_or_404(slug, number)
    try:
        draft = services.version_new_from(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(version))
    messages.success(
        request,
        f"La version {draft.number} est créée en brouillon, copie de la version "
        f"{version.number} : modifiez-la puis publiez-la.",
    )
    return redirect(_version_url(draft))


@require_POST
def version_publish(request, slug: str, number: int):
    require(permissions.can_manage_questionnaires(request.user))
    version = _version_or_404(slug, number)
    try:
        services.version_publish(version=version, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_version_url(version))
    messages.success(
        request,
        f"La version {version.number} est publiée : les nouveaux diagnostics y répondent ; "
        "les diagnostics déjà commencés gardent leur version.",
    )
    return redirect(_version_url(version))


def _refuse_if_frozen(request, version: QuestionnaireVersion):
    """The edit pages of a published or retired version say why instead of showing a form."""
    try:
        services.ensure_draft(version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_version_url(version))
    return None


def version_notes_edit(request, slug: str, number: int):
    require(permissions.can_manage_questionnaires(request.user))
    version = _version_or_404(slug, number)
    if request.method != "POST" and (refused := _refuse_if_frozen(request, version)):
        return refused
    form = VersionNotesForm(request.POST or None, initial={"scoring_notes": version.scoring_notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_notes_update(
                version=version, scoring_notes=form.cleaned_data["scoring_notes"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'explication du calcul des scores est enregistrée.")
            return redirect(_version_url(version))
    context = {
        "title": "Comment le score est calculé",
        "version": version,
        "form": form,
        "cancel_url": _version_url(version),
        "breadcrumb_data": _breadcrumb(version, "Explication du score"),
    }
    return render(request, "diagnostics/questionnaires/notes_form.html", context)


def question_edit(request, slug: str, number: int, code: str):
    require(permissions.can_manage_questionnaires(request.user))
    version = _version_or_404(slug, number)
    question = (
        Question.objects.select_related("dimension", "version")
        .filter(version=version, code=code)
        .first()
    )
    if question is None:
        raise Http404("Cette question n'existe pas dans cette version.")
    if request.method != "POST" and (refused := _refuse_if_frozen(request, version)):
        return refused
    form = QuestionEditForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, by=request.user, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"La question « {question.text} » est enregistrée.")
            return redirect(_version_url(version) + f"#question-{question.code}")
    context = {
        "title": "Modifier une question",
        "version": version,
        "question": question,
        "form": form,
        "cancel_url": _version_url(version) + f"#question-{question.code}",
        "breadcrumb_data": _breadcrumb(version, "Modifier une question"),
    }
    return render(request, "diagnostics/questionnaires/question_form.html", context)
