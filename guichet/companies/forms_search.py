"""The search form of the registry, shared by the page and the API (same filters, same French
error messages)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.models import ExportStatus, Filiere, SizeCategory
from guichet.companies.search import SearchFilters
from guichet.companies.search.filters import COMMUNE_CODE
from guichet.reference.models import Departement, NafCode, Region

_NAF_COMPACT = re.compile(r"^([0-9]{2})([0-9])([0-9]?[A-Z]?)$")


def _choice(label: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, **kwargs)


def naf_code_of(typed: str) -> str | None:
    """The NAF code a user means: "c" → "C", "10.71c" → "10.71C", "1071C" → "10.71C";
    None when there is no such code."""
    code = typed.strip().upper().replace(" ", "")
    if not code:
        return ""
    candidates = [code]
    if compact := _NAF_COMPACT.match(code.replace(".", "")):
        division, group, rest = compact.groups()
        candidates.append(f"{division}.{group}{rest}")
    known = set(NafCode.objects.filter(code__in=candidates).values_list("code", flat=True))
    return next((c for c in candidates if c in known), None)


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Nom, SIREN ou SIRET"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = _choice(
        _("Région"), error_messages={"invalid_choice": _("Région inconnue : « %(value)s ».")}
    )
    departement = _choice(
        _("Département"),
        error_messages={"invalid_choice": _("Département inconnu : « %(value)s ».")},
    )
    commune = forms.CharField(
        label=_("Commune"),
        help_text=_("Nom ou code INSEE, par exemple Dijon ou 21231."),
        required=False,
        max_length=100,
    )
    naf = forms.CharField(
        label=_("Code NAF"),
        help_text=_("De la section à la sous-classe, par exemple C, 10, 10.7, 10.71 ou 10.71C."),
        required=False,
        max_length=10,
    )
    filiere = _choice(
        _("Filière"), error_messages={"invalid_choice": _("Filière inconnue : « %(value)s ».")}
    )
    size = _choice(
        _("Catégorie d'entreprise"),
        choices=[("", _("Toutes les catégories")), *SizeCategory.choices],
        error_messages={"invalid_choice": _("Catégorie d'entreprise inconnue : « %(value)s ».")},
    )
    export_status = _choice(
        _("Statut export"),
        choices=[("", _("Tous les statuts")), *ExportStatus.choices],
        error_messages={"invalid_choice": _("Statut export inconnu : « %(value)s ».")},
    )
    active = forms.BooleanField(label=_("Entreprises actives uniquement"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes les régions"))] + [
            (r.code, r.name) for r in Region.objects.order_by("name")
        ]
        self.fields["departement"].choices = [("", _("Tous les départements"))] + [
            (d.code, f"{d.code} – {d.name}") for d in Departement.objects.order_by("code")
        ]
        self.fields["filiere"].choices = [("", _("Toutes les filières"))] + [
            (f.slug, f.name) for f in Filiere.objects.order_by("name")
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_commune(self) -> str:
        commune = self.cleaned_data["commune"].strip()
        if commune.isdigit() and not COMMUNE_CODE.match(commune):
            raise forms.ValidationError(
                _("Un code commune INSEE compte 5 caractères, par exemple 21231 ou 2A004.")
            )
        return commune

    def clean_naf(self) -> str:
        typed = self.cleaned_data["naf"]
        code = naf_code_of(typed)
        if code is None:
            raise forms.ValidationError(
                _("Code NAF inconnu : « %(code)s ». Exemples : C, 10, 10.7, 10.71, 10.71C."),
                params={"code": typed.strip()},
            )
        return code

    def clean(self):
        cleaned = super().clean()
        region, departement = cleaned.get("region"), cleaned.get("departement")
        outside = (
            region
            and departement
            and not Departement.objects.filter(code=departement, region_id=region).exists()
        )
        if outside:
            self.add_error("departement", _("Ce département n'appartient pas à la région choisie."))
        return cleaned

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            q=data["q"],
            region=data["region"],
            departement=data["departement"],
            commune=data["commune"],
            naf=data["naf"],
            filiere=data["filiere"],
            size=data["size"],
            export_status=data["export_status"],
            active_only=data["active"],
        )
