"""Services of the programme and the actions: each bad input is refused with a clear French
message on its field, and nothing is saved."""

import secrets
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guichet.collective import selectors
from guichet.collective.models import (
    ChecklistItem,
    ChecklistTick,
    CollectiveAction,
    Programme,
    Registration,
)
from guichet.collective.services.actions import (
    action_cancel,
    action_create,
    action_publish,
    action_update,
    programme_publish,
    programme_upsert,
)
from guichet.reference.models import Country


def _register(**fields) -> Registration:
    # The model's default nonce (64 characters) does not fit its 32-character column on
    # PostgreSQL: give one that does.
    fields.setdefault("access_nonce", secrets.token_hex(16))
    return Registration.objects.create(**fields)


@pytest.fixture
def programme(reference):
    return Programme.objects.create(year=2027, title="Programme 2027")


def fields(**overrides) -> dict:
    values = {
        "kind": "fair",
        "title": "Hyvolution 2027 — pavillon régional",
        "series": "hyvolution",
        "starts_on": date(2027, 1, 27),
        "ends_on": date(2027, 1, 29),
        "city": "Paris",
        "country": Country.objects.get(iso2="FR"),
        "capacity": 6,
        "registration_deadline": date(2026, 12, 15),
        "free_cancellation_until": date(2027, 1, 5),
        "full_cost": Decimal("8000"),
        "company_fee": Decimal("4000"),
        "eligible_costs": [
            {"label": "Location du stand", "amount": "5000"},
            {"label": "Aménagement", "amount": "3000"},
        ],
        "subsidy_rate": Decimal("0.5"),
        "subsidy_cap": Decimal("4000"),
        "subsidised_participations_limit": 3,
        "regime": "gber_19",
        "budget": Decimal("24000"),
        "reminder_days": [3, 14, 14],
    }
    values.update(overrides)
    return values


