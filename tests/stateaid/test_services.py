"""The ledger's services called directly (as the aids capability and commands do): the same
French messages as the pages, nothing written on a refusal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.journeys.models import TimelineEvent
from guichet.stateaid import selectors, services
from guichet.stateaid.models import StateAidGrant, UndertakingGroup, UndertakingMembership

pytestmark = pytest.mark.django_db


def _declare(company, **overrides):
    fields = {
        "company": company,
        "granted_on": timezone.localdate() - timedelta(days=30),
        "amount": Decimal("1000"),
        "regulation": "de_minimis",
        "granting_body": "Bpifrance",
        "description": "Prêt d'honneur",
    }
    fields.update(overrides)
    return services.state_aid_declared_record(**fields)


def test_a_declared_aid_is_recorded_even_beyond_the_ceiling(company):
    _declare(company, amount=Decimal("299000"))
    grant = _declare(company, amount=Decimal("5000"))
    assert grant.source == "declared"
    assert selectors.totals_at(company, at=timezone.localdate())["de_minimis"] == Decimal("304000")


def test_the_oldest_declared_aid_accepted_is_ten_years_old(company):
    today = timezone.localdate()
    try:
        oldest = today.replace(year=today.year - 10)
    except ValueError:  # 29 February
        oldest = date(today.year - 10, 3, 1)
    assert _declare(company, granted_on=oldest).pk
    with pytest.raises(ValidationError) as refused:
        _declare(company, granted_on=oldest - timedelta(days=1))
    assert "plus de 10 ans" in refused.value.message_dict["granted_on"][0]
    assert StateAidGrant.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-10")}, "amount"),
        ({"granted_on": None}, "granted_on"),
        ({"regulation": "nope"}, "regulation"),
        ({"granting_body": " "}, "granting_body"),
    ],
)
def test_a_wrong_declaration_writes_nothing(company, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _declare(company, **overrides)
    assert field in refused.value.message_dict
    assert StateAidGrant.objects.count() == 0


def test_a_single_undertaking_needs_a_name_and_a_reason():
    with pytest.raises(ValidationError) as refused:
        services.undertaking_group_create(name=" ", reason="")
    assert set(refused.value.message_dict) == {"name", "reason"}
    assert UndertakingGroup.objects.count() == 0


def test_link_and_unlink_refusals(company, sister, advisor_a):
    group = services.undertaking_group_create(name="Groupe", reason="Holding")
    with pytest.raises(ValidationError) as refused:
        services.undertaking_link(group=group, company=company, reason="")
    assert "reason" in refused.value.message_dict
    services.undertaking_link(group=group, company=company, reason="Filiale", by=advisor_a)
    with pytest.raises(ValidationError) as refused:
        services.undertaking_link(group=group, company=company, reason="Encore")
    assert "fait déjà partie de l'entreprise unique « Groupe »" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.undertaking_unlink(company=sister, reason="Cession")
    assert "ne fait partie d'aucune entreprise unique" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.undertaking_unlink(company=company, reason=" ")
    assert UndertakingMembership.objects.count() == 1
    assert TimelineEvent.objects.filter(company=company).count() == 1


def test_a_long_group_name_still_fits_the_timeline_title(company):
    group = services.undertaking_group_create(name="G" * 200, reason="Holding")
    services.undertaking_link(group=group, company=company, reason="Filiale")
    event = TimelineEvent.objects.get(company=company)
    assert len(event.title) <= 200
    assert event.title.startswith("Rattachée à l'entreprise unique « GGG")
