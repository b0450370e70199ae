"""Forms of the market pages: the explorer's question (a filière or an HS product, a year, a
number of markets) and cooperation agreements. The agreements' rules are the services'; their
French messages are shown on the fields."""

from __future__ import annotations

import re

from django import forms
from dsfr.forms import DsfrBaseForm

from guichet.companies.models import Filiere
from guichet.markets import selectors
from guichet.partners.models import Organisation
from guichet.reference.models import Country

HS_CODE = re.compile(r"^\d{2}(\d{2}){0,2}$")
DEFAULT_LIMIT = 25
MAX_LIMIT = 200
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExplorerForm(DsfrBaseForm):
    filiere = forms.ModelChoiceField(
        label="Filière",
        queryset=Filiere.objects.order_by("name"),
        required=False,
        empty_label="Choisir une filière",
        error_messages={"invalid_choice": "Cette filière n'existe pas (ou plus)."},
    )
    produit = forms.CharField(
        label="ou un produit (code SH ou mots)",
        required=False,
        max_length=100,
        help_text="Un code SH à 2, 4 ou 6 chiffres (par exemple 2204) ou des mots du libellé.",
        error_messages={"max_length": "100 caractères au plus pour la recherche de produit."},
    )
    annee = forms.TypedChoiceField(
        label="Année des données",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Aucune donnée n'est chargée pour cette année."},
    )
    marches = forms.IntegerField(
        label="Nombre de marchés",
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        initial=DEFAULT_LIMIT,
        error_messages={
            "invalid": "Indiquez un nombre entier de marchés.",
            "min_value": "Au moins 1 marché.",
            "max_value": f"{MAX_LIMIT} marchés au plus.",
        },
    )

    def __init__(self, *args, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        years = years or []
        self.fields["annee"].choices = [("", "La plus récente")] + [(str(y), str(y)) for y in years]

    def clean_produit(self) -> str:
        return " ".join((self.cleaned_data.get("produit") or "").split())

    def clean(self):
        cleaned = super().clean()
        filiere, text = cleaned.get("filiere"), cleaned.get("produit")
        cleaned["product"] = ""
        cleaned["matches"] = []
        if "filiere" in self.errors or "produit" in self.errors:
            return cleaned
        if filiere and text:
            self.add_error(
                "produit",
                "Choisissez une filière ou un produit, pas les deux : videz l'un des deux champs.",
            )
        elif not filiere and not text:
            raise forms.ValidationError("Choisissez une filière ou indiquez un produit.")
        if text and not filiere:
            self._resolve_product(cleaned, text)
        return cleaned

    def _resolve_product(self, cleaned, text: str) -> None:
        compact = text.replace(" ", "").replace(".", "")
        if compact.isdigit():
            if not HS_CODE.match(compact):
                self.add_error(
                    "produit", "Un code SH a 2, 4 ou 6 chiffres (par exemple 22, 2204, 220421)."
                )
                return
            cleaned["product"] = compact
            return
        matches = selectors.hs_search(text)
        if not matches:
            self.add_error(
                "produit",
                f"Aucun produit SH ne correspond à « {text} » : essayez un autre mot ou un code.",
            )
        elif len(matches) == 1:
            cleaned["product"] = matches[0][0]
        else:
            cleaned["matches"] = matches

    @property
    def limit(self) -> int:
        return (self.cleaned_data.get("marches") if self.is_valid() else None) or DEFAULT_LIMIT


class AgreementFilterForm(DsfrBaseForm):
    pays = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.none(),
        required=False,
        empty_label="Tous les pays",
        to_field_name="iso3",
        error_messages={"invalid_choice": "Aucun accord dans ce pays."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pays"].queryset = selectors.agreement_countries()


class AgreementForm(DsfrBaseForm):
    country = forms.ModelChoiceField(
        label="Pays",
        queryset=Country.objects.order_by("sort_name"),
        empty_label="Choisir un pays",
        error_messages={
            "required": "Choisissez le pays de l'accord.",
            "invalid_choice": "Ce pays n'existe pas dans la liste.",
        },
    )
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        error_messages={
            "required": "Donnez un intitulé à l'accord.",
            "max_length": "L'intitulé fait 200 caractères au plus.",
        },
    )
    counterpart = forms.CharField(
        label="Partenaire étranger",
        required=False,
        max_length=200,
        help_text="Région, province, agence ou chambre signataire.",
        error_messages={"max_length": "200 caractères au plus."},
    )
    signed_on = forms.DateField(
        label="Signé le",
        required=False,
        widget=_DATE,
        error_messages={"invalid": "Date invalide (format JJ/MM/AAAA)."},
    )
    ends_on = forms.DateField(
        label="Prend fin le",
        required=False,
        widget=_DATE,
        error_messages={"invalid": "Date invalide (format JJ/MM/AAAA)."},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, choose_organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_organisation:
            self.fields["organisation"] = forms.ModelChoiceField(
                label="Organisation",
                queryset=Organisation.objects.order_by("name"),
                empty_label="Choisir l'organisation",
                error_messages={
                    "required": "Choisissez l'organisation qui a signé ou suit l'accord.",
                    "invalid_choice": "Cette organisation n'existe pas.",
                },
            )

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data
