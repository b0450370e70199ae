"""Forms of the filing of an application: the advisor's new file, the project, planned
expenses, declarations of aid received elsewhere, documents, the answers to missing items,
and the company's account-less form. The services check the rules between fields; these forms
read what was typed (French amounts, dates) and say in French what cannot be read."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm
from stdnum.fr import siret as stdnum_siret

from guichet.aids.models import AidScheme, CostCategory, RequiredDocument
from guichet.aids.services.documents import ACCEPT_ATTRIBUTE, max_megabytes
from guichet.stateaid.models import Regulation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=_DATE,
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
        **kwargs,
    )


def french_number(value) -> str:
    """12683.50 → "12683,50"; 12683.00 → "12683" (what a French reader types back)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    number = Decimal(value)
    text = format(number.quantize(Decimal("0.01")), "f")
    return text.removesuffix(".00").replace(".", ",")


class AmountField(forms.CharField):
    """An amount in euros as French people type it: "12 500", "12500,50", "12 500 €"."""

    invalid_message = "Saisissez un montant en euros (ex. 12 500 ou 12 500,50)."
    decimals_message = "Deux chiffres après la virgule au plus (les centimes)."

    def __init__(self, *, label: str, required: bool = True, help_text: str = "", **kwargs):
        super().__init__(
            label=label,
            required=required,
            help_text=help_text,
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **kwargs,
        )

    def prepare_value(self, value):
        return french_number(value) if not isinstance(value, str) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        text = _SPACES.sub("", text).removesuffix("€").removesuffix("%").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.invalid_message) from None
        if not number.is_finite():
            raise ValidationError(self.invalid_message)
        if abs(number) >= Decimal("1e10"):
            raise ValidationError("Ce nombre est trop grand.")
        if number.as_tuple().exponent < -2:
            raise ValidationError(self.decimals_message)
        return number


class PercentField(AmountField):
    """A percentage typed as "50" or "12,5"."""

    invalid_message = "Saisissez un pourcentage (ex. 50 ou 12,5)."
    decimals_message = "Deux chiffres après la virgule au plus."


def _french_errors(form, required: dict | None = None) -> None:
    """French messages for missing and too long values (specific ones where given)."""
    required = required or {}
    for name, field in form.fields.items():
        field.error_messages["required"] = required.get(name, "Ce champ est obligatoire.")
        if isinstance(field, forms.CharField) and getattr(field, "max_length", None):
            field.error_messages["max_length"] = (
                f"{field.label} : {field.max_length} caractères au plus."
            )


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AidScheme) -> str:
        return f"{obj.name} — {obj.provider.name}"


# --- the advisor's new file and the project ------------------------------------------------


