"""Computations on V.I.E. missions, students made aware, jobs financed by the Région and the
public money the partners mobilised (helper B; aids in ``aids.py``, collective actions in
``collective.py``).

Partner filter: activity figures (missions, sessions, jobs) follow the organisation that is
responsible for the record (the one that follows the mission, holds the session or follows
the aid file); money figures follow the granting body (see ``aids.py`` and ``public_money``).
So a breakdown by partner always adds up to the whole.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from guichet.core.charts import fr_number
from guichet.core.money import euros
from guichet.plans.computations.base import Column, Figure, Filters, register
from guichet.plans.computations.scope import restrict

ZERO = Decimal("0")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")

ACTIVITY_BREAKDOWNS = ("partner", "filiere", "departement", "size")


# --- shared helpers (aids.py and collective.py use them too) ---------------------------------


def money(value) -> Decimal:
    """An aggregate's sum as a Decimal (0 for an empty sum)."""
    return Decimal(value or 0).quantize(CENT)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{fr_number(count)} {word}"


def company_columns(path: str = "company") -> tuple[Column, ...]:
    """SIREN and name of the record's company (``path`` dotted, e.g. "application.company";
    "" when the records are companies)."""

    def company_of(record):
        for part in filter(None, path.split(".")):
            record = getattr(record, part)
        return record

    return (
        Column("SIREN", lambda r: company_of(r).siren),
        Column("Entreprise", lambda r: company_of(r).name),
    )


def by_granting_body(records: QuerySet, filters: Filters, field: str) -> QuerySet:
    """Keep the records whose granting body (a name stored in ``field``) is the filtered
    partner's name; the other filters are then applied by ``restrict`` without the partner."""
    if filters.organisation_id is None:
        return records
    from guichet.partners.models import Organisation

    names = Organisation.objects.filter(pk=filters.organisation_id).values("name")
    return records.filter(**{f"{field}__in": names})


# --- V.I.E. -----------------------------------------------------------------------------------


def _vie_status_label(mission, today) -> str:
    from guichet.vie.selectors import STATUSES, status_of

    return STATUSES[status_of(mission, today)]


def _mission_columns(today) -> tuple[Column, ...]:
    return (
        *company_columns(),
        Column("Mission", lambda m: m.job_title),
        Column("Pays", lambda m: m.country.name_fr),
        Column("Ville", lambda m: m.city),
        Column("Début", lambda m: m.starts_on),
        Column("Fin (prolongation comprise)", lambda m: m.extended_until or m.ends_on),
        Column("Organisme qui suit la mission", lambda m: m.organisation.name),
        Column(
            "Aide régionale",
            lambda m: m.aid_application.reference if m.aid_application_id else "",
        ),
        Column("État", lambda m: _vie_status_label(m, today)),
    )


def _missions() -> QuerySet:
    from guichet.vie.models import VieMission
    from guichet.vie.selectors import with_end

    return with_end(VieMission.objects.all()).select_related(
        "company", "country", "organisation", "aid_application"
    )


