"""Fixtures of the catalogue tests: reference data, a company of the registry, and a small way
to make offers (every audience field defaults to "no restriction")."""

import pytest

from guichet.offers.models import Offer


def make_offer(provider, title: str, **fields) -> Offer:
    filieres = fields.pop("filieres", [])
    regions = fields.pop("regions", [])
    fields.setdefault("slug", title.lower().replace(" ", "-").replace("'", "-")[:80])
    fields.setdefault("kind", "consulting")
    fields.setdefault("summary", f"{title} en une phrase.")
    offer = Offer.objects.create(provider=provider, title=title, **fields)
    if filieres:
        offer.filieres.set(filieres)
    if regions:
        offer.regions.set(regions)
    return offer


@pytest.fixture
def offer_factory(org_a):
    def build(title: str, provider=None, **fields):
        return make_offer(provider or org_a, title, **fields)

    return build
