"""Forms of the diagnostics pages.

The filling page is rendered from the questionnaire (its questions are data), so its answers
are read from the POST by `values_from_post` and checked by the filling service — the same
checks and French messages as the API. The administrators' forms (start, question, scoring
notes) are DSFR forms whose values go through the versioning services."""

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from guichet.diagnostics.models import Diagnostic, Question, QuestionnaireVersion
from guichet.diagnostics.services.versions import (
    LABEL_MAX,
    NOTES_MAX,
    RECOMMENDATION_MAX,
    TEXT_MAX,
)

Kind = Question.Kind
FIELD_PREFIX = "q-"


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.code}"


def values_from_post(questions, data) -> dict:
    """The values of `questions` sent by the page, by question code.

    A radio group (single choice, scale) left untouched is absent from the POST: its stored
    answer is kept. Unticking every box of a multiple choice removes its answer; an emptied
    number or text removes it too."""
    values = {}
    for question in questions:
        name = field_name(question)
        if question.kind == Kind.MULTIPLE:
            values[question.code] = data.getlist(name)
        elif name in data:
            values[question.code] = data.get(name, "")
    return values


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class StartForm(DsfrBaseForm):
    version = forms.ModelChoiceField(
        label="Questionnaire",
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choisissez le questionnaire.",
            "invalid_choice": "Ce questionnaire n'est pas publié : choisissez-en un de la liste.",
        },
    )
    filled_by = forms.ChoiceField(
        label="Qui répond ?",
        choices=Diagnostic.FilledBy.choices,
        initial=Diagnostic.FilledBy.ADVISOR,
        widget=forms.RadioSelect,
        help_text="Par lien, l'entreprise répond seule, sans compte ; vous complétez ensuite "
        "le diagnostic avec elle.",
        error_messages={
            "required": "Indiquez qui répond au questionnaire.",
            "invalid_choice": "Choisissez le conseiller ou l'entreprise.",
        },
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.questionnaire.title} (version {v.number})"
        )
        first = versions.first()
        if first is not None:
            self.fields["version"].initial = first.pk


class VersionNotesForm(DsfrBaseForm):
    scoring_notes = forms.CharField(
        label="Comment le score est calculé",
        help_text="Le texte montré aux conseillers et aux entreprises sur le questionnaire et "
        "pendant le remplissage. Séparez les paragraphes par une ligne vide.",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=NOTES_MAX,
        error_messages={
            "required": "Expliquez comment le score est calculé.",
            "max_length": f"{NOTES_MAX} caractères au plus.",
        },
    )


_DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


class QuestionEditForm(DsfrBaseForm):
    """A draft's question, and the label, score and recommendation of each of its options."""

    text = forms.CharField(
        label="Question",
        max_length=TEXT_MAX,
        error_messages={
            "required": "Le texte de la question est obligatoire.",
            "max_length": f"{TEXT_MAX} caractères au plus.",
        },
    )
    help_text = forms.CharField(
        label="Aide",
        required=False,
        max_length=TEXT_MAX,
        error_messages={"max_length": f"{TEXT_MAX} caractères au plus."},
    )
    weight = forms.CharField(
        label="Poids",
        help_text="De 0 à 10 ; une question de poids 2 compte double dans sa dimension, "
        "0 la rend non notée.",
        widget=forms.TextInput(attrs=_DECIMAL),
        error_messages={"required": "Indiquez le poids de la question."},
    )
    required = forms.BooleanField(
        label="Réponse obligatoire pour terminer le diagnostic", required=False
    )

    def __init__(self, *args, question: Question, **kwargs):
        initial = {
            "text": question.text,
            "help_text": question.help_text,
            "weight": _plain(question.weight),
            "required": question.required,
        }
        self.options = list(question.options.order_by("order", "pk"))
        for index, option in enumerate(self.options):
            initial[f"options-{index}-label"] = option.label
            initial[f"options-{index}-score"] = _plain(option.score)
            initial[f"options-{index}-recommendation"] = option.recommendation
        super().__init__(*args, initial=initial, **kwargs)
        for index in range(len(self.options)):
            self._add_option_fields(index)

    def _add_option_fields(self, index: int) -> None:
        self.fields[f"options-{index}-label"] = forms.CharField(
            label="Libellé",
            max_length=LABEL_MAX,
            error_messages={
                "required": "Le libellé de la réponse est obligatoire.",
                "max_length": f"{LABEL_MAX} caractères au plus.",
            },
        )
        self.fields[f"options-{index}-score"] = forms.CharField(
            label="Score",
            help_text="De 0 (point faible) à 1 (point acquis), par exemple 0,5.",
            widget=forms.TextInput(attrs=_DECIMAL),
            error_messages={"required": "Indiquez le score de la réponse, de 0 à 1."},
        )
        self.fields[f"options-{index}-recommendation"] = forms.CharField(
            label="Recommandation si elle est choisie",
            required=False,
            max_length=RECOMMENDATION_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"max_length": f"{RECOMMENDATION_MAX} caractères au plus."},
        )

    def option_groups(self) -> list[tuple]:
        """(option, label field, score field, recommendation field) for the template."""
        return [
            (
                option,
                self[f"options-{i}-label"],
                self[f"options-{i}-score"],
                self[f"options-{i}-recommendation"],
            )
            for i, option in enumerate(self.options)
        ]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "help_text": data["help_text"],
            "weight": data["weight"],
            "required": data["required"],
            "options": [
                {
                    "code": option.code,
                    "label": data[f"options-{i}-label"],
                    "score": data[f"options-{i}-score"],
                    "recommendation": data[f"options-{i}-recommendation"],
                }
                for i, option in enumerate(self.options)
            ],
        }


def _plain(value) -> str:
    """A decimal as a French user types it: 1,5 rather than 1.50."""
    text = format(value.normalize(), "f") if value is not None else ""
    return text.replace(".", ",")
