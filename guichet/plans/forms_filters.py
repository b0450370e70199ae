"""The filters of the plan's pages (dashboard, indicator, drill-down): year, partner, filière,
head-office département, company size. A GET form: the filters stay in the address, so a
filtered dashboard can be bookmarked and its drill-down links keep them."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.companies.forms_filieres import filiere_filter_field
from guichet.companies.models import SizeCategory
from guichet.partners.forms import partner_filter_field
from guichet.partners.models import Organisation
from guichet.plans.computations import Filters
from guichet.plans.models import Breakdown, Plan
from guichet.plans.selectors import breakdown_members, today

FILTER_FIELDS = ("year", "partner", "filiere", "departement", "size")


def default_year(plan: Plan) -> int:
    """The current year inside the plan's span, else its nearest end."""
    return min(max(today().year, plan.first_year), plan.last_year)


class PlanFilterForm(DsfrBaseForm):
    year = forms.TypedChoiceField(
        label=_("Année"),
        coerce=int,
        error_messages={
            "required": _("Choisissez une année du plan."),
            "invalid_choice": _("Cette année n'est pas couverte par le plan."),
        },
    )
    partner = partner_filter_field()
    filiere = filiere_filter_field()
    departement = forms.ChoiceField(
        label=_("Département du siège"),
        required=False,
        error_messages={"invalid_choice": _("Département inconnu ou sans entreprise.")},
    )
    size = forms.ChoiceField(
        label=_("Taille d'entreprise"),
        required=False,
        choices=[("", _("Toutes les tailles")), *SizeCategory.choices],
        error_messages={"invalid_choice": _("Taille d'entreprise inconnue.")},
    )

    def __init__(self, data=None, *, plan: Plan, **kwargs):
        self.plan = plan
        if data is not None and not data.get("year"):
            # A bare address (or a link carrying only some filters) shows the default year.
            data = data.copy()
            data["year"] = str(default_year(plan))
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]
        self.fields["year"].initial = default_year(plan)
        self.fields["partner"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )
        self.fields["departement"].choices = [
            ("", _("Tous les départements")),
            *breakdown_members(Breakdown.DEPARTEMENT),
        ]

    def to_filters(self) -> Filters:
        """The filters asked for; when a field is wrong it is left out (the page says so)."""
        if not self.is_bound:
            return Filters(year=default_year(self.plan))
        self.is_valid()
        data = self.cleaned_data
        partner = data.get("partner")
        filiere = data.get("filiere")
        return Filters(
            year=data.get("year") or default_year(self.plan),
            organisation_id=partner.pk if partner else None,
            filiere_id=filiere.pk if filiere else None,
            departement=data.get("departement") or None,
            size=data.get("size") or None,
        )

    def active_labels(self) -> list[str]:
        """The filters other than the year, in words ("Filière : Vins et spiritueux")."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return []
        labels = []
        for name in FILTER_FIELDS[1:]:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            labels.append(f"{field.label} : {value}")
        return labels


def filters_query(filters: Filters, **changes) -> str:
    """The filters as the pages' query string (for links that keep them); `changes` set or,
    with None, remove a parameter ("year", "partner", "filiere", "departement", "size")."""
    params = QueryDict(mutable=True)
    values = {
        "year": filters.year,
        "partner": filters.organisation_id,
        "filiere": filters.filiere_id,
        "departement": filters.departement,
        "size": filters.size,
    }
    values.update(changes)
    for name in FILTER_FIELDS:
        if values.get(name) not in (None, ""):
            params[name] = str(values[name])
    return params.urlencode()
