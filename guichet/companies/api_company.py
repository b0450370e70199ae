"""The company file in the API: identity, establishments, filières and export profile of one
company; its contacts and export-profile facts. Writes go through the same services as the
pages; their French validation messages become 422 answers, field by field. Reads of contacts
are written to the audit log in the name of the API key and its organisation."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from guichet.companies import selectors, services
from guichet.companies.filieres import filieres_of_company
from guichet.companies.models import Company, Contact, Establishment, ExportFact
from guichet.core.api_errors import ApiNotFound
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as, audit_view

router = Router(tags=["Entreprises"])

_SIREN = re.compile(r"^\d{9}$")


# --- who is calling ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiKeyActor:
    """Stands for an API key where the audit log expects a user: the event then names the key
    and its organisation (there is no person behind an API call)."""

    key: Any
    pk = None

    @property
    def email(self) -> str:
        return f"{self.key.prefix}…"

    @property
    def organisation(self):
        return self.key.organisation

    def get_full_name(self) -> str:
        return f"Clé d'API « {self.key.name} »"


def _actor(request) -> ApiKeyActor:
    return ApiKeyActor(key=request.auth)


# --- errors ------------------------------------------------------------------------------------


def _company(siren: str) -> Company:
    if not _SIREN.match(siren):
        raise _invalid(
            DjangoValidationError({"siren": "Le SIREN compte exactement 9 chiffres."}), "path"
        )
    company = selectors.company_for_file(siren)
    if company is None:
        raise ApiNotFound(f"Aucune entreprise de SIREN {siren} dans le registre.")
    return company


def _date(value: str | None, field: str, *, default: date | None = None) -> date | None:
    if value in (None, ""):
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _invalid(
            DjangoValidationError({field: "Date invalide : format AAAA-MM-JJ attendu."})
        ) from None


# --- schemas -----------------------------------------------------------------------------------


class CodeLabelOut(Schema):
    code: str
    label: str


class EstablishmentOut(Schema):
    siret: str
    is_headquarters: bool
    name: str
    address: str
    postal_code: str
    commune_code: str
    commune_name: str
    departement: str | None
    region: str | None
    country: str
    naf: str | None
    is_active: bool
    closed_on: date | None

    @staticmethod
    def resolve_departement(obj: Establishment) -> str | None:
        return obj.departement_id

    @staticmethod
    def resolve_region(obj: Establishment) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_naf(obj: Establishment) -> str | None:
        return obj.naf_id


class FiliereOut(Schema):
    slug: str
    name: str


class FactOut(Schema):
    id: int
    attribute: str
    attribute_label: str
    value: Any
    display: str
    observed_on: date
    source: str
    source_label: str
    comment: str
    organisation: str | None
    recorded_at: datetime

    @staticmethod
    def resolve_attribute_label(obj: ExportFact) -> str:
        return str(obj.get_attribute_display())

    @staticmethod
    def resolve_source_label(obj: ExportFact) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_organisation(obj: ExportFact) -> str | None:
        return obj.organisation.name if obj.organisation else None


class CompanyOut(Schema):
    siren: str
    name: str
    denomination: str
    acronym: str
    usual_names: str
    legal_category: str
    naf: CodeLabelOut | None
    activity_code: str
    activity_nomenclature: str
    headcount_band: CodeLabelOut | None
    headcount_year: int | None
    size_category: str
    creation_date: date | None
    is_active: bool
    ceased_on: date | None
    partially_diffusible: bool
    headquarters_siret: str
    export_status: str
    establishments: list[EstablishmentOut]
    filieres: list[FiliereOut]
    export_profile: dict[str, FactOut | None]


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str
    legal_basis: str
    source: str
    last_contact_on: date | None
    opted_out: bool
    opted_out_at: datetime | None
    organisation: str | None

    @staticmethod
    def resolve_organisation(obj: Contact) -> str | None:
        return obj.organisation.name if obj.organisation else None


class ContactIn(Schema):
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    legal_basis: str = ""
    source: str = ""
    last_contact_on: str | None = None


class ContactPatch(Schema):
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    legal_basis: str | None = None
    source: str | None = None
    last_contact_on: str | None = None
    opted_out: bool | None = None


class FactIn(Schema):
    attribute: str = ""
    value: Any = None
    observed_on: str | None = None
    source: str = ""
    comment: str = ""


# --- company -----------------------------------------------------------------------------------


_IDENTITY_FIELDS = (
    "siren",
    "name",
    "denomination",
    "acronym",
    "usual_names",
    "legal_category",
    "activity_code",
    "activity_nomenclature",
    "headcount_year",
    "size_category",
    "creation_date",
    "is_active",
    "ceased_on",
    "partially_diffusible",
    "headquarters_siret",
    "export_status",
)


def _code_label(row) -> dict | None:
    return {"code": row.pk, "label": row.label} if row is not None else None


@router.get("/companies/{siren}", response=CompanyOut, summary="Fiche d'une entreprise")
def company_detail(request, siren: str):
    company = _company(siren)
    profile = selectors.current_export_profile(company)
    return {
        **{field: getattr(company, field) for field in _IDENTITY_FIELDS},
        "naf": _code_label(company.naf),
        "headcount_band": _code_label(company.headcount_band),
        "establishments": list(company.establishments.all()),
        "filieres": filieres_of_company(company),
        "export_profile": profile,
    }


# --- contacts ----------------------------------------------------------------------------------


def _contact_fields(payload: Schema, *, partial: bool) -> dict:
    fields = payload.dict(exclude_unset=partial)
    fields.pop("opted_out", None)
    for name, value in fields.items():
        if name != "last_contact_on" and value is None:
            fields[name] = ""
    if "last_contact_on" in fields:
        fields["last_contact_on"] = _date(fields["last_contact_on"], "last_contact_on")
    return fields


@router.get(
    "/companies/{siren}/contacts",
    response=list[ContactOut],
    summary="Contacts d'une entreprise (consultation enregistrée au journal d'audit)",
)
def contact_list(request, siren: str):
    company = _company(siren)
    contacts = list(selectors.contacts_of(company).select_related("organisation"))
    actor = _actor(request)
    for contact in contacts:
        audit_view(obj=contact, actor=actor)
    return contacts


@router.post(
    "/companies/{siren}/contacts", response={201: ContactOut}, summary="Ajouter un contact"
)
def contact_create(request, siren: str, payload: ContactIn):
    company = _company(siren)
    actor = _actor(request)
    fields = _contact_fields(payload, partial=False)
    try:
        with acting_as(actor, path=request.path):
            contact = services.contact_create(
                company=company, by=None, organisation=actor.organisation, **fields
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, contact)


@router.patch(
    "/companies/{siren}/contacts/{contact_id}",
    response=ContactOut,
    summary="Modifier un contact ; opted_out=true enregistre son opposition",
)
def contact_update(request, siren: str, contact_id: int, payload: ContactPatch):
    company = _company(siren)
    contact = get_object_or_404(
        Contact.objects.select_related("organisation"), pk=contact_id, company=company
    )
    if payload.opted_out is False and contact.opted_out:
        raise _invalid(
            DjangoValidationError(
                {"opted_out": "Une opposition enregistrée ne peut pas être levée par l'API."}
            )
        )
    fields = _contact_fields(payload, partial=True)
    try:
        with acting_as(_actor(request), path=request.path):
            if fields:
                contact = services.contact_update(contact=contact, by=None, **fields)
            if payload.opted_out:
                contact = services.contact_opt_out(contact=contact, by=None)
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return contact


# --- export facts ------------------------------------------------------------------------------


@router.get(
    "/companies/{siren}/export-facts",
    response=list[FactOut],
    summary="Historique du profil export (le plus récent d'abord)",
)
def export_fact_list(request, siren: str):
    return selectors.export_profile_history(_company(siren))


@router.post(
    "/companies/{siren}/export-facts",
    response={201: FactOut},
    summary="Enregistrer une donnée datée du profil export",
)
def export_fact_create(request, siren: str, payload: FactIn):
    company = _company(siren)
    actor = _actor(request)
    observed_on = _date(payload.observed_on, "observed_on", default=timezone.localdate())
    try:
        fact = services.export_fact_record(
            company=company,
            attribute=payload.attribute,
            value=payload.value,
            observed_on=observed_on,
            source=payload.source,
            comment=payload.comment,
            by=None,
            organisation=actor.organisation,
        )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, selectors.describe_facts([fact])[0])
