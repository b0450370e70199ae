"""Forms of the committee and money pages: sessions, decisions, agreement, payments, results.
The services check the rules again (and report with the figures); the forms make sure what
the user typed is well formed, in French, and is never lost."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from guichet.aids.forms_intake import AmountField
from guichet.aids.models import Payment
from guichet.aids.services.documents import ACCEPT_ATTRIBUTE, max_megabytes
from guichet.reference.models import Country

REQUIRED = "Ce champ est obligatoire."


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": REQUIRED,
            "invalid": "Saisissez une date valide (jj/mm/aaaa).",
        },
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def _french_required(form) -> None:
    for field in form.fields.values():
        field.error_messages.setdefault("required", REQUIRED)
        field.error_messages["required"] = REQUIRED


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the fields it names (the rest above the form)."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class SessionForm(DsfrBaseForm):
    title = forms.CharField(
        label="Intitulé de la séance",
        max_length=200,
        help_text="Par exemple : Commission permanente du 14 mars.",
    )
    held_on = _date_field("Date de la séance")
    place = forms.CharField(label="Lieu", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_required(self)
        self.fields["title"].error_messages["max_length"] = "200 caractères au plus."


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Décision de la commission",
        choices=[("approved", "Aide accordée"), ("rejected", "Aide refusée")],
        widget=forms.RadioSelect,
    )
    amount = AmountField(
        label="Montant accordé (€)",
        required=False,
        help_text="Au plus le montant éligible calculé à l'instruction.",
    )
    decided_on = _date_field("Date de la décision")
    reason = forms.CharField(
        label="Motif du refus ou conditions particulières",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire en cas de refus : il figure dans la lettre envoyée à l'entreprise.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_required(self)
        self.fields["decision"].error_messages["required"] = "Choisissez d'accorder ou de refuser."

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approved" and data.get("amount") is None:
            self.add_error("amount", "Indiquez le montant accordé.")
        if data.get("decision") == "rejected" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return data


class AgreementForm(DsfrBaseForm):
    signed_on = _date_field("Convention signée le")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_required(self)


class PaymentForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Nature du versement", choices=Payment.Kind.choices, widget=forms.RadioSelect
    )
    amount = AmountField(
        label="Montant versé (€)",
        required=False,
        help_text="Pour le solde, laissez vide : il est calculé d'après les dépenses justifiées.",
    )
    paid_on = _date_field("Date du versement")
    justified_expenses = AmountField(
        label="Dépenses justifiées (€)",
        required=False,
        help_text="Obligatoire pour le solde : total HT des dépenses éligibles justifiées.",
    )
    proof = forms.FileField(
        label="Justificatif des dépenses",
        required=False,
        help_text=(f"Obligatoire pour le solde. PDF, PNG ou JPEG, {max_megabytes()} Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    comment = forms.CharField(label="Commentaire", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_required(self)
        self.fields["kind"].error_messages["required"] = "Choisissez la nature du versement."
        self.fields["comment"].error_messages["max_length"] = "300 caractères au plus."

    def clean(self):
        data = super().clean()
        if data.get("kind") in ("advance", "instalment") and data.get("amount") is None:
            self.add_error("amount", "Indiquez le montant versé.")
        return data


class ResultsForm(DsfrBaseForm):
    jobs_created = forms.IntegerField(
        label="Emplois créés",
        min_value=0,
        max_value=10000,
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Le nombre d'emplois ne peut être négatif.",
            "max_value": "Ce nombre est trop grand.",
        },
    )
    export_revenue = AmountField(label="Chiffre d'affaires export réalisé (€)")
    markets_opened = forms.ModelMultipleChoiceField(
        label="Marchés ouverts",
        queryset=Country.objects.order_by("sort_name"),
        required=False,
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": "Choisissez des pays de la liste."},
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_required(self)

    def clean_export_revenue(self):
        value = self.cleaned_data.get("export_revenue")
        if value is not None and value < 0:
            raise ValidationError("Le chiffre d'affaires ne peut être négatif.")
        return value
