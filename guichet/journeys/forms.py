"""The forms of the timeline (an exchange), the journey (stage, lead advisor) and next actions;
the services check the values again."""

from datetime import timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.forms_filieres import filiere_filter_field
from guichet.core.forms import PersonChoiceField
from guichet.core.permissions import is_platform_admin
from guichet.journeys.models import Stage, TimelineEvent
from guichet.journeys.services import NOTE_KINDS, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from guichet.journeys.services.actions import NOTES_MAX_LENGTH
from guichet.journeys.services.actions import TITLE_MAX_LENGTH as ACTION_TITLE_MAX_LENGTH
from guichet.journeys.services.journey import REASON_MAX_LENGTH
from guichet.partners.forms import partner_filter_field
from guichet.partners.models import User
from guichet.reference.models import Departement

_ALL = [("", _("Tous les types"))]


class TimelineNoteForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Type d'échange"),
        choices=[(kind.value, kind.label) for kind in NOTE_KINDS],
        initial=TimelineEvent.Kind.CALL,
        error_messages={"required": _("Choisissez le type d'échange.")},
    )
    occurred_at = forms.DateField(
        label=_("Date de l'échange"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Indiquez la date de l'échange."),
            "invalid": _("Saisissez une date valide, par exemple 15/03/2025."),
        },
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("En quelques mots, par exemple « Appel de suivi du projet Allemagne »."),
        error_messages={"required": _("Donnez un titre à l'échange.")},
    )
    text = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("%(max)s caractères au plus.") % {"max": TEXT_MAX_LENGTH},
    )
    confidential = forms.BooleanField(
        label=_("Confidentiel"),
        required=False,
        help_text=_("Seuls les membres de votre organisation verront cet échange."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localdate()


class TimelineFilterForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Type d'échange"), required=False, choices=_ALL + TimelineEvent.Kind.choices
    )


# --- Journey ---------------------------------------------------------------------------------

WORKING_ROLES = ("advisor", "instructor", "expert", "manager", "admin")


def working_people(organisation_id: int | None = None) -> QuerySet[User]:
    """Active members who work with companies (of one organisation, or of all)."""
    working = User.objects.filter(roles__code__in=WORKING_ROLES).values("pk")
    people = (
        User.objects.filter(is_active=True, pk__in=working, organisation__isnull=False)
        .exclude(roles__code="readonly")
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
    if organisation_id is not None:
        people = people.filter(organisation_id=organisation_id)
    return people


def people_for(user) -> QuerySet[User]:
    """Whom a member may name lead advisor or give an action to: their organisation's working
    members (an administrator: everyone's)."""
    if is_platform_admin(user):
        return working_people()
    return working_people(user.organisation_id)


def _date_field(label: str, *, required: bool, help_text: str = "", missing: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": missing or _("Indiquez une date."),
            "invalid": _("Saisissez une date valide, par exemple 15/03/2025."),
        },
    )


class StageForm(DsfrBaseForm):
    stage = forms.ChoiceField(
        label=_("Nouvelle étape"),
        choices=Stage.choices,
        error_messages={
            "required": _("Choisissez l'étape."),
            "invalid_choice": _("Cette étape n'existe pas."),
        },
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_(
            "Obligatoire pour une sortie du parcours, par exemple « Pas de projet export »."
        ),
        error_messages={"max_length": _("Le motif fait %(limit_value)d caractères au plus.")},
    )
    on = _date_field(
        _("Date du changement"),
        required=False,
        help_text=_("Aujourd'hui si vous la laissez vide."),
    )

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("La date du changement ne peut pas être future."))
        return on

    def clean(self):
        data = super().clean()
        if data.get("stage") == Stage.DROPPED and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Indiquez pourquoi l'entreprise sort du parcours (motif de sortie).")
            )
        return data


