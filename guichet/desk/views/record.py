"""An advisor records a need a company expressed by phone, e-mail, at a visit or an event: the
same form and the same service as the public page, so the need is routed and followed alike.
No consent box: the advisor tells the person that the desk's partners receive the need."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from guichet.companies.models import Company, Establishment
from guichet.core.permissions import require
from guichet.desk import permissions, services
from guichet.desk.forms import NeedForm
from guichet.desk.models import Channel
from guichet.desk.views.public import dsfr_fields, error_summary

CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.VISIT, Channel.EVENT]


class RecordNeedForm(NeedForm):
    channel = forms.ChoiceField(
        label="Comment l'entreprise vous a-t-elle fait part de ce besoin ?",
        choices=[("", "— Choisir —"), *((c.value, c.label) for c in CHANNELS)],
        error_messages={
            "required": "Indiquez comment la demande vous est parvenue.",
            "invalid_choice": "Canal inconnu : choisissez-en un dans la liste.",
        },
    )
    notify_company = forms.BooleanField(
        label="Envoyer un accusé de réception à l'entreprise",
        help_text="Un courriel au contact avec la référence de la demande et le délai de "
        "réponse du guichet.",
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, consent_required=False, **kwargs)


def _initial(company) -> dict:
    if company is None:
        return {}
    # Not the company file's selector: it loads every establishment, and one is enough here.
    headquarters = Establishment.objects.filter(siret=company.headquarters_siret).first()
    return {
        "siret": headquarters.siret if headquarters else company.headquarters_siret,
        "company_name": company.name,
        "postal_code": headquarters.postal_code if headquarters else "",
    }


def _breadcrumb(company) -> dict:
    if company is None:
        links = [{"url": reverse("desk:inbox"), "title": "Guichet"}]
    else:
        links = [
            {"url": reverse("companies:search"), "title": "Entreprises"},
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name},
        ]
    return {"links": links, "current": "Enregistrer une demande", "root_dir": "/"}


def _success_message(result, notified: bool) -> str:
    need = result.need
    if result.attached_to is not None:
        text = (
            f"Cette entreprise avait déjà une demande en cours ({result.attached_to.reference}) "
            f": la demande {need.reference} y est rattachée et transmise aux partenaires qui "
            "la suivent."
        )
    else:
        partners = sorted(
            {m.organisation.name for m in need.matches.select_related("organisation")}
        )
        if partners:
            text = f"Demande {need.reference} enregistrée et transmise à : {', '.join(partners)}."
        else:
            text = (
                f"Demande {need.reference} enregistrée. Aucune règle d'orientation ne couvre ce "
                "cas : l'équipe du guichet l'orientera."
            )
    if notified:
        text += " Un accusé de réception est envoyé à l'entreprise."
    return text


def _after(user, result) -> str:
    """The need's page; when the advisor's organisation does not receive it (routed to
    another partner), the company file or a new entry instead of a refusal."""
    shown = result.attached_to or result.need
    if permissions.can_view_need(user, shown):
        return reverse("desk:need_detail", args=[shown.reference])
    if shown.company_id is not None:
        return reverse("companies:detail", args=[shown.company.siren])
    return reverse("desk:record_need")


def _unknown_company(request, siren: str):
    context = {"title": "Entreprise introuvable", "siren": siren}
    return render(request, "desk/record/unknown_company.html", context, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def record_need(request, siren: str | None = None):
    require(permissions.can_record_need(request.user))
    company = None
    if siren is not None:
        company = Company.objects.filter(siren=siren).first()
        if company is None:
            return _unknown_company(request, siren)
    form = RecordNeedForm(request.POST or None, initial=_initial(company))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = services.need_submit(
            data=form.need_data(),
            subjects=data["subjects"],
            channel=data["channel"],
            recorded_by=request.user,
            notify_company=data["notify_company"],
            # A SIRET names the establishment (and its commune); without one, the file's company.
            company=company if company is not None and not data["siret"] else None,
        )
        messages.success(request, _success_message(result, data["notify_company"]))
        return redirect(_after(request.user, result))
    dsfr_fields(form)
    summary = error_summary(form)
    context = {
        "title": ("Erreur — " if summary else "") + "Enregistrer une demande",
        "form": form,
        "errors": summary,
        "company": company,
        "breadcrumb_data": _breadcrumb(company),
    }
    return render(request, "desk/record/need_form.html", context)
