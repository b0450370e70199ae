"""Writes to the action plan of a diagnostic and its hand-over to the company.

The plan is proposed once the diagnostic is completed (`plan_generate`, idempotent: a plan
that has lines is never regenerated behind the advisor's back). The advisor then edits it —
lines, order, target countries — until it is shared with the company (`diagnostic_share`);
a shared plan no longer changes, so that what the company received stays what the platform
shows.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from guichet.diagnostics.models import Diagnostic, PlanItem
from guichet.diagnostics.plan import TITLE_MAX_LENGTH, WHY_MAX_LENGTH, base_day, propose

OWNER_MAX_LENGTH = 150
FOLLOW_UP_DAYS = 30
FOLLOW_UP_TITLE = "Suivre le plan d'action export"
SOURCE = "diagnostics.plan"
MAX_TARGET_COUNTRIES = 10

_RESULTS_STATUSES = (Diagnostic.Status.COMPLETED, Diagnostic.Status.SHARED)


def _locked(diagnostic: Diagnostic) -> Diagnostic:
    """Re-read the diagnostic under a row lock (PostgreSQL; SQLite's IMMEDIATE transactions
    already serialise writers), so that two first views do not both write a plan."""
    return Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)


def _check_editable(diagnostic: Diagnostic) -> None:
    if diagnostic.status == Diagnostic.Status.IN_PROGRESS:
        raise ValidationError(
            "Le diagnostic n'est pas terminé : le plan d'action se prépare après la dernière "
            "réponse."
        )
    if diagnostic.status == Diagnostic.Status.SHARED:
        when = ""
        if diagnostic.shared_at:
            when = f" le {timezone.localtime(diagnostic.shared_at):%d/%m/%Y}"
        raise ValidationError(
            f"Le plan d'action a été transmis à l'entreprise{when} : il n'est plus modifiable."
        )


def plan_generate(*, diagnostic: Diagnostic) -> list[PlanItem]:
    """Propose the plan of a completed diagnostic, once: if it already has lines (generated
    or written by the advisor), they are returned unchanged."""
    with transaction.atomic():
        diagnostic = _locked(diagnostic)
        existing = list(diagnostic.plan_items.select_related("offer"))
        if existing or diagnostic.status not in _RESULTS_STATUSES:
            return existing
        lines = propose(diagnostic)
        items = PlanItem.objects.bulk_create(
            PlanItem(
                diagnostic=diagnostic,
                kind=line.kind,
                offer=line.offer,
                dimension=line.dimension,
                title=line.title,
                why=line.why,
                owner=line.owner,
                due_on=line.due_on,
                order=position,
            )
            for position, line in enumerate(lines, start=1)
        )
    return items


def plan_regenerate(*, diagnostic: Diagnostic, by) -> list[PlanItem]:
    """Replace the lines by a new proposal (after the catalogue or the scores changed)."""
    with transaction.atomic():
        diagnostic = _locked(diagnostic)
        _check_editable(diagnostic)
        diagnostic.plan_items.all().delete()
        return plan_generate(diagnostic=diagnostic)


def _line_errors(
    *, diagnostic: Diagnostic, title: str, why: str, owner: str, due_on: date | None, kind: str
) -> dict:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Donnez un intitulé à la ligne du plan."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            f"L'intitulé fait {len(title)} caractères ; {TITLE_MAX_LENGTH} au plus sont acceptés."
        ]
    if len(why) > WHY_MAX_LENGTH:
        errors["why"] = [
            f"Le « pourquoi » fait {len(why)} caractères ; {WHY_MAX_LENGTH} au plus sont acceptés."
        ]
    if len(owner) > OWNER_MAX_LENGTH:
        errors["owner"] = [
            f"Le champ « qui » fait {len(owner)} caractères ; {OWNER_MAX_LENGTH} au plus."
        ]
    if kind not in PlanItem.Kind.values:
        errors["kind"] = ["Choisissez le type de ligne : offre recommandée ou étape suivante."]
    if kind == PlanItem.Kind.STEP and not owner:
        errors["owner"] = ["Indiquez qui mène cette étape (par exemple « Entreprise »)."]
    start = base_day(diagnostic)
    if due_on is not None and due_on < start:
        errors["due_on"] = [
            f"L'échéance ne peut pas précéder la fin du diagnostic ({start:%d/%m/%Y})."
        ]
    return errors


def _clean(title: str, why: str, owner: str) -> tuple[str, str, str]:
    return (title or "").strip(), (why or "").strip(), (owner or "").strip()


def plan_item_add(
    *,
    diagnostic: Diagnostic,
    by,
    kind: str,
    title: str,
    why: str = "",
    owner: str = "",
    due_on: date | None = None,
    offer=None,
    dimension: str = "",
) -> PlanItem:
    """Add a line at the end of the plan."""
    title, why, owner = _clean(title, why, owner)
    with transaction.atomic():
        diagnostic = _locked(diagnostic)
        _check_editable(diagnostic)
        errors = _line_errors(
            diagnostic=diagnostic, title=title, why=why, owner=owner, due_on=due_on, kind=kind
        )
        if errors:
            raise ValidationError(errors)
        last = diagnostic.plan_items.aggregate(last=Max("order"))["last"] or 0
        return PlanItem.objects.create(
            diagnostic=diagnostic,
            kind=kind,
            title=title,
            why=why,
            owner=owner,
            due_on=due_on,
            offer=offer,
            dimension=dimension,
            order=last + 1,
        )


def plan_item_update(
    *,
    item: PlanItem,
    by,
    title: str,
    why: str = "",
    owner: str = "",
    due_on: date | None = None,
) -> PlanItem:
    """Change the wording, the owner or the due date of a line (its kind and offer stay)."""
    title, why, owner = _clean(title, why, owner)
    with transaction.atomic():
        diagnostic = _locked(item.diagnostic)
        _check_editable(diagnostic)
        errors = _line_errors(
            diagnostic=diagnostic,
            title=title,
            why=why,
            owner=owner,
            due_on=due_on,
            kind=item.kind,
        )
        if errors:
            raise ValidationError(errors)
        item.title, item.why, item.owner, item.due_on = title, why, owner, due_on
        item.save(update_fields=["title", "why", "owner", "due_on"])
    return item


def plan_item_delete(*, item: PlanItem, by) -> None:
    with transaction.atomic():
        _check_editable(_locked(item.diagnostic))
        item.delete()


def plan_item_move(*, item: PlanItem, by, direction: str) -> None:
    """Move a line one place up or down; the orders are renumbered 1..n on the way."""
    if direction not in ("up", "down"):
        raise ValidationError("Choisissez de monter ou de descendre la ligne.")
    with transaction.atomic():
        diagnostic = _locked(item.diagnostic)
        _check_editable(diagnostic)
        items = list(diagnostic.plan_items.order_by("order", "pk"))
        index = next(n for n, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        for position, line in enumerate(items, start=1):
            line.order = position
        PlanItem.objects.bulk_update(items, ["order"])


def plan_countries_set(*, diagnostic: Diagnostic, by, countries: Iterable) -> None:
    """The countries the company targets first (ten at most)."""
    countries = list(countries)
    with transaction.atomic():
        diagnostic = _locked(diagnostic)
        _check_editable(diagnostic)
        if len(countries) > MAX_TARGET_COUNTRIES:
            raise ValidationError(
                {
                    "countries": [
                        f"Vous avez choisi {len(countries)} pays ; {MAX_TARGET_COUNTRIES} au "
                        "plus : concentrez le plan sur les marchés prioritaires."
                    ]
                }
            )
        diagnostic.target_countries.set(countries)


def diagnostic_share(*, diagnostic: Diagnostic, by, at: datetime | None = None) -> Diagnostic:
    """Hand the plan to the company: the diagnostic becomes "shared" (the plan is frozen),
    the advisor who ran it (else the one sharing) gets a follow-up action in 30 days, and
    the company's timeline says so. The advisor gives the PDF report to the company (the
    diagnostic holds no e-mail address). `at` dates a hand-over of the past (the demo)."""
    from guichet.journeys.models import TimelineEvent
    from guichet.journeys.services import next_action_create, timeline_event_record
    from guichet.journeys.services.common import is_working_member

    with transaction.atomic():
        diagnostic = _locked(diagnostic)
        _check_editable(diagnostic)
        if not diagnostic.plan_items.exists():
            raise ValidationError(
                "Le plan d'action est vide : ajoutez au moins une ligne avant de le transmettre."
            )
        now = at or timezone.now()
        diagnostic.status = Diagnostic.Status.SHARED
        diagnostic.shared_at = now
        diagnostic.save(update_fields=["status", "shared_at"])
        advisor = diagnostic.advisor
        next_action_create(
            company=diagnostic.company,
            title=FOLLOW_UP_TITLE,
            notes=f"Plan d'action transmis le {timezone.localtime(now):%d/%m/%Y}.",
            due_on=timezone.localdate(now) + timedelta(days=FOLLOW_UP_DAYS),
            assignee=advisor if advisor is not None and is_working_member(advisor) else by,
            by=by,
            source=SOURCE,
            source_id=diagnostic.pk,
            today=timezone.localdate(now),
        )
        count = diagnostic.plan_items.count()
        timeline_event_record(
            company=diagnostic.company,
            kind=TimelineEvent.Kind.DIAGNOSTIC,
            title="Plan d'action export transmis à l'entreprise",
            text=f"{count} ligne{'s' if count > 1 else ''} au plan d'action.",
            occurred_at=now,
            author=by,
            organisation=diagnostic.organisation or by.organisation,
            source=SOURCE,
            source_id=diagnostic.pk,
            link=reverse("diagnostics:result", args=[diagnostic.pk]),
        )
    return diagnostic
