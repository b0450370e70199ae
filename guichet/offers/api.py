"""The catalogue of offers in the API: every key reads the catalogue and a company's eligible
offers; a partner's key publishes and edits its own organisation's offers (as its members do on
the pages). Writes go through the same services, whose French messages become 422 answers."""

import re
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from guichet.companies import selectors as company_selectors
from guichet.companies.models import Filiere
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as
from guichet.offers import services
from guichet.offers.eligibility import audience_lines, rules_of
from guichet.offers.forms import CatalogueFilterForm
from guichet.offers.models import Offer
from guichet.offers.selectors import offer_by_slug, offers_for_company, search_offers
from guichet.reference.models import Region

router = Router(tags=["Offres"])

_SIREN = re.compile(r"^\d{9}$")


class _KeyActor:
    """Stands for the API key in the audit log (there is no person behind an API call)."""

    pk = None

    def __init__(self, key):
        self.key = key
        self.organisation = key.organisation
        self.email = f"{key.prefix}…"

    def get_full_name(self) -> str:
        return f"Clé d'API « {self.key.name} »"


# --- schemas -----------------------------------------------------------------------------------


class ProviderOut(Schema):
    slug: str
    name: str


class OfferOut(Schema):
    slug: str
    title: str
    provider: ProviderOut
    kind: str
    kind_label: str
    summary: str
    description: str
    stages: list[str]
    sizes: list[str]
    export_statuses: list[str]
    filieres: list[str]
    regions: list[str]
    min_employees: int | None
    max_employees: int | None
    min_age_years: int | None
    max_age_years: int | None
    dimensions: list[str]
    audience: list[str]
    cost_to_company: str
    public_funding: str
    link: str
    contact_email: str
    contact_phone: str
    valid_from: date | None
    valid_until: date | None
    is_active: bool
    url: str

    @staticmethod
    def resolve_kind_label(obj: Offer) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_filieres(obj: Offer) -> list[str]:
        return [f.slug for f in obj.filieres.all()]

    @staticmethod
    def resolve_regions(obj: Offer) -> list[str]:
        return [r.code for r in obj.regions.all()]

    @staticmethod
    def resolve_audience(obj: Offer) -> list[str]:
        return audience_lines(rules_of(obj))

    @staticmethod
    def resolve_url(obj: Offer) -> str:
        return reverse("offers:detail", args=[obj.slug])


class CompanyOfferOut(Schema):
    status: str
    status_label: str
    reasons: list[str]
    offer: OfferOut


class OfferPatch(Schema):
    title: str | None = None
    kind: str | None = None
    summary: str | None = None
    description: str | None = None
    stages: list[str] | None = None
    sizes: list[str] | None = None
    export_statuses: list[str] | None = None
    filieres: list[str] | None = None
    regions: list[str] | None = None
    min_employees: int | None = None
    max_employees: int | None = None
    min_age_years: int | None = None
    max_age_years: int | None = None
    dimensions: list[str] | None = None
    cost_to_company: str | None = None
    public_funding: str | None = None
    link: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool | None = None


class OfferIn(OfferPatch):
    title: str = ""
    kind: str = ""
    summary: str = ""
    slug: str = ""


class OfferFilters(Schema):
    q: str = ""
    kind: str = ""
    provider: str = ""
    stage: str = ""
    size: str = ""
    filiere: str = ""
    current: bool = False
    withdrawn: bool = False


# --- helpers -----------------------------------------------------------------------------------


_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


def _offer(slug: str) -> Offer:
    offer = offer_by_slug(slug) if _SLUG.match(slug) else None
    if offer is None:
        raise ApiNotFound(f"Aucune offre d'identifiant « {slug} » dans le catalogue.")
    return offer


def _plausible(codes: list[str]) -> list[str]:
    return [c for c in codes if c.isprintable() and len(c) <= 80]


