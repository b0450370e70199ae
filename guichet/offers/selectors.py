"""Reads of the catalogue of offers that several places need: the catalogue page, the company
file, the diagnostics action plan, the API and the yearly guide."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.companies.text import normalise
from guichet.offers.eligibility import (
    Eligibility,
    check,
    needed_parts,
    profile_of,
    rules_of,
    specificity,
)
from guichet.offers.models import Offer


def with_audience(offers: QuerySet) -> QuerySet:
    """What evaluating eligibility and showing a card read, in a fixed number of queries."""
    return offers.select_related("provider").prefetch_related("filieres", "regions")


def currently_valid(offers: QuerySet, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return offers.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
    )


def active_offers(today: date | None = None) -> QuerySet:
    """Published offers valid today (no dates = always valid), by title."""
    return with_audience(currently_valid(Offer.objects.filter(is_active=True), today)).order_by(
        "title", "pk"
    )


def _ranked(pairs: list[tuple[Offer, Eligibility]]) -> list[tuple[Offer, Eligibility]]:
    def key(pair):
        offer, eligibility = pair
        return (eligibility.rank, -specificity(rules_of(offer)), offer.title.lower(), offer.pk)

    return sorted(pairs, key=key)


def offers_for_company(
    company, *, today: date | None = None, stage: str | None = None
) -> list[tuple[Offer, Eligibility]]:
    """Every active offer with the company's eligibility: eligible first, then those to
    check, then those it may not use. Within a group the more targeted offers come first
    (an offer for its filière before one open to all), then by title."""
    today = today or timezone.localdate()
    offers = list(active_offers(today))
    if not offers:
        return []
    parts = needed_parts(rules_of(offer) for offer in offers)
    profile = profile_of(company, stage=stage, parts=parts)
    return _ranked([(offer, check(offer, profile, today=today)) for offer in offers])


def offers_for_dimensions(
    codes: Iterable[str],
    company=None,
    *,
    today: date | None = None,
    stage: str | None = None,
    exclude_not_eligible: bool = False,
) -> list[tuple[Offer, Eligibility | None]]:
    """Active offers that help with at least one of the diagnostic dimensions `codes` (the
    action plan passes the dimensions where the company scored low).

    With a company: eligible first, then to check, then not eligible (left out when
    `exclude_not_eligible`); within a group, offers covering more of `codes` first, then by
    title. Without a company the eligibility is None and offers are ordered by coverage.
    """
    wanted = set(codes)
    if not wanted:
        return []
    today = today or timezone.localdate()
    # Dimensions are a short JSON list: filtered here rather than with engine-specific JSON SQL.
    matching = [o for o in active_offers(today) if wanted.intersection(o.dimensions or ())]
    profile = (
        profile_of(company, stage=stage, parts=needed_parts(rules_of(o) for o in matching))
        if company is not None and matching
        else None
    )
    pairs = [
        (offer, check(offer, profile, today=today) if profile is not None else None)
        for offer in matching
    ]
    if exclude_not_eligible:
        pairs = [(o, e) for o, e in pairs if e is None or not e.not_eligible]

    def key(pair):
        offer, eligibility = pair
        coverage = len(wanted.intersection(offer.dimensions or ()))
        rank = eligibility.rank if eligibility is not None else 0
        return (rank, -coverage, offer.title.lower(), offer.pk)

    return sorted(pairs, key=key)


def offer_by_slug(slug: str) -> Offer | None:
    return with_audience(Offer.objects.filter(slug=slug)).first()


def _folded(text: str) -> str:
    return normalise(text or "")


def search_offers(
    *,
    q: str = "",
    kind: str = "",
    provider: str = "",
    stage: str = "",
    size: str = "",
    filiere: str = "",
    current: bool = False,
    withdrawn: bool = False,
    today: date | None = None,
) -> list[Offer]:
    """The catalogue's search, shared by the page and the API. Text matches the title, the
    summary, the description or the provider's name, accents and case ignored. An offer
    without a restriction on stage, size or filière matches any value chosen there."""
    offers = Offer.objects.filter(is_active=not withdrawn)
    if kind:
        offers = offers.filter(kind=kind)
    if provider:
        offers = offers.filter(provider__slug=provider)
    if current:
        offers = currently_valid(offers, today)
    found = list(with_audience(offers).order_by("title", "pk"))
    if q:
        words = _folded(q).split()
        found = [
            o
            for o in found
            if all(
                w in _folded(f"{o.title} {o.summary} {o.description} {o.provider.name}")
                for w in words
            )
        ]
    if stage:
        found = [o for o in found if not o.stages or stage in o.stages]
    if size:
        found = [o for o in found if not o.sizes or size in o.sizes]
    if filiere:
        found = [
            o
            for o in found
            if not o.filieres.all() or any(f.slug == filiere for f in o.filieres.all())
        ]
    return found
