"""The journey of a company: its lead advisor and its stage, every move dated and kept.

Advisors move a journey by hand, forward or back (a company thought to export may turn out not
to); capabilities move it by automation (a completed diagnostic → "diagnosed") with
`only_forward=True`, so that automation never undoes what an advisor recorded. Every move is
kept in StageChange (the funnel measures the time spent in each stage from it) and logged on
the company's timeline.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.journeys.models import (
    STAGE_ORDER,
    Journey,
    NextAction,
    Stage,
    StageChange,
    TimelineEvent,
)
from guichet.journeys.services.common import (
    check_working_member,
    is_working_member,
    organisation_of,
    person,
)
from guichet.journeys.services.timeline import timeline_event_record

REASON_MAX_LENGTH = 300
STAGE_SOURCE = "journeys.stage"
LEAD_SOURCE = "journeys.lead"


def stage_rank(stage: str) -> int:
    """Position of a stage in the journey; leaving it (dropped) ranks before every stage, so
    that coming back to any stage is a move forward."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1


def _check_stage(stage: str) -> None:
    if stage not in Stage.values:
        choices = ", ".join(str(label) for label in Stage.labels)
        raise ValidationError({"stage": f"L'étape « {stage} » n'existe pas. Étapes : {choices}."})


def _check_reason(stage: str, reason: str) -> None:
    if stage == Stage.DROPPED and not reason:
        raise ValidationError(
            {"reason": "Indiquez pourquoi l'entreprise sort du parcours (motif de sortie)."}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": f"Le motif fait {len(reason)} caractères ; "
                f"{REASON_MAX_LENGTH} au plus sont acceptés."
            }
        )


def _check_moment(at: datetime, journey: Journey | None) -> None:
    if at > timezone.now():
        raise ValidationError({"at": "La date du changement d'étape ne peut pas être future."})
    if journey is not None and at < journey.stage_since:
        since = timezone.localtime(journey.stage_since)
        raise ValidationError(
            {
                "at": "La date du changement ne peut pas précéder l'arrivée à l'étape actuelle "
                f"(le {since:%d/%m/%Y})."
            }
        )


def _log(*, company, by, title: str, text: str, at: datetime, source: str, source_id) -> None:
    timeline_event_record(
        company=company,
        kind=TimelineEvent.Kind.OTHER,
        title=title,
        text=text,
        occurred_at=at,
        author=person(by),
        organisation=organisation_of(by),
        source=source,
        source_id=source_id,
    )


def _create(*, company, lead_advisor, by, stage: str, at: datetime) -> Journey:
    journey = Journey.objects.create(
        company=company,
        lead_advisor=lead_advisor,
        organisation=lead_advisor.organisation if lead_advisor else organisation_of(by),
        stage=stage,
        stage_since=at,
        started_at=at,
    )
    change = StageChange.objects.create(
        journey=journey, from_stage="", to_stage=stage, at=at, by=person(by)
    )
    lead = f"Conseiller référent : {lead_advisor.get_full_name()}" if lead_advisor else ""
    _log(
        company=company,
        by=by,
        title=f"Étape : {Stage(stage).label} (début du suivi)",
        text=lead,
        at=at,
        source=STAGE_SOURCE,
        source_id=change.pk,
    )
    return journey


@transaction.atomic
def journey_start(
    *,
    company,
    lead_advisor,
    by,
    stage: str = Stage.IDENTIFIED,
    at: datetime | None = None,
) -> Journey:
    """The platform starts following a company (idempotent: an existing journey is returned
    unchanged). `lead_advisor` may be None (a company spotted by a campaign)."""
    existing = Journey.objects.filter(company=company).first()
    if existing is not None:
        return existing
    _check_stage(stage)
    if stage == Stage.DROPPED:
        raise ValidationError({"stage": "Un parcours ne peut pas commencer par une sortie."})
    if lead_advisor is not None:
        check_working_member(lead_advisor, "lead_advisor", "le conseiller référent")
    at = at or timezone.now()
    _check_moment(at, None)
    return _create(company=company, lead_advisor=lead_advisor, by=by, stage=stage, at=at)


