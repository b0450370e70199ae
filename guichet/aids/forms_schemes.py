"""The scheme form and its repeated rows (eligible cost categories, required documents,
yearly envelopes). Rates are typed as percentages; the service checks the rules between
fields and its French messages land on the fields."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from guichet.aids.forms_intake import AmountField, PercentField, _french_errors, french_number
from guichet.aids.models import AidScheme, SchemeRegime
from guichet.companies.models import ExportStatus, Filiere, SizeCategory
from guichet.core.permissions import is_platform_admin
from guichet.partners.models import Organisation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXTRA_ROWS = 3


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=32767,
        help_text=help_text,
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Ce nombre ne peut pas être négatif.",
            "max_value": "Ce nombre est trop grand.",
        },
    )


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=_DATE,
        help_text=help_text,
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


class SchemeForm(DsfrBaseForm):
    name = forms.CharField(label="Nom du dispositif", max_length=200)
    slug = forms.SlugField(
        label="Identifiant court",
        required=False,
        max_length=80,
        help_text="Dans l'adresse de la page (lettres, chiffres, tirets). Vide : tiré du nom.",
        error_messages={"invalid": "Lettres sans accents, chiffres et tirets uniquement."},
    )
    provider = forms.ModelChoiceField(
        label="Financeur", queryset=Organisation.objects.none(), empty_label="Choisissez"
    )
    purpose = forms.CharField(
        label="Objet", widget=forms.Textarea(attrs={"rows": 4}), help_text="Ce que l'aide finance."
    )
    sizes = forms.MultipleChoiceField(
        label="Tailles d'entreprise",
        required=False,
        choices=SizeCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : toutes les tailles.",
    )
    export_statuses = forms.MultipleChoiceField(
        label="Statuts export",
        required=False,
        choices=ExportStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : tous les statuts.",
    )
    filieres = forms.ModelMultipleChoiceField(
        label="Filières",
        required=False,
        queryset=Filiere.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : toutes les filières.",
    )
    min_age_years = _count("Âge minimum de l'entreprise (ans)")
    max_age_years = _count("Âge maximum de l'entreprise (ans)")
    max_export_share = PercentField(
        label="Part du chiffre d'affaires à l'export maximale (%)",
        required=False,
        help_text="Ex. 20 pour les primo-exportateurs. Vide : pas de limite.",
    )
    rate = PercentField(label="Taux d'aide (%)", help_text="Part des dépenses éligibles (ex. 50).")
    extension_rate = PercentField(
        label="Taux pour un renouvellement (%)",
        required=False,
        help_text="Vide : le même taux.",
    )
    min_eligible_costs = AmountField(label="Dépenses éligibles minimales (€)", required=False)
    ceiling_per_aid = AmountField(label="Plafond par aide (€)", required=False)
    ceiling_per_company = AmountField(label="Plafond cumulé par entreprise (€)", required=False)
    max_aids_per_company = _count("Nombre maximal d'aides par entreprise")
    max_duration_months = _count("Durée maximale du programme (mois)")
    max_months_since_hiring = _count(
        "Délai maximal entre l'embauche et la demande (mois)",
        "Pour les aides au recrutement ; la demande indique alors la date d'embauche.",
    )
    regime = forms.ChoiceField(
        label="Régime juridique", choices=[("", "Choisissez"), *SchemeRegime.choices]
    )
    not_aid_justification = forms.CharField(
        label="Pourquoi ce n'est pas une aide d'État",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour le régime « Pas une aide d'État ».",
    )
    opens_on = _date("Dépôt possible à partir du", "Vide : dès maintenant.")
    closes_on = _date("Date limite de dépôt", "Vide : sans date limite.")
    is_active = forms.BooleanField(label="Ouvert aux demandes", required=False, initial=True)

    def __init__(self, *args, user, scheme: AidScheme | None = None, **kwargs):
        if scheme is not None:
            kwargs.setdefault("initial", self.initial_from(scheme))
        super().__init__(*args, **kwargs)
        _french_errors(
            self,
            {
                "name": "Indiquez le nom du dispositif.",
                "provider": "Choisissez le financeur.",
                "purpose": "Indiquez l'objet du dispositif.",
                "rate": "Indiquez le taux d'aide.",
                "regime": "Choisissez le régime juridique.",
            },
        )
        organisations = Organisation.objects.order_by("name")
        if not is_platform_admin(user):
            organisations = organisations.filter(pk=user.organisation_id)
        self.fields["provider"].queryset = organisations
        self.fields["provider"].error_messages["invalid_choice"] = (
            "Vous ne pouvez créer que les dispositifs de votre organisation."
        )
        if scheme is None and not is_platform_admin(user):
            self.fields["provider"].initial = user.organisation_id
        self.fields["filieres"].queryset = Filiere.objects.order_by("name")
        self.fields["regime"].error_messages["invalid_choice"] = "Ce régime n'existe pas."

    @staticmethod
    def initial_from(scheme: AidScheme) -> dict:
        initial = {name: getattr(scheme, name) for name in ("name", "slug", "purpose", "regime")}
        for name in (
            "sizes",
            "export_statuses",
            "min_age_years",
            "max_age_years",
            "max_export_share",
            "min_eligible_costs",
            "ceiling_per_aid",
            "ceiling_per_company",
            "max_aids_per_company",
            "max_duration_months",
            "max_months_since_hiring",
            "not_aid_justification",
            "opens_on",
            "closes_on",
            "is_active",
        ):
            initial[name] = getattr(scheme, name)
        initial["provider"] = scheme.provider_id
        initial["filieres"] = list(scheme.filieres.values_list("pk", flat=True))
        for name in ("rate", "extension_rate"):
            value = getattr(scheme, name)
            initial[name] = french_number(value * 100) if value is not None else ""
        return initial

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("filieres", None)
        for name in ("rate", "extension_rate"):
            if data.get(name) is not None:
                data[name] = (data[name] / Decimal(100)).quantize(Decimal("0.0001"))
        return data


class CategoryRow(DsfrBaseForm):
    label = forms.CharField(label="Catégorie de dépenses éligibles", max_length=200, required=False)
    code = forms.SlugField(
        label="Code",
        max_length=40,
        required=False,
        error_messages={"invalid": "Lettres sans accents, chiffres et tirets uniquement."},
    )


class DocumentRow(CategoryRow):
    label = forms.CharField(label="Pièce à fournir", max_length=200, required=False)
    mandatory = forms.BooleanField(label="Obligatoire", required=False)


class EnvelopeRow(DsfrBaseForm):
    year = forms.IntegerField(
        label="Année",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Saisissez une année (ex. 2026).",
            "min_value": "Année entre 2000 et 2100.",
            "max_value": "Année entre 2000 et 2100.",
        },
    )
    amount = AmountField(label="Enveloppe (€)", required=False)

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount < 0:
            raise ValidationError("Une enveloppe ne peut pas être négative.")
        return amount


def _formset(form_class, prefix: str, data, initial: list[dict]):
    factory = forms.formset_factory(form_class, extra=EXTRA_ROWS)
    return factory(data, prefix=prefix, initial=initial)


def scheme_row_formsets(data=None, scheme: AidScheme | None = None) -> dict:
    """The three repeated parts of the form, with the scheme's rows and three empty ones."""
    categories, documents, envelopes = [], [], []
    if scheme is not None:
        categories = [{"label": c.label, "code": c.code} for c in scheme.cost_categories.all()]
        documents = [
            {"label": d.label, "code": d.code, "mandatory": d.mandatory}
            for d in scheme.required_documents.all()
        ]
        envelopes = [
            {"year": e.year, "amount": e.amount} for e in scheme.envelopes.order_by("year")
        ]
    return {
        "cost_categories": _formset(CategoryRow, "categories", data, categories),
        "required_documents": _formset(DocumentRow, "pieces", data, documents),
        "envelopes": _formset(EnvelopeRow, "enveloppes", data, envelopes),
    }


def formset_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]
