"""Forms of the results pages: a line of the action plan, the target countries, the choice of
two diagnostics to compare. The services check the values again (French messages too)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.diagnostics.plan import TITLE_MAX_LENGTH, WHY_MAX_LENGTH
from guichet.diagnostics.services.plan import MAX_TARGET_COUNTRIES, OWNER_MAX_LENGTH
from guichet.reference.models import Country

_DATE_ERRORS = {"invalid": _("Saisissez une date valide, par exemple 15/03/2026.")}


_LENGTH = _("Ce texte fait %(show_value)d caractères ; %(limit_value)d au plus.")


class PlanLineForm(DsfrBaseForm):
    """A line of the plan, as the advisor writes or corrects it. `step=True` (a next step)
    makes the owner required: a step nobody leads does not happen."""

    title = forms.CharField(
        label=_("Intitulé"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Par exemple « Définir 3 pays cibles »."),
        error_messages={
            "required": _("Donnez un intitulé à la ligne du plan."),
            "max_length": _LENGTH,
        },
    )
    why = forms.CharField(
        label=_("Pourquoi"),
        required=False,
        max_length=WHY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _LENGTH},
    )
    owner = forms.CharField(
        label=_("Qui"),
        max_length=OWNER_MAX_LENGTH,
        help_text=_("« Entreprise », le nom d'un partenaire ou d'une personne."),
        error_messages={
            "required": _("Indiquez qui mène cette étape (par exemple « Entreprise »)."),
            "max_length": _LENGTH,
        },
    )
    due_on = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_DATE_ERRORS,
    )

    def __init__(self, *args, step: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].required = step


class PlanOfferForm(DsfrBaseForm):
    """An offer of the catalogue added to the plan: its title and provider are taken over."""

    offer = forms.ModelChoiceField(
        label=_("Offre du catalogue"),
        queryset=None,
        empty_label=_("— Choisissez une offre —"),
        error_messages={
            "required": _("Choisissez une offre du catalogue."),
            "invalid_choice": _("Cette offre n'est plus au catalogue."),
        },
    )
    why = forms.CharField(
        label=_("Pourquoi"),
        required=False,
        max_length=WHY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple le score de la dimension que l'offre aide à travailler."),
        error_messages={"max_length": _LENGTH},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from guichet.offers.selectors import active_offers

        self.fields["offer"].queryset = active_offers()


class TargetCountriesForm(DsfrBaseForm):
    countries = forms.ModelMultipleChoiceField(
        label=_("Pays cibles"),
        queryset=Country.objects.order_by("sort_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("%(max)s pays au plus. Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.")
        % {"max": MAX_TARGET_COUNTRIES},
        error_messages={"invalid_choice": _("Un des pays choisis n'existe pas.")},
    )


class CompareForm(DsfrBaseForm):
    earlier = forms.TypedChoiceField(label=_("Diagnostic de départ"), coerce=int)
    later = forms.TypedChoiceField(label=_("Comparé au diagnostic"), coerce=int)

    def __init__(self, *args, diagnostics, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.pk, _choice_label(d)) for d in reversed(diagnostics)]
        for name in ("earlier", "later"):
            self.fields[name].choices = choices
            self.fields[name].error_messages = {
                "required": _("Choisissez un diagnostic."),
                "invalid_choice": _("Choisissez un des diagnostics terminés de l'entreprise."),
            }

    def clean(self):
        data = super().clean()
        if data.get("earlier") and data.get("earlier") == data.get("later"):
            self.add_error("later", _("Choisissez deux diagnostics différents."))
        return data


def _choice_label(diagnostic) -> str:
    day = timezone.localtime(diagnostic.completed_at or diagnostic.started_at)
    overall = diagnostic.overall_score
    score = f" — {str(overall).replace('.', ',')}/100" if overall is not None else ""
    return f"{day:%d/%m/%Y} (version {diagnostic.version.number}){score}"