class LeadForm(DsfrBaseForm):
    lead_advisor = PersonChoiceField(
        with_organisation=True,
        label=_("Conseiller référent"),
        queryset=User.objects.none(),
        empty_label=_("Choisissez une personne"),
        error_messages={
            "required": _("Choisissez le conseiller référent."),
            "invalid_choice": _("Choisissez une personne de la liste."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_advisor"].queryset = people_for(user)


class NextActionForm(DsfrBaseForm):
    title = forms.CharField(
        label=_("Action à mener"),
        max_length=ACTION_TITLE_MAX_LENGTH,
        help_text=_("Par exemple « Envoyer le dossier Assurance prospection »."),
        error_messages={
            "required": _("Indiquez l'action à mener."),
            "max_length": _("L'action fait %(limit_value)d caractères au plus."),
        },
    )
    due_on = _date_field(_("Échéance"), required=True, missing=_("Indiquez l'échéance."))
    assignee = PersonChoiceField(
        with_organisation=True,
        label=_("Confiée à"),
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choisissez à qui confier l'action."),
            "invalid_choice": _("Choisissez une personne de la liste."),
        },
    )
    notes = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Les précisions font %(limit_value)d caractères au plus.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people_for(user)
        self.fields["assignee"].initial = user.pk
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=7)

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(
                _("L'échéance est passée : choisissez aujourd'hui ou une date à venir.")
            )
        return due_on


# --- Portfolio, transfer, funnel -------------------------------------------------------------


class PortfolioFilterForm(DsfrBaseForm):
    conseiller = PersonChoiceField(
        with_organisation=True,
        label=_("Conseiller"),
        queryset=User.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez une personne de la liste.")},
    )
    stage = forms.ChoiceField(
        label=_("Étape"),
        required=False,
        choices=[("", _("Toutes les étapes")), *Stage.choices],
        error_messages={"invalid_choice": _("Cette étape n'existe pas.")},
    )
    filiere = filiere_filter_field()
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.none(),
        required=False,
        empty_label=_("Tous les départements"),
        error_messages={"invalid_choice": _("Département inconnu.")},
    )
    jours = forms.IntegerField(
        label=_("Sans contact depuis (jours)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Délai au-delà duquel une entreprise est à relancer."),
        error_messages={
            "invalid": _("Saisissez un nombre entier de jours."),
            "min_value": _("Saisissez au moins 1 jour."),
            "max_value": _("Saisissez 3 650 jours (10 ans) au plus."),
        },
    )
    relance = forms.BooleanField(label=_("Seulement les entreprises à relancer"), required=False)

    def __init__(self, *args, owners, departements, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["conseiller"]
        else:
            self.fields["conseiller"].queryset = owners
        self.fields["departement"].queryset = departements
        self.fields["jours"].initial = default_days
        self.fields["jours"].widget.attrs["placeholder"] = str(default_days)


class TransferForm(DsfrBaseForm):
    scope = forms.ChoiceField(
        label=_("Entreprises à transférer"),
        choices=[
            ("all", _("Tout le portefeuille")),
            ("some", _("Seulement les entreprises cochées ci-dessous")),
        ],
        initial="all",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez ce qui est transféré.")},
    )
    companies = forms.MultipleChoiceField(
        label=_("Entreprises"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Une entreprise cochée n'est plus dans ce portefeuille.")
        },
    )
    to_user = PersonChoiceField(
        with_organisation=True,
        label=_("Collègue qui reprend le suivi"),
        queryset=User.objects.none(),
        empty_label=_("Choisissez un collègue"),
        error_messages={
            "required": _("Choisissez le collègue qui reprend le suivi."),
            "invalid_choice": _("Choisissez un collègue de la liste."),
        },
    )

    def __init__(self, *args, companies, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].choices = companies
        self.fields["to_user"].queryset = colleagues

    def clean(self):
        data = super().clean()
        if data.get("scope") == "some" and not data.get("companies"):
            self.add_error("companies", _("Cochez au moins une entreprise à transférer."))
        return data

    def company_ids(self) -> list[int] | None:
        if self.cleaned_data["scope"] == "all":
            return None
        return [int(pk) for pk in self.cleaned_data["companies"]]


class FunnelFilterForm(DsfrBaseForm):
    partner = partner_filter_field()
    filiere = filiere_filter_field()
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.none(),
        required=False,
        empty_label=_("Tous les départements"),
        error_messages={"invalid_choice": _("Département inconnu.")},
    )

    def __init__(self, *args, partners, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["departement"].queryset = departements
