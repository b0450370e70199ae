"""V.I.E. missions and student awareness sessions in the API. Neither holds personal data:
every key reads them all (as every member does on the pages) and records new ones for its
organisation, through the same services, whose French messages become 422 answers."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Paginator
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from guichet.aids.models import Application
from guichet.companies.api_company import ApiKeyActor
from guichet.companies.models import Company
from guichet.core.api_errors import api_invalid as _invalid
from guichet.core.audit import acting_as
from guichet.reference.models import Country, Departement
from guichet.vie import durations, selectors, services
from guichet.vie.models import AwarenessSession, SchoolLevel, VieMission

router = Router(tags=["V.I.E. et sensibilisation"])

MAX_PAGE_SIZE = 100
FIRST_YEAR, LAST_YEAR = 2000, 2100
_SIREN = re.compile(r"^\d{9}$")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,12}$")
_DEPARTEMENT = re.compile(r"^[0-9AB]{2,3}$")


# --- schemas ---------------------------------------------------------------------------------


class MissionOut(Schema):
    id: int
    siren: str
    company: str
    job_title: str
    country: str
    country_name: str
    city: str
    starts_on: date
    ends_on: date
    extended_until: date | None
    duration_months: int
    monthly_cost: Decimal
    aid_application: str | None
    status: str
    status_label: str
    hired: bool | None
    hired_where: str
    outcome_note: str
    organisation: str
    url: str


class MissionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MissionOut]


class MissionIn(Schema):
    siren: str
    job_title: str
    country: str
    city: str
    starts_on: date
    ends_on: date
    monthly_cost: Decimal
    aid_application: str | None = None


class MissionsQuery(Schema):
    year: int | None = None
    country: str = ""
    page: int = 1
    page_size: int = 25


class SessionOut(Schema):
    id: int
    school: str
    level: str
    level_label: str
    held_on: date
    departement: str | None
    speakers: str
    students: int
    vie_candidates: int | None
    organisation: str


class SessionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SessionOut]


class SessionIn(Schema):
    school: str
    level: str
    held_on: date
    departement: str | None = None
    speakers: str = ""
    students: int
    vie_candidates: int | None = None


class SessionsQuery(Schema):
    year: int | None = None
    level: str = ""
    page: int = 1
    page_size: int = 25


# --- helpers ---------------------------------------------------------------------------------


def _paging_errors(params, errors: dict) -> None:
    if params.year is not None and not FIRST_YEAR <= params.year <= LAST_YEAR:
        errors["year"] = [f"L'année va de {FIRST_YEAR} à {LAST_YEAR}."]
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"La taille de page va de 1 à {MAX_PAGE_SIZE}."]
    if not 1 <= params.page <= 1_000_000:
        errors["page"] = ["Le numéro de page va de 1 à 1 000 000."]


def _page(queryset, params, payload) -> dict:
    paginator = Paginator(queryset, params.page_size)
    try:
        rows = list(paginator.page(params.page).object_list)
    except EmptyPage:
        rows = []
    return {
        "count": paginator.count,
        "page": params.page,
        "pages": paginator.num_pages,
        "results": [payload(row) for row in rows],
    }


def _mission_payload(mission: VieMission) -> dict:
    end = mission.extended_until or mission.ends_on
    status = selectors.status_of(mission, timezone.localdate())
    return {
        "id": mission.pk,
        "siren": mission.company.siren,
        "company": mission.company.name,
        "job_title": mission.job_title,
        "country": mission.country_id,
        "country_name": mission.country.name_fr,
        "city": mission.city,
        "starts_on": mission.starts_on,
        "ends_on": mission.ends_on,
        "extended_until": mission.extended_until,
        "duration_months": durations.duration(mission.starts_on, end)[0],
        "monthly_cost": mission.monthly_cost,
        "aid_application": mission.aid_application.reference
        if mission.aid_application_id
        else None,
        "status": status,
        "status_label": selectors.STATUSES[status],
        "hired": mission.hired,
        "hired_where": mission.hired_where,
        "outcome_note": mission.outcome_note,
        "organisation": mission.organisation.name,
        "url": reverse("vie:mission_detail", args=[mission.pk]),
    }


def _session_payload(session: AwarenessSession) -> dict:
    return {
        "id": session.pk,
        "school": session.school,
        "level": session.level,
        "level_label": str(session.get_level_display()),
        "held_on": session.held_on,
        "departement": session.departement_id,
        "speakers": session.speakers,
        "students": session.students,
        "vie_candidates": session.vie_candidates,
        "organisation": session.organisation.name,
    }


def _country(code: str, errors: dict):
    country = Country.objects.filter(iso2=code.upper()).first() if _ISO2.match(code) else None
    if country is None:
        errors["country"] = ["Pays inconnu : indiquez son code ISO à deux lettres (DE, US…)."]
    return country


# --- missions --------------------------------------------------------------------------------


@router.get(
    "/vie/missions",
    response=MissionPageOut,
    summary="Missions V.I.E. (filtres : année de début, pays)",
    description=(
        "Les missions V.I.E. enregistrées par les partenaires, de la plus récente à la plus "
        "ancienne. `year` : année de début ; `country` : code ISO à deux lettres. 25 par page "
        f"(`page_size` jusqu'à {MAX_PAGE_SIZE}). Les volontaires ne sont pas nommés."
    ),
)
def mission_list(request, params: Query[MissionsQuery]):
    errors: dict = {}
    _paging_errors(params, errors)
    country = _country(params.country, errors) if params.country else None
    if errors:
        raise _invalid(DjangoValidationError(errors), "query")
    missions = selectors.missions(year=params.year, country=country)
    return _page(missions, params, _mission_payload)


@router.post(
    "/vie/missions",
    response={201: MissionOut},
    summary="Enregistrer une mission V.I.E. (suivie par l'organisation de la clé)",
    description=(
        "Mission de 6 à 24 mois (du 1er mars au 31 août : 6 mois), coût mensuel positif ou nul, "
        "`aid_application` : référence d'un dossier d'aide de la même entreprise (facultatif)."
    ),
)
def mission_create(request, payload: MissionIn):
    errors: dict = {}
    siren = payload.siren.strip()
    company = Company.objects.filter(siren=siren).first() if _SIREN.match(siren) else None
    if company is None:
        errors["siren"] = [
            "Le SIREN compte exactement 9 chiffres."
            if not _SIREN.match(siren)
            else f"Aucune entreprise de SIREN {siren} dans le registre."
        ]
    country = _country(payload.country, errors)
    application = None
    if payload.aid_application:
        reference = payload.aid_application.strip().upper()
        if _REFERENCE.match(reference):
            application = (
                Application.objects.select_related("company").filter(reference=reference).first()
            )
        if application is None:
            errors["aid_application"] = [f"Aucun dossier d'aide de référence {reference[:20]}."]
    if errors:
        raise _invalid(DjangoValidationError(errors))
    try:
        with acting_as(ApiKeyActor(key=request.auth), path=request.path):
            mission = services.vie_mission_create(
                company=company,
                job_title=payload.job_title,
                country=country,
                city=payload.city,
                starts_on=payload.starts_on,
                ends_on=payload.ends_on,
                monthly_cost=payload.monthly_cost,
                aid_application=application,
                organisation=request.api_organisation,
                by=None,
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, _mission_payload(selectors.mission_for_page(mission.pk)))


# --- awareness sessions ----------------------------------------------------------------------


@router.get(
    "/vie/awareness-sessions",
    response=SessionPageOut,
    summary="Sessions de sensibilisation des étudiants (filtres : année, niveau)",
    description=(
        f"Niveaux : {', '.join(SchoolLevel.values)}. 25 par page (`page_size` jusqu'à "
        f"{MAX_PAGE_SIZE})."
    ),
)
def session_list(request, params: Query[SessionsQuery]):
    errors: dict = {}
    _paging_errors(params, errors)
    if params.level and params.level not in SchoolLevel.values:
        errors["level"] = [f"Niveau inconnu. Valeurs possibles : {', '.join(SchoolLevel.values)}."]
    if errors:
        raise _invalid(DjangoValidationError(errors), "query")
    found = selectors.sessions(year=params.year, level=params.level)
    return _page(found, params, _session_payload)


@router.post(
    "/vie/awareness-sessions",
    response={201: SessionOut},
    summary="Enregistrer une session de sensibilisation (de l'organisation de la clé)",
    description=(
        f"Niveaux : {', '.join(SchoolLevel.values)} ; `departement` : code INSEE (21, 2A…) ; "
        "au moins un étudiant ; les candidats au V.I.E. ne dépassent pas les étudiants."
    ),
)
def session_create(request, payload: SessionIn):
    departement = None
    if payload.departement:
        code = payload.departement.strip().upper()
        if _DEPARTEMENT.match(code):
            departement = Departement.objects.filter(code=code).first()
        if departement is None:
            raise _invalid(
                DjangoValidationError({"departement": "Département inconnu (code INSEE)."})
            )
    try:
        with acting_as(ApiKeyActor(key=request.auth), path=request.path):
            session = services.awareness_session_create(
                school=payload.school,
                level=payload.level,
                held_on=payload.held_on,
                departement=departement,
                speakers=payload.speakers,
                students=payload.students,
                vie_candidates=payload.vie_candidates,
                organisation=request.api_organisation,
                by=None,
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    session = AwarenessSession.objects.select_related("organisation").get(pk=session.pk)
    return Status(201, _session_payload(session))
