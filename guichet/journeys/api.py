"""Journeys in the API: the journey of a company (stage, lead advisor, history), its timeline
and its next actions. An API key acts for its organisation as one of its working members
would: it reads every journey and action, the timeline without the other organisations'
confidential notes; it names lead advisors and assignees among its own members, and changes
its own organisation's actions only. Writes go through the pages' services; their French
messages become 422 answers, field by field, and the audit log names the key."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from guichet.companies.api_company import ApiKeyActor, _company, _invalid
from guichet.core.api_errors import ApiNotFound
from guichet.core.audit import acting_as
from guichet.journeys import services
from guichet.journeys.models import NextAction, Stage, StageChange, TimelineEvent
from guichet.journeys.selectors import journey_of, stage_history
from guichet.journeys.services.common import is_working_member
from guichet.partners.models import User

router = Router(tags=["Parcours"])

MAX_LIMIT = 200
MIN_YEAR, MAX_YEAR = 1900, 2100


# --- schemas -----------------------------------------------------------------------------------


class PersonOut(Schema):
    name: str
    organisation: str | None


def _person(user) -> dict | None:
    if user is None:
        return None
    return {
        "name": user.get_full_name(),
        "organisation": user.organisation.name if user.organisation else None,
    }


class StageChangeOut(Schema):
    from_stage: str | None = Field(description="Étape quittée (null : début du suivi).")
    to_stage: str
    at: datetime
    by: str | None = Field(description="Personne qui a fait le changement (null : automatique).")
    reason: str


class JourneyOut(Schema):
    siren: str
    stage: str = Field(description="Code de l'étape (identified, contacted, diagnosed, …).")
    stage_label: str
    stage_since: datetime
    dropped_reason: str
    started_at: datetime
    lead_advisor: PersonOut | None
    organisation: str | None = Field(description="Organisation du conseiller référent.")
    history: list[StageChangeOut] = Field(description="Changements d'étape, du plus récent.")


class JourneyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: str | None = Field(
        None,
        description="Nouvelle étape : " + ", ".join(f"`{s}`" for s in Stage.values) + ".",
    )
    reason: str | None = Field(None, description="Motif (obligatoire pour `dropped`).")
    at: str | None = Field(
        None, description="Date (AAAA-MM-JJ) ou date-heure ISO du changement ; maintenant sinon."
    )
    lead_advisor_email: str | None = Field(
        None, description="Adresse d'un membre de votre organisation, nouveau conseiller référent."
    )


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_at: datetime
    title: str
    text: str
    author: str | None
    organisation: str | None
    confidential: bool
    source: str
    link: str


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field("", description="call, meeting, visit, email, note ou other.")
    occurred_at: str | None = Field(None, description="Date (AAAA-MM-JJ) ou date-heure ISO.")
    title: str = ""
    text: str = ""
    confidential: bool = Field(False, description="Réservé à votre organisation.")


class ActionOut(Schema):
    id: int
    siren: str
    title: str
    notes: str
    due_on: date
    assignee: PersonOut
    done: bool
    done_at: datetime | None
    source: str


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = ""
    due_on: str | None = Field(None, description="Échéance (AAAA-MM-JJ), aujourd'hui ou après.")
    assignee_email: str = Field("", description="Adresse d'un membre de votre organisation.")
    notes: str = ""


class ActionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    done: bool | None = Field(None, description="true : faite ; false : à nouveau à faire.")
    title: str | None = None
    notes: str | None = None
    due_on: str | None = None
    assignee_email: str | None = None


class TimelineQuery(Schema):
    kind: str = Field("", description="Ne garder qu'un type d'échange.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class ActionQuery(Schema):
    state: str = Field("open", description="open (à faire), done (faites) ou all.")


# --- helpers -----------------------------------------------------------------------------------


def _error(field: str, message: str) -> Exception:
    return _invalid(DjangoValidationError({field: message}))


def _moment(value: str | None, field: str) -> datetime | None:
    """An ISO date (noon that day, or now for today) or date-time (Paris time if naive)."""
    if value in (None, ""):
        return None
    try:
        if len(value) <= 10:
            day = _day(value, field)
            if day == timezone.localdate():
                return timezone.now()
            return timezone.make_aware(datetime.combine(day, time(12, 0)))
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _error(
            field, "Date invalide : format AAAA-MM-JJ ou AAAA-MM-JJTHH:MM attendu."
        ) from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise _error(field, f"Date hors de la plage acceptée ({MIN_YEAR}–{MAX_YEAR}).")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _day(value: str | None, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _error(field, "Date invalide : format AAAA-MM-JJ attendu.") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _error(field, f"Date hors de la plage acceptée ({MIN_YEAR}–{MAX_YEAR}).")
    return day


def _member(request, email: str, field: str) -> User:
    """A working member of the key's organisation, by e-mail address."""
    user = (
        User.objects.select_related("organisation")
        .filter(email__iexact=(email or "").strip(), organisation=request.api_organisation)
        .first()
    )
    if user is None or not is_working_member(user):
        raise _error(
            field,
            "Aucun membre actif de votre organisation, travaillant avec les entreprises, "
            f"n'a l'adresse « {email} ».",
        )
    return user