@register(
    key="vie_missions",
    label="Missions V.I.E. démarrées",
    unit="missions",
    description=(
        "Missions V.I.E. enregistrées qui démarrent dans l'année (une mission appartient à "
        "l'année de son début, comme sur la page V.I.E.). Partenaire : l'organisme qui suit "
        "la mission. Le détail donne celles qui ont une aide régionale liée."
    ),
    source="V.I.E.",
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def vie_missions(filters: Filters) -> Figure:
    from guichet.aids.services.states import GRANTED

    records = restrict(
        _missions(), filters, company="company", date="starts_on", organisation="organisation_id"
    ).order_by("starts_on", "pk")
    value = records.count()
    with_aid = records.filter(aid_application__status__in=GRANTED).count()
    return Figure(
        value=value,
        records=records,
        columns=_mission_columns(timezone.localdate()),
        detail=f"dont {fr_number(with_aid)} avec une aide régionale" if value else "",
        parts={"with_aid": with_aid},
    )


@register(
    key="vie_hired_share",
    label="Part des V.I.E. embauchés à l'issue",
    unit="%",
    description=(
        "Parmi les missions V.I.E. terminées dans l'année (fin prévue ou fin de prolongation) "
        "dont l'issue est renseignée, la part des volontaires embauchés à l'issue (en France, "
        "dans le pays de mission ou ailleurs). Les missions terminées sans issue renseignée "
        "ne comptent pas et sont signalées. Même règle que la page V.I.E."
    ),
    source="V.I.E.",
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def vie_hired_share(filters: Filters) -> Figure:
    today = timezone.localdate()
    records = restrict(
        _missions().filter(end__lt=today),
        filters,
        company="company",
        date="end",
        organisation="organisation_id",
    ).order_by("end", "pk")
    totals = records.aggregate(
        n_hired=Count("pk", filter=Q(hired=True)),
        n_not_hired=Count("pk", filter=Q(hired=False)),
        unknown=Count("pk", filter=Q(hired__isnull=True)),
    )
    hired, known = totals["n_hired"], totals["n_hired"] + totals["n_not_hired"]
    value = (
        (Decimal(100 * hired) / Decimal(known)).quantize(TENTH, rounding=ROUND_HALF_UP)
        if known
        else None
    )
    detail = ""
    if known or totals["unknown"]:
        detail = f"{plural(hired, 'embauché')} sur {plural(known, 'mission')} à l'issue connue"
        if totals["unknown"]:
            detail += f" ({plural(totals['unknown'], 'issue')} à renseigner)"
    return Figure(
        value=value,
        records=records,
        columns=(
            *_mission_columns(today),
            Column(
                "Embauché à l'issue",
                lambda m: {True: "Oui", False: "Non", None: "À renseigner"}[m.hired],
            ),
            Column("Embauché où", lambda m: m.get_hired_where_display()),
        ),
        detail=detail,
        parts={"hired": hired, "known": known, "unknown": totals["unknown"]},
    )


@register(
    key="students_made_aware",
    label="Étudiants sensibilisés aux métiers de l'international",
    unit="étudiants",
    description=(
        "Somme des étudiants des sessions de sensibilisation tenues dans l'année. Partenaire : "
        "l'organisme qui a tenu la session ; département : celui de l'établissement. Une "
        "session ne concerne pas une entreprise : les filtres filière et taille ne "
        "s'appliquent pas (pas de valeur)."
    ),
    source="V.I.E.",
    breakdowns=("partner", "departement"),
)
def students_made_aware(filters: Filters) -> Figure:
    from guichet.vie.models import AwarenessSession

    records = AwarenessSession.objects.select_related("departement", "organisation")
    columns = (
        Column("Date", lambda s: s.held_on),
        Column("Établissement", lambda s: s.school),
        Column("Niveau", lambda s: s.get_level_display()),
        Column("Département", lambda s: s.departement.name if s.departement_id else ""),
        Column("Organisme", lambda s: s.organisation.name),
        Column("Étudiants", lambda s: s.students),
        Column("Candidats V.I.E.", lambda s: s.vie_candidates),
    )
    if filters.filiere_id or filters.size:
        return Figure(value=None, records=records.none(), columns=columns)
    if filters.departement:
        records = records.filter(departement_id=filters.departement)
    records = restrict(
        records,
        filters.with_(departement=None),
        company=None,
        date="held_on",
        organisation="organisation_id",
    ).order_by("held_on", "pk")
    totals = records.aggregate(
        n_students=Sum("students"), sessions=Count("pk"), candidates=Sum("vie_candidates")
    )
    sessions, candidates = totals["sessions"], totals["candidates"] or 0
    return Figure(
        value=totals["n_students"] or 0,
        records=records,
        columns=columns,
        detail=f"{plural(sessions, 'session')}, {plural(candidates, 'candidat')} V.I.E."
        if sessions
        else "",
        parts={"sessions": sessions, "candidates": candidates},
    )


# --- jobs financed -----------------------------------------------------------------------------


@register(
    key="jobs_financed",
    label="Emplois liés à l'international financés par la Région",
    unit="emplois",
    description=(
        "Emplois financés par une aide accordée dans l'année (date de la décision ; aide "
        "accordée, conventionnée, en paiement, soldée ou clôturée) : une aide d'un dispositif "
        "de recrutement (dispositif qui exige une date d'embauche, comme l'aide au recrutement "
        "d'un cadre ou d'un assistant export ; hors renouvellements) compte un emploi ; une "
        "aide liée à des missions V.I.E. compte une mission V.I.E. par mission liée. Une aide "
        "V.I.E. sans mission enregistrée ne compte pas : liez la mission à l'aide sur la page "
        "V.I.E. Partenaire : l'organisme qui suit le dossier d'aide."
    ),
    source="Aides individuelles",
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def jobs_financed(filters: Filters) -> Figure:
    from guichet.aids.models import Application
    from guichet.aids.services.states import GRANTED
    from guichet.vie.models import VieMission

    linked = VieMission.objects.filter(aid_application=OuterRef("pk"))
    records = (
        Application.objects.filter(status__in=GRANTED, decided_on__isnull=False)
        .annotate(has_vie=Exists(linked))
        .filter(
            Q(has_vie=True) | Q(scheme__max_months_since_hiring__isnull=False, is_extension=False)
        )
    )
    records = restrict(
        records, filters, company="company", date="decided_on", organisation="organisation_id"
    )
    records = (
        records.annotate(vie_jobs=Count("vie_missions", distinct=True))
        .select_related("scheme", "company", "organisation")
        .order_by("decided_on", "pk")
    )
    rows = list(records.values_list("has_vie", "vie_jobs"))
    vie = sum(n for has_vie, n in rows if has_vie)
    recruitment = sum(1 for has_vie, _n in rows if not has_vie)
    return Figure(
        value=recruitment + vie,
        records=records,
        columns=(
            Column("Référence", lambda a: a.reference),
            Column("Dispositif", lambda a: a.scheme.name),
            *company_columns(),
            Column("Décidée le", lambda a: a.decided_on),
            Column("Montant accordé (€)", lambda a: a.granted_amount),
            Column("Organisme qui suit le dossier", lambda a: a.organisation.name),
            Column("Nature", lambda a: "V.I.E." if a.has_vie else "Recrutement"),
            Column("Emplois", lambda a: a.vie_jobs if a.has_vie else 1),
        ),
        detail=f"dont {fr_number(vie)} V.I.E." if recruitment + vie else "",
        parts={"vie": vie, "recruitment": recruitment},
    )


# --- public money ------------------------------------------------------------------------------

SOURCE_WORDS = {
    "platform_aid": "d'aides individuelles",
    "collective": "de prises en charge d'actions collectives",
    "free_service": "de prestations gratuites",
}


@register(
    key="public_money",
    label="Argent public mobilisé",
    unit="€",
    description=(
        "Montants des aides accordées aux entreprises dans l'année par les partenaires, tels "
        "que le registre des aides d'État les enregistre (date d'octroi) : aides individuelles "
        "instruites sur la plateforme, prises en charge des participations aux actions "
        "collectives, prestations gratuites à leur valeur de marché ; hors aides annulées et "
        "hors aides reçues ailleurs que l'entreprise a déclarées. Partenaire : l'organisme qui "
        "accorde l'aide. Ne comptent pas : les budgets propres des actions collectives et les "
        "aides d'un dispositif qui n'est pas une aide d'État (absentes du registre)."
    ),
    source="Aides d'État",
    breakdowns=ACTIVITY_BREAKDOWNS,
)
def public_money(filters: Filters) -> Figure:
    from guichet.stateaid.models import GrantSource, StateAidGrant

    records = StateAidGrant.objects.filter(cancelled_at__isnull=True).exclude(
        source=GrantSource.DECLARED
    )
    records = by_granting_body(records, filters, "granting_body")
    records = restrict(
        records,
        filters.with_(organisation_id=None),
        company="company",
        date="granted_on",
        organisation=None,
    ).select_related("company")
    records = records.order_by("granted_on", "pk")
    by_source = {
        row["source"]: money(row["total"])
        for row in records.values("source").annotate(total=Sum("amount")).order_by()
    }
    value = money(sum(by_source.values(), ZERO))
    parts = {code: by_source.get(code, ZERO) for code in SOURCE_WORDS}
    detail = ", ".join(
        f"{euros(amount)} {SOURCE_WORDS[code]}" for code, amount in parts.items() if amount
    )
    return Figure(
        value=value,
        records=records,
        columns=(
            Column("Octroyée le", lambda g: g.granted_on),
            *company_columns(),
            Column("Organisme qui accorde l'aide", lambda g: g.granting_body),
            Column("Origine", lambda g: g.get_source_display()),
            Column("Règlement", lambda g: g.get_regulation_display()),
            Column("Objet", lambda g: g.description),
            Column("Montant (€)", lambda g: g.amount),
        ),
        detail=f"dont {detail}" if detail else "",
        parts=parts,
    )
