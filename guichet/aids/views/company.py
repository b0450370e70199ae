"""The company's side, without an account: the public application form (/aides/demande/),
and the file it opens through its signed link (/aides/mon-dossier/<token>/) — to fill and
submit while it is a draft, to complete when the instructor found it incomplete, otherwise
to follow: its history, the decision and the payments.

Robots are kept out of the public form by a honeypot (answered like a real submission) and a
per-address allowance per hour. The confirmation never says more about the SIRET than the
form's message did."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from guichet.aids.forms_intake import PublicApplyForm
from guichet.aids.links import application_for_token
from guichet.aids.models import ApplicationStatus
from guichet.aids.services.documents import capped_uploads
from guichet.aids.services.intake import application_file_by_company
from guichet.aids.services.schemes import open_schemes
from guichet.aids.services.states import COMPANY_EDITABLE, GRANTED
from guichet.aids.views.filing import Editor, handle_edit
from guichet.core.http import client_ip

SESSION_KEY = "aids_apply_done"
APPLY_PER_HOUR = 10
RATE_LIMIT_MESSAGE = (
    "Plusieurs demandes ont déjà été envoyées depuis cette connexion au cours de la dernière "
    "heure. Votre saisie est conservée : réessayez dans une heure, ou contactez le guichet."
)
# Public-facing inputs: purposes for autocomplete (RGAA 11.13).
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


# --- the public form ---------------------------------------------------------------------------


def _allowance_used(ip: str) -> bool:
    """Count this address's submissions in a one-hour window; True past the allowance."""
    import hashlib

    from django.conf import settings

    key = "aids:apply:" + hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > APPLY_PER_HOUR
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=3600)
        return False


def _dsfr(form) -> None:
    from guichet.desk.views.public import dsfr_fields

    dsfr_fields(form)
    for name, attrs in _FIELD_ATTRS.items():
        form.fields[name].widget.attrs.update(attrs)


def _apply_page(request, form, *, status: int = 200):
    from guichet.desk.views.public import error_summary

    _dsfr(form)
    errors = error_summary(form)
    title = "Demander une aide à l'export"
    context = {
        "title": f"Erreur — {title}" if errors else title,
        "heading": title,
        "form": form,
        "errors": errors,
        "siret_unknown": bool(form.is_bound and form.has_error("siret", "unknown")),
    }
    return render(request, "aids/company/apply.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    schemes = open_schemes(timezone.localdate())
    if request.method != "POST":
        initial = {}
        chosen = schemes.filter(slug=request.GET.get("dispositif", "")).first()
        if chosen is not None:
            initial["scheme"] = chosen.pk
        return _apply_page(request, PublicApplyForm(schemes=schemes, initial=initial))
    form = PublicApplyForm(request.POST, schemes=schemes)
    if not form.is_valid():
        return _apply_page(request, form)
    # Only complete submissions count: typing mistakes never lock a person out.
    if _allowance_used(client_ip(request) or ""):
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _apply_page(request, form, status=429)
    data = form.cleaned_data
    if not data.get("website"):  # people; robots get the same answer and nothing is saved
        try:
            application_file_by_company(
                scheme=data["scheme"],
                siret=data["siret"],
                title=data["title"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data.get("contact_phone", ""),
            )
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(
                        name if name in form.fields else None,
                        ValidationError(message, code="unknown" if name == "siret" else None),
                    )
            return _apply_page(request, form)
    request.session[SESSION_KEY] = {"email": data["contact_email"]}
    return redirect("aids:apply_done")


@login_not_required
@require_GET
def apply_done(request):
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("aids:apply")
    context = {"title": "Demande enregistrée", "email": done["email"]}
    return render(request, "aids/company/apply_done.html", context)


# --- the file, through the signed link ---------------------------------------------------------


def _application_for(token: str):
    application = application_for_token(token)
    if application is None:
        raise Http404("Ce lien ne permet pas d'ouvrir un dossier.")
    return application


def _status_page(request, application, token: str):
    events = list(application.events.order_by("at", "pk"))
    context = {
        "title": f"Votre demande d'aide {application.reference}",
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "events": events,
        "granted": application.status in GRANTED,
        "rejected": application.status == ApplicationStatus.REJECTED,
        "payments": list(application.payments.order_by("paid_on", "pk")),
        "paid_total": sum((p.amount for p in application.payments.all()), 0),
        "letter_url": (
            reverse("aids:company_decision_letter", args=[token])
            if application.decided_on and application.status != ApplicationStatus.COMMITTEE
            else ""
        ),
        "documents": [
            {"document": d, "url": reverse("aids:company_document", args=[token, d.pk])}
            for d in application.documents.all()
        ],
    }
    return _link_headers(render(request, "aids/company/status.html", context))


@login_not_required
@never_cache
@capped_uploads
@require_http_methods(["GET", "POST"])
def company_file(request, token: str):
    application = _application_for(token)
    if application.status not in COMPANY_EDITABLE:
        if request.method == "POST":
            return redirect(request.path)
        return _status_page(request, application, token)
    editor = Editor(
        application,
        reverse("aids:company_file", args=[token]),
        company=True,
        token=token,
    )
    return handle_edit(request, editor, template="aids/company/file.html")


@login_not_required
@never_cache
@require_GET
def company_document(request, token: str, pk: int):
    application = _application_for(token)
    document = application.documents.filter(pk=pk).first()
    if document is None or not document.file:
        raise Http404("Ce document n'existe pas.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Ce document n'est plus disponible.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _link_headers(response)


@login_not_required
@never_cache
@require_GET
def company_decision_letter(request, token: str):
    """The decision letter, for the company through its link (produced on first download for
    files decided before letters were kept)."""
    from guichet.aids import letters

    application = _application_for(token)
    if application.decided_on is None or application.status == ApplicationStatus.COMMITTEE:
        raise Http404("Aucune décision n'est encore prise sur ce dossier.")
    if not application.decision_letter:
        letters.decision_letter_store(application=application)
    response = FileResponse(
        application.decision_letter.open("rb"),
        as_attachment=True,
        filename=letters.decision_letter_filename(application),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _link_headers(response)
