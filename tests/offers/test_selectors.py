"""Eligibility read from the registry, and the selectors the catalogue and the action plan use."""

from datetime import date

import pytest

from guichet.companies.models import Company, Filiere
from guichet.journeys.models import Journey
from guichet.offers.eligibility import ELIGIBLE, NOT_ELIGIBLE, TO_CHECK, check, profile_of
from guichet.offers.selectors import active_offers, offers_for_company, offers_for_dimensions
from tests.companies.conftest import make_company

TODAY = date(2025, 6, 15)


@pytest.fixture
def company(reference):
    company = make_company(
        "552100554", "Biscuiterie de Dijon", naf="10.72Z", size_category="PME", export_status="new"
    )
    Company.objects.filter(pk=company.pk).update(
        headcount_band_id="12", creation_date=date(2010, 3, 1)
    )
    company.refresh_from_db()
    return company


@pytest.fixture
def agri(reference):
    filiere = Filiere.objects.create(name="Agroalimentaire", slug="agro")
    filiere.naf_codes.set(["10"])
    return filiere


@pytest.fixture
def wine(reference):
    filiere = Filiere.objects.create(name="Vins et spiritueux", slug="vins")
    filiere.naf_codes.set(["11.02B"])
    return filiere


def test_profile_reads_the_registry(company, agri, wine):
    profile = profile_of(company)
    assert profile.size_category == "PME"
    assert profile.export_status == "new"
    assert profile.filiere_ids == {agri.pk}
    assert profile.region_codes == {"27"}
    assert profile.headcount == (20, 49)
    assert profile.creation_date == date(2010, 3, 1)
    assert profile.stage is None
    Journey.objects.create(company=company, stage="contacted")
    company = Company.objects.get(pk=company.pk)
    assert profile_of(company).stage == "contacted"
    assert profile_of(company, stage="diagnosed").stage == "diagnosed"


def test_unknown_company_data_is_to_check(reference, offer_factory):
    bare = make_company("552100555", "Inconnue", naf=None, size_category="")
    offer = offer_factory("Prospection", sizes=["PME"], min_employees=10)
    result = check(offer, bare, today=TODAY)
    assert result.status == TO_CHECK
    assert result.reasons == [
        "Réservée aux PME : la catégorie de l'entreprise n'est pas connue.",
        "Réservée aux entreprises d'au moins 10 salariés : l'effectif de l'entreprise n'est "
        "pas connu.",
    ]


def test_check_uses_filieres_regions_and_stage(company, agri, wine, offer_factory):
    from guichet.reference.models import Region

    bfc, ara = Region.objects.get(code="27"), Region.objects.get(code="84")
    assert (
        check(
            offer_factory("Agro BFC", filieres=[agri], regions=[bfc]), company, today=TODAY
        ).status
        == ELIGIBLE
    )
    wine_offer = offer_factory("Vins", filieres=[wine])
    assert check(wine_offer, company, today=TODAY).reasons == [
        "Réservée à la filière Vins et spiritueux : l'entreprise n'appartient pas à cette filière."
    ]
    assert check(offer_factory("ARA", regions=[ara]), company, today=TODAY).status == NOT_ELIGIBLE
    staged = offer_factory("Diagnostic", stages=["identified", "contacted"])
    # No journey yet: the stage restriction does not apply.
    assert check(staged, company, today=TODAY).status == ELIGIBLE
    assert check(staged, company, stage="contacted", today=TODAY).status == ELIGIBLE
    assert check(staged, company, stage="diagnosed", today=TODAY).status == NOT_ELIGIBLE


def test_active_offers_are_published_and_valid_today(org_a, offer_factory):
    offer_factory("Toujours")
    offer_factory("Retirée", is_active=False)
    offer_factory("Future", valid_from=date(2025, 9, 1))
    offer_factory("Finie", valid_until=date(2025, 6, 14))
    offer_factory("Jusqu'à ce soir", slug="ce-soir", valid_until=TODAY)
    assert [o.title for o in active_offers(TODAY)] == ["Jusqu'à ce soir", "Toujours"]


def test_offers_for_company_eligible_first(company, offer_factory):
    offer_factory("A pour les ETI", slug="a", sizes=["ETI"])
    offer_factory("B à vérifier", slug="b", max_employees=30)
    offer_factory("C pour tous", slug="c")
    offer_factory("D pour les PME", slug="d", sizes=["PME"])
    ranked = offers_for_company(company, today=TODAY)
    # Among eligible offers, the one aimed at PME comes before the one open to all.
    assert [(o.slug, e.status) for o, e in ranked] == [
        ("d", ELIGIBLE),
        ("c", ELIGIBLE),
        ("b", TO_CHECK),
        ("a", NOT_ELIGIBLE),
    ]


def test_offers_for_company_query_count(company, offer_factory, django_assert_max_num_queries):
    for n in range(12):
        offer_factory(f"Offre {n}", sizes=["PME"])
    with django_assert_max_num_queries(12):
        assert len(offers_for_company(company, today=TODAY)) == 12


def test_offers_for_dimensions(company, offer_factory):
    offer_factory("Finance", slug="fin", dimensions=["finance"])
    offer_factory("Finance et stratégie", slug="fin-strat", dimensions=["finance", "strategy"])
    offer_factory("Stratégie ETI", slug="strat-eti", dimensions=["strategy"], sizes=["ETI"])
    offer_factory("Conformité", slug="conf", dimensions=["compliance"])
    offer_factory("Sans dimension", slug="none")
    no_company = offers_for_dimensions(["finance", "strategy"], today=TODAY)
    assert [o.slug for o, _e in no_company] == ["fin-strat", "fin", "strat-eti"]
    assert all(e is None for _o, e in no_company)
    for_company = offers_for_dimensions(["finance", "strategy"], company, today=TODAY)
    assert [(o.slug, e.status) for o, e in for_company] == [
        ("fin-strat", ELIGIBLE),
        ("fin", ELIGIBLE),
        ("strat-eti", NOT_ELIGIBLE),
    ]
    kept = offers_for_dimensions({"strategy"}, company, today=TODAY, exclude_not_eligible=True)
    assert [o.slug for o, _e in kept] == ["fin-strat"]
    assert offers_for_dimensions([], company) == []


def test_profile_reads_only_what_the_rules_need(company, django_assert_num_queries):
    with django_assert_num_queries(0):
        bare = profile_of(company, parts=frozenset())
    assert bare.filiere_ids is None
    assert bare.headcount is None
    assert bare.size_category == "PME"


def test_no_offer_costs_one_query(company, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert offers_for_company(company, today=TODAY) == []
