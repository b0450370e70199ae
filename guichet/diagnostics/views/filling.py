"""Filling a diagnostic: started from the company file, answered dimension by dimension (one
step per dimension, then a summary), saved as it goes, resumed at the first unfinished step.

The same page serves the advisor (/diagnostics/<pk>/) and the company through its signed link
(/diagnostic/<token>/, no account; only the company's name is shown). Each step's form saves
its answers; the page's script (static/diagnostics/autosave.js) also saves each question as
soon as it changes, through the same URL, and updates the progress — without it, the page
works the same."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from guichet.companies.selectors import company_for_file
from guichet.core.permissions import require
from guichet.diagnostics import permissions, selectors, services
from guichet.diagnostics.forms import StartForm, field_name, values_from_post
from guichet.diagnostics.models import Diagnostic, Question
from guichet.diagnostics.scoring import LEVELS

SUMMARY = "recapitulatif"
Kind = Question.Kind


# --- start -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request, siren: str):
    company = company_for_file(siren)
    if company is None:
        raise Http404("Aucune entreprise n'a ce numéro SIREN dans le registre.")
    require(permissions.can_start_diagnostic(request.user, company))
    versions = selectors.published_versions()
    form = StartForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic = services.diagnostic_start(
                company=company,
                by=request.user,
                version=form.cleaned_data["version"],
                filled_by=form.cleaned_data["filled_by"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if diagnostic.filled_by == Diagnostic.FilledBy.COMPANY:
                messages.success(request, "Le diagnostic est commencé : créez le lien à envoyer.")
                return redirect("diagnostics:link", pk=diagnostic.pk)
            messages.success(request, "Le diagnostic est commencé ; les réponses s'enregistrent.")
            return redirect("diagnostics:fill", pk=diagnostic.pk)
    in_progress = selectors.company_diagnostics(company).filter(
        status=Diagnostic.Status.IN_PROGRESS, organisation_id=request.user.organisation_id
    )
    context = {
        "title": f"Nouveau diagnostic export — {company.name}",
        "company": company,
        "form": form,
        "has_versions": versions.exists(),
        "in_progress": list(in_progress),
        "breadcrumb_data": _breadcrumb(company, "Nouveau diagnostic"),
    }
    return render(request, "diagnostics/fill/start.html", context)


def _breadcrumb(company, current: str) -> dict:
    return {
        "links": [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ],
        "current": current,
        "root_dir": "/",
    }


def _diagnostic_or_404(pk: int) -> Diagnostic:
    diagnostic = selectors.diagnostic_for_page(pk)
    if diagnostic is None:
        raise Http404("Ce diagnostic n'existe pas.")
    return diagnostic


# --- the filling page, for both the advisor and the company ----------------------------------


@dataclass
class Filler:
    """Who fills, and where the page posts."""

    diagnostic: Diagnostic
    url: str  # the page's own URL, without the step
    company: bool  # the company, through its link
    user: object = None

    def step_url(self, code: str, anchor: str = "") -> str:
        return f"{self.url}?etape={code}" + (f"#{anchor}" if anchor else "")


def _first_step(tree, progress) -> str:
    for dimension in tree:
        answered, total = progress.by_dimension.get(dimension.code, (0, 0))
        if answered < total:
            return dimension.code
    return SUMMARY


def _number_text(value) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _question_rows(questions, answers, *, errors=None, posted=None) -> list[dict]:
    """What the template shows for each question: its current value (what was just typed
    when it was refused, so that nothing is lost), its errors, whether it is answered."""
    errors, posted = errors or {}, posted or {}
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        given = selectors.answer_is_given(question, answer)
        if question.code in errors:
            raw = posted.get(question.code, "")
            chosen = set(raw if isinstance(raw, list) else [raw])
            value = raw if isinstance(raw, str) else ""
        else:
            chosen = {o.code for o in answer.options.all()} if answer else set()
            value = _stored_value(question, answer)
        rows.append(
            {
                "question": question,
                "name": field_name(question),
                "chosen": chosen,
                "value": value,
                "errors": errors.get(question.code, []),
                "answered": given,
                "scale": _scale_values(question),
            }
        )
    return rows


def _stored_value(question, answer) -> str:
    if answer is None:
        return ""
    if question.kind == Kind.TEXT:
        return answer.text
    if question.kind == Kind.SCALE:
        return str(int(answer.number)) if answer.number is not None else ""
    return _number_text(answer.number)


def _scale_values(question) -> list[str]:
    if question.kind != Kind.SCALE or question.scale_min is None or question.scale_max is None:
        return []
    return [str(v) for v in range(question.scale_min, question.scale_max + 1)]


def _steps(filler: Filler, tree, progress, current: str) -> list[dict]:
    steps = []
    for dimension in tree:
        answered, total = progress.by_dimension.get(dimension.code, (0, 0))
        steps.append(
            {
                "code": dimension.code,
                "label": dimension.label,
                "answered": answered,
                "total": total,
                "url": filler.step_url(dimension.code),
                "current": dimension.code == current,
            }
        )
    steps.append(
        {
            "code": SUMMARY,
            "label": "Récapitulatif",
            "url": filler.step_url(SUMMARY),
            "current": current == SUMMARY,
        }
    )
    return steps


def _render(
    request,
    filler: Filler,
    *,
    step: str | None = None,
    errors=None,
    posted=None,
    completion_errors=None,
    status: int = 200,
):
    diagnostic = filler.diagnostic
    tree = selectors.version_tree(diagnostic.version)
    answers = selectors.answers_by_question(diagnostic)
    progress = selectors.progress_of(tree, answers)
    codes = [d.code for d in tree]
    if step not in codes and step != SUMMARY:
        step = _first_step(tree, progress)
    steps = _steps(filler, tree, progress, step)
    index = next(i for i, s in enumerate(steps) if s["current"])
    dimension = tree[index] if step != SUMMARY else None
    context = {
        "title": f"Diagnostic export — {diagnostic.company.name}",
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "version": diagnostic.version,
        "filler": filler,
        "company_mode": filler.company,
        "steps": steps,
        "step": steps[index],
        "step_number": index + 1,
        "step_count": len(steps),
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
        "previous_step": steps[index - 1] if index > 0 else None,
        "dimension": dimension,
        "rows": _question_rows(
            dimension.question_list if dimension else [], answers, errors=errors, posted=posted
        ),
        "error_count": len(errors or {}),
        "progress": progress,
        "missing": _missing_rows(filler, progress),
        "completion_errors": completion_errors or [],
        "levels": LEVELS,
        "link_days": services.LINK_MAX_AGE // 86400,
        "breadcrumb_data": None
        if filler.company
        else _breadcrumb(diagnostic.company, "Diagnostic export"),
    }
    response = render(request, "diagnostics/fill/fill.html", context, status=status)
    if filler.company:
        # The link's token never leaves the platform in a Referer header; "no-referrer" would
        # also make browsers send "Origin: null" with the form, which CSRF checks refuse.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _missing_rows(filler: Filler, progress) -> list[dict]:
    return [
        {
            "question": question,
            "url": filler.step_url(question.dimension.code, f"question-{question.code}"),
        }
        for question in progress.missing_required
    ]


def _autosave(request, filler: Filler):
    """Save one question (the page's script); answer in JSON for the script to update the
    page: the question's errors, the progress."""
    code = request.POST.get("autosave", "")
    question = (
        filler.diagnostic.version.questions.select_related("dimension").filter(code=code).first()
    )
    if question is None:
        return JsonResponse({"ok": False, "errors": ["Cette question n'existe pas."]}, status=400)
    try:
        outcome = services.diagnostic_answers_save(
            diagnostic=filler.diagnostic,
            values=values_from_post([question], request.POST),
            by=filler.user,
            partial=True,
            from_company=filler.company,
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "errors": error.messages}, status=409)
    progress = selectors.diagnostic_progress(filler.diagnostic)
    answered, total = progress.by_dimension.get(question.dimension.code, (0, 0))
    errors = outcome.errors.get(code, [])
    return JsonResponse(
        {
            "ok": not errors,
            "errors": errors,
            "message": "" if errors else f"Réponse enregistrée à {timezone.localtime():%H:%M}.",
            "answered": progress.answered,
            "total": progress.total,
            "dimension": {"code": question.dimension.code, "answered": answered, "total": total},
        },
        status=422 if errors else 200,
    )


