"""The company file: identity, establishments, filières, export profile, contacts, and the
sections that other capabilities register (the timeline, the desk's needs…). Contacts are
personal data: every display of a contact is written to the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guichet.companies import permissions, selectors, services
from guichet.companies.filieres import filieres_of_company
from guichet.companies.forms import ContactForm, ExportProfileForm
from guichet.companies.models import Company, Contact, ExportFact
from guichet.companies.sections import company_sections_for
from guichet.core.audit import audit_view
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require

MAX_ESTABLISHMENTS_SHOWN = 200
ESTABLISHMENT_HEADERS = [
    "SIRET",
    "Enseigne ou nom usuel",
    "Adresse",
    "Code postal",
    "Commune",
    "Code commune",
    "Département",
    "Région",
    "Pays",
    "Siège",
    "État",
    "Fermé le",
]


def _company_or_404(siren: str) -> Company:
    company = selectors.company_for_file(siren)
    if company is None:
        raise Http404("Aucune entreprise n'a ce numéro SIREN dans le registre.")
    return company


def _breadcrumb(company: Company, current: str | None = None) -> dict:
    links = [{"url": reverse("companies:search"), "title": "Entreprises"}]
    if current:
        links.append(
            {"url": reverse("companies:detail", args=[company.siren]), "title": company.name}
        )
    return {"links": links, "current": current or company.name, "root_dir": "/"}


def _establishment_row(establishment) -> tuple:
    return (
        establishment.siret,
        establishment.name,
        establishment.address,
        establishment.postal_code,
        establishment.commune_name,
        establishment.commune_code,
        establishment.departement.name if establishment.departement else "",
        establishment.region.name if establishment.region else "",
        establishment.country,
        "oui" if establishment.is_headquarters else "non",
        "actif" if establishment.is_active else "fermé",
        establishment.closed_on,
    )


def _establishments_export(company: Company, fmt: str):
    ordered, _communes = selectors.establishments_by_commune(company.establishments.all())
    return export_response(
        rows=(_establishment_row(e) for e in ordered),
        headers=ESTABLISHMENT_HEADERS,
        filename=f"etablissements-{company.siren}",
        fmt=fmt,
        sheet="Établissements",
    )


def _contacts_context(request, company: Company) -> dict:
    if not permissions.can_view_contacts(request.user, company):
        return {"show_contacts": False}
    contacts = list(selectors.contacts_of(company))
    for contact in contacts:
        audit_view(obj=contact, actor=request.user)
    return {
        "show_contacts": True,
        "contacts": contacts,
        "can_edit_contacts": permissions.can_edit_contacts(request.user, company),
    }


def _profile_rows(history) -> list[dict]:
    current = selectors.latest_facts(history)
    return [
        {"label": ExportFact.Attribute(attribute).label, "fact": fact}
        for attribute, fact in current.items()
    ]


def detail(request, siren: str):
    require(permissions.can_view_company(request.user))
    company = _company_or_404(siren)
    fmt = request.GET.get("format", "")
    if request.GET.get("export") == "establishments" and fmt in FORMATS:
        return _establishments_export(company, fmt)
    establishments, communes = selectors.establishments_by_commune(company.establishments.all())
    history = selectors.export_profile_history(company)
    context = {
        "title": company.name,
        "company": company,
        "breadcrumb_data": _breadcrumb(company),
        "headquarters": selectors.headquarters_of(company),
        "establishments": establishments[:MAX_ESTABLISHMENTS_SHOWN],
        "establishments_count": len(establishments),
        "establishments_hidden": max(0, len(establishments) - MAX_ESTABLISHMENTS_SHOWN),
        "active_count": sum(1 for e in establishments if e.is_active),
        "communes": communes,
        "filieres": filieres_of_company(company),
        "profile": _profile_rows(history),
        "history": history,
        "can_edit_export_profile": permissions.can_edit_export_profile(request.user, company),
        **_contacts_context(request, company),
        "sections": company_sections_for(company, request.user, request),
    }
    return render(request, "companies/company_detail.html", context)


def export_profile_edit(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_edit_export_profile(request.user, company))
    current = selectors.current_export_profile(company)
    form = ExportProfileForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            facts = services.export_profile_update(
                company=company,
                values=form.profile_values(),
                observed_on=form.cleaned_data["observed_on"],
                source=form.cleaned_data["source"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _profile_message(len(facts)))
            return redirect("companies:detail", siren=company.siren)
    context = {
        "title": f"Profil export — {company.name}",
        "company": company,
        "form": form,
        "breadcrumb_data": _breadcrumb(company, "Profil export"),
    }
    return render(request, "companies/export_profile_form.html", context)


def _profile_message(count: int) -> str:
    if count == 0:
        return "Aucune valeur n'a changé : le profil export est inchangé."
    if count == 1:
        return "Le profil export est mis à jour (1 donnée enregistrée)."
    return f"Le profil export est mis à jour ({count} données enregistrées)."


def _add_errors(form, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _contact_page(request, company: Company, form, contact: Contact | None = None):
    title = f"Modifier le contact {contact}" if contact else "Ajouter un contact"
    context = {
        "title": title,
        "company": company,
        "contact": contact,
        "form": form,
        "breadcrumb_data": _breadcrumb(company, title),
    }
    return render(request, "companies/contact_form.html", context)


def contact_create(request, siren: str):
    company = _company_or_404(siren)
    require(permissions.can_edit_contacts(request.user, company))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Le contact {contact} est ajouté.")
            return redirect(reverse("companies:detail", args=[company.siren]) + "#contacts")
    return _contact_page(request, company, form)


def contact_edit(request, siren: str, pk: int):
    company = _company_or_404(siren)
    require(permissions.can_edit_contacts(request.user, company))
    contact = get_object_or_404(Contact, pk=pk, company=company)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Le contact {contact} est modifié.")
            return redirect(reverse("companies:detail", args=[company.siren]) + "#contacts")
    if request.method != "POST":
        audit_view(obj=contact, actor=request.user)
    return _contact_page(request, company, form, contact)


@require_POST
def contact_opt_out(request, siren: str, pk: int):
    company = _company_or_404(siren)
    require(permissions.can_edit_contacts(request.user, company))
    contact = get_object_or_404(Contact, pk=pk, company=company)
    services.contact_opt_out(contact=contact, by=request.user)
    messages.success(
        request, f"L'opposition de {contact} est enregistrée : ne plus le ou la solliciter."
    )
    return redirect(reverse("companies:detail", args=[company.siren]) + "#contacts")
