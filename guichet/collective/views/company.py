"""The company's side, without an account: the public registration form of a published action
(/actions-collectives/<slug>/inscription/) and the page its signed link opens
(/actions-collectives/mon-inscription/<token>/): the state, the public share, the cancellation
rules, and the buttons to confirm an application or cancel.

Robots are kept out by a honeypot (answered like a real submission, nothing saved) and a
per-address allowance per hour. A SIRET outside the registry gets a clear message."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.collective.forms_registrations import (
    CONSENT_TEXT,
    INTENT_INTERESTED,
    CancelForm,
    PublicRegistrationForm,
)
from guichet.collective.links import registration_for_token
from guichet.collective.models import CollectiveAction
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.selectors_registrations import badge
from guichet.collective.services import registrations as services
from guichet.collective.services.states import SUBSIDISED, can_move
from guichet.collective.services.subsidy import subsidy_for
from guichet.core.http import client_ip

SESSION_KEY = "collective_register_done"
REGISTER_PER_HOUR = 10
RATE_LIMIT_MESSAGE = (
    "Plusieurs inscriptions ont déjà été envoyées depuis cette connexion au cours de la "
    "dernière heure. Votre saisie est conservée : réessayez dans une heure, ou contactez "
    "l'organisateur."
)
NOT_IN_REGISTRY = (
    "Nous ne trouvons pas d'établissement avec ce SIRET dans le fichier des entreprises de la "
    "plateforme. Vérifiez le numéro (il figure sur un extrait Kbis ou une facture) ; s'il est "
    "juste, contactez le guichet export, qui enregistrera votre entreprise."
)
_FIELD_ATTRS = {
    "siret": {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    "contact_name": {"autocomplete": "name"},
    "contact_email": {"autocomplete": "email", "spellcheck": "false"},
    "contact_phone": {"autocomplete": "tel"},
    "website": {"tabindex": "-1", "autocomplete": "off"},
}


def _link_headers(response):
    """The token never leaves in a Referer header, and search engines keep out."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_action_url(action: CollectiveAction) -> str:
    try:
        return reverse("collective:public_action", args=[action.slug])
    except NoReverseMatch:
        return ""


def _allowance_used(ip: str) -> bool:
    key = (
        "collective:register:" + hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()
    )
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > REGISTER_PER_HOUR
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=3600)
        return False


def _published(slug: str) -> CollectiveAction:
    return get_object_or_404(
        CollectiveAction.objects.select_related("organiser", "country"),
        slug=slug,
        status=CollectiveAction.Status.PUBLISHED,
    )


def _form_page(request, action, form, *, status: int = 200):
    from guichet.desk.views.public import dsfr_fields, error_summary

    dsfr_fields(form)
    for name, attrs in _FIELD_ATTRS.items():
        form.fields[name].widget.attrs.update(attrs)
    errors = error_summary(form)
    title = f"S'inscrire : {action.title}"
    context = {
        "title": f"Erreur — {title}" if errors else title,
        "heading": title,
        "action": action,
        "form": form,
        "errors": errors,
        "consent_text": CONSENT_TEXT,
        "closed": services.registration_open_problem(action, timezone.localdate()),
        "public_action_url": public_action_url(action),
        "contact_email": settings.GUICHET_CONTACT_EMAIL,
    }
    return render(request, "collective/company/register.html", context, status=status)


