"""Collective actions in the API: the published programme of a year, one action with its rules
and places left, registering a company (by SIREN) for the key's organisation, and reading a
registration.

An API key acts for its organisation, with the same rules as the pages: any organisation may
register a company it follows (the registration is then followed by it); a registration's
details (contact, preparation) are read by the organisation that follows the company and the
organiser, and each read is audited. Writes go through the same services as the pages; their
French messages become 422 answers."""

import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from guichet.collective import permissions
from guichet.collective.models import CollectiveAction, Registration
from guichet.collective.selectors_registrations import checklist_of, live_count
from guichet.collective.services import registrations as services
from guichet.companies.api_company import ApiKeyActor
from guichet.companies.selectors import company_for_file
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as, audit_view

router = Router(tags=["Actions collectives"])

_SIREN = re.compile(r"^\d{9}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,90}$")
_MAX_ID = 2**63 - 1
CENT = Decimal("0.01")


def _money(amount) -> Decimal | None:
    return None if amount is None else Decimal(amount).quantize(CENT)


# --- schemas ---------------------------------------------------------------------------------


class ActionsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Année du programme.")


class CostOut(Schema):
    label: str
    amount: Decimal | None


class ActionOut(Schema):
    slug: str
    title: str
    kind: str
    kind_label: str
    status: str
    starts_on: date
    ends_on: date
    city: str
    country: str = Field(description="Code ISO alpha-2 du pays.")
    organiser: str
    capacity: int
    places_left: int
    waiting: int
    registration_deadline: date
    registrations_open: bool
    full_cost: Decimal
    company_fee: Decimal
    subsidy_rate: Decimal = Field(description="Taux de prise en charge, de 0 à 1.")
    subsidy_cap: Decimal | None
    subsidised_participations_limit: int | None
    regime: str
    series: str


class ActionDetailOut(ActionOut):
    description: str
    selection_criteria: str
    free_cancellation_until: date | None
    cancellation_rules: str
    eligible_costs: list[CostOut]
    filieres: list[str]
    partners: list[str]
    checklist: list[str]


class RegisterIn(Schema):
    siren: str = Field(description="SIREN de l'entreprise (9 chiffres), dans le registre.")
    contact_name: str = Field(max_length=200)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field("", max_length=30)
    motivation: str = Field("", max_length=3000)
    interested: bool = Field(False, description="Seulement intéressée (pas encore candidate).")


class StepOut(Schema):
    label: str
    done_at: datetime | None


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class EventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    title: str


class RegistrationOut(Schema):
    id: int
    action: str
    siren: str
    company: str
    status: str
    status_label: str
    waiting_rank: int | None
    organisation: str
    registered_by_company: bool
    fee_status: str
    subsidy_amount: Decimal | None
    created_at: datetime
    selected_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    contact: ContactOut
    motivation: str
    checklist: list[StepOut]
    history: list[EventOut]


# --- helpers ---------------------------------------------------------------------------------


def _action_payload(action: CollectiveAction, today: date) -> dict:
    places = live_count(action)
    return {
        "slug": action.slug,
        "title": action.title,
        "kind": action.kind,
        "kind_label": action.get_kind_display(),
        "status": action.status,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "city": action.city,
        "country": action.country_id,
        "organiser": action.organiser.name,
        "capacity": action.capacity,
        "places_left": places["places_left"],
        "waiting": places["waiting"],
        "registration_deadline": action.registration_deadline,
        "registrations_open": services.registration_open_problem(action, today) is None,
        "full_cost": _money(action.full_cost),
        "company_fee": _money(action.company_fee),
        "subsidy_rate": Decimal(action.subsidy_rate),
        "subsidy_cap": _money(action.subsidy_cap),
        "subsidised_participations_limit": action.subsidised_participations_limit,
        "regime": action.regime,
        "series": action.series,
    }


def _costs(action: CollectiveAction) -> list[dict]:
    costs = []
    for line in action.eligible_costs or []:
        try:
            amount = _money(str((line or {}).get("amount")).replace(",", "."))
        except (ArithmeticError, ValueError):
            amount = None
        costs.append({"label": str((line or {}).get("label", "")), "amount": amount})
    return costs


def _detail_payload(action: CollectiveAction, today: date) -> dict:
    return {
        **_action_payload(action, today),
        "description": action.description,
        "selection_criteria": action.selection_criteria,
        "free_cancellation_until": action.free_cancellation_until,
        "cancellation_rules": action.cancellation_rules,
        "eligible_costs": _costs(action),
        "filieres": [f.name for f in action.filieres.order_by("name")],
        "partners": [o.name for o in action.partners.order_by("name")],
        "checklist": [i.label for i in action.checklist.order_by("order", "pk")],
    }


