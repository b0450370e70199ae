"""Computations on the one-stop desk: needs received and the share taken in charge within the
desk's service level (helper A).

They follow the desk's own figures (``guichet.desk.figures``) so that the plan and the desk's
figures page agree: spam and needs attached to another need are not counted, the year is the
one the need was received, the partner filter keeps the needs routed to the partner, and the
delay rule is the desk's (``taken_within_delay``, fed with the rows read here). The company
filters apply to the company the need is linked to; a need not linked to a company follows
the département it was declared in, and is left out by a filière or size filter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from guichet.desk import figures
from guichet.desk.models import Need
from guichet.desk.status import NeedStatus, with_status
from guichet.plans.computations import scope
from guichet.plans.computations.base import Column, Figure, Filters, register
from guichet.plans.computations.companies import local_day, without_company_filters

SOURCE = "Guichet unique"


def needs_of(filters: Filters) -> QuerySet[Need]:
    """The needs the desk's figures count, for these filters."""
    needs = Need.objects.filter(is_spam=False, duplicate_of__isnull=True)
    needs = scope.restrict(
        needs,
        without_company_filters(filters),
        company=None,
        date="submitted_at",
        organisation="matches__organisation_id",
    )
    if filters.has_company_filter:
        companies = scope.companies_matching(filters).values("pk")
        condition = Q(company__in=companies)
        if filters.departement and not (filters.filiere_id or filters.size):
            condition |= Q(company__isnull=True, departement_id=filters.departement)
        needs = needs.filter(condition)
    return needs


def _partners(need) -> str:
    return ", ".join(sorted({m.organisation.name for m in need.matches.all()}))


def _need_records(needs: QuerySet[Need]) -> QuerySet[Need]:
    return (
        with_status(needs)
        .select_related("company")
        .prefetch_related("matches__organisation")
        .order_by("submitted_at", "pk")
    )


NEED_COLUMNS = (
    Column("Référence", lambda n: n.reference),
    Column("Reçue le", lambda n: local_day(n.submitted_at)),
    Column("SIREN", lambda n: n.company.siren if n.company else n.siret[:9]),
    Column("Entreprise", lambda n: n.company.name if n.company else n.company_name),
    Column("Département de la demande", lambda n: n.departement_id or ""),
    Column("Canal", lambda n: n.get_channel_display()),
    Column("État", lambda n: NeedStatus.label(n.status)),
    Column("Partenaires sollicités", _partners),
)


@register(
    key="needs_received",
    label="Demandes reçues au guichet",
    unit="demandes",
    description=(
        "Nombre de demandes reçues dans l'année par le guichet unique (date de réception), "
        "hors demandes indésirables et demandes rattachées à une autre demande, comme sur la "
        "page des chiffres du guichet. Le filtre partenaire retient les demandes orientées vers "
        "ce partenaire ; le département est celui du siège de l'entreprise liée, à défaut "
        "celui déclaré dans la demande."
    ),
    source=SOURCE,
)
def needs_received(filters: Filters) -> Figure:
    records = _need_records(needs_of(filters))
    return Figure(value=records.count(), records=records, columns=NEED_COLUMNS)


def _timings(filters: Filters) -> list[figures.Timing]:
    """The desk's timings (see ``figures.timings``), one per need: per partner the delay starts
    the day the need reached the partner and is that partner's match's."""
    per_partner = filters.organisation_id is not None
    conditions = {"is_spam": False, "duplicate_of__isnull": True}
    if per_partner:
        # One filter() call: the join to the partner's match is the one the dates read.
        conditions["matches__organisation_id"] = filters.organisation_id
    needs = Need.objects.filter(**conditions).filter(pk__in=needs_of(filters).values("pk"))
    start = "matches__routed_at" if per_partner else "submitted_at"
    rows = (
        needs.order_by()
        .values("pk")
        .annotate(
            started=Min(start),
            taken=Min("matches__taken_at"),
            answered=Min("matches__first_answer_at"),
        )
    )
    return [
        figures.Timing(row["pk"], local_day(row["started"]), local_day(row["taken"]),
                       local_day(row["answered"]))
        for row in rows
        if row["started"] is not None
    ]  # fmt: skip


def share_percent(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100 * count) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@register(
    key="needs_answered_in_time_share",
    label="Part des demandes prises en charge dans le délai du guichet",
    unit="%",
    description=(
        "Part des demandes reçues dans l'année prises en charge par un partenaire dans le délai "
        "de première réponse des niveaux de service du guichet (en jours ouvrés), avec la règle "
        "de la page des chiffres du guichet : une demande pas encore prise en charge ne compte "
        "qu'une fois son délai passé. Par partenaire, le délai court du jour où la demande lui "
        "a été orientée. Numérateur et dénominateur sont donnés."
    ),
    source=SOURCE,
)
def needs_answered_in_time_share(filters: Filters) -> Figure:
    timings = {row.key: row for row in _timings(filters)}
    shares = figures.taken_within_delay(
        figures.Scope(), "need", today=timezone.localdate(), rows=list(timings.values())
    )
    counted = {pk: share for pk, share in shares.items() if share.total}
    numerator = sum(share.count for share in counted.values())
    denominator = len(counted)
    # Every need of the filters but those still within their delay (few: the latest ones).
    waiting = [pk for pk in timings if pk not in counted]
    records = _need_records(needs_of(filters).exclude(pk__in=waiting))

    def in_time(need) -> str:
        share = counted.get(need.pk)
        return "" if share is None else "Oui" if share.count else "Non"

    def timing(need) -> figures.Timing | None:
        return timings.get(need.pk)

    return Figure(
        value=share_percent(numerator, denominator),
        records=records,
        columns=(
            *NEED_COLUMNS[:4],
            Column("Début du délai", lambda n: getattr(timing(n), "started", None)),
            Column("Prise en charge le", lambda n: getattr(timing(n), "taken", None)),
            Column("Dans le délai", in_time),
            *NEED_COLUMNS[6:],
        ),
        detail=(
            f"{numerator} sur {denominator} demande{'s' if denominator > 1 else ''}"
            if denominator
            else ""
        ),
        parts={"numerator": numerator, "denominator": denominator},
    )
