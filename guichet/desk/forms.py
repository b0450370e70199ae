"""The need form: one validation for the public page, the advisor's entry and the API
(the API feeds its JSON body to this same form)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from stdnum.fr import siret as stdnum_siret

from guichet.companies.services import phone_normalise
from guichet.desk.models import Subject

DESCRIPTION_MAX = 3000
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKUP_ERROR = (
    "Les balises HTML et les scripts ne sont pas acceptés : retirez les caractères « < » "
    "et « > » et ce qu'ils encadrent."
)
CONSENT_TEXT = (
    "J'accepte que les informations de ce formulaire soient transmises aux partenaires du "
    "guichet export (Région, CCI, Business France, Bpifrance et partenaires de l'équipe "
    "régionale) pour répondre à ma demande."
)


def reject_markup(value: str) -> str:
    if value and _MARKUP.search(value):
        raise ValidationError(MARKUP_ERROR)
    if value and _CONTROL.search(value):
        raise ValidationError("Le texte contient des caractères de contrôle non autorisés.")
    return value


class SubjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Subject) -> str:
        return obj.label


class NeedForm(forms.Form):
    siret = forms.CharField(
        label="Numéro SIRET de l'établissement",
        help_text="14 chiffres, sur un extrait Kbis ou une facture. Laissez vide si "
        "l'entreprise est en cours de création.",
        required=False,
        max_length=20,
    )
    company_name = forms.CharField(
        label="Nom de l'entreprise", max_length=200, help_text="Raison sociale ou nom du projet."
    )
    postal_code = forms.CharField(
        label="Code postal",
        max_length=5,
        min_length=5,
        help_text="Celui de l'établissement concerné : il désigne le bon interlocuteur.",
    )
    subjects = SubjectChoiceField(
        label="Sur quoi porte votre besoin ?",
        queryset=Subject.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Une ou plusieurs réponses.",
        error_messages={
            "required": "Choisissez au moins un sujet.",
            "invalid_choice": "Sujet inconnu : %(value)s.",
            "invalid_pk_value": "Sujet inconnu : %(pk)s.",
        },
    )
    description = forms.CharField(
        label="Décrivez votre besoin",
        help_text=f"Votre projet, les pays visés, vos délais ({DESCRIPTION_MAX} caractères au "
        "plus).",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
    )
    contact_first_name = forms.CharField(label="Prénom", max_length=100)
    contact_last_name = forms.CharField(label="Nom", max_length=100)
    contact_role = forms.CharField(label="Fonction", max_length=100, required=False)
    contact_email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Pour recevoir l'accusé de réception et la réponse. Format : nom@domaine.fr",
    )
    contact_phone = forms.CharField(
        label="Téléphone", max_length=30, required=False, help_text="Format : 03 80 12 34 56"
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(self, *args, consent_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_required = consent_required
        if not consent_required:
            del self.fields["consent"]
        for field in self.fields.values():
            field.error_messages.setdefault("required", "Ce champ est obligatoire.")
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{field.label} : {field.max_length} caractères au plus."
                )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and name != "website":
                try:
                    reject_markup(value)
                except ValidationError as error:
                    self.add_error(name, error)
                    cleaned.pop(name, None)
        return cleaned

    def clean_siret(self) -> str:
        value = re.sub(r"[\s.]", "", self.cleaned_data.get("siret") or "")
        if not value:
            return ""
        if not value.isdigit() or len(value) != 14:
            raise ValidationError("Le SIRET compte exactement 14 chiffres.")
        if not stdnum_siret.is_valid(value):
            raise ValidationError(
                "Ce numéro SIRET n'existe pas (clé de contrôle fausse) : vérifiez-le."
            )
        return value

    def clean_postal_code(self) -> str:
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if not re.fullmatch(r"\d{5}", value):
            raise ValidationError("Le code postal compte 5 chiffres.")
        return value

    def clean_contact_phone(self) -> str:
        return phone_normalise(self.cleaned_data.get("contact_phone") or "")

    def clean_contact_email(self) -> str:
        return (self.cleaned_data.get("contact_email") or "").strip().lower()

    def clean_consent(self) -> bool:
        value = self.cleaned_data.get("consent")
        if self.consent_required and not value:
            raise ValidationError(
                "Votre accord est nécessaire pour transmettre votre demande aux partenaires."
            )
        return bool(value)

    def need_data(self) -> dict:
        """The fields of the Need (services.need_submit(data=…))."""
        from guichet.desk.services.intake import NEED_FIELDS

        return {name: self.cleaned_data.get(name, "") for name in NEED_FIELDS}


class PublicNeedForm(NeedForm):
    """The public page adds a honeypot: people do not see it, robots fill it."""

    website = forms.CharField(label="Ne pas remplir ce champ", required=False, max_length=200)

    def clean_website(self) -> str:
        return self.cleaned_data.get("website") or ""