def _journey_out(company) -> dict:
    journey = journey_of(company)
    if journey is None:
        raise ApiNotFound(
            f"L'entreprise de SIREN {company.siren} n'est pas suivie (aucun parcours)."
        )
    history = [_change_out(change) for change in stage_history(journey)]
    return {
        "siren": company.siren,
        "stage": journey.stage,
        "stage_label": str(Stage(journey.stage).label),
        "stage_since": journey.stage_since,
        "dropped_reason": journey.dropped_reason,
        "started_at": journey.started_at,
        "lead_advisor": _person(journey.lead_advisor),
        "organisation": journey.organisation.name if journey.organisation else None,
        "history": history,
    }


def _change_out(change: StageChange) -> dict:
    return {
        "from_stage": change.from_stage or None,
        "to_stage": change.to_stage,
        "at": change.at,
        "by": change.by.get_full_name() if change.by else None,
        "reason": change.reason,
    }


def _event_out(event: TimelineEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "occurred_at": event.occurred_at,
        "title": event.title,
        "text": event.text,
        "author": event.author.get_full_name() if event.author else None,
        "organisation": event.organisation.name if event.organisation else None,
        "confidential": event.confidential,
        "source": event.source,
        "link": event.link,
    }


def _action_out(action: NextAction) -> dict:
    return {
        "id": action.pk,
        "siren": action.company.siren,
        "title": action.title,
        "notes": action.notes,
        "due_on": action.due_on,
        "assignee": _person(action.assignee),
        "done": action.done_at is not None,
        "done_at": action.done_at,
        "source": action.source,
    }


# --- journey -----------------------------------------------------------------------------------


@router.get(
    "/companies/{siren}/journey",
    response=JourneyOut,
    summary="Parcours de l'entreprise : étape, conseiller référent, historique",
)
def journey_get(request, siren: str):
    return _journey_out(_company(siren))


@router.put(
    "/companies/{siren}/journey",
    response=JourneyOut,
    summary="Changer l'étape et/ou le conseiller référent (le suivi commence si besoin)",
)
def journey_put(request, siren: str, payload: JourneyIn):
    company = _company(siren)
    if not payload.stage and not payload.lead_advisor_email:
        raise _error("stage", "Indiquez l'étape (stage) ou le conseiller référent.")
    actor = ApiKeyActor(key=request.auth)
    lead = (
        _member(request, payload.lead_advisor_email, "lead_advisor_email")
        if (payload.lead_advisor_email)
        else None
    )
    at = _moment(payload.at, "at")
    try:
        with acting_as(actor, path=request.path):
            if lead is not None:
                services.journey_set_lead(company=company, lead_advisor=lead, by=actor)
            if payload.stage:
                services.journey_set_stage(
                    company=company,
                    stage=payload.stage,
                    by=actor,
                    reason=payload.reason or "",
                    at=at,
                )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return _journey_out(company)


# --- timeline ----------------------------------------------------------------------------------


