"""The demo catalogue: about thirty offers of the demo partners, loaded twice without change."""

import io

from django.utils import timezone

from guichet.companies import demo as companies_demo
from guichet.offers import demo
from guichet.offers.guide import guide_for
from guichet.offers.models import Offer
from guichet.offers.services import DIMENSIONS
from guichet.partners import demo as partners_demo


def test_demo_loads_a_catalogue_once(reference):
    out = io.StringIO()
    partners_demo.load(password="demo-password-123", stdout=out)
    companies_demo.load(password="demo-password-123", stdout=out)
    demo.load(password="demo-password-123", stdout=out)
    offers = list(Offer.objects.select_related("provider").prefetch_related("filieres"))
    assert 28 <= len(offers) <= 35
    assert (
        f"Offres du catalogue : {len(offers)} ({len(offers)} créées ou mises à jour)"
        in out.getvalue()
    )
    providers = {o.provider.slug for o in offers}
    assert providers == {
        "region-bfc",
        "cci-bfc",
        "business-france",
        "bpifrance-bfc",
        "cce-bfc",
        "vitagora",
        "pole-vehicule-du-futur",
    }
    assert {o.kind for o in offers} >= {
        "information",
        "training",
        "consulting",
        "insurance",
        "aid",
        "collective",
        "mentoring",
        "financing",
    }
    for offer in offers:
        assert offer.dimensions, offer.slug
        assert set(offer.dimensions) <= set(DIMENSIONS)
    ap = Offer.objects.get(slug="bpi-assurance-prospection")
    assert ap.cost_to_company == "Prime de 3 % du budget garanti"
    assert ap.min_age_years == 1
    sial = Offer.objects.get(slug="pavillon-sial")
    assert [f.slug for f in sial.filieres.all()] == ["agroalimentaire-vins"]
    assert sial.valid_until.year == timezone.localdate().year
    # The guide of the year is full; the ended scheme stays out of it.
    guide = guide_for(timezone.localdate().year)
    assert guide.offer_count == len(offers) - 1
    # Idempotent.
    again = io.StringIO()
    demo.load(password="demo-password-123", stdout=again)
    assert "(0 créées ou mises à jour)" in again.getvalue()
    assert Offer.objects.count() == len(offers)