def _apply_errors(form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _following(company, action):
    """The organisation and advisor who follow the company (its journey), else the organiser."""
    from guichet.journeys.selectors import journey_of

    journey = journey_of(company)
    if journey is not None and journey.organisation_id:
        return journey.organisation, journey.lead_advisor
    return action.organiser, None


def _register(form, action) -> None:
    from guichet.companies.models import Establishment

    data = form.cleaned_data
    establishment = (
        Establishment.objects.select_related("company").filter(siret=data["siret"]).first()
    )
    if establishment is None or not establishment.company.is_active:
        raise ValidationError({"siret": [NOT_IN_REGISTRY]})
    company = establishment.company
    organisation, advisor = _following(company, action)
    services.registration_create(
        action=action,
        company=company,
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        contact_phone=data.get("contact_phone", ""),
        motivation=data.get("motivation", ""),
        advisor=advisor,
        organisation=organisation,
        by=None,
        by_company=True,
        interested=data["intent"] == INTENT_INTERESTED,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, slug: str):
    action = _published(slug)
    if request.method != "POST":
        return _form_page(request, action, PublicRegistrationForm())
    form = PublicRegistrationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, action, form)
    if _allowance_used(client_ip(request) or ""):
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _form_page(request, action, form, status=429)
    if not form.cleaned_data.get("website"):  # robots get the same answer, nothing saved
        try:
            _register(form, action)
        except ValidationError as error:
            _apply_errors(form, error)
            return _form_page(request, action, form)
    request.session[SESSION_KEY] = {
        "email": form.cleaned_data["contact_email"],
        "slug": action.slug,
        "interested": form.cleaned_data["intent"] == INTENT_INTERESTED,
    }
    return redirect("collective:register_done", action.slug)


@login_not_required
@require_GET
def register_done(request, slug: str):
    action = _published(slug)
    done = request.session.get(SESSION_KEY)
    if not done or done.get("slug") != action.slug:
        return redirect("collective:register", action.slug)
    context = {
        "title": "Inscription enregistrée",
        "action": action,
        "email": done["email"],
        "interested": done.get("interested", False),
        "public_action_url": public_action_url(action),
    }
    return render(request, "collective/company/register_done.html", context)


# --- the registration, through the signed link -------------------------------------------------


def _for_token(token: str):
    registration = registration_for_token(token)
    if registration is None:
        raise Http404("Ce lien ne permet pas d'ouvrir une inscription.")
    return registration


def _money(registration) -> dict:
    """The public share: the one granted, or the one the rules give today (an estimate)."""
    if registration.status in SUBSIDISED or registration.status == R.CANCELLED:
        return {"amount": registration.subsidy_amount, "explanation": "", "estimate": False}
    amount, explanation = subsidy_for(action=registration.action, company=registration.company)
    return {"amount": amount, "explanation": explanation, "estimate": True}


@login_not_required
@never_cache
@require_GET
def registration_link(request, token: str):
    registration = _for_token(token)
    action = registration.action
    today = timezone.localdate()
    context = {
        "title": f"Votre inscription : {action.title}",
        "registration": registration,
        "action": action,
        "company": registration.company,
        "badge": badge(registration.status),
        "token": token,
        "money": _money(registration),
        "can_cancel": can_move(registration, R.CANCELLED),
        "can_apply": registration.status == R.INTERESTED
        and services.registration_open_problem(action, today) is None,
        "fee_would_be_kept": registration.status in SUBSIDISED
        and services.fee_kept_on(action, today),
        "events": list(registration.events.order_by("at", "pk")),
        "form": CancelForm(),
        "public_action_url": public_action_url(action),
    }
    return _link_headers(render(request, "collective/company/registration.html", context))


@login_not_required
@never_cache
@require_POST
def registration_link_cancel(request, token: str):
    registration = _for_token(token)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de l'annulation.")
        return redirect("collective:registration_link", token)
    try:
        services.registration_cancel(
            registration=registration,
            reason=form.cleaned_data["reason"],
            by=None,
            today=timezone.localdate(),
            by_company=True,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Votre inscription est annulée. Un courriel vous le confirme.")
    return redirect("collective:registration_link", token)


@login_not_required
@never_cache
@require_POST
def registration_link_apply(request, token: str):
    registration = _for_token(token)
    problem = services.registration_open_problem(registration.action, timezone.localdate())
    if problem:
        messages.error(request, problem)
        return redirect("collective:registration_link", token)
    try:
        services.registration_apply(registration=registration, by=None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Votre candidature est enregistrée.")
    return redirect("collective:registration_link", token)
