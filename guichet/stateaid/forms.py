"""The forms of the state-aid ledger: the date of a position, an aid declared by the company,
the cancellation of a line, single undertakings, the year of the register export. The
services check the values again; their French messages land on the same fields."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.stateaid.models import Regulation
from guichet.stateaid.services import NAME_MAX_LENGTH, REASON_MAX_LENGTH

_DATE_INVALID = _("Date invalide : saisissez une date réelle, par exemple 15/03/2025.")
_AMOUNT_MAX = Decimal("9999999999.99")
_SPACES = re.compile(r"[\s\u00a0\u202f€]")
FIRST_REGISTER_YEAR = 2000
# Positions are asked for between these years (the window needs a real date three years back).
POSITION_YEARS = (1900, 2999)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EuroAmountField(forms.CharField):
    """An amount in euros as people type it: "12 500,50", "12500.50", "12 500 €"."""

    max_chars = 30

    def __init__(self, **kwargs):
        attrs = {"inputmode": "decimal", "maxlength": self.max_chars}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = _SPACES.sub("", super().to_python(value) or "").replace(",", ".")
        if not text:
            return None
        try:
            if len(text) > self.max_chars:
                raise InvalidOperation
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Saisissez un montant en euros, par exemple 12 500 ou 12 500,50."),
                code="invalid",
            ) from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise forms.ValidationError(
                _("Le montant a au plus deux décimales (les centimes)."), code="invalid"
            )
        if abs(amount) > _AMOUNT_MAX:
            raise forms.ValidationError(_("Ce montant est trop grand."), code="invalid")
        return amount


class LedgerDateForm(DsfrBaseForm):
    at = forms.DateField(
        label=_("Position au"),
        required=False,
        widget=_date_widget(),
        error_messages={"invalid": _DATE_INVALID},
        help_text=_("Les aides comptées sont celles des trois années qui se terminent ce jour."),
    )

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at is not None and not POSITION_YEARS[0] <= at.year <= POSITION_YEARS[1]:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s.")
                % {"first": POSITION_YEARS[0], "last": POSITION_YEARS[1]}
            )
        return at

    def position_date(self):
        """The date asked for, or today when none (or a wrong one) was given."""
        if self.is_valid() and self.cleaned_data.get("at"):
            return self.cleaned_data["at"]
        return timezone.localdate()


class DeclaredAidForm(DsfrBaseForm):
    granting_body = forms.CharField(
        label=_("Organisme qui a accordé l'aide"),
        max_length=200,
        help_text=_("Par exemple : Bpifrance, Département de la Côte-d'Or, Business France."),
        error_messages={"required": _("Indiquez l'organisme qui a accordé l'aide.")},
    )
    granted_on = forms.DateField(
        label=_("Date d'octroi"),
        widget=_date_widget(),
        help_text=_(
            "Le jour où l'entreprise a acquis le droit à l'aide (date de la décision ou de la "
            "convention), pas celui du versement."
        ),
        error_messages={"required": _("Indiquez la date d'octroi."), "invalid": _DATE_INVALID},
    )
    amount = EuroAmountField(
        label=_("Montant en équivalent-subvention brut (€)"),
        help_text=_("Pour une subvention, son montant ; pour un prêt ou une garantie, l'ESB."),
        error_messages={"required": _("Indiquez le montant de l'aide.")},
    )
    regulation = forms.ChoiceField(
        label=_("Règlement"),
        choices=Regulation.choices,
        initial=Regulation.DE_MINIMIS,
        help_text=_("Il figure sur la décision ou l'attestation de l'organisme."),
        error_messages={
            "required": _("Choisissez le règlement."),
            "invalid_choice": _("Choisissez un règlement de la liste."),
        },
    )
    description = forms.CharField(
        label=_("Objet de l'aide"),
        max_length=300,
        help_text=_("Par exemple : prêt d'honneur export, subvention salon Sial 2024."),
        error_messages={"required": _("Indiquez l'objet de l'aide.")},
    )


class CancelGrantForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : aide retirée par décision du 12/05/2025, saisie en double."),
        error_messages={"required": _("Indiquez pourquoi l'aide est annulée.")},
    )


_REASON_HELP = _(
    "Le lien de contrôle : majorité des droits de vote, pouvoir de nommer la direction, "
    "influence dominante, pacte d'actionnaires."
)


class UndertakingGroupForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Nom de l'entreprise unique"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Par exemple le nom de la société mère : « Groupe Martin »."),
        error_messages={"required": _("Donnez un nom à l'entreprise unique.")},
    )
    reason = forms.CharField(
        label=_("Motif du rattachement"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_REASON_HELP,
        error_messages={"required": _("Indiquez le motif du rattachement.")},
    )


class LinkCompanyForm(DsfrBaseForm):
    siren = forms.CharField(
        label=_("SIREN de l'entreprise à rattacher"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("9 chiffres, par exemple 552 100 554."),
        error_messages={"required": _("Indiquez le SIREN de l'entreprise.")},
    )
    reason = forms.CharField(
        label=_("Motif du lien"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_REASON_HELP,
        error_messages={"required": _("Indiquez le motif du lien.")},
    )

    def clean_siren(self) -> str:
        siren = re.sub(r"\s", "", self.cleaned_data["siren"])
        if not re.fullmatch(r"\d{9}", siren):
            raise forms.ValidationError(_("Le SIREN compte exactement 9 chiffres."))
        return siren


class UnlinkCompanyForm(DsfrBaseForm):
    company = forms.TypedChoiceField(
        label=_("Entreprise à retirer"),
        coerce=int,
        error_messages={
            "required": _("Choisissez l'entreprise à retirer."),
            "invalid_choice": _("Choisissez une entreprise du groupe."),
        },
    )
    reason = forms.CharField(
        label=_("Motif du retrait"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : participation cédée le 30/06/2025."),
        error_messages={"required": _("Indiquez le motif du retrait.")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [("", _("Choisir une entreprise"))] + [
            (m.company_id, f"{m.company.name} — {m.company.siren_display}") for m in members
        ]


class RegisterYearForm(DsfrBaseForm):
    year = forms.IntegerField(
        label=_("Année d'octroi"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Saisissez une année, par exemple 2025.")},
    )

    def clean_year(self):
        year = self.cleaned_data.get("year")
        last = timezone.localdate().year
        if year is not None and not FIRST_REGISTER_YEAR <= year <= last:
            raise forms.ValidationError(
                _("Choisissez une année entre %(first)s et %(last)s.")
                % {"first": FIRST_REGISTER_YEAR, "last": last}
            )
        return year

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
