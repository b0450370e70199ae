"""Forms of the company file: the export profile and contacts. Values are checked again by the
services, which the API shares; these forms add the French labels and keep what was typed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.models import Contact, ExportFact, ExportStatus
from guichet.companies.services import CONTACT_FIELDS, TurnoverBand, phone_normalise
from guichet.reference.models import Country

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_NOT_GIVEN = [("", _("— Non renseigné —"))]


def _country_choices() -> list[tuple[str, str]]:
    return list(Country.objects.order_by("sort_name").values_list("iso2", "name_fr"))


def _not_in_future(value, message: str):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


class ExportProfileForm(DsfrBaseForm):
    """One form for the whole profile; the service records a fact per changed value only."""

    status = forms.ChoiceField(
        label=_("Statut export"), required=False, choices=_NOT_GIVEN + ExportStatus.choices
    )
    export_share = forms.DecimalField(
        label=_("Part du chiffre d'affaires à l'export (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    turnover_band = forms.ChoiceField(
        label=_("Tranche de chiffre d'affaires"),
        required=False,
        choices=_NOT_GIVEN + TurnoverBand.choices,
    )
    countries_served = forms.MultipleChoiceField(
        label=_("Pays servis"),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    countries_targeted = forms.MultipleChoiceField(
        label=_("Pays visés"),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    clusters = forms.CharField(
        label=_("Pôles et clusters"),
        required=False,
        help_text=_("Un nom par ligne, par exemple Vitagora ou Pôle Véhicule du Futur."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    innovative = forms.BooleanField(label=_("Entreprise innovante"), required=False)
    observed_on = forms.DateField(
        label=_("Date du constat"),
        widget=_DATE,
        help_text=_("Date à laquelle ces informations étaient vraies."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=ExportFact.Source.choices)
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=300)

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        countries = _country_choices()
        self.fields["countries_served"].choices = countries
        self.fields["countries_targeted"].choices = countries
        self.fields["observed_on"].initial = timezone.localdate()
        self.fields["source"].initial = ExportFact.Source.ADVISOR
        for attribute, fact in current.items():
            if fact is not None:
                value = fact.value
                self.fields[attribute].initial = (
                    "\n".join(value) if attribute == "clusters" else value
                )

    def clean_observed_on(self):
        return _not_in_future(
            self.cleaned_data["observed_on"],
            _("La date du constat ne peut pas être dans le futur."),
        )

    def profile_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ExportFact.Attribute.values}


class ContactForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)
        widgets = {"last_contact_on": _DATE}
        help_texts = {
            "phone": _("Format français (03 80 12 34 56) ou international (+49 30 1234567)."),
            "legal_basis": _(
                "Fondement du traitement (RGPD, art. 6) ; la personne en est informée au "
                "premier contact."
            ),
        }

    def clean_phone(self):
        return phone_normalise(self.cleaned_data["phone"])

    def clean_last_contact_on(self):
        return _not_in_future(
            self.cleaned_data["last_contact_on"],
            _("La date du dernier contact ne peut pas être dans le futur."),
        )
