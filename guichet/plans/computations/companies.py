"""Computations on the companies the partners accompany: distinct companies accompanied, new
exporters and regular exporters among them (helper A).

A company is *accompanied* in a year when at least one of these support records of the
platform falls in that year (``SUPPORTS``):
- a desk need of the company taken in charge by a partner (match taken, closed with or
  without help; dated the day it was taken in charge; the partner is the match's);
- an export diagnostic completed (or its action plan sent; dated at completion; the
  diagnostic's organisation);
- a registration to a collective action confirmed or attended (dated the first day of the
  action; the organisation following the company);
- an individual aid granted (dated the committee's decision; the organisation following the
  file);
- a V.I.E. mission started (dated its first day; the organisation following the mission);
- a move of its export journey to "accompanied" or a later stage (dated the move; the journey's
  lead organisation).
The partner filter keeps the support records of that partner; the company filters (filière,
head office's département, size category) apply to the company.

The helpers at the top (company details, columns) are shared by the other modules of helper A.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guichet.companies.models import Company, Establishment, ExportFact, ExportStatus
from guichet.plans.computations import scope
from guichet.plans.computations.base import Column, Figure, Filters, register

# --- Shared helpers ---------------------------------------------------------------------------

COMPANY_FIELDS = ("filiere_id", "departement", "size")


def without_company_filters(filters: Filters) -> Filters:
    return filters.with_(filiere_id=None, departement=None, size=None)


def only_company_filters(filters: Filters) -> Filters:
    return filters.with_(year=None, organisation_id=None)


def with_head_office(records: QuerySet, company: str = "") -> QuerySet:
    """Annotate ``hq_code`` and ``hq_name``: the département of the company's head office.
    ``company`` is the path from the record to its company ("" for companies)."""
    ref = OuterRef(f"{company}_id" if company else "pk")
    head_office = Establishment.objects.filter(company=ref, is_headquarters=True).order_by("pk")
    return records.annotate(
        hq_code=Subquery(head_office.values("departement_id")[:1]),
        hq_name=Subquery(head_office.values("departement__name")[:1]),
    )


def departement_display(record) -> str:
    code = getattr(record, "hq_code", None)
    if not code:
        return ""
    name = getattr(record, "hq_name", None)
    return f"{name} ({code})" if name else code


def local_day(moment) -> date | None:
    """The Paris date of a moment (dates stay dates)."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def company_columns(company: Callable[[object], Company | None]) -> tuple[Column, ...]:
    """SIREN, name, head office's département and size of the record's company. The record must
    carry the ``with_head_office`` annotations."""

    def read(attribute: str) -> Callable[[object], object]:
        def value(record):
            found = company(record)
            return getattr(found, attribute) if found is not None else ""

        return value

    def size(record):
        found = company(record)
        return found.get_size_category_display() if found is not None else ""

    return (
        Column("SIREN", read("siren")),
        Column("Entreprise", read("name")),
        Column("Département du siège", departement_display),
        Column("Catégorie d'entreprise", size),
    )


def count(records: QuerySet) -> int:
    return records.order_by().count()


# --- Support records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    """One kind of support record: its rows, and the paths to its company, date and partner."""

    key: str
    label: str
    rows: Callable[[], QuerySet]
    company: str  # path to the company's id
    date: str
    organisation: str


def _desk_rows() -> QuerySet:
    from guichet.desk.models import Match, MatchStatus

    taken = (MatchStatus.TAKEN, MatchStatus.DONE, MatchStatus.DONE_NO_HELP)
    return Match.objects.filter(
        status__in=taken,
        taken_at__isnull=False,
        need__is_spam=False,
        need__company__isnull=False,
    )


def _diagnostic_rows() -> QuerySet:
    from guichet.diagnostics.models import Diagnostic

    done = (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)
    return Diagnostic.objects.filter(status__in=done, completed_at__isnull=False)


def _collective_rows() -> QuerySet:
    from guichet.collective.models import Registration, RegistrationStatus

    return Registration.objects.filter(
        status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
    )


