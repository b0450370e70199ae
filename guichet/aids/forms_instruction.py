"""Forms of the list of applications and of their instruction. The services check every value
again; their French errors are shown on the same form, with what the user typed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.aids.forms_intake import AmountField
from guichet.aids.models import AidScheme, ApplicationStatus, CommitteeSession, Opinion
from guichet.aids.selectors import PENDING_FILTER, ApplicationFilters
from guichet.partners.models import Organisation

STATUS_CHOICES = [
    ("", _("Tous les états")),
    (
        PENDING_FILTER,
        _("En attente de décision (déposées, incomplètes, en instruction, en commission)"),
    ),
    *ApplicationStatus.choices,
]

_MONEY_ERRORS = {
    "required": _("Indiquez un montant."),
    "invalid": _("Saisissez un montant en euros, par exemple 12 500 ou 12 500,50."),
    "min_value": _("Le montant ne peut pas être négatif."),
    "max_digits": _("Le montant est trop élevé."),
    "max_decimal_places": _("Le montant s'exprime en euros et centimes (deux décimales)."),
    "max_whole_digits": _("Le montant est trop élevé."),
}


class _InstructionAmount(AmountField):
    """An amount as French people type it ("30 000", "12 500,50"), never negative."""

    invalid_message = str(_MONEY_ERRORS["invalid"])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["required"] = _MONEY_ERRORS["required"]

    def clean(self, value):
        number = super().clean(value)
        if number is not None and number < 0:
            raise forms.ValidationError(_MONEY_ERRORS["min_value"])
        return number


def money_field(label: str, help_text: str = "") -> forms.Field:
    return _InstructionAmount(label=label, help_text=help_text)


class ApplicationFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Entreprise, SIREN ou référence"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    scheme = forms.ModelChoiceField(
        label=_("Dispositif"),
        required=False,
        queryset=AidScheme.objects.order_by("name", "pk"),
        to_field_name="slug",
        empty_label=_("Tous les dispositifs"),
        error_messages={"invalid_choice": _("Dispositif inconnu.")},
    )
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": _("État inconnu : « %(value)s ».")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisme qui suit le dossier"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Tous les organismes"),
        error_messages={"invalid_choice": _("Organisme inconnu.")},
    )
    year = forms.TypedChoiceField(
        label=_("Année de dépôt"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Année sans dossier : « %(value)s ».")},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes les années"))] + [
            (str(y), str(y)) for y in years
        ]

    def filters(self) -> ApplicationFilters:
        """The filters asked for; a wrong value is dropped (and shown as an error)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        scheme, organisation = data.get("scheme"), data.get("organisation")
        return ApplicationFilters(
            q=(data.get("q") or "").strip(),
            scheme=scheme.pk if scheme else None,
            status=data.get("status") or "",
            organisation=organisation.pk if organisation else None,
            year=data.get("year"),
        )


class MissingItemsForm(DsfrBaseForm):
    documents = forms.ModelMultipleChoiceField(
        label=_("Pièces du dispositif à fournir"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette pièce n'est pas une pièce du dispositif.")},
    )
    items = forms.CharField(
        label=_("Autres éléments manquants"),
        help_text=_("Un élément par ligne, tel que l'entreprise le lira dans le courriel."),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = application.scheme.required_documents.order_by(
            "order", "pk"
        )

    def clean(self):
        data = super().clean()
        if not data.get("documents") and not (data.get("items") or "").strip():
            raise forms.ValidationError(
                _("Cochez une pièce ou écrivez au moins un élément manquant.")
            )
        return data

    def item_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("items", "").splitlines() if line.strip()]


class InstructForm(DsfrBaseForm):
    eligible_costs = money_field(
        _("Dépenses éligibles retenues (€ HT)"),
        _("Les dépenses prévues qui entrent dans les catégories du dispositif."),
    )
    proposed_amount = money_field(
        _("Montant proposé (€)"), _("Au plus le montant éligible calculé ci-dessus.")
    )
    opinion = forms.ChoiceField(
        label=_("Avis de l'instructeur"),
        choices=Opinion.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un avis."),
            "invalid_choice": _("Avis inconnu."),
        },
    )
    opinion_text = forms.CharField(
        label=_("Motivation de l'avis"),
        help_text=_("Obligatoire pour un avis défavorable ou avec réserves."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ProposeForm(DsfrBaseForm):
    session = forms.ModelChoiceField(
        label=_("Séance de la commission"),
        queryset=CommitteeSession.objects.none(),
        empty_label=_("Choisir une séance prévue"),
        error_messages={
            "required": _("Choisissez une séance de la commission."),
            "invalid_choice": _("Cette séance n'est plus proposée : choisissez-en une prévue."),
        },
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class WithdrawForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif du retrait"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif du retrait.")},
    )
