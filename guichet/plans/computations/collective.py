"""Computations on collective actions (helper B): the companies that took part, and the
contracts and their value they reported in the follow-up surveys.

Rules, the same as the results pages (guichet.collective.results):
- an action belongs to its programme's year; draft actions do not count;
- a participant is a registration marked present; a company present at several actions
  counts once among the companies that took part;
- the surveys' figures come from the participants who answered: only each participant's
  LATEST answered wave counts (each wave asks what happened "since the action");
- partner: the organisation that follows the company for that registration.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from guichet.collective.models import (
    CollectiveAction,
    FollowUpSurvey,
    Registration,
    RegistrationStatus,
)
from guichet.companies.models import Company
from guichet.core.charts import fr_number
from guichet.core.money import euros
from guichet.plans.computations.activity import ACTIVITY_BREAKDOWNS, company_columns, money, plural
from guichet.plans.computations.base import Column, Figure, Filters, register
from guichet.plans.computations.scope import restrict

SOURCE = "Actions collectives"


def participations(filters: Filters) -> QuerySet:
    """Registrations marked present at the actions of the filtered year."""
    records = Registration.objects.filter(status=RegistrationStatus.ATTENDED).exclude(
        action__status=CollectiveAction.Status.DRAFT
    )
    if filters.year is not None:
        records = records.filter(action__programme__year=filters.year)
    return restrict(records, filters, company="company", date=None, organisation="organisation_id")


@register(
    key="collective_participants",
    label="Entreprises ayant participé à une action collective",
    unit="entreprises",
    description=(
        "Entreprises différentes présentes à au moins une action collective du programme de "
        "l'année (inscription marquée « présente » ; actions publiées ou annulées, hors "
        "brouillons). Une entreprise présente à plusieurs actions compte une fois. "
        "Partenaire : l'organisme qui suit l'entreprise pour l'inscription."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def collective_participants(filters: Filters) -> Figure:
    present = participations(filters)
    records = (
        Company.objects.filter(pk__in=present.values("company_id"))
        .prefetch_related(
            Prefetch(
                "collective_registrations",
                queryset=present.select_related("action").order_by("action__starts_on", "pk"),
                to_attr="plan_participations",
            )
        )
        .order_by("name", "siren")
    )
    value = records.count()
    count = present.count()
    return Figure(
        value=value,
        records=records,
        columns=(
            *company_columns(""),
            Column("Taille", lambda c: c.size_category),
            Column("Participations", lambda c: len(c.plan_participations)),
            Column(
                "Actions",
                lambda c: " ; ".join(
                    f"{r.action.title} ({r.action.starts_on:%d/%m/%Y})"
                    for r in c.plan_participations
                ),
            ),
        ),
        detail=plural(count, "participation") if value else "",
        parts={"participations": count},
    )


def counted_surveys(filters: Filters) -> QuerySet:
    """Each participant's latest answered survey."""
    later = FollowUpSurvey.objects.filter(
        registration_id=OuterRef("registration_id"),
        answered_at__isnull=False,
        wave__gt=OuterRef("wave"),
    )
    return (
        FollowUpSurvey.objects.filter(
            registration__in=participations(filters).values("pk"), answered_at__isnull=False
        )
        .exclude(Exists(later))
        .select_related(
            "registration__company", "registration__action", "registration__organisation"
        )
        .order_by("registration__action__starts_on", "registration__action_id", "pk")
    )


SURVEY_COLUMNS = (
    Column("Action", lambda s: s.registration.action.title),
    Column("Début de l'action", lambda s: s.registration.action.starts_on),
    *company_columns("registration.company"),
    Column("Organisme qui suit l'entreprise", lambda s: s.registration.organisation.name),
    Column("Vague (mois)", lambda s: s.wave),
    Column("Répondue le", lambda s: s.answered_at.date()),
    Column("Contrats signés", lambda s: s.contracts_signed),
    Column("Montant des contrats (€)", lambda s: s.contracts_value),
)


def _survey_totals(filters: Filters) -> tuple[QuerySet, dict]:
    records = counted_surveys(filters)
    totals = records.aggregate(
        contracts=Sum("contracts_signed"),
        value=Sum("contracts_value"),
        on_contracts=Count("pk", filter=Q(contracts_signed__isnull=False)),
        on_value=Count("pk", filter=Q(contracts_value__isnull=False)),
    )
    totals["participants"] = participations(filters).count()
    return records, totals


def _basis(respondents: int, participants: int) -> str:
    rate = f", {fr_number(respondents * 100 / participants)} %" if participants else ""
    return f"sur {plural(respondents, 'répondant')} / {plural(participants, 'participant')}{rate}"


@register(
    key="collective_contracts",
    label="Contrats signés déclarés après les actions collectives",
    unit="contrats",
    description=(
        "Contrats signés que les participants des actions collectives de l'année déclarent "
        "dans les enquêtes de suivi (+3, +6, +12 mois ; seule la dernière réponse de chaque "
        "participant compte). Les non-répondants ont pu signer des contrats : le chiffre dit "
        "sur combien de répondants il repose. Le détail donne leur montant. Partenaire : "
        "l'organisme qui suit l'entreprise."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def collective_contracts(filters: Filters) -> Figure:
    records, totals = _survey_totals(filters)
    value = totals["contracts"] or 0
    amount = money(totals["value"])
    return Figure(
        value=value,
        records=records,
        columns=SURVEY_COLUMNS,
        detail=f"pour {euros(amount)} ({_basis(totals['on_contracts'], totals['participants'])})"
        if totals["participants"]
        else "",
        parts={
            "value": amount,
            "respondents": totals["on_contracts"],
            "participants": totals["participants"],
        },
    )


@register(
    key="collective_contracts_value",
    label="Montant des contrats déclarés après les actions collectives",
    unit="€",
    description=(
        "Montant des contrats signés que les participants des actions collectives de l'année "
        "déclarent dans les enquêtes de suivi (seule la dernière réponse de chaque participant "
        "compte) ; un minorant, les non-répondants n'étant pas comptés. Partenaire : "
        "l'organisme qui suit l'entreprise."
    ),
    source=SOURCE,
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def collective_contracts_value(filters: Filters) -> Figure:
    records, totals = _survey_totals(filters)
    contracts = totals["contracts"] or 0
    basis = _basis(totals["on_value"], totals["participants"]) if totals["participants"] else ""
    return Figure(
        value=money(totals["value"]),
        records=records,
        columns=SURVEY_COLUMNS,
        detail=basis and f"{plural(contracts, 'contrat')} ({basis})",
        parts={
            "contracts": contracts,
            "respondents": totals["on_value"],
            "participants": totals["participants"],
        },
    )
