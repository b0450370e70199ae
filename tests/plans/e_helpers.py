"""Test-only computations of the plan editing tests (helper E): registered once, under keys no
real computation uses."""

from django.db.models import F

from guichet.partners.models import Organisation
from guichet.plans import computations
from guichet.plans.computations import Column, Figure, Filters

COUNT_KEY = "test_e_count"


@computations.register(
    key=COUNT_KEY,
    label="Organisations actives (test)",
    unit="organisations",
    description="Compte les organisations actives (calcul de test).",
    source="Tests",
    breakdowns=("partner",),
)
def active_organisations(filters: Filters) -> Figure:
    records = Organisation.objects.filter(is_active=True).order_by("name")
    if filters.organisation_id:
        records = records.filter(pk=filters.organisation_id)
    return Figure(
        value=records.count(), records=records, columns=(Column("Organisation", F("name")),)
    )