@transaction.atomic
def journey_set_stage(
    *,
    company,
    stage: str,
    by,
    reason: str = "",
    at: datetime | None = None,
    only_forward: bool = False,
) -> Journey:
    """Move the company to `stage` (starting its journey if needed, with `by` as lead advisor
    when an advisor). Moving to the current stage changes nothing. With `only_forward`, a
    move to an earlier stage is ignored (automation never sends a company back); leaving the
    journey (dropped) and coming back from it are allowed; a date before the current stage
    began is taken as that beginning."""
    _check_stage(stage)
    reason = (reason or "").strip()
    _check_reason(stage, reason)
    at = at or timezone.now()
    journey = Journey.objects.select_for_update().filter(company=company).first()
    if journey is None:
        _check_moment(at, None)
        if stage == Stage.DROPPED:
            raise ValidationError(
                {
                    "stage": "Cette entreprise n'est pas suivie : "
                    "elle ne peut pas sortir du parcours."
                }
            )
        actor = person(by)
        lead = actor if actor is not None and actor.has_role("advisor") else None
        if lead is not None and not is_working_member(lead):
            lead = None
        return _create(company=company, lead_advisor=lead, by=by, stage=stage, at=at)
    if journey.stage == stage:
        return journey
    if only_forward and stage != Stage.DROPPED and stage_rank(stage) < stage_rank(journey.stage):
        return journey
    if only_forward and at < journey.stage_since:
        at = journey.stage_since  # automation never fails on a date an advisor set later
    _check_moment(at, journey)
    previous = journey.stage
    change = StageChange.objects.create(
        journey=journey, from_stage=previous, to_stage=stage, at=at, by=person(by), reason=reason
    )
    journey.stage = stage
    journey.stage_since = at
    journey.dropped_reason = reason if stage == Stage.DROPPED else ""
    journey.save(update_fields=["stage", "stage_since", "dropped_reason", "updated_at"])
    text = f"Étape précédente : {Stage(previous).label}."
    if reason:
        text = f"Motif : {reason}\n{text}"
    _log(
        company=company,
        by=by,
        title=f"Étape : {Stage(stage).label}",
        text=text,
        at=at,
        source=STAGE_SOURCE,
        source_id=change.pk,
    )
    return journey


@transaction.atomic
def journey_set_lead(*, company, lead_advisor, by) -> Journey:
    """Name the company's lead advisor (any working member of any partner organisation may
    follow a company); the journey starts at "identified" if there was none."""
    check_working_member(lead_advisor, "lead_advisor", "le conseiller référent")
    journey = Journey.objects.select_for_update().filter(company=company).first()
    if journey is None:
        return _create(
            company=company,
            lead_advisor=lead_advisor,
            by=by,
            stage=Stage.IDENTIFIED,
            at=timezone.now(),
        )
    if journey.lead_advisor_id == lead_advisor.pk:
        return journey
    _change_lead(journey, lead_advisor, by=by, why="")
    return journey


def _change_lead(journey: Journey, lead_advisor, *, by, why: str) -> None:
    previous = journey.lead_advisor
    journey.lead_advisor = lead_advisor
    journey.organisation = lead_advisor.organisation
    journey.save(update_fields=["lead_advisor", "organisation", "updated_at"])
    text = f"Précédemment : {previous.get_full_name()}." if previous else ""
    if why:
        text = f"{why}\n{text}".strip()
    organisation = f" ({lead_advisor.organisation})" if lead_advisor.organisation else ""
    _log(
        company=journey.company,
        by=by,
        title=f"Conseiller référent : {lead_advisor.get_full_name()}{organisation}",
        text=text,
        at=timezone.now(),
        source=LEAD_SOURCE,
        source_id=journey.pk,
    )


def _check_colleague(from_user, to_user) -> None:
    if to_user is None or to_user.pk == from_user.pk:
        raise ValidationError({"to_user": "Choisissez un collègue (pas la personne elle-même)."})
    if to_user.organisation_id != from_user.organisation_id or not is_working_member(to_user):
        raise ValidationError(
            {
                "to_user": "Le portefeuille ne se transfère qu'à un membre actif de la même "
                "organisation, qui travaille avec les entreprises."
            }
        )


@transaction.atomic
def journey_transfer(*, from_user, to_user, by, company_ids=None) -> dict[str, int]:
    """Hand the companies `from_user` leads (all of them, or those of `company_ids`) to a
    colleague of the same organisation, with the open next actions `from_user` holds for
    them (for the whole portfolio: every open action of `from_user`)."""
    _check_colleague(from_user, to_user)
    journeys = Journey.objects.filter(lead_advisor=from_user).select_related("company")
    actions = NextAction.objects.filter(assignee=from_user, done_at__isnull=True)
    if company_ids is not None:
        wanted = {int(pk) for pk in company_ids}
        if not wanted:
            raise ValidationError({"companies": "Choisissez au moins une entreprise."})
        journeys = journeys.filter(company_id__in=wanted)
        actions = actions.filter(company_id__in=wanted)
    why = f"Transfert du portefeuille de {from_user.get_full_name()}."
    moved = 0
    for journey in journeys.order_by("pk"):
        _change_lead(journey, to_user, by=by, why=why)
        moved += 1
    moved_actions = 0
    for action in actions.order_by("pk"):
        action.assignee = to_user
        action.organisation = to_user.organisation
        action.save(update_fields=["assignee", "organisation"])
        moved_actions += 1
    return {"journeys": moved, "actions": moved_actions}
