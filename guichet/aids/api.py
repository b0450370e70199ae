"""Individual aids in the API: the schemes, the applications an API key's organisation follows
or finances, one application, its eligibility checks.

An API key acts for its organisation, with the same rules as the pages: the whole file
(contact, expenses, documents list, instruction) goes to the organisation that follows it and
to the scheme's provider; every other organisation reads a summary (scheme, status, amounts),
as on the company file. Reading a whole file (its contact is personal data) is written to the
audit log in the key's name. Amounts travel as strings with two decimals ("12683.00").
"""

import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from guichet.aids import eligibility, permissions, selectors
from guichet.aids.amounts import amount_breakdown
from guichet.aids.models import (
    AidScheme,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    PlannedExpense,
)
from guichet.aids.services.states import PENDING
from guichet.companies.api_company import ApiKeyActor
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as, audit_view

router = Router(tags=["Aides individuelles"])

CENT = Decimal("0.01")
MAX_PAGE_SIZE = 200
_REFERENCE = re.compile(r"^AI\d{2}-[A-Z0-9]{6}$")


def _money(amount) -> Decimal | None:
    return None if amount is None else Decimal(amount).quantize(CENT)


# --- schemas ---------------------------------------------------------------------------------


class LabelledCode(Schema):
    code: str
    label: str


class RequiredDocumentOut(Schema):
    code: str
    label: str
    mandatory: bool


class SchemeOut(Schema):
    slug: str
    name: str
    provider: str
    purpose: str
    regime: str
    regime_label: str
    is_state_aid: bool
    not_aid_justification: str
    rate: Decimal = Field(description="Taux d'aide, de 0 à 1.")
    extension_rate: Decimal | None
    min_eligible_costs: Decimal | None
    ceiling_per_aid: Decimal | None
    ceiling_per_company: Decimal | None
    max_aids_per_company: int | None
    max_duration_months: int | None
    max_months_since_hiring: int | None
    sizes: list[str]
    export_statuses: list[str]
    filieres: list[str] = Field(description="Identifiants (slug) des filières visées.")
    min_age_years: int | None
    max_age_years: int | None
    max_export_share: Decimal | None
    opens_on: date | None
    closes_on: date | None
    is_active: bool
    cost_categories: list[LabelledCode]
    required_documents: list[RequiredDocumentOut]


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class ExpenseOut(Schema):
    category: str
    category_label: str
    description: str
    amount: Decimal


class DeclaredAidOut(Schema):
    granting_body: str
    granted_on: date
    amount: Decimal
    regulation: str


class DocumentOut(Schema):
    id: int
    label: str
    required: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class MissingItemOut(Schema):
    label: str
    requested_at: datetime
    resolved_at: datetime | None


class EventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    title: str
    text: str


class InstructionOut(Schema):
    instructed_at: datetime | None
    instructor: str | None
    eligible_costs: Decimal | None
    opinion: str
    opinion_label: str
    opinion_text: str


class ApplicationOut(Schema):
    reference: str
    full: bool = Field(
        description="true : dossier complet (organisme qui le suit ou financeur) ; false : "
        "résumé (dispositif, état, montants), les champs du dossier valent null."
    )
    siren: str
    company: str
    scheme: str
    scheme_name: str
    provider: str
    organisation: str = Field(description="L'organisme qui suit le dossier.")
    status: str
    status_label: str
    title: str
    submitted_at: datetime | None
    requested_amount: Decimal
    eligible_amount: Decimal | None
    proposed_amount: Decimal | None
    granted_amount: Decimal | None
    decided_on: date | None
    description: str | None = None
    is_extension: bool | None = None
    project_start: date | None = None
    project_end: date | None = None
    hired_on: date | None = None
    export_share: Decimal | None = None
    contact: ContactOut | None = None
    filed_by: str | None = None
    declared_no_other_aid: bool | None = None
    expenses: list[ExpenseOut] | None = None
    declared_aids: list[DeclaredAidOut] | None = None
    documents: list[DocumentOut] | None = None
    missing_items: list[MissingItemOut] | None = None
    instruction: InstructionOut | None = None
    decision_reason: str | None = None
    withdrawn_reason: str | None = None
    history: list[EventOut] | None = None


class ApplicationPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ApplicationOut]


class ApplicationsQuery(Schema):
    status: str = Field("", description="Un état (submitted, instruction…) ou pending.")
    scheme: str = Field("", description="Identifiant (slug) du dispositif.")
    siren: str = Field("", description="SIREN de l'entreprise.")
    page: int = 1
    page_size: int = 50


class CheckOut(Schema):
    code: str
    label: str
    outcome: str = Field(description="passed, failed ou manual (à vérifier à la main).")
    detail: str


class AmountTermOut(Schema):
    code: str
    label: str
    value: Decimal | None = Field(description="null : ce plafond ne s'applique pas.")
    detail: str


class AmountOut(Schema):
    rate: Decimal
    eligible_costs: Decimal
    amount: Decimal = Field(description="Montant éligible : le plus petit des termes.")
    binding: str = Field(description="Code du terme qui fixe le montant.")
    terms: list[AmountTermOut]