def _aid_rows() -> QuerySet:
    from guichet.aids.models import Application
    from guichet.aids.services.states import GRANTED

    return Application.objects.filter(status__in=GRANTED, decided_on__isnull=False)


def _vie_rows() -> QuerySet:
    from guichet.vie.models import VieMission

    return VieMission.objects.all()


def _journey_rows() -> QuerySet:
    from guichet.journeys.models import StageChange

    return StageChange.objects.filter(to_stage__in=stages_from("accompanied"))


def stages_from(stage: str) -> list[str]:
    """The journey's stages from ``stage`` on (reaching a later stage means having passed it)."""
    from guichet.journeys.models import STAGE_ORDER

    values = [s.value for s in STAGE_ORDER]
    return values[values.index(stage) :]


SUPPORTS = (
    Support(
        "desk", "Guichet unique", _desk_rows, "need__company_id", "taken_at", "organisation_id",
    ),
    Support(
        "diagnostic", "Diagnostic export", _diagnostic_rows, "company_id", "completed_at",
        "organisation_id",
    ),
    Support(
        "collective", "Action collective", _collective_rows, "company_id", "action__starts_on",
        "organisation_id",
    ),
    Support("aid", "Aide individuelle", _aid_rows, "company_id", "decided_on", "organisation_id"),
    Support("vie", "V.I.E.", _vie_rows, "company_id", "starts_on", "organisation_id"),
    Support(
        "journey", "Parcours accompagné", _journey_rows, "journey__company_id", "at",
        "journey__organisation_id",
    ),
)  # fmt: skip


def _support_rows(support: Support, filters: Filters, *, until_year: bool) -> QuerySet:
    """The support records of the year (or up to the end of the year) and of the partner."""
    rows = support.rows()
    if until_year and filters.year is not None:
        rows = rows.filter(**{f"{support.date}__year__lte": filters.year})
        filters = filters.with_(year=None)
    return scope.restrict(
        rows,
        without_company_filters(filters),
        company=None,
        date=support.date,
        organisation=support.organisation,
    )


def accompanied_companies(filters: Filters, *, until_year: bool = False) -> QuerySet[Company]:
    """Companies with at least one support record in the year (``until_year``: in the year or
    before), of the partner, kept by the company filters; each annotated ``via_<support>``."""
    condition = Q()
    flags = {}
    for support in SUPPORTS:
        rows = _support_rows(support, filters, until_year=until_year)
        condition |= Q(pk__in=rows.values(support.company))
        flags[f"via_{support.key}"] = Exists(rows.filter(**{support.company: OuterRef("pk")}))
    companies = Company.objects.filter(condition)
    companies = scope.restrict(companies, only_company_filters(filters), company="")
    return with_head_office(companies.annotate(**flags)).order_by("name", "pk")


def supports_display(company) -> str:
    return ", ".join(s.label for s in SUPPORTS if getattr(company, f"via_{s.key}", False))


SUPPORT_COLUMN = Column("Accompagnements", supports_display)


# --- Distinct companies accompanied ----------------------------------------------------------


@register(
    key="companies_accompanied",
    label="Entreprises accompagnées (différentes)",
    unit="entreprises",
    description=(
        "Nombre d'entreprises différentes ayant bénéficié dans l'année d'au moins un "
        "accompagnement : demande au guichet prise en charge par un partenaire (date de prise "
        "en charge), diagnostic export terminé (date de fin), inscription confirmée ou présence "
        "à une action collective (date de début de l'action), aide individuelle accordée (date "
        "de décision), mission V.I.E. commencée (date de début), ou passage du parcours export "
        "à l'étape « Accompagnée » ou au-delà (date du passage). Une entreprise accompagnée "
        "plusieurs fois compte une fois. Le filtre partenaire retient les accompagnements de "
        "ce partenaire ; le département est celui du siège."
    ),
    source="Entreprises et parcours",
)
def companies_accompanied(filters: Filters) -> Figure:
    records = accompanied_companies(filters)
    return Figure(
        value=count(records),
        records=records,
        columns=(*company_columns(lambda c: c), SUPPORT_COLUMN),
    )