def _refused(programme, org, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        action_create(programme=programme, organiser=org, **fields(**overrides))
    assert not CollectiveAction.objects.exists()
    return caught.value.message_dict


def test_an_action_is_created_with_the_default_checklist(programme, org_a, manager_a):
    action = action_create(programme=programme, by=manager_a, **fields())
    assert action.slug == "hyvolution-2027-pavillon-regional"
    assert action.status == "draft"
    assert action.organiser == org_a
    assert action.created_by == manager_a
    assert action.reminder_days == [14, 3]
    assert action.eligible_costs[0] == {"label": "Location du stand", "amount": "5000.00"}
    assert [i.label for i in action.checklist.all()] == [
        "Objectifs de la participation fixés",
        "Contacts cibles identifiés",
        "Supports traduits",
        "Rendez-vous B2B pris",
    ]
    money = selectors.money_of(action)
    assert money.public_share == Decimal("4000")
    assert money.rules_subsidy == Decimal("4000.00")
    assert money.consistent
    second = action_create(programme=programme, by=manager_a, **fields())
    assert second.slug == "hyvolution-2027-pavillon-regional-2027-2"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": date(2027, 1, 26)}, "ends_on", "La fin (26/01/2027) ne peut pas précéder"),
        (
            {"registration_deadline": date(2027, 1, 28)},
            "registration_deadline",
            "Les inscriptions doivent être closes au plus tard le premier jour",
        ),
        (
            {"free_cancellation_until": date(2027, 2, 1)},
            "free_cancellation_until",
            "L'annulation sans frais doit prendre fin au plus tard",
        ),
        ({"capacity": 0}, "capacity", "« Nombre de places » doit être compris entre 1 et"),
        (
            {"company_fee": Decimal("8500")},
            "company_fee",
            "La participation demandée (8\u202f500\u202f€) dépasse le coût complet",
        ),
        ({"subsidy_rate": Decimal("1.2")}, "subsidy_rate", "compris entre 0 et 100 %"),
        (
            {"subsidy_rate": Decimal("0.6")},
            "subsidy_rate",
            "Le RGEC art. 19 plafonne l'aide à 50 % des coûts admissibles (ici 60 %)",
        ),
        ({"subsidy_cap": Decimal("-1")}, "subsidy_cap", "ne peut pas être négatif"),
        (
            {"eligible_costs": [{"label": "", "amount": "100"}]},
            "eligible_costs",
            "Ligne 1 : indiquez le libellé du coût.",
        ),
        (
            {"eligible_costs": [{"label": "Stand", "amount": "0"}]},
            "eligible_costs",
            "Ligne 1 (Stand) : le montant doit être positif.",
        ),
        (
            {"eligible_costs": [{"label": "Stand", "amount": "9000"}]},
            "eligible_costs",
            "Les coûts admissibles (9\u202f000\u202f€) dépassent le coût complet",
        ),
        (
            {"eligible_costs": []},
            "eligible_costs",
            "Détaillez les coûts admissibles",
        ),
        (
            {"kind": "mission"},
            "regime",
            "Le RGEC art. 19 couvre la participation des PME aux foires et salons",
        ),
        (
            {"regime": "not_aid"},
            "regime",
            "« Pas une aide d'État » suppose aucune prise en charge",
        ),
        (
            {"subsidy_rate": Decimal("0"), "company_fee": Decimal("8000"), "regime": "de_minimis"},
            "regime",
            "l'action n'est pas une aide d'État : choisissez « Pas une aide d'État »",
        ),
        ({"reminder_days": [0, 14]}, "reminder_days", "« 0 » : un rappel se donne en jours"),
        ({"reminder_days": [120]}, "reminder_days", "de 1 à 90"),
        (
            {"starts_on": date(2028, 1, 27), "ends_on": date(2028, 1, 29)},
            "starts_on",
            "elle relève du programme 2028, pas de celui de 2027",
        ),
        ({"title": "  "}, "title", "Indiquez le champ « Intitulé »."),
        ({"country": None}, "country", "Choisissez le pays de l'action."),
        ({"slug": "Pas Un Slug!"}, "slug", "L'identifiant court s'écrit en minuscules"),
        ({"slug": "resultats"}, "slug", "« resultats » est réservé"),
        ({"checklist": ["Objectifs", "Objectifs"]}, "checklist", "figure deux fois"),
    ],
)
def test_bad_inputs_are_refused_and_nothing_is_saved(programme, org_a, overrides, field, message):
    errors = _refused(programme, org_a, **overrides)
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]


def test_not_aid_with_no_public_money(programme, org_a):
    action = action_create(
        programme=programme,
        organiser=org_a,
        **fields(
            kind="training",
            subsidy_rate=Decimal("0"),
            company_fee=Decimal("8000"),
            eligible_costs=[],
            subsidy_cap=None,
            regime="not_aid",
        ),
    )
    assert selectors.money_of(action).public_share == 0


def test_a_slug_already_taken_is_refused(programme, org_a):
    action_create(programme=programme, organiser=org_a, **fields(slug="hyvolution-2027"))
    with pytest.raises(ValidationError, match="Une action porte déjà l'identifiant"):
        action_create(programme=programme, organiser=org_a, **fields(slug="hyvolution-2027"))
    assert CollectiveAction.objects.count() == 1


def test_an_update_checks_the_whole_action_again(programme, org_a):
    action = action_create(programme=programme, organiser=org_a, **fields())
    with pytest.raises(ValidationError) as caught:
        action_update(action=action, company_fee=Decimal("9000"))
    assert "company_fee" in caught.value.message_dict
    action.refresh_from_db()
    assert action.company_fee == Decimal("4000")
    action_update(action=action, title="Hyvolution Paris 2027", slug="ignored", capacity=10)
    action.refresh_from_db()
    assert (action.title, action.capacity) == ("Hyvolution Paris 2027", 10)
    assert action.slug == "hyvolution-2027-pavillon-regional"


