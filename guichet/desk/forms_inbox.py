"""Forms of the partner inbox: filters, bulk actions, a partner's answer, assignment, spam,
manual orientation, absences and hand-over. The services check every value again; their
French errors are shown on the same form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.core.forms import PersonChoiceField
from guichet.desk.models import DeskPolicy, MatchStatus, RefusalReason, Subject
from guichet.desk.selectors import InboxFilters, age_choices
from guichet.desk.services.answers import COMMENT_MAX
from guichet.partners.models import Organisation
from guichet.reference.models import Departement

OPEN = "open"
ALL = "all"
STATUS_CHOICES = [
    (OPEN, _("À traiter (en attente et prises en charge)")),
    (ALL, _("Toutes")),
    *MatchStatus.choices,
]


class InboxFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Référence ou entreprise"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=STATUS_CHOICES,
        initial=OPEN,
        error_messages={"invalid_choice": _("État inconnu : « %(value)s ».")},
    )
    subject = forms.ModelChoiceField(
        label=_("Sujet"),
        required=False,
        queryset=Subject.objects.order_by("order", "label"),
        to_field_name="code",
        empty_label=_("Tous les sujets"),
        error_messages={"invalid_choice": _("Sujet inconnu.")},
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        required=False,
        queryset=Departement.objects.order_by("code"),
        empty_label=_("Tous les départements"),
        error_messages={"invalid_choice": _("Département inconnu.")},
    )
    age = forms.ChoiceField(
        label=_("Ancienneté de l'orientation"),
        required=False,
        error_messages={"invalid_choice": _("Ancienneté inconnue : « %(value)s ».")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Toutes les organisations"),
        error_messages={"invalid_choice": _("Organisation inconnue.")},
    )
    mine = forms.BooleanField(
        label=_("Seulement les demandes qui me sont confiées"), required=False
    )

    def __init__(self, *args, policy: DeskPolicy, all_organisations: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age"].choices = [("", _("Toutes les anciennetés")), *age_choices(policy)]
        self.fields["departement"].label_from_instance = lambda d: f"{d.code} — {d.name}"
        if not all_organisations:
            del self.fields["organisation"]

    def filters(self) -> InboxFilters:
        """The filters asked for; a wrong value is dropped (and shown as an error)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        organisation = data.get("organisation")
        return InboxFilters(
            status=data.get("status") or OPEN,
            subject=data["subject"].code if data.get("subject") else "",
            departement=data["departement"].code if data.get("departement") else "",
            age=data.get("age") or "",
            mine=bool(data.get("mine")),
            q=(data.get("q") or "").strip(),
            organisation=organisation.pk if organisation else None,
        )