def _save_step(request, filler: Filler):
    step = request.POST.get("etape", "")
    if "autosave" in request.POST:
        return _autosave(request, filler)
    dimension = filler.diagnostic.version.dimensions.filter(code=step).first()
    if dimension is None:
        return HttpResponseBadRequest("Étape inconnue.")
    questions = list(dimension.questions.order_by("order", "pk"))
    values = values_from_post(questions, request.POST)
    try:
        outcome = services.diagnostic_answers_save(
            diagnostic=filler.diagnostic,
            values=values,
            by=filler.user,
            partial=True,
            from_company=filler.company,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(filler.url)
    if outcome.errors:
        count = len(outcome.errors)
        messages.error(
            request,
            f"{count} réponse{'s' if count > 1 else ''} à corriger ; les autres sont enregistrées.",
        )
        return _render(request, filler, step=step, errors=outcome.errors, posted=values)
    messages.success(request, "Vos réponses sont enregistrées.")
    following = request.POST.get("suite", "")
    return redirect(filler.step_url(following or step))


# --- advisor ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def fill(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        require(permissions.can_view_diagnostic(request.user, diagnostic))
        return redirect("diagnostics:result", pk=diagnostic.pk)
    require(permissions.can_fill_diagnostic(request.user, diagnostic))
    filler = Filler(
        diagnostic, reverse("diagnostics:fill", args=[pk]), company=False, user=request.user
    )
    if request.method == "POST":
        return _save_step(request, filler)
    return _render(request, filler, step=request.GET.get("etape"))


@require_POST
def complete(request, pk: int):
    diagnostic = _diagnostic_or_404(pk)
    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        require(permissions.can_view_diagnostic(request.user, diagnostic))
        messages.info(request, "Ce diagnostic est déjà terminé.")
        return redirect("diagnostics:result", pk=diagnostic.pk)
    require(permissions.can_complete_diagnostic(request.user, diagnostic))
    try:
        services.diagnostic_complete(diagnostic=diagnostic, by=request.user)
    except ValidationError as error:
        filler = Filler(
            diagnostic, reverse("diagnostics:fill", args=[pk]), company=False, user=request.user
        )
        return _render(request, filler, step=SUMMARY, completion_errors=error.messages)
    messages.success(request, "Le diagnostic est terminé : voici ses résultats.")
    return redirect("diagnostics:result", pk=diagnostic.pk)


def _company_url(token: str) -> str:
    return settings.GUICHET_BASE_URL + reverse("diagnostics:company_fill", args=[token])


@never_cache
@require_http_methods(["GET", "POST"])
def link(request, pk: int):
    """Create the link the company answers through, or revoke every link sent so far."""
    diagnostic = _diagnostic_or_404(pk)
    require(permissions.can_manage_company_link(request.user, diagnostic))
    url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.diagnostic_link_revoke(diagnostic=diagnostic, by=request.user)
            messages.success(
                request,
                "Les liens envoyés à l'entreprise ne fonctionnent plus. Créez-en un nouveau "
                "si besoin.",
            )
            return redirect("diagnostics:link", pk=diagnostic.pk)
        if action != "create":
            return HttpResponseBadRequest("Action inconnue.")
        url = _company_url(services.diagnostic_link_create(diagnostic=diagnostic, by=request.user))
    context = {
        "title": f"Lien pour l'entreprise — {diagnostic.company.name}",
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "url": url,
        "expires_on": timezone.localdate() + timedelta(seconds=services.LINK_MAX_AGE),
        "link_days": services.LINK_MAX_AGE // 86400,
        "progress": selectors.diagnostic_progress(diagnostic),
        "breadcrumb_data": _breadcrumb(diagnostic.company, "Lien pour l'entreprise"),
    }
    return render(request, "diagnostics/fill/link.html", context)


# --- company, through its link ---------------------------------------------------------------

_LINK_PROBLEMS = {
    "invalid": (
        400,
        "Ce lien est incomplet ou a été modifié : copiez-le en entier depuis le message de "
        "votre conseiller.",
    ),
    "expired": (
        410,
        f"Ce lien a expiré : il fonctionne {services.LINK_MAX_AGE // 86400} jours. Demandez un "
        "nouveau lien à votre conseiller.",
    ),
    "revoked": (
        410,
        "Ce lien a été désactivé par votre conseiller. Demandez-lui le lien en vigueur.",
    ),
}


def _company_message(
    request, *, title: str, text: str, diagnostic=None, status: int = 200, severity: str = "info"
):
    if request.method == "POST" and "autosave" in request.POST:
        # The page's script shows the reason next to the question it tried to save.
        return JsonResponse(
            {"ok": False, "errors": [text]}, status=status if status >= 400 else 409
        )
    context = {"title": title, "text": text, "diagnostic": diagnostic, "severity": severity}
    response = render(request, "diagnostics/fill/company_message.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def company_fill(request, token: str):
    check = services.diagnostic_from_token(token)
    if check.diagnostic is None:
        status, text = _LINK_PROBLEMS[check.problem]
        return _company_message(
            request,
            title="Ce lien ne permet pas d'ouvrir le diagnostic",
            text=text,
            status=status,
            severity="warning" if check.problem != "invalid" else "error",
        )
    diagnostic = check.diagnostic
    if diagnostic.status != Diagnostic.Status.IN_PROGRESS:
        return _company_message(
            request,
            title="Ce diagnostic est terminé",
            text="Votre conseiller a terminé le diagnostic : il vous en présente les résultats "
            "et le plan d'action.",
            diagnostic=diagnostic,
        )
    if diagnostic.company_submitted_at is not None:
        return _company_message(
            request,
            title="Merci, vos réponses sont envoyées",
            text=f"Vos réponses ont été transmises le "
            f"{timezone.localtime(diagnostic.company_submitted_at):%d/%m/%Y à %H:%M} à votre "
            "conseiller, qui complète le diagnostic avec vous et vous en présentera les résultats.",
            diagnostic=diagnostic,
            severity="success",
        )
    filler = Filler(
        diagnostic, reverse("diagnostics:company_fill", args=[token]), company=True, user=None
    )
    if request.method == "POST" and request.POST.get("action") == "submit":
        try:
            services.diagnostic_company_submit(diagnostic=diagnostic)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(filler.url)
    if request.method == "POST":
        return _save_step(request, filler)
    return _render(request, filler, step=request.GET.get("etape"))