@router.get(
    "/companies/{siren}/timeline",
    response=list[EventOut],
    summary="Échanges avec l'entreprise, du plus récent (sans les notes confidentielles "
    "des autres organisations)",
)
def timeline_list(request, siren: str, filters: Query[TimelineQuery]):
    company = _company(siren)
    if filters.kind and filters.kind not in TimelineEvent.Kind.values:
        raise _invalid(
            DjangoValidationError({"kind": f"Le type d'échange « {filters.kind} » n'existe pas."}),
            "query",
        )
    events = (
        TimelineEvent.objects.filter(company=company)
        .filter(Q(confidential=False) | Q(organisation=request.api_organisation))
        .select_related("author", "organisation")
        .order_by("-occurred_at", "-pk")
    )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return [_event_out(e) for e in events[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/companies/{siren}/timeline",
    response={201: EventOut},
    summary="Enregistrer un échange (appel, rendez-vous, visite, courriel, note)",
)
def timeline_create(request, siren: str, payload: NoteIn):
    company = _company(siren)
    occurred_at = _moment(payload.occurred_at, "occurred_at")
    try:
        with acting_as(ApiKeyActor(key=request.auth), path=request.path):
            event = services.timeline_note_create(
                company=company,
                author=None,
                organisation=request.api_organisation,
                kind=payload.kind,
                occurred_at=occurred_at,
                title=payload.title,
                text=payload.text,
                confidential=payload.confidential,
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, _event_out(event))


# --- next actions ------------------------------------------------------------------------------


@router.get(
    "/companies/{siren}/actions",
    response=list[ActionOut],
    summary="Actions à mener pour l'entreprise (par échéance)",
)
def action_list(request, siren: str, filters: Query[ActionQuery]):
    company = _company(siren)
    actions = NextAction.objects.filter(company=company).select_related(
        "company", "assignee__organisation"
    )
    if filters.state == "open":
        actions = actions.filter(done_at__isnull=True)
    elif filters.state == "done":
        actions = actions.filter(done_at__isnull=False)
    elif filters.state != "all":
        raise _invalid(
            DjangoValidationError({"state": "Valeurs possibles : open, done ou all."}), "query"
        )
    return [_action_out(a) for a in actions.order_by("due_on", "pk")]


@router.post(
    "/companies/{siren}/actions",
    response={201: ActionOut},
    summary="Planifier une action, confiée à un membre de votre organisation",
)
def action_create(request, siren: str, payload: ActionIn):
    company = _company(siren)
    assignee = _member(request, payload.assignee_email, "assignee_email")
    due_on = _day(payload.due_on, "due_on")
    try:
        with acting_as(ApiKeyActor(key=request.auth), path=request.path):
            action = services.next_action_create(
                company=company,
                title=payload.title,
                due_on=due_on,
                assignee=assignee,
                by=None,
                notes=payload.notes,
                source="api",
            )
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return Status(201, _action_out(action))


def _own_action(request, action_id: int) -> NextAction:
    action = (
        NextAction.objects.select_related("company", "assignee__organisation")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise ApiNotFound(f"Aucune action n° {action_id}.")
    if action.organisation_id != request.api_organisation.pk:
        raise PermissionDenied
    return action


def _patch_fields(request, payload: ActionPatch) -> dict:
    fields = {}
    if payload.title is not None:
        fields["title"] = payload.title
    if payload.notes is not None:
        fields["notes"] = payload.notes
    if payload.due_on is not None:
        fields["due_on"] = _day(payload.due_on, "due_on")
    if payload.assignee_email is not None:
        fields["assignee"] = _member(request, payload.assignee_email, "assignee_email")
    return fields


@router.patch(
    "/actions/{action_id}",
    response=ActionOut,
    summary="Modifier une action de votre organisation ; done=true la marque faite",
)
def action_update(request, action_id: int, payload: ActionPatch):
    if not 0 < action_id < 2**63:
        raise ApiNotFound(f"Aucune action n° {action_id}.")
    action = _own_action(request, action_id)
    fields = _patch_fields(request, payload)
    actor = ApiKeyActor(key=request.auth)
    try:
        with acting_as(actor, path=request.path):
            if fields:
                action = services.next_action_update(action=action, by=None, **fields)
            if payload.done is True:
                action = services.next_action_complete(action=action, by=None)
            elif payload.done is False:
                action = services.next_action_reopen(action=action, by=None)
    except DjangoValidationError as error:
        raise _invalid(error) from None
    return _action_out(action)