class ChecksOut(Schema):
    reference: str
    computed_on: date
    computed: list[CheckOut] = Field(description="Vérifications calculées ce jour.")
    recorded: list[CheckOut] = Field(
        description="Vérifications enregistrées à l'instruction (vide avant)."
    )
    recorded_at: datetime | None
    eligible_amount: AmountOut


# --- helpers ---------------------------------------------------------------------------------


def _scheme_payload(scheme: AidScheme) -> dict:
    return {
        "slug": scheme.slug,
        "name": scheme.name,
        "provider": scheme.provider.name,
        "purpose": scheme.purpose,
        "regime": scheme.regime,
        "regime_label": scheme.get_regime_display(),
        "is_state_aid": scheme.is_state_aid,
        "not_aid_justification": scheme.not_aid_justification,
        "rate": scheme.rate,
        "extension_rate": scheme.extension_rate,
        "min_eligible_costs": _money(scheme.min_eligible_costs),
        "ceiling_per_aid": _money(scheme.ceiling_per_aid),
        "ceiling_per_company": _money(scheme.ceiling_per_company),
        "max_aids_per_company": scheme.max_aids_per_company,
        "max_duration_months": scheme.max_duration_months,
        "max_months_since_hiring": scheme.max_months_since_hiring,
        "sizes": list(scheme.sizes or []),
        "export_statuses": list(scheme.export_statuses or []),
        "filieres": [f.slug for f in scheme.filieres.all()],
        "min_age_years": scheme.min_age_years,
        "max_age_years": scheme.max_age_years,
        "max_export_share": scheme.max_export_share,
        "opens_on": scheme.opens_on,
        "closes_on": scheme.closes_on,
        "is_active": scheme.is_active,
        "cost_categories": [
            {"code": c.code, "label": c.label} for c in scheme.cost_categories.all()
        ],
        "required_documents": [
            {"code": d.code, "label": d.label, "mandatory": d.mandatory}
            for d in scheme.required_documents.all()
        ],
    }


def _summary(application: Application) -> dict:
    return {
        "reference": application.reference,
        "full": False,
        "siren": application.company.siren,
        "company": application.company.name,
        "scheme": application.scheme.slug,
        "scheme_name": application.scheme.name,
        "provider": application.scheme.provider.name,
        "organisation": application.organisation.name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "title": application.title,
        "submitted_at": application.submitted_at,
        "requested_amount": _money(application.requested_amount),
        "eligible_amount": _money(application.eligible_amount),
        "proposed_amount": _money(application.proposed_amount),
        "granted_amount": _money(application.granted_amount),
        "decided_on": application.decided_on,
    }


def _instruction(application: Application) -> dict:
    return {
        "instructed_at": application.instructed_at,
        "instructor": application.instructor.get_full_name() if application.instructor else None,
        "eligible_costs": _money(application.eligible_costs),
        "opinion": application.opinion,
        "opinion_label": application.get_opinion_display() if application.opinion else "",
        "opinion_text": application.opinion_text,
    }


def _full(application: Application) -> dict:
    return {
        **_summary(application),
        "full": True,
        "description": application.description,
        "is_extension": application.is_extension,
        "project_start": application.project_start,
        "project_end": application.project_end,
        "hired_on": application.hired_on,
        "export_share": application.export_share,
        "contact": {
            "name": application.contact_name,
            "email": application.contact_email,
            "phone": application.contact_phone,
        },
        "filed_by": application.filed_by,
        "declared_no_other_aid": application.declared_no_other_aid,
        "expenses": [
            {
                "category": e.category.code,
                "category_label": e.category.label,
                "description": e.description,
                "amount": _money(e.amount),
            }
            for e in application.expenses.all()
        ],
        "declared_aids": [
            {
                "granting_body": a.granting_body,
                "granted_on": a.granted_on,
                "amount": _money(a.amount),
                "regulation": a.regulation,
            }
            for a in application.declared_aids.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "label": d.label,
                "required": d.required.code if d.required_id and d.required else None,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": d.uploaded_at,
            }
            for d in application.documents.all()
        ],
        "missing_items": [
            {"label": m.label, "requested_at": m.requested_at, "resolved_at": m.resolved_at}
            for m in application.missing_items.all()
        ],
        "instruction": _instruction(application),
        "decision_reason": application.decision_reason,
        "withdrawn_reason": application.withdrawn_reason,
        "history": [
            {
                "at": e.at,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "title": e.title,
                "text": e.text,
            }
            for e in application.events.all()
        ],
    }


def _shown(request, application: Application) -> dict:
    organisation = request.api_organisation
    if not permissions.organisation_sees_file(organisation, application):
        return _summary(application)
    with acting_as(ApiKeyActor(key=request.auth), path=request.path):
        audit_view(obj=application)
    return _full(application)


def _application(reference: str) -> Application:
    reference = (reference or "").strip().upper()
    if not _REFERENCE.match(reference):
        raise _invalid(
            DjangoValidationError(
                {
                    "reference": "Référence invalide : elle s'écrit AI, l'année, un tiret et six "
                    "caractères (par exemple AI26-K7M3QX)."
                }
            ),
            "path",
        )
    application = selectors.application_for_detail(reference)
    if application is None:
        raise ApiNotFound(f"Aucune demande d'aide de référence {reference}.")
    return application