class ProjectForm(DsfrBaseForm):
    title = forms.CharField(label="Intitulé du projet", max_length=200)
    description = forms.CharField(
        label="Description du projet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Les marchés visés, les actions prévues, ce que l'aide permettra.",
    )
    contact_name = forms.CharField(label="Nom du contact dans l'entreprise", max_length=200)
    contact_email = forms.EmailField(
        label="Courriel du contact",
        max_length=254,
        help_text="Le lien du dossier et l'accusé de réception y sont envoyés.",
        error_messages={"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
    )
    contact_phone = forms.CharField(label="Téléphone du contact", max_length=30, required=False)
    project_start = _date("Début du programme", required=False)
    project_end = _date("Fin du programme", required=False)
    hired_on = _date(
        "Date d'embauche",
        required=False,
        help_text="Pour un recrutement : date d'arrivée de la personne recrutée.",
    )
    export_share = PercentField(
        label="Part du chiffre d'affaires réalisée à l'export (%)", required=False
    )
    is_extension = forms.BooleanField(
        label="Renouvellement ou prolongation d'une action déjà aidée", required=False
    )
    requested_amount = AmountField(label="Montant d'aide demandé (€)", required=False)

    def __init__(self, *args, scheme: AidScheme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _french_errors(
            self,
            {
                "title": "Indiquez l'intitulé du projet.",
                "contact_name": "Indiquez le nom de la personne à contacter.",
                "contact_email": "Indiquez le courriel de la personne à contacter.",
            },
        )
        if scheme is not None and scheme.max_months_since_hiring is None:
            initial = self.initial.get("hired_on")
            if not initial:
                del self.fields["hired_on"]

    def clean(self):
        data = super().clean()
        start, end = data.get("project_start"), data.get("project_end")
        if start and end and start > end:
            self.add_error(
                "project_end",
                f"La fin du programme ({end:%d/%m/%Y}) précède son début ({start:%d/%m/%Y}).",
            )
        amount = data.get("requested_amount")
        if amount is not None and amount < 0:
            self.add_error("requested_amount", "Le montant demandé ne peut pas être négatif.")
        return data

    def project_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ApplicationNewForm(ProjectForm):
    """The advisor's new file: the scheme first, the amount comes with the expenses."""

    scheme = SchemeChoiceField(
        label="Dispositif",
        queryset=AidScheme.objects.none(),
        empty_label="Choisissez un dispositif",
    )
    field_order = ["scheme"]

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["requested_amount"]
        self.fields["scheme"].queryset = (
            schemes if schemes is not None else AidScheme.objects.none()
        )
        self.fields["scheme"].error_messages.update(
            {
                "required": "Choisissez le dispositif.",
                "invalid_choice": "Ce dispositif n'existe pas ou n'est plus ouvert.",
            }
        )

    def project_fields(self) -> dict:
        return {n: self.cleaned_data.get(n) for n in self.fields if n != "scheme"}


# --- expenses, declarations, documents --------------------------------------------------------


class ExpenseForm(DsfrBaseForm):
    category = forms.ModelChoiceField(
        label="Catégorie",
        queryset=CostCategory.objects.none(),
        empty_label="Choisissez une catégorie",
        error_messages={
            "required": "Choisissez la catégorie de la dépense.",
            "invalid_choice": "Cette catégorie n'existe pas dans ce dispositif.",
        },
    )
    description = forms.CharField(label="Nature de la dépense", max_length=200)
    amount = AmountField(label="Montant HT (€)")

    def __init__(self, *args, scheme: AidScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = scheme.cost_categories.all()
        _french_errors(
            self,
            {
                "category": "Choisissez la catégorie de la dépense.",
                "description": "Indiquez la nature de la dépense (ex. « Location du stand »).",
                "amount": "Indiquez le montant de la dépense.",
            },
        )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError("Le montant d'une dépense est positif (plus de 0 €).")
        return amount


class DeclaredAidForm(DsfrBaseForm):
    granting_body = forms.CharField(label="Organisme qui a accordé l'aide", max_length=200)
    granted_on = _date("Date d'octroi")
    amount = AmountField(label="Montant (€)")
    regulation = forms.ChoiceField(
        label="Règlement",
        choices=[("", "Choisissez le règlement"), *Regulation.choices],
        initial=Regulation.DE_MINIMIS,
        help_text="Indiqué sur la lettre ou la convention d'attribution.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _french_errors(
            self,
            {
                "granting_body": "Indiquez l'organisme qui a accordé l'aide.",
                "granted_on": "Indiquez la date d'octroi.",
                "amount": "Indiquez le montant de l'aide.",
                "regulation": "Choisissez le règlement dont relève l'aide.",
            },
        )
        self.fields["regulation"].error_messages["invalid_choice"] = "Ce règlement n'existe pas."

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError("Le montant de l'aide est positif (plus de 0 €).")
        return amount


class NoOtherAidForm(DsfrBaseForm):
    declared_no_other_aid = forms.BooleanField(
        label="L'entreprise (et les entreprises qui lui sont liées) n'a reçu aucune aide de "
        "minimis au cours des trois dernières années",
        required=False,
    )


def _file_field() -> forms.FileField:
    return forms.FileField(
        label="Fichier",
        help_text=f"PDF, PNG ou JPEG, {max_megabytes()} Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE, "class": "fr-upload"}),
        error_messages={
            "required": "Choisissez le fichier à joindre.",
            "empty": "Ce fichier est vide.",
            "invalid": "Aucun fichier reçu : choisissez-le de nouveau.",
        },
    )


class DocumentForm(DsfrBaseForm):
    """One document: for a required piece (its label is known) or free (labelled here)."""

    label = forms.CharField(
        label="Ce que contient le document",
        max_length=200,
        required=False,
        help_text="Ex. « Devis du salon », « Bilan 2024 ».",
    )
    file = _file_field()

    def __init__(self, *args, required: RequiredDocument | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        if required is not None:
            del self.fields["label"]

    def clean(self):
        data = super().clean()
        if self.required is None and not (data.get("label") or "").strip():
            self.add_error("label", "Indiquez ce que contient le document.")
        return data


class CompletionForm(DsfrBaseForm):
    """The answers to the missing items: for each one, a document or a text."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            upload = _file_field()
            upload.required = False
            upload.label = f"Document pour « {item.label} »"
            self.fields[f"item_{item.pk}_file"] = upload
            self.fields[f"item_{item.pk}_text"] = forms.CharField(
                label=f"Ou votre réponse écrite à « {item.label} »",
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list[dict]:
        return [
            {
                "item": item,
                "file": self[f"item_{item.pk}_file"],
                "text": self[f"item_{item.pk}_text"],
                "key": f"item_{item.pk}",
            }
            for item in self.items
        ]

    def answers(self) -> dict:
        from guichet.aids.services.intake import Answer

        return {
            item.pk: Answer(
                text=self.cleaned_data.get(f"item_{item.pk}_text") or "",
                upload=self.cleaned_data.get(f"item_{item.pk}_file") or None,
            )
            for item in self.items
        }


# --- the company's account-less form -----------------------------------------------------------


class PublicApplyForm(forms.Form):
    """No account: the scheme, the establishment's SIRET (it must be in the registry), the
    contact who receives the link, the project's title. The honeypot `website` stays empty
    for people; robots fill it."""

    scheme = SchemeChoiceField(
        label="Dispositif d'aide",
        queryset=AidScheme.objects.none(),
        empty_label="Choisissez un dispositif",
        error_messages={
            "required": "Choisissez le dispositif d'aide.",
            "invalid_choice": "Ce dispositif n'existe pas ou ne reçoit plus de demandes.",
        },
    )
    siret = forms.CharField(
        label="Numéro SIRET de l'établissement",
        max_length=20,
        help_text="14 chiffres, sur un extrait Kbis ou une facture.",
    )
    title = forms.CharField(
        label="Intitulé de votre projet",
        max_length=200,
        help_text="Ex. « Recrutement d'un responsable export », « Salon Anuga 2026 ».",
    )
    contact_name = forms.CharField(label="Vos prénom et nom", max_length=200)
    contact_email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Le lien de votre dossier y est envoyé. Format : nom@domaine.fr",
        error_messages={"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
    )
    contact_phone = forms.CharField(
        label="Téléphone", max_length=30, required=False, help_text="Format : 03 80 12 34 56"
    )
    website = forms.CharField(label="Ne pas remplir ce champ", required=False, max_length=200)

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = (
            schemes if schemes is not None else AidScheme.objects.none()
        )
        for name, field in self.fields.items():
            if name != "scheme":
                field.error_messages["required"] = "Ce champ est obligatoire."
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{field.label} : {field.max_length} caractères au plus."
                )

    def clean_siret(self) -> str:
        value = _SPACES.sub("", self.cleaned_data.get("siret") or "").replace(".", "")
        if not value.isdigit() or len(value) != 14:
            raise ValidationError("Le SIRET compte exactement 14 chiffres.")
        if not stdnum_siret.is_valid(value):
            raise ValidationError(
                "Ce numéro SIRET n'existe pas (clé de contrôle fausse) : vérifiez-le."
            )
        return value

    def clean_contact_email(self) -> str:
        return (self.cleaned_data.get("contact_email") or "").strip().lower()

    def clean(self):
        from guichet.desk.forms import reject_markup

        data = super().clean()
        for name in ("title", "contact_name", "contact_phone"):
            try:
                reject_markup(data.get(name) or "")
            except ValidationError as error:
                self.add_error(name, error)
        return data
