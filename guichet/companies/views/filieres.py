"""Filières: the list every member sees, and their definition by administrators."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from guichet.companies import permissions, services_filieres
from guichet.companies.filieres import companies_in_filiere
from guichet.companies.forms_filieres import FiliereForm
from guichet.companies.models import Company, Filiere
from guichet.core.exports import FORMATS, export_response
from guichet.core.permissions import require


def filiere_list(request):
    require(permissions.can_search_registry(request.user))
    filieres = list(Filiere.objects.prefetch_related("naf_codes").order_by("name"))
    for filiere in filieres:
        filiere.codes = [naf.code for naf in filiere.naf_codes.all()]
        filiere.company_count = companies_in_filiere(
            Company.objects.filter(is_active=True), filiere
        ).count()
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return export_response(
            rows=((f.name, " ".join(f.codes), f.company_count, f.description) for f in filieres),
            headers=["Filière", "Codes NAF", "Entreprises actives", "Description"],
            filename="filieres",
            fmt=fmt,
        )
    context = {
        "title": "Filières",
        "filieres": filieres,
        "can_manage": permissions.can_manage_filieres(request.user),
    }
    return render(request, "companies/filiere_list.html", context)


def filiere_create(request):
    require(permissions.can_manage_filieres(request.user))
    form = FiliereForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        filiere = services_filieres.filiere_create(**form.cleaned_data)
        messages.success(request, f"La filière « {filiere.name} » est créée.")
        return redirect("companies:filiere_list")
    return render(
        request, "companies/filiere_form.html", {"title": "Nouvelle filière", "form": form}
    )


def filiere_edit(request, slug: str):
    require(permissions.can_manage_filieres(request.user))
    filiere = get_object_or_404(Filiere, slug=slug)
    initial = {
        "name": filiere.name,
        "description": filiere.description,
        "naf_codes": ", ".join(filiere.naf_codes.values_list("code", flat=True)),
    }
    form = FiliereForm(request.POST or None, initial=initial, instance=filiere)
    if request.method == "POST" and form.is_valid():
        services_filieres.filiere_update(filiere=filiere, **form.cleaned_data)
        messages.success(request, f"La filière « {filiere.name} » est enregistrée.")
        return redirect("companies:filiere_list")
    context = {"title": f"Modifier la filière « {filiere.name} »", "form": form}
    return render(request, "companies/filiere_form.html", context)
