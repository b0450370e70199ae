"""Computations on individual aids (helper B): applications received, amounts granted and
paid (overall and per legal regime), the export revenue reported per euro of aid paid.

Rules, the same as the aids pages (guichet.aids.selectors, EnvelopePosition):
- an application is received the day it is filed (drafts never filed do not count);
- an amount is granted in the year of its decision, on files still granted (approved, signed,
  paying, paid, closed: an aid withdrawn after its approval no longer counts);
- the amount paid of a year is what was paid on the aids granted that year, whatever the date
  of payment (the envelopes page's "versé"); ``aid_paid_in_year`` gives the payments made
  during the year instead.
Partner filter: the number of applications follows the organisation that follows the file;
money follows the granting body (the scheme's provider).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from guichet.aids.models import AidScheme, Application, ApplicationStatus, Payment, SchemeRegime
from guichet.aids.services.states import GRANTED, PENDING
from guichet.core.money import euros
from guichet.plans.computations.activity import (
    ACTIVITY_BREAKDOWNS,
    ZERO,
    company_columns,
    money,
    plural,
)
from guichet.plans.computations.base import Column, Figure, Filters, register
from guichet.plans.computations.scope import restrict

SOURCE = "Aides individuelles"


def _application_columns(*extra: Column) -> tuple[Column, ...]:
    return (
        Column("Référence", lambda a: a.reference),
        Column("Dispositif", lambda a: a.scheme.name),
        *company_columns(),
        Column("État", lambda a: a.get_status_display()),
        *extra,
    )


def _applications() -> QuerySet:
    return Application.objects.select_related(
        "scheme", "scheme__provider", "company", "organisation"
    )


@register(
    key="aid_applications",
    label="Demandes d'aide déposées",
    unit="demandes",
    description=(
        "Demandes d'aide individuelle déposées dans l'année (date du dépôt ; les brouillons "
        "jamais déposés ne comptent pas), quel que soit leur sort. Partenaire : l'organisme "
        "qui suit le dossier. Le détail donne celles qui sont accordées."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def aid_applications(filters: Filters) -> Figure:
    records = restrict(
        _applications().filter(submitted_at__isnull=False),
        filters,
        company="company",
        date="submitted_at",
        organisation="organisation_id",
    ).order_by("submitted_at", "pk")
    totals = records.aggregate(
        total=Count("pk"),
        granted=Count("pk", filter=Q(status__in=GRANTED)),
        rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
        pending=Count("pk", filter=Q(status__in=PENDING)),
    )
    return Figure(
        value=totals["total"],
        records=records,
        columns=_application_columns(
            Column("Déposée le", lambda a: a.submitted_at.date() if a.submitted_at else None),
            Column("Organisme qui suit le dossier", lambda a: a.organisation.name),
            Column("Montant demandé (€)", lambda a: a.requested_amount),
            Column("Montant accordé (€)", lambda a: a.granted_amount),
        ),
        detail=f"dont {plural(totals['granted'], 'accordée')}" if totals["total"] else "",
        parts={k: totals[k] for k in ("granted", "rejected", "pending")},
    )


def _granted(filters: Filters, schemes: Q | None = None) -> QuerySet:
    records = _applications().filter(status__in=GRANTED, decided_on__isnull=False)
    if schemes is not None:
        records = records.filter(scheme__in=AidScheme.objects.filter(schemes))
    return restrict(
        records,
        filters,
        company="company",
        date="decided_on",
        organisation="scheme__provider_id",
    ).order_by("decided_on", "pk")


GRANTED_COLUMNS = _application_columns(
    Column("Décidée le", lambda a: a.decided_on),
    Column("Financeur", lambda a: a.scheme.provider.name),
    Column("Régime", lambda a: a.scheme.get_regime_display()),
    Column("Montant accordé (€)", lambda a: a.granted_amount),
)


def _granted_figure(filters: Filters, schemes: Q | None = None) -> Figure:
    records = _granted(filters, schemes)
    totals = records.aggregate(total=Sum("granted_amount"), files=Count("pk"))
    files = totals["files"]
    return Figure(
        value=money(totals["total"]),
        records=records,
        columns=GRANTED_COLUMNS,
        detail=plural(files, "aide accordée", "aides accordées") if files else "",
        parts={"files": files},
    )


GRANTED_DESCRIPTION = (
    "Somme des montants accordés par les décisions de l'année (date de la décision), sur les "
    "dossiers toujours accordés (accordé, convention signée, en paiement, soldé, clôturé) : "
    "les engagements de la page des enveloppes. Partenaire : le financeur du dispositif."
)


@register(
    key="aid_granted_amount",
    label="Montant des aides accordées",
    unit="€",
    description=GRANTED_DESCRIPTION,
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def aid_granted_amount(filters: Filters) -> Figure:
    return _granted_figure(filters)


def _register_regime(code: str, label: str) -> None:
    def compute(filters: Filters) -> Figure:
        return _granted_figure(filters, Q(regime=code))

    compute.__name__ = f"aid_granted_amount_regime_{code}"
    register(
        key=f"aid_granted_amount_regime_{code}",
        label=f"Montant des aides accordées — {label}",
        unit="€",
        description=f"{GRANTED_DESCRIPTION} Seuls les dispositifs du régime « {label} ».",
        source=SOURCE,
        breakdowns=ACTIVITY_BREAKDOWNS,
    )(compute)


for _code, _label in SchemeRegime.choices:
    _register_regime(_code, str(_label))

# The family of innovation schemes (Innov'export of PAREX 2 measure 11 and the like): those
# whose name or short identifier contains "innov".
INNOVATION_SCHEMES = Q(slug__icontains="innov") | Q(name__icontains="innov")
INNOVATION_WORDING = (
    "Seuls les dispositifs dont le nom ou l'identifiant contient « innov » (Innov'export et "
    "dispositifs de la même famille)."
)


@register(
    key="aid_granted_amount_innov_export",
    label="Montant des aides accordées — dispositifs innovation (Innov'export)",
    unit="€",
    description=f"{GRANTED_DESCRIPTION} {INNOVATION_WORDING}",
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def aid_granted_amount_innov_export(filters: Filters) -> Figure:
    return _granted_figure(filters, INNOVATION_SCHEMES)


PAYMENT_COLUMNS = (
    Column("Payé le", lambda p: p.paid_on),
    Column("Dossier", lambda p: p.application.reference),
    Column("Dispositif", lambda p: p.application.scheme.name),
    *company_columns("application.company"),
    Column("Décision du", lambda p: p.application.decided_on),
    Column("Financeur", lambda p: p.application.scheme.provider.name),
    Column("Nature", lambda p: p.get_kind_display()),
    Column("Montant (€)", lambda p: p.amount),
)


def _payments() -> QuerySet:
    return Payment.objects.filter(
        application__status__in=GRANTED, application__decided_on__isnull=False
    ).select_related(
        "application",
        "application__scheme",
        "application__scheme__provider",
        "application__company",
    )


def _paid_figure(filters: Filters, *, date: str) -> Figure:
    """The payments on aids still granted, the year read on ``date``; partner: the funder."""
    records = restrict(
        _payments(),
        filters,
        company="application__company",
        date=date,
        organisation="application__scheme__provider_id",
    ).order_by("paid_on", "pk")
    totals = records.aggregate(
        total=Sum("amount"), payments=Count("pk"), files=Count("application", distinct=True)
    )
    return Figure(
        value=money(totals["total"]),
        records=records,
        columns=PAYMENT_COLUMNS,
        detail=f"{plural(totals['payments'], 'versement')} sur {plural(totals['files'], 'dossier')}"
        if totals["payments"]
        else "",
        parts={"payments": totals["payments"], "files": totals["files"]},
    )


@register(
    key="aid_paid_amount",
    label="Montant versé sur les aides accordées dans l'année",
    unit="€",
    description=(
        "Somme des versements (avances, acomptes, soldes) faits sur les aides accordées dans "
        "l'année, quelle que soit la date du versement : le « versé » de la page des "
        "enveloppes. Partenaire : le financeur du dispositif."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def aid_paid_amount(filters: Filters) -> Figure:
    return _paid_figure(filters, date="application__decided_on")


@register(
    key="aid_paid_in_year",
    label="Montant des aides versées dans l'année",
    unit="€",
    description=(
        "Somme des versements (avances, acomptes, soldes) payés dans l'année (date du "
        "paiement), sur des aides toujours accordées. Partenaire : le financeur du dispositif."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def aid_paid_in_year(filters: Filters) -> Figure:
    return _paid_figure(filters, date="paid_on")


# --- return ratio ------------------------------------------------------------------------------

RATIO_DESCRIPTION = (
    "Chiffre d'affaires export réalisé que les entreprises ont déclaré à la clôture de leur "
    "aide, divisé par les montants versés sur ces mêmes aides, pour les dossiers clôturés dans "
    "l'année (date de clôture) dont le chiffre d'affaires est renseigné. Exemple du PAREX 1 : "
    "330 000 € d'aides Innov'export pour 2,3 M€ de chiffre d'affaires, soit 6,97 € par € "
    "d'aide. Partenaire : le financeur du dispositif."
)


def _ratio_figure(filters: Filters, schemes: Q | None = None) -> Figure:
    records = Application.objects.filter(
        status=ApplicationStatus.CLOSED, export_revenue__isnull=False, closed_at__isnull=False
    )
    if schemes is not None:
        records = records.filter(scheme__in=AidScheme.objects.filter(schemes))
    records = restrict(
        records,
        filters,
        company="company",
        date="closed_at",
        organisation="scheme__provider_id",
    )
    revenue = money(records.aggregate(total=Sum("export_revenue"))["total"])
    paid = money(
        Payment.objects.filter(application__in=records.values("pk")).aggregate(total=Sum("amount"))[
            "total"
        ]
    )
    files = records.count()
    records = (
        records.annotate(paid=Sum("payments__amount"))
        .select_related("scheme", "scheme__provider", "company")
        .order_by("closed_at", "pk")
    )
    value = (revenue / paid).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if paid else None
    detail = (
        f"{euros(revenue)} de chiffre d'affaires export pour {euros(paid)} d'aide versée "
        f"({plural(files, 'dossier')})"
        if files
        else ""
    )
    return Figure(
        value=value,
        records=records,
        columns=(
            Column("Référence", lambda a: a.reference),
            Column("Dispositif", lambda a: a.scheme.name),
            *company_columns(),
            Column("Clôturée le", lambda a: a.closed_at.date()),
            Column("Financeur", lambda a: a.scheme.provider.name),
            Column("Aide versée (€)", lambda a: a.paid or ZERO),
            Column("Chiffre d'affaires export réalisé (€)", lambda a: a.export_revenue),
        ),
        detail=detail,
        parts={"revenue": revenue, "paid": paid, "files": files},
    )


@register(
    key="revenue_per_aid_euro",
    label="Chiffre d'affaires export par euro d'aide versée",
    unit="€ par € d'aide",
    description=f"{RATIO_DESCRIPTION} Tous les dispositifs.",
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def revenue_per_aid_euro(filters: Filters) -> Figure:
    return _ratio_figure(filters)


@register(
    key="revenue_per_aid_euro_innov_export",
    label="Chiffre d'affaires export par euro d'aide — dispositifs innovation (Innov'export)",
    unit="€ par € d'aide",
    description=f"{RATIO_DESCRIPTION} {INNOVATION_WORDING}",
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def revenue_per_aid_euro_innov_export(filters: Filters) -> Figure:
    return _ratio_figure(filters, INNOVATION_SCHEMES)
