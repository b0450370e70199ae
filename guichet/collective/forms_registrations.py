"""Forms of the registrations to a collective action: the company's account-less form, the
advisor's registration of a company, the selection in bulk, the cancellation, the attendance.
The services check the rules (deadline, duplicates, places); these forms read what was typed
and say in French what cannot be read."""

import re

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from guichet.core.forms import PersonChoiceField

_DIGITS_NOISE = re.compile(r"[\s.\u00a0\u202f-]")
INTENT_APPLY = "apply"
INTENT_INTERESTED = "interested"
CONSENT_TEXT = (
    "J'accepte que ces informations soient transmises à l'organisateur de l'action et au "
    "conseiller export qui suit mon entreprise, pour traiter l'inscription et préparer "
    "l'action."
)


def _french_errors(form, required: dict | None = None) -> None:
    required = required or {}
    for name, field in form.fields.items():
        field.error_messages["required"] = required.get(name, "Ce champ est obligatoire.")
        if isinstance(field, forms.CharField) and getattr(field, "max_length", None):
            field.error_messages["max_length"] = (
                f"{field.label} : {field.max_length} caractères au plus."
            )


def _digits(value: str) -> str:
    return _DIGITS_NOISE.sub("", value or "")


class _ContactFields(forms.Form):
    contact_name = forms.CharField(label="Nom et prénom du contact", max_length=200)
    contact_email = forms.EmailField(
        label="Adresse électronique du contact",
        max_length=254,
        help_text="Le lien de l'inscription et les décisions y sont envoyés. "
        "Format : nom@domaine.fr",
        error_messages={"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
    )
    contact_phone = forms.CharField(
        label="Téléphone du contact",
        max_length=30,
        required=False,
        help_text="Format : 03 80 12 34 56",
    )
    motivation = forms.CharField(
        label="Objectifs de l'entreprise pour cette action",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Marchés visés, produits présentés, contacts recherchés (3 000 caractères au "
        "plus). Ils aident l'organisateur à choisir les participants.",
    )

    REQUIRED = {
        "contact_name": "Indiquez le nom de la personne à contacter.",
        "contact_email": "Indiquez l'adresse électronique de la personne à contacter.",
    }


class PublicRegistrationForm(_ContactFields):
    siret = forms.CharField(
        label="Numéro SIRET de votre établissement",
        max_length=20,
        help_text="14 chiffres, sur un extrait Kbis ou une facture.",
    )
    intent = forms.ChoiceField(
        label="Votre démarche",
        choices=[
            (INTENT_APPLY, "Je pose la candidature de mon entreprise"),
            (INTENT_INTERESTED, "Je suis intéressé(e) et souhaite être recontacté(e)"),
        ],
        initial=INTENT_APPLY,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)
    # Honeypot: hidden from people, filled by robots.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False, max_length=200)

    field_order = [
        "siret",
        "intent",
        "contact_name",
        "contact_email",
        "contact_phone",
        "motivation",
        "consent",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_errors(
            self,
            {
                **self.REQUIRED,
                "siret": "Indiquez le numéro SIRET de votre établissement.",
                "intent": "Choisissez votre démarche.",
            },
        )
        self.fields["intent"].error_messages["invalid_choice"] = "Choisissez votre démarche."

    def clean_siret(self) -> str:
        value = _digits(self.cleaned_data.get("siret", ""))
        if not value.isdigit() or len(value) != 14:
            raise ValidationError("Le SIRET compte exactement 14 chiffres.")
        if not stdnum_siret.is_valid(value):
            raise ValidationError(
                "Ce numéro SIRET n'existe pas (clé de contrôle fausse) : vérifiez-le."
            )
        return value

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise ValidationError("Cochez la case pour que nous puissions traiter l'inscription.")
        return True


class AdvisorRegistrationForm(DsfrBaseForm, _ContactFields):
    siren = forms.CharField(
        label="SIREN de l'entreprise",
        max_length=11,
        help_text="9 chiffres. L'entreprise doit être dans le fichier des entreprises.",
    )
    advisor = PersonChoiceField(
        label="Conseiller qui prépare l'entreprise",
        queryset=None,
        required=False,
        empty_label="— Aucun pour l'instant —",
        help_text="Il coche les étapes de préparation et reçoit les rappels.",
    )
    interested = forms.BooleanField(
        label="L'entreprise est seulement intéressée (pas encore candidate)", required=False
    )

    field_order = [
        "siren",
        "contact_name",
        "contact_email",
        "contact_phone",
        "motivation",
        "advisor",
        "interested",
    ]

    def __init__(self, *args, advisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors
        _french_errors(self, {**self.REQUIRED, "siren": "Indiquez le SIREN de l'entreprise."})
        self.fields["advisor"].error_messages["invalid_choice"] = (
            "Choisissez un conseiller de la liste."
        )

    def clean_siren(self) -> str:
        value = _digits(self.cleaned_data.get("siren", ""))
        if not value.isdigit() or len(value) != 9:
            raise ValidationError("Le SIREN compte exactement 9 chiffres.")
        if not stdnum_siren.is_valid(value):
            raise ValidationError("Ce numéro SIREN n'existe pas (clé de contrôle fausse).")
        return value


DECISION_SELECT = "select"
DECISION_WAIT = "wait"
DECISION_NOT_SELECT = "not_select"


class SelectionForm(DsfrBaseForm):
    registrations = forms.ModelMultipleChoiceField(
        label="Entreprises", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            (DECISION_SELECT, "Retenir"),
            (DECISION_WAIT, "Liste d'attente"),
            (DECISION_NOT_SELECT, "Ne pas retenir"),
        ],
    )
    reason = forms.CharField(
        label="Motif de non-sélection",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour « Ne pas retenir » ; il est envoyé à l'entreprise.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = candidates
        _french_errors(
            self,
            {
                "registrations": "Cochez au moins une entreprise.",
                "decision": "Choisissez une décision.",
            },
        )
        self.fields["registrations"].error_messages["invalid_choice"] = (
            "Une des entreprises cochées n'est plus candidate : rechargez la page."
        )
        self.fields["registrations"].error_messages["invalid_pk_value"] = (
            "Entreprise inconnue : rechargez la page."
        )
        self.fields["decision"].error_messages["invalid_choice"] = "Choisissez une décision."

    def clean(self):
        data = super().clean()
        if data.get("decision") == DECISION_NOT_SELECT and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez pourquoi ces entreprises ne sont pas retenues.")
        return data


class CancelForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de l'annulation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    fee_waived = forms.BooleanField(
        label="Annulation du fait de l'organisateur : la participation n'est pas due",
        required=False,
    )

    def __init__(self, *args, may_waive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_waive:
            del self.fields["fee_waived"]
        _french_errors(self, {"reason": "Indiquez le motif de l'annulation."})


class AttendanceForm(DsfrBaseForm):
    """One "présente / absente" choice per confirmed participant."""

    CHOICES = [("attended", "Présente"), ("no_show", "Absente")]

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for registration in self.participants:
            initial = (
                registration.status if registration.status in ("attended", "no_show") else None
            )
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=registration.company.name,
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
                disabled=initial is not None,
            )

    def decisions(self) -> list[tuple]:
        """(registration, attended: bool) for every participant with a choice made now."""
        chosen = []
        for registration in self.participants:
            field = f"r{registration.pk}"
            value = self.cleaned_data.get(field)
            if value and not self.fields[field].disabled:
                chosen.append((registration, value == "attended"))
        return chosen
