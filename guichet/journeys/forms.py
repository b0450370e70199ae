"""The form through which an advisor logs an exchange; the service checks the values again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.journeys.models import TimelineEvent
from guichet.journeys.services import NOTE_KINDS, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH

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
