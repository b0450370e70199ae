"""Writes of the catalogue: what is saved, and the French refusals."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from guichet.core.models import AuditEvent
from guichet.offers.models import Offer
from guichet.offers.services import (
    offer_archive,
    offer_create,
    offer_restore,
    offer_update,
    offer_upsert,
)


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


def test_create_saves_the_offer_and_makes_a_slug(org_a, reference):
    from guichet.reference.models import Region

    offer = offer_create(
        provider=org_a,
        title="  Prospection   collective  ",
        kind="collective",
        summary="Partir à plusieurs.",
        sizes=["ETI", "PME", "PME"],
        stages=["accompanied", "contacted"],
        dimensions=["marketing"],
        regions=[Region.objects.get(code="27")],
        link="https://www.example.fr/prospection",
    )
    offer.refresh_from_db()
    assert offer.title == "Prospection collective"
    assert offer.slug == "prospection-collective"
    assert offer.sizes == ["PME", "ETI"]
    assert offer.stages == ["contacted", "accompanied"]
    assert [r.code for r in offer.regions.all()] == ["27"]
    again = offer_create(provider=org_a, title="Prospection collective", kind="aid", summary="x")
    assert again.slug == "prospection-collective-2"
    assert offer_create(provider=org_a, title="Guide", kind="aid", summary="x").slug == "guide-2"


def test_create_refuses_bad_input_in_french(org_a):
    with pytest.raises(ValidationError) as error:
        offer_create(
            provider=org_a,
            title="",
            kind="gift",
            summary="",
            sizes=["XXL"],
            valid_from=date(2025, 6, 1),
            valid_until=date(2025, 5, 31),
            min_employees=50,
            max_employees=10,
            min_age_years=5,
            max_age_years=2,
            link="ftp://example.fr/x",
            contact_email="pas-une-adresse",
        )
    messages = _messages(error)
    assert messages["title"] == ["Indiquez l'intitulé de l'offre."]
    assert messages["summary"] == ["Résumez l'offre en une phrase."]
    assert messages["kind"][0].startswith("Type d'offre inconnu : « gift ».")
    assert messages["sizes"][0].startswith("Taille d'entreprise inconnu(e) : XXL.")
    assert messages["valid_until"] == [
        "La fin de validité doit suivre son début (ou le même jour)."
    ]
    assert messages["max_employees"] == [
        "L'effectif maximum doit être au moins l'effectif minimum."
    ]
    assert messages["max_age_years"] == ["L'âge maximum doit être au moins l'âge minimum."]
    assert messages["link"] == ["Le lien doit commencer par https:// (ou http://)."]
    assert messages["contact_email"] == [
        "Indiquez une adresse électronique valide, par exemple export@cci.example."
    ]
    assert not Offer.objects.exists()


def test_unknown_stage_dimension_and_status_codes_are_refused(org_a):
    for field, value, start in [
        ("stages", ["dropped"], "Étape du parcours inconnu(e) : dropped."),
        ("dimensions", ["luck"], "Dimension du diagnostic inconnu(e) : luck."),
        ("export_statuses", ["sometimes"], "Statut export inconnu(e) : sometimes."),
        ("sizes", "PME", "Indiquez une liste de codes."),
    ]:
        with pytest.raises(ValidationError) as error:
            offer_create(provider=org_a, title="T", kind="aid", summary="S", **{field: value})
        assert _messages(error)[field][0].startswith(start)


def test_same_day_validity_and_equal_bounds_are_fine(org_a):
    offer = offer_create(
        provider=org_a,
        title="Un jour",
        kind="information",
        summary="S",
        valid_from=date(2025, 6, 1),
        valid_until=date(2025, 6, 1),
        min_employees=10,
        max_employees=10,
    )
    assert offer.pk


def test_update_changes_only_what_is_given(org_a, offer_factory):
    offer = offer_factory("Salon", sizes=["PME"], cost_to_company="500 €")
    offer_update(offer=offer, cost_to_company="400 €")
    offer.refresh_from_db()
    assert offer.cost_to_company == "400 €"
    assert offer.sizes == ["PME"]
    assert offer.slug == "salon"
    with pytest.raises(ValidationError) as error:
        offer_update(offer=offer, valid_from=date(2025, 2, 1), valid_until=date(2025, 1, 1))
    assert "valid_until" in _messages(error)
    with pytest.raises(ValidationError) as error:
        offer_update(offer=offer, slug="autre")
    assert _messages(error) == {"slug": ["Champ inconnu."]}


def test_archive_and_restore_are_audited(org_a, offer_factory, admin_user):
    from guichet.core.audit import acting_as

    offer = offer_factory("Salon")
    with acting_as(admin_user):
        offer_archive(offer=offer)
    offer.refresh_from_db()
    assert offer.is_active is False
    event = AuditEvent.objects.filter(object_type="offers.Offer", object_id=str(offer.pk)).first()
    assert event.actor == admin_user
    assert event.action == "update"
    assert "is_active" in event.changes
    offer_restore(offer=offer)
    offer.refresh_from_db()
    assert offer.is_active is True


def test_inactive_provider_cannot_publish(org_a):
    org_a.is_active = False
    org_a.save()
    with pytest.raises(ValidationError) as error:
        offer_create(provider=org_a, title="T", kind="aid", summary="S")
    assert _messages(error)["provider"] == [
        "Cet organisme n'est plus actif : il ne peut pas publier d'offre."
    ]


def test_upsert_is_idempotent(org_a, org_b):
    offer, changed = offer_upsert(
        slug="salon-x",
        provider=org_a,
        title="Salon X",
        kind="collective",
        summary="S",
        sizes=["PME"],
    )
    assert changed
    again, changed = offer_upsert(
        slug="salon-x",
        provider=org_a,
        title="Salon X",
        kind="collective",
        summary="S",
        sizes=["PME"],
    )
    assert again.pk == offer.pk
    assert not changed
    _same, changed = offer_upsert(
        slug="salon-x",
        provider=org_b,
        title="Salon X",
        kind="collective",
        summary="S",
        sizes=["PME"],
    )
    assert changed
    assert Offer.objects.get().provider == org_b
