"""The impact page's form: the outcome, the period of support and the matching method."""

from django import forms
from dsfr.forms import DsfrBaseForm

from guichet.plans.impact import CEM, PROPENSITY
from guichet.plans.impact_data import OUTCOMES

METHOD_CHOICES = [
    (PROPENSITY, "Score de propension (plus proche voisin, avec une distance maximale)"),
    (CEM, "Appariement exact sur les caractéristiques regroupées (CEM)"),
]
EARLIEST_YEAR = 2000
YEAR_ERRORS = {
    "required": "Indiquez l'année.",
    "invalid": "Indiquez une année sur quatre chiffres, par exemple 2024.",
    "min_value": f"Indiquez une année à partir de {EARLIEST_YEAR}.",
}


class ImpactForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Résultat mesuré",
        choices=[(o.key, o.label) for o in OUTCOMES.values()],
        error_messages={
            "required": "Choisissez le résultat à mesurer.",
            "invalid_choice": "Ce résultat n'existe pas : choisissez-en un dans la liste.",
        },
    )
    first_year = forms.IntegerField(
        label="Accompagnées à partir de l'année",
        min_value=EARLIEST_YEAR,
        error_messages=YEAR_ERRORS,
    )
    last_year = forms.IntegerField(
        label="Jusqu'à l'année (incluse)",
        min_value=EARLIEST_YEAR,
        error_messages=YEAR_ERRORS,
    )
    method = forms.ChoiceField(
        label="Méthode d'appariement",
        choices=METHOD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une méthode d'appariement.",
            "invalid_choice": "Cette méthode n'existe pas : choisissez l'une des deux proposées.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_first_year(self):
        return self._not_future(self.cleaned_data["first_year"])

    def clean_last_year(self):
        return self._not_future(self.cleaned_data["last_year"])

    def _not_future(self, year: int) -> int:
        if year > self.today.year:
            raise forms.ValidationError(
                f"L'année {year} n'est pas encore commencée : indiquez {self.today.year} au plus."
            )
        return year

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and first > last:
            self.add_error(
                "last_year",
                "L'année de fin doit être égale ou postérieure à l'année de début.",
            )
        return data

    def error_summary(self) -> list[dict]:
        """The list at the top of the page (RGAA 11.10): each error links to its field."""
        if not self.is_bound:
            return []
        summary = [{"anchor": "", "label": "", "message": m} for m in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if name == "method" else bound.auto_id
            for message in bound.errors:
                summary.append({"anchor": anchor, "label": bound.label, "message": message})
        return summary