def _visible_actions(organisation):
    """Published actions, and the key's organisation's own drafts."""
    from django.db.models import Q

    published = Q(status=CollectiveAction.Status.PUBLISHED)
    own = Q(organiser=organisation) if organisation is not None else Q(pk__in=[])
    return CollectiveAction.objects.select_related("organiser").filter(published | own)


def _action(request, slug: str) -> CollectiveAction:
    action = None
    if _SLUG.match(slug or ""):
        action = _visible_actions(request.api_organisation).filter(slug=slug).first()
    if action is None:
        raise ApiNotFound(f"Aucune action collective « {slug[:90]} ».")
    return action


def _registration_payload(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "action": registration.action.slug,
        "siren": registration.company.siren,
        "company": registration.company.name,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "waiting_rank": registration.waiting_rank,
        "organisation": registration.organisation.name,
        "registered_by_company": registration.registered_by_company,
        "fee_status": registration.fee_status,
        "subsidy_amount": _money(registration.subsidy_amount),
        "created_at": registration.created_at,
        "selected_at": registration.selected_at,
        "confirmed_at": registration.confirmed_at,
        "cancelled_at": registration.cancelled_at,
        "contact": {
            "name": registration.contact_name,
            "email": registration.contact_email,
            "phone": registration.contact_phone,
        },
        "motivation": registration.motivation,
        "checklist": [
            {"label": step["item"].label, "done_at": step["tick"].done_at if step["tick"] else None}
            for step in checklist_of(registration)
        ],
        "history": [
            {"at": e.at, "from_status": e.from_status, "to_status": e.to_status, "title": e.title}
            for e in registration.events.order_by("at", "pk")
        ],
    }


def _shown(request, registration: Registration) -> dict:
    if not permissions.organisation_sees_registration(request.api_organisation, registration):
        raise PermissionDenied
    with acting_as(ApiKeyActor(key=request.auth), path=request.path):
        audit_view(obj=registration)
    return _registration_payload(registration)


def _registration(registration_id: int) -> Registration:
    registration = None
    if 0 < registration_id <= _MAX_ID:
        registration = (
            Registration.objects.select_related("action", "company", "organisation")
            .filter(pk=registration_id)
            .first()
        )
    if registration is None:
        raise ApiNotFound(f"Aucune inscription n° {registration_id}.")
    return registration


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/collective/actions",
    response=list[ActionOut],
    summary="Actions collectives d'une année : salons, missions, places restantes",
)
def action_list(request, params: Query[ActionsQuery]):
    today = timezone.localdate()
    actions = _visible_actions(request.api_organisation).filter(
        programme__year=params.year or today.year
    )
    return [_action_payload(a, today) for a in actions.order_by("starts_on", "pk")]


@router.get(
    "/collective/actions/{slug}",
    response=ActionDetailOut,
    summary="Une action collective : règles de prise en charge, annulation, préparation",
)
def action_detail(request, slug: str):
    return _detail_payload(_action(request, slug), timezone.localdate())


@router.post(
    "/collective/actions/{slug}/registrations",
    response={201: RegistrationOut},
    summary="Inscrire une entreprise (par SIREN) ; l'organisation de la clé la suit",
    description=(
        "L'entreprise doit être dans le registre. Une entreprise ne s'inscrit qu'une fois par "
        "action ; les inscriptions ferment à la date limite. Le contact reçoit par courriel le "
        "lien de l'inscription."
    ),
)
def registration_create(request, slug: str, payload: RegisterIn):
    action = _action(request, slug)
    if not _SIREN.match(payload.siren):
        raise _invalid(DjangoValidationError({"siren": "Le SIREN compte exactement 9 chiffres."}))
    company = company_for_file(payload.siren)
    if company is None:
        raise ApiNotFound(f"Aucune entreprise de SIREN {payload.siren} dans le registre.")
    try:
        with acting_as(ApiKeyActor(key=request.auth), path=request.path):
            registration = services.registration_create(
                action=action,
                company=company,
                contact_name=payload.contact_name,
                contact_email=payload.contact_email,
                contact_phone=payload.contact_phone,
                motivation=payload.motivation,
                organisation=request.api_organisation,
                by=None,
                by_company=False,
                interested=payload.interested,
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, _registration_payload(_registration(registration.pk)))


@router.get(
    "/collective/registrations/{registration_id}",
    response=RegistrationOut,
    summary="Une inscription (organisation qui suit l'entreprise ou organisateur)",
)
def registration_detail(request, registration_id: int):
    return _shown(request, _registration(registration_id))
