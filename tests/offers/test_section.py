"""The "Offres pour cette entreprise" section of the company file."""

import html
from datetime import date

import pytest

from guichet.companies.models import Company
from tests.companies.conftest import make_company


@pytest.fixture
def company(reference):
    company = make_company(
        "552100554", "Biscuiterie de Dijon", size_category="TPE", export_status=""
    )
    Company.objects.filter(pk=company.pk).update(creation_date=date(2015, 1, 1))
    return company


def _section(response) -> str:
    page = html.unescape(response.content.decode())
    start = page.index('id="offres-entreprise"')
    return " ".join(page[start : page.index("</section>", start)].split())


def test_eligible_first_then_to_check_then_not_eligible(
    client_for, advisor_b, company, offer_factory
):
    offer_factory("Pour tous", slug="tous")
    offer_factory("Pour les primo-exportateurs", slug="primo", export_statuses=["new"])
    offer_factory("Pour les ETI", slug="eti", sizes=["PME", "ETI"])
    offer_factory("Retirée", slug="retiree", is_active=False)
    section = _section(client_for(advisor_b).get(f"/entreprises/{company.siren}/"))
    assert "Offres pour cette entreprise" in section
    assert "1 offre accessible, 1 à vérifier avec l'entreprise, 1 non accessible" in section
    order = [section.index(t) for t in ("Pour tous", "Pour les primo-exportateurs", "<details")]
    assert order == sorted(order)
    assert section.index("<details") < section.index("Pour les ETI")
    assert (
        "Réservée aux primo-exportateurs : le statut export de l'entreprise n'est pas renseigné."
    ) in section
    assert "Réservée aux PME et ETI : l'entreprise est une TPE." in section
    assert "Retirée" not in section


def test_readonly_member_sees_it_too(client_for, readonly_a, company, offer_factory):
    offer_factory("Pour tous", slug="tous")
    section = _section(client_for(readonly_a).get(f"/entreprises/{company.siren}/"))
    assert "Pour tous" in section


def test_empty_catalogue(client_for, advisor_a, company):
    section = _section(client_for(advisor_a).get(f"/entreprises/{company.siren}/"))
    assert "Le catalogue ne contient aucune offre en cours de validité." in section


def test_section_hidden_from_users_without_registry_access(company, offer_factory):
    from guichet.offers.sections import company_offers_section
    from guichet.partners.models import User

    class Anonymous:
        is_authenticated = False
        is_active = False
        organisation_id = None

        def has_role(self, *codes):
            return False

    assert company_offers_section(company, Anonymous(), None) is None
    assert User.objects.count() == 0


def test_long_lists_fold_after_the_most_targeted_offers(
    client_for, advisor_a, company, offer_factory
):
    offer_factory("Pour les TPE", slug="tpe", sizes=["TPE"])
    for n in range(10):
        offer_factory(f"Ouverte {n:02d}", slug=f"ouverte-{n}")
    section = _section(client_for(advisor_a).get(f"/entreprises/{company.siren}/"))
    assert "11 offres accessibles —" in section
    assert "à vérifier avec" not in section
    # The offer aimed at the company's size is listed first; three open ones are folded.
    assert section.index("Pour les TPE") < section.index("Ouverte 00")
    assert section.index("Ouverte 06") < section.index("Voir 3 autres offres accessibles")
    assert section.index("Voir 3 autres offres accessibles") < section.index("Ouverte 07")


def test_section_query_count_does_not_grow_with_the_catalogue(
    client_for, advisor_a, company, offer_factory, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(advisor_a)
    for n in range(3):
        offer_factory(f"Offre {n}", slug=f"offre-{n}", sizes=["PME"])
    client.get(f"/entreprises/{company.siren}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/entreprises/{company.siren}/")
    for n in range(3, 30):
        offer_factory(f"Offre {n}", slug=f"offre-{n}", sizes=["PME"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/entreprises/{company.siren}/")
    assert "30 non accessibles" in _section(response)
