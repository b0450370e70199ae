"""The public intake of the desk (no account): the need form, its confirmation page and the
company lookup that fills the form from the registry (public SIRENE data only).

The form works without JavaScript; static/desk/intake.js only adds the lookup. Robots are
kept out by a honeypot field (answered exactly like a real submission, so that nothing tells
them apart) and by a per-address allowance of submissions per hour."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.companies.models import Establishment
from guichet.companies.search import SearchFilters, parse_query, search_companies
from guichet.companies.search.listing import headquarters_of, with_headquarters
from guichet.desk import services
from guichet.desk.forms import CONSENT_TEXT, PublicNeedForm
from guichet.desk.models import DeskPolicy

SESSION_KEY = "desk_intake_done"
HONEYPOT_REASON = "Champ piège rempli"
RATE_LIMIT_MESSAGE = (
    "Vous avez déjà envoyé plusieurs demandes depuis cette connexion au cours de la dernière "
    "heure. Votre saisie est conservée : réessayez dans une heure, ou appelez le guichet."
)
LOOKUP_PER_MINUTE = 30
LOOKUP_MAX_RESULTS = 10
LOOKUP_MIN_LENGTH = 3
LOOKUP_RATE_MESSAGE = (
    "Trop de recherches en peu de temps depuis cette connexion : patientez une minute, ou "
    "remplissez les champs de l'entreprise à la main."
)

# Autocomplete purposes of the fields (RGAA 11.13) and other input hints.
_FIELD_ATTRS = {
    "siret": {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    "company_name": {"autocomplete": "organization"},
    "postal_code": {"inputmode": "numeric", "autocomplete": "postal-code"},
    "contact_first_name": {"autocomplete": "given-name"},
    "contact_last_name": {"autocomplete": "family-name"},
    "contact_role": {"autocomplete": "organization-title"},
    "contact_email": {"autocomplete": "email", "spellcheck": "false"},
    "contact_phone": {"autocomplete": "tel"},
    "website": {"tabindex": "-1", "autocomplete": "off"},
}
# Names of the fields in the error summary, where the label is too long to repeat.
_SUMMARY_LABELS = {"consent": "Votre accord", "subjects": "Sujets de votre besoin"}


def client_ip(request) -> str:
    """The sender's address, as the login throttling reads it (proxy settings included)."""
    return get_client_ip_address(request) or ""


def dsfr_fields(form) -> None:
    """DSFR classes and the accessible links of each field (hint, error) on its widget."""
    for name in form.fields:
        bound = form[name]
        widget = bound.field.widget
        attrs = widget.attrs
        attrs.update(_FIELD_ATTRS.get(name, {}))
        if name == "contact_phone":
            widget.input_type = "tel"
        input_type = getattr(widget, "input_type", "")
        if input_type not in ("checkbox", "radio") and name != "website":
            attrs["class"] = "fr-select" if input_type == "select" else "fr-input"
        described = []
        if bound.help_text:
            described.append(f"{bound.auto_id}-hint")
        if form.is_bound and bound.errors:
            described.append(f"{bound.auto_id}-error")
            attrs["aria-invalid"] = "true"
        if described:
            attrs["aria-describedby"] = " ".join(described)


def error_summary(form) -> list[dict]:
    """The list at the top of the page: each error links to its field."""
    if not form.is_bound:
        return []
    summary = [{"anchor": "", "label": "", "message": m} for m in form.non_field_errors()]
    for name in form.fields:
        bound = form[name]
        anchor = f"{bound.auto_id}_0" if name == "subjects" else bound.auto_id
        label = _SUMMARY_LABELS.get(name, bound.label)
        for message in bound.errors:
            summary.append({"anchor": anchor, "label": label, "message": message})
    return summary


def _render_form(request, form, *, status: int = 200):
    dsfr_fields(form)
    summary = error_summary(form)
    title = "Exprimer un besoin à l'export"
    context = {
        "title": f"Erreur — {title}" if summary else title,
        "heading": title,
        "form": form,
        "errors": summary,
        "consent_text": CONSENT_TEXT,
        "contact_email": settings.GUICHET_CONTACT_EMAIL,
        "policy": DeskPolicy.current(),
    }
    return render(request, "desk/public/intake.html", context, status=status)


def _submit(form, ip: str):
    spam = bool(form.cleaned_data.get("website"))
    return services.need_submit(
        data=form.need_data(),
        subjects=form.cleaned_data["subjects"],
        channel="web",
        consent=form.cleaned_data["consent"],
        client_ip=ip,
        is_spam=spam,
        spam_reason=HONEYPOT_REASON if spam else "",
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def intake(request):
    if request.method != "POST":
        return _render_form(request, PublicNeedForm())
    form = PublicNeedForm(request.POST)
    ip = client_ip(request)
    valid = form.is_valid()
    if services.rate_limited(services.client_fingerprint(ip)):
        form.add_error(None, RATE_LIMIT_MESSAGE)
        return _render_form(request, form, status=429)
    if not valid:
        return _render_form(request, form)
    result = _submit(form, ip)
    request.session[SESSION_KEY] = {
        "reference": result.reference,
        "attached": result.attached_to is not None,
    }
    return redirect("desk:intake_done")


@login_not_required
@require_GET
def intake_done(request):
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("desk:intake")
    context = {
        "title": "Demande envoyée",
        "reference": done["reference"],
        "attached": done["attached"],
        "policy": DeskPolicy.current(),
    }
    return render(request, "desk/public/intake_done.html", context)


# --- company lookup ----------------------------------------------------------------------------


def _lookup_allowed(ip: str) -> bool:
    """At most LOOKUP_PER_MINUTE lookups per address and minute (fixed window in the cache)."""
    key = f"desk:lookup:{services.client_fingerprint(ip)}"
    if cache.add(key, 1, timeout=60):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=60)
        return True
    return count <= LOOKUP_PER_MINUTE


def _row(company, establishment) -> dict:
    """What the page may show of a company: its SIRENE identity, nothing about people."""
    return {
        "siren": company.siren,
        "siret": establishment.siret if establishment else company.headquarters_siret,
        "name": company.name,
        "commune": establishment.commune_name if establishment else "",
        "postal_code": establishment.postal_code if establishment else "",
        "active": bool(company.is_active and (establishment is None or establishment.is_active)),
    }


def lookup_companies(text: str) -> list[dict]:
    """Companies of the registry for a name, a SIREN or a SIRET: the matched establishment
    for a SIRET, the headquarters otherwise."""
    query = parse_query(text)
    if query.kind == "siret":
        found = Establishment.objects.select_related("company").filter(siret=query.value).first()
        return [_row(found.company, found)] if found else []
    if query.kind not in ("siren", "words") or len(query.value) < LOOKUP_MIN_LENGTH:
        return []
    companies = with_headquarters(search_companies(SearchFilters(q=text, active_only=True)))
    return [_row(c, headquarters_of(c)) for c in companies[:LOOKUP_MAX_RESULTS]]


@login_not_required
@require_GET
def company_lookup(request):
    if not _lookup_allowed(client_ip(request)):
        return JsonResponse(
            {"error": "rate_limited", "message": LOOKUP_RATE_MESSAGE, "results": []}, status=429
        )
    text = request.GET.get("q", "").strip()[:100]
    results = lookup_companies(text)
    return JsonResponse({"query": text, "count": len(results), "results": results})