# --- New and regular exporters ---------------------------------------------------------------

STATUS = ExportFact.Attribute.STATUS
EXPORTING = (ExportStatus.NEW, ExportStatus.OCCASIONAL, ExportStatus.REGULAR)


def _status_is(*values: str) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(value=value)
    return condition


def first_export_facts(year: int | None) -> QuerySet[ExportFact]:
    """Status facts "primo-exportateur" that are the company's first exporting status (no fact
    of an exporting status observed before), observed in ``year`` (any year if None)."""
    earlier = ExportFact.objects.filter(
        company=OuterRef("company_id"), attribute=STATUS, observed_on__lt=OuterRef("observed_on")
    ).filter(_status_is(*EXPORTING))
    facts = (
        ExportFact.objects.filter(attribute=STATUS)
        .filter(_status_is(ExportStatus.NEW))
        .exclude(Exists(earlier))
    )
    if year is not None:
        facts = facts.filter(observed_on__year=year)
    return facts


@register(
    key="new_exporters",
    label="Nouveaux exportateurs parmi les entreprises accompagnées",
    unit="entreprises",
    description=(
        "Entreprises accompagnées (voir « Entreprises accompagnées ») dans l'année ou avant, "
        "devenues primo-exportatrices dans l'année : leur profil export enregistre le statut "
        "« Primo-exportateur » à une date de l'année, sans statut exportateur (primo, "
        "occasionnel ou régulier) constaté auparavant. Le filtre partenaire retient les "
        "entreprises accompagnées par ce partenaire."
    ),
    source="Entreprises et parcours",
)
def new_exporters(filters: Filters) -> Figure:
    facts = first_export_facts(filters.year)
    became = facts.filter(company=OuterRef("pk")).order_by("observed_on", "pk")
    records = (
        accompanied_companies(filters, until_year=True)
        .filter(pk__in=facts.values("company_id"))
        .annotate(became_on=Subquery(became.values("observed_on")[:1]))
    )
    return Figure(
        value=count(records),
        records=records,
        columns=(
            *company_columns(lambda c: c),
            Column("Primo-exportatrice depuis le", lambda c: c.became_on),
            SUPPORT_COLUMN,
        ),
    )


def latest_status_fact(year: int | None) -> Subquery:
    """Subquery: the id of the company's latest status fact observed by the end of ``year``
    (latest of all when None) — the company's export status at that date."""
    facts = ExportFact.objects.filter(company=OuterRef("pk"), attribute=STATUS)
    if year is not None:
        facts = facts.filter(observed_on__year__lte=year)
    return Subquery(facts.order_by("-observed_on", "-recorded_at", "-pk").values("pk")[:1])


@register(
    key="regular_exporters",
    label="Exportateurs réguliers parmi les entreprises accompagnées",
    unit="entreprises",
    description=(
        "Entreprises accompagnées dans l'année (voir « Entreprises accompagnées ») dont le "
        "statut export à la fin de l'année est « Exportateur régulier » : le dernier statut "
        "constaté dans leur profil export au 31 décembre (le dernier connu quand toutes les "
        "années sont retenues)."
    ),
    source="Entreprises et parcours",
)
def regular_exporters(filters: Filters) -> Figure:
    regular = ExportFact.objects.filter(attribute=STATUS).filter(_status_is(ExportStatus.REGULAR))
    status_on = (
        ExportFact.objects.filter(pk=OuterRef("status_fact")).order_by().values("observed_on")
    )
    records = (
        accompanied_companies(filters)
        .annotate(status_fact=latest_status_fact(filters.year))
        .filter(status_fact__in=regular.values("pk"))
        .annotate(status_on=Subquery(status_on[:1]))
    )
    return Figure(
        value=count(records),
        records=records,
        columns=(
            *company_columns(lambda c: c),
            Column("Statut export constaté le", lambda c: c.status_on),
            SUPPORT_COLUMN,
        ),
    )