class BulkForm(forms.Form):
    TAKE = "take"
    ASSIGN = "assign"

    matches = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Cochez au moins une demande dans la liste."),
            "invalid_choice": _("Une des demandes cochées n'est plus dans votre boîte."),
            "invalid_pk_value": _("Une des demandes cochées n'est plus dans votre boîte."),
        },
    )
    action = forms.ChoiceField(
        choices=[(TAKE, _("Prendre en charge")), (ASSIGN, _("Confier à"))],
        error_messages={
            "required": _("Choisissez une action."),
            "invalid_choice": _("Action inconnue."),
        },
    )
    assignee = PersonChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choisissez un membre de votre organisation.")},
    )
    query = forms.CharField(required=False)

    def __init__(self, *args, matches, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matches"].queryset = matches
        self.fields["assignee"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.ASSIGN and not cleaned.get("assignee"):
            self.add_error("assignee", _("Choisissez le collègue à qui confier les demandes."))
        return cleaned


ANSWER_CHOICES = [
    (MatchStatus.TAKEN, _("Je prends en charge : l'entreprise sera prévenue")),
    (MatchStatus.DONE, _("Close : l'entreprise a été aidée")),
    (MatchStatus.DONE_NO_HELP, _("Close : l'entreprise a été contactée, sans suite")),
    (MatchStatus.UNREACHABLE, _("Close : entreprise injoignable")),
    (MatchStatus.REFUSED, _("Pas pour nous : la demande passe au partenaire suivant")),
]


class AnswerForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label=_("Votre réponse"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une réponse."),
            "invalid_choice": _("Réponse inconnue."),
        },
    )
    refusal_reason = forms.ChoiceField(
        label=_("Motif du refus"),
        required=False,
        choices=[("", _("Choisir un motif")), *RefusalReason.choices],
        help_text=_("Exigé en cas de refus."),
        error_messages={"invalid_choice": _("Motif inconnu.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("À préciser pour le motif « Autre motif »."),
        error_messages={
            "max_length": _("Le commentaire dépasse %(limit_value)d caractères."),
        },
    )

    def __init__(self, *args, match, **kwargs):
        super().__init__(*args, **kwargs)
        choices = ANSWER_CHOICES
        if match.status == MatchStatus.TAKEN:
            choices = [c for c in choices if c[0] != MatchStatus.TAKEN]
        self.fields["status"].choices = choices


class AssignForm(DsfrBaseForm):
    assignee = PersonChoiceField(
        label=_("Confier à"),
        queryset=None,
        empty_label=_("Choisir un collègue"),
        error_messages={
            "required": _("Choisissez un collègue."),
            "invalid_choice": _("Choisissez un membre actif de l'organisation."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people


class SpamForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=200,
        help_text=_("Par exemple : publicité, message sans rapport avec l'export, test."),
        error_messages={
            "required": _("Indiquez pourquoi la demande est indésirable."),
            "max_length": _("Le motif dépasse %(limit_value)d caractères."),
        },
    )


class RerouteForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation partenaire"),
        queryset=None,
        empty_label=_("Choisir une organisation"),
        error_messages={
            "required": _("Choisissez l'organisation à qui transmettre la demande."),
            "invalid_choice": _("Cette organisation ne peut pas recevoir la demande."),
        },
    )
    subject = forms.ModelChoiceField(
        label=_("Sujet"),
        required=False,
        queryset=None,
        empty_label=_("Sans sujet particulier"),
        error_messages={"invalid_choice": _("Ce sujet n'est pas un sujet de la demande.")},
    )

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, **kwargs)
        holding = [m.organisation_id for m in need.matches.all()]
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(is_active=True).exclude(pk__in=holding).order_by("name")
        )
        self.fields["subject"].queryset = need.subjects.order_by("order", "label")


_DATE_ERRORS = {
    "invalid": _("Saisissez une date valide, par exemple 15/03/2026."),
}


class AbsenceForm(DsfrBaseForm):
    user = PersonChoiceField(
        label=_("Personne absente"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Vous ne pouvez pas déclarer l'absence de ce membre.")},
    )
    starts_on = forms.DateField(
        label=_("Du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez le premier jour d'absence."), **_DATE_ERRORS},
    )
    ends_on = forms.DateField(
        label=_("Au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez le dernier jour d'absence."), **_DATE_ERRORS},
    )
    delegate = PersonChoiceField(
        label=_("Remplacée par"),
        queryset=None,
        empty_label=_("Choisir un collègue"),
        help_text=_("Ses demandes en cours lui sont confiées pendant l'absence."),
        error_messages={
            "required": _("Choisissez le collègue qui reprend les demandes."),
            "invalid_choice": _("Choisissez un membre actif de l'organisation."),
        },
    )

    def __init__(self, *args, people, absentees, cross_organisation: bool, **kwargs):
        """`absentees` None: the person declares their own absence (no choice of person)."""
        super().__init__(*args, **kwargs)
        if absentees is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = absentees
            self.fields["user"].with_organisation = cross_organisation
        self.fields["delegate"].queryset = people
        self.fields["delegate"].with_organisation = cross_organisation


class HandOverForm(DsfrBaseForm):
    to_user = PersonChoiceField(
        label=_("Collègue qui reprend le travail"),
        queryset=None,
        empty_label=_("Choisir un collègue"),
        error_messages={
            "required": _("Choisissez le collègue qui reprend le travail."),
            "invalid_choice": _("Choisissez un membre actif de la même organisation."),
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = people
