"""The follow-up survey form, the same for the company (signed link) and for the advisor who
enters the answers after a call. The service (guichet.collective.services.surveys) checks the
rules again; its messages are put back on the fields."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from guichet.collective.services.surveys import COMMENT_MAX, COUNT_FIELDS, survey_clean
from guichet.reference.models import Country

SATISFACTION_CHOICES = [
    ("5", "5 — tout à fait"),
    ("4", "4 — plutôt oui"),
    ("3", "3 — moyennement"),
    ("2", "2 — plutôt non"),
    ("1", "1 — pas du tout"),
]
QUESTIONS = {
    "contacts_made": (
        "Combien de nouveaux contacts professionnels avez-vous établis ?",
        "Prospects, distributeurs, partenaires rencontrés grâce à l'action. 0 si aucun.",
    ),
    "meetings_held": (
        "Combien de rendez-vous d'affaires avez-vous tenus ?",
        "Pendant l'action et depuis, avec ces contacts. 0 si aucun.",
    ),
    "quotes_sent": (
        "Combien de devis ou d'offres commerciales avez-vous envoyés ?",
        "0 si aucun.",
    ),
    "contracts_signed": (
        "Combien de contrats ou de commandes avez-vous signés ?",
        "0 si aucun pour le moment.",
    ),
}
SUMMARY_LABELS = {
    "contacts_made": "Contacts établis",
    "meetings_held": "Rendez-vous tenus",
    "quotes_sent": "Devis envoyés",
    "contracts_signed": "Contrats signés",
    "contracts_value": "Montant des contrats",
    "contract_countries": "Pays des contrats",
    "expected_export_revenue": "Chiffre d'affaires export attendu",
    "satisfaction": "Satisfaction",
    "comment": "Commentaire",
}


def _count_field(name: str) -> forms.IntegerField:
    label, help_text = QUESTIONS[name]
    noun = COUNT_FIELDS[name]
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "required": f"Indiquez le nombre de {noun} (0 s'il n'y en a pas).",
            "invalid": f"Le nombre de {noun} doit être un nombre entier.",
            "min_value": f"Le nombre de {noun} ne peut pas être négatif.",
            "max_value": f"Le nombre de {noun} paraît trop élevé.",
        },
        widget=forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
    )


class CountryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_fr


class SurveyForm(DsfrBaseForm):
    contacts_made = _count_field("contacts_made")
    meetings_held = _count_field("meetings_held")
    quotes_sent = _count_field("quotes_sent")
    contracts_signed = _count_field("contracts_signed")
    contracts_value = forms.CharField(
        label="Montant total de ces contrats (€)",
        help_text="Une estimation suffit, en euros hors taxes (par exemple 45000). "
        "Obligatoire si vous avez signé au moins un contrat.",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    contract_countries = CountryChoiceField(
        label="Pays de ces contrats",
        help_text="Pour en choisir plusieurs, maintenez la touche Ctrl (Cmd sur Mac) en cliquant.",
        queryset=Country.objects.order_by("sort_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": "8"}),
        error_messages={
            "invalid_choice": "Pays inconnu : choisissez les pays dans la liste.",
            "invalid_pk_value": "Pays inconnu : choisissez les pays dans la liste.",
        },
    )
    expected_export_revenue = forms.CharField(
        label="Chiffre d'affaires export que vous attendez de cette action (€)",
        help_text="Sur les douze prochains mois, en euros (par exemple 120000).",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    satisfaction = forms.ChoiceField(
        label="Dans l'ensemble, l'action a-t-elle répondu à vos attentes ?",
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez votre satisfaction, de 1 à 5.",
            "invalid_choice": "La satisfaction se note de 1 (pas du tout) à 5 (tout à fait).",
        },
    )
    comment = forms.CharField(
        label="Commentaire",
        help_text=f"{COMMENT_MAX} caractères au plus : ce qui a marché, ce qui "
        "a manqué, ce que vous attendez de la prochaine édition.",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Le commentaire compte {COMMENT_MAX} caractères au plus."},
    )

    def clean(self):
        """The service's rules across fields (a contract needs its value…), on the fields that
        passed their own checks, so that every error shows at once."""
        cleaned = super().clean()
        try:
            survey_clean({name: cleaned.get(name) for name in self.fields})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors and name in cleaned:
                    for message in messages:
                        self.add_error(name, message)
        return cleaned

    @classmethod
    def initial_from(cls, survey) -> dict:
        if survey.answered_at is None:
            return {}
        return {
            "contacts_made": survey.contacts_made,
            "meetings_held": survey.meetings_held,
            "quotes_sent": survey.quotes_sent,
            "contracts_signed": survey.contracts_signed,
            "contracts_value": _plain(survey.contracts_value),
            "contract_countries": list(survey.contract_countries.all()),
            "expected_export_revenue": _plain(survey.expected_export_revenue),
            "satisfaction": str(survey.satisfaction or ""),
            "comment": survey.comment,
        }

    def apply_errors(self, error: ValidationError) -> None:
        """Put the service's messages back on the fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            for message in messages:
                if target is None or message not in self.errors.get(target, []):
                    self.add_error(target, message)

    def error_summary(self) -> list[dict]:
        """The list at the top of the page (RGAA 11.10): each error links to its field."""
        if not self.is_bound:
            return []
        summary = [{"anchor": "", "label": "", "message": m} for m in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if name == "satisfaction" else bound.auto_id
            for message in bound.errors:
                summary.append(
                    {"anchor": anchor, "label": SUMMARY_LABELS[name], "message": message}
                )
        return summary


def _plain(amount) -> str:
    if amount is None:
        return ""
    text = f"{amount:f}"
    return text[:-3] if text.endswith(".00") else text.replace(".", ",")