def test_money_rules_are_frozen_once_a_participation_is_confirmed(programme, org_a, companies):
    action = action_create(programme=programme, organiser=org_a, **fields())
    for status, company in (("confirmed", companies[0]), ("selected", companies[1])):
        _register(
            action=action,
            company=company,
            status=status,
            contact_name="X",
            contact_email="x@example.fr",
            organisation=org_a,
        )
    with pytest.raises(ValidationError) as caught:
        action_update(action=action, subsidy_cap=Decimal("3000"), capacity=1)
    errors = caught.value.message_dict
    assert (
        "1 inscription(s) confirmée(s) ont leur prise en charge inscrite"
        in errors["subsidy_cap"][0]
    )
    assert errors["capacity"] == [
        "2 places sont déjà attribuées : la capacité ne peut pas descendre en dessous."
    ]
    # Unchanged money, given again as the form sends it, is accepted.
    action_update(
        action=action, full_cost="8000.00", eligible_costs=action.eligible_costs, city="Lyon"
    )
    action.refresh_from_db()
    assert action.city == "Lyon"


def test_the_checklist_keeps_ticked_steps(programme, org_a, companies, manager_a):
    action = action_create(programme=programme, organiser=org_a, **fields(checklist=["A", "B"]))
    registration = _register(
        action=action,
        company=companies[0],
        contact_name="X",
        contact_email="x@example.fr",
        organisation=org_a,
    )
    item_a = action.checklist.get(label="A")
    ChecklistTick.objects.create(
        registration=registration, item=item_a, done_at="2027-01-01T10:00Z"
    )
    action_update(action=action, checklist=["C", "A"])
    assert [(i.label, i.order) for i in action.checklist.all()] == [("C", 1), ("A", 2)]
    assert ChecklistItem.objects.get(pk=item_a.pk).ticks.count() == 1
    with pytest.raises(ValidationError, match="L'étape « A » est déjà cochée"):
        action_update(action=action, checklist=["C"])
    assert action.checklist.count() == 2


def test_publish_and_cancel(programme, org_a, companies):
    action = action_create(programme=programme, organiser=org_a, **fields())
    action_publish(action=action)
    assert action.status == "published"
    with pytest.raises(ValidationError, match="déjà publiée"):
        action_publish(action=action)
    with pytest.raises(ValidationError, match="Indiquez le champ « Motif de l'annulation »"):
        action_cancel(action=action, reason=" ")
    applied = _register(
        action=action,
        company=companies[0],
        contact_name="X",
        contact_email="x@example.fr",
        organisation=org_a,
    )
    action = action_cancel(action=action, reason="Salon reporté")
    assert action.status == "cancelled"
    applied.refresh_from_db()
    assert applied.status == "cancelled"
    assert applied.events.get().title.startswith("Action annulée par l'organisateur")
    with pytest.raises(ValidationError, match="annulée : elle ne se modifie plus"):
        action_update(action=action, city="Lyon")
    with pytest.raises(ValidationError, match="déjà annulée"):
        action_cancel(action=action, reason="x")


def test_cancel_is_refused_while_participations_are_confirmed(programme, org_a, companies):
    action = action_create(programme=programme, organiser=org_a, **fields())
    _register(
        action=action,
        company=companies[0],
        status="attended",
        contact_name="X",
        contact_email="x@example.fr",
        organisation=org_a,
    )
    with pytest.raises(ValidationError, match="1 participation\\(s\\) sont confirmées"):
        action_cancel(action=action, reason="Trop tard")
    action.refresh_from_db()
    assert action.status == "draft"


def test_programme_upsert_and_publish(db, manager_a):
    programme = programme_upsert(year=2027, title="Programme 2027", introduction="", by=manager_a)
    again = programme_upsert(year=2027, title="Programme export 2027", introduction="Intro")
    assert again.pk == programme.pk
    assert (again.title, again.introduction) == ("Programme export 2027", "Intro")
    programme_publish(programme=again)
    assert Programme.objects.get().is_published
    with pytest.raises(ValidationError) as caught:
        programme_upsert(year=1990, title="", introduction="")
    assert set(caught.value.message_dict) == {"year", "title"}
    assert Programme.objects.count() == 1