def _check_rows(checks) -> list[dict]:
    return [c if isinstance(c, dict) else c.as_dict() for c in checks]


def _query_errors(params: ApplicationsQuery) -> dict:
    errors: dict[str, list[str]] = {}
    allowed = [selectors.PENDING_FILTER, *ApplicationStatus.values]
    if params.status and params.status not in allowed:
        errors["status"] = [
            f"État inconnu : {params.status[:40]}. Valeurs possibles : {', '.join(allowed)}."
        ]
    if params.siren and not re.fullmatch(r"\d{9}", params.siren):
        errors["siren"] = ["Le SIREN compte exactement 9 chiffres."]
    if params.scheme and (
        not re.fullmatch(r"[-\w]{1,80}", params.scheme, flags=re.ASCII)
        or not AidScheme.objects.filter(slug=params.scheme).exists()
    ):
        errors["scheme"] = [f"Aucun dispositif « {params.scheme[:80]} »."]
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"La taille de page va de 1 à {MAX_PAGE_SIZE}."]
    if not 1 <= params.page <= 1_000_000:
        errors["page"] = ["Le numéro de page commence à 1."]
    return errors


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/aids/schemes",
    response=list[SchemeOut],
    summary="Dispositifs d'aide : bénéficiaires, taux, plafonds, régime, dépenses et pièces",
)
def scheme_list(request):
    schemes = AidScheme.objects.select_related("provider").prefetch_related(
        "filieres", "cost_categories", "required_documents"
    )
    return [_scheme_payload(s) for s in schemes.order_by("name", "pk")]


@router.get(
    "/aids/applications",
    response=ApplicationPageOut,
    summary="Demandes d'aide que votre organisation suit ou finance",
    description=(
        "Les demandes des dispositifs que finance l'organisation de la clé et celles qu'elle "
        "suit, de la plus récente à la plus ancienne, en dossier complet."
    ),
)
def application_list(request, params: Query[ApplicationsQuery]):
    errors = _query_errors(params)
    if errors:
        raise _invalid(DjangoValidationError(errors), "query")
    organisation = request.api_organisation
    applications = selectors.applications_scope_of_organisation(organisation)
    if params.status == selectors.PENDING_FILTER:
        applications = applications.filter(status__in=PENDING)
    elif params.status:
        applications = applications.filter(status=params.status)
    if params.scheme:
        applications = applications.filter(scheme__slug=params.scheme)
    if params.siren:
        applications = applications.filter(company__siren=params.siren)
    applications = applications.select_related(
        "scheme__provider", "company", "organisation", "instructor"
    ).prefetch_related(
        Prefetch("expenses", queryset=PlannedExpense.objects.select_related("category")),
        "declared_aids",
        Prefetch("documents", queryset=ApplicationDocument.objects.select_related("required")),
        "missing_items",
        "events",
    )
    paginator = Paginator(applications.order_by("-created_at", "-pk"), params.page_size)
    try:
        page = list(paginator.page(params.page).object_list)
    except EmptyPage:
        page = []
    return {
        "count": paginator.count,
        "page": params.page,
        "pages": paginator.num_pages,
        "results": [_shown(request, a) for a in page],
    }


@router.get(
    "/aids/applications/{reference}",
    response=ApplicationOut,
    summary="Une demande d'aide : dossier complet ou résumé selon votre organisation",
    description=(
        "Dossier complet pour l'organisme qui suit le dossier et pour le financeur ; pour les "
        "autres organisations, un résumé (dispositif, état, montants) comme sur la fiche de "
        "l'entreprise."
    ),
)
def application_detail(request, reference: str):
    return _shown(request, _application(reference))


@router.get(
    "/aids/applications/{reference}/checks",
    response=ChecksOut,
    summary="Vérifications d'éligibilité et calcul du montant éligible d'une demande",
    description=(
        "Réservé à l'organisme qui suit le dossier et au financeur : les vérifications "
        "calculées ce jour, celles enregistrées à l'instruction, et le montant éligible avec "
        "le plafond qui le fixe."
    ),
)
def application_checks(request, reference: str):
    application = _application(reference)
    if not permissions.organisation_sees_file(request.api_organisation, application):
        raise PermissionDenied
    today = timezone.localdate()
    breakdown = amount_breakdown(application, today=today)
    return {
        "reference": application.reference,
        "computed_on": today,
        "computed": _check_rows(eligibility.checks_for(application, today=today)),
        "recorded": _check_rows(application.checks or []),
        "recorded_at": application.instructed_at,
        "eligible_amount": {
            "rate": breakdown.rate,
            "eligible_costs": _money(breakdown.eligible_costs),
            "amount": _money(breakdown.amount),
            "binding": breakdown.binding,
            "terms": [
                {
                    "code": t.code,
                    "label": t.label,
                    "value": _money(t.value),
                    "detail": t.detail,
                }
                for t in breakdown.terms
            ],
        },
    }