def _related(fields: dict) -> dict:
    """Filières by slug and régions by INSEE code → objects; unknown ones are a 422."""
    errors = {}
    if fields.get("filieres") is not None:
        wanted = list(dict.fromkeys(fields["filieres"]))
        # Only plausible codes reach the database (PostgreSQL refuses NUL bytes in text).
        found = {f.slug: f for f in Filiere.objects.filter(slug__in=_plausible(wanted))}
        if missing := [s for s in wanted if s not in found]:
            errors["filieres"] = f"Filière inconnue : {', '.join(missing)}."
        fields["filieres"] = [found[s] for s in wanted if s in found]
    if fields.get("regions") is not None:
        wanted = list(dict.fromkeys(fields["regions"]))
        found = {r.code: r for r in Region.objects.filter(code__in=_plausible(wanted))}
        if missing := [c for c in wanted if c not in found]:
            errors["regions"] = f"Région inconnue (code INSEE) : {', '.join(missing)}."
        fields["regions"] = [found[c] for c in wanted if c in found]
    if errors:
        raise _invalid(DjangoValidationError(errors))
    return fields


def _fresh(offer: Offer) -> Offer:
    return offer_by_slug(offer.slug)


# --- endpoints ---------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], summary="Catalogue des offres (filtres)")
def offer_list(request, filters: Query[OfferFilters]):
    """Published offers by title; `q` searches title, summary, description and provider.
    `stage`, `size` and `filiere` keep the offers open to that
    value, those without restriction included; `withdrawn=true` lists withdrawn offers."""
    data = filters.dict()
    form = CatalogueFilterForm(
        {
            k: v
            for k, v in data.items()
            if v not in ("", False) and k not in ("current", "withdrawn")
        }
    )
    if not form.is_valid():
        raise _invalid(DjangoValidationError({f: list(m) for f, m in form.errors.items()}), "query")
    return search_offers(
        **{k: v for k, v in form.cleaned_data.items() if k not in ("current", "withdrawn")},
        current=data["current"],
        withdrawn=data["withdrawn"],
    )


@router.get("/offers/{slug}", response=OfferOut, summary="Une offre du catalogue")
def offer_detail(request, slug: str):
    return _offer(slug)


@router.post(
    "/offers",
    response={201: OfferOut},
    summary="Publier une offre de l'organisation de la clé",
)
def offer_create(request, payload: OfferIn):
    fields = _related(payload.dict(exclude_unset=True))
    fields.pop("is_active", None)  # an offer is created published; withdraw it with PATCH
    for required in ("title", "kind", "summary"):
        fields[required] = fields.get(required) or ""
    actor = _KeyActor(request.auth)
    try:
        with acting_as(actor, path=request.path):
            offer = services.offer_create(provider=actor.organisation, **fields)
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, _fresh(offer))


@router.patch(
    "/offers/{slug}",
    response=OfferOut,
    summary="Modifier une offre de l'organisation de la clé (is_active=false la retire)",
)
def offer_update(request, slug: str, payload: OfferPatch):
    offer = _offer(slug)
    actor = _KeyActor(request.auth)
    if offer.provider_id != actor.organisation.pk:
        raise PermissionDenied
    fields = _related(payload.dict(exclude_unset=True))
    try:
        with acting_as(actor, path=request.path):
            offer = services.offer_update(offer=offer, **fields)
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return _fresh(offer)


@router.get(
    "/companies/{siren}/offers",
    response=list[CompanyOfferOut],
    summary="Offres en cours pour une entreprise : éligibles, à vérifier, puis non éligibles",
)
def company_offers(request, siren: str):
    if not _SIREN.match(siren):
        raise _invalid(
            DjangoValidationError({"siren": "Le SIREN compte exactement 9 chiffres."}), "path"
        )
    company = company_selectors.company_for_file(siren)
    if company is None:
        raise ApiNotFound(f"Aucune entreprise de SIREN {siren} dans le registre.")
    return [
        {
            "status": eligibility.status,
            "status_label": eligibility.label,
            "reasons": eligibility.reasons,
            "offer": offer,
        }
        for offer, eligibility in offers_for_company(company)
    ]
