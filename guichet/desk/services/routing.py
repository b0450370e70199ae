"""Routing a need to partners: first routing, the next rule after a refusal, the fallback
organisation, a manual orientation."""

from django.db import transaction
from django.utils import timezone

from guichet.desk.models import OPEN_MATCH_STATUSES, DeskPolicy, Match, Need, NeedEvent, Subject
from guichet.desk.routing import active_rules, matching_rules, profile_for
from guichet.desk.services.common import event, timeline


def need_profile(need: Need):
    return profile_for(
        company=need.company, commune_code=need.commune_code, postal_code=need.postal_code
    )


def delegate_of(user, day=None):
    """The colleague standing in for `user` on `day` (or None when not absent)."""
    from guichet.desk.models import Absence

    if user is None:
        return None
    day = day or timezone.localdate()
    absence = (
        Absence.objects.filter(user=user, starts_on__lte=day, ends_on__gte=day)
        .select_related("delegate")
        .order_by("-created_at")
        .first()
    )
    return absence.delegate if absence else None


def _create_match(need, *, organisation, subject, via, rule=None, person=None, actor=None, at=None):
    at = at or timezone.now()
    assignee = person
    stand_in = delegate_of(person, timezone.localdate(at)) if person else None
    if stand_in is not None:
        assignee = stand_in
    match = Match.objects.create(
        need=need,
        organisation=organisation,
        subject=subject,
        via=via,
        rule=rule,
        priority=rule.priority if rule else 1,
        assignee=assignee,
        routed_at=at,
    )
    event(
        need,
        NeedEvent.Kind.ROUTED,
        actor=actor,
        match=match,
        organisation=organisation,
        text=f"{organisation.name} ({subject.label if subject else 'sans sujet'}"
        f", {match.get_via_display().lower()})",
        at=at,
    )
    return match


def _route_fallback(need, subject, *, taken_orgs, actor=None, at=None) -> list[Match]:
    fallback = DeskPolicy.current().fallback_organisation
    if fallback is None or not fallback.is_active or fallback.pk in taken_orgs:
        return []
    return [
        _create_match(
            need,
            organisation=fallback,
            subject=subject,
            via=Match.Via.FALLBACK,
            actor=actor,
            at=at,
        )
    ]


def route_subjects(need: Need, subjects, *, actor=None, at=None) -> list[Match]:
    """Route `subjects` of a need. For each subject, the rules covering the company, minus the
    organisations whose match is closed (refused, expired…), give the best priority level; its
    organisations that do not hold the need yet receive it (one match per organisation). A
    subject no rule covers goes to the fallback organisation."""
    profile = need_profile(need)
    rules = list(active_rules(subjects))
    open_orgs, closed_orgs = set(), set()
    for organisation_id, status in need.matches.values_list("organisation_id", "status"):
        (open_orgs if status in OPEN_MATCH_STATUSES else closed_orgs).add(organisation_id)
    created: list[Match] = []
    for subject in subjects:
        candidates = [
            r
            for r in matching_rules(profile, subject, rules)
            if r.organisation_id not in closed_orgs
        ]
        if candidates:
            best = candidates[0].priority
            for rule in candidates:
                if rule.priority != best or rule.organisation_id in open_orgs:
                    continue
                created.append(
                    _create_match(
                        need,
                        organisation=rule.organisation,
                        subject=subject,
                        via=Match.Via.RULE,
                        rule=rule,
                        person=rule.person,
                        actor=actor,
                        at=at,
                    )
                )
                open_orgs.add(rule.organisation_id)
            continue
        if need.matches.filter(subject=subject, status__in=OPEN_MATCH_STATUSES).exists():
            continue
        fallback = _route_fallback(
            need, subject, taken_orgs=open_orgs | closed_orgs, actor=actor, at=at
        )
        created += fallback
        open_orgs |= {m.organisation_id for m in fallback}
    return created


@transaction.atomic
def need_route(*, need: Need, actor=None, at=None) -> list[Match]:
    """First routing of a need over all its subjects."""
    return route_subjects(need, list(need.subjects.order_by("order")), actor=actor, at=at)


def route_next(need: Need, subject: Subject | None, *, actor=None, at=None) -> list[Match]:
    """After a refusal or an expiry: the next rule of the same subject, else the fallback."""
    subjects = [subject] if subject is not None else list(need.subjects.order_by("order"))
    return route_subjects(need, subjects, actor=actor, at=at)


@transaction.atomic
def match_create_manual(*, need: Need, organisation, by, subject=None) -> Match:
    """An administrator or the organisation holding the need sends it to another partner."""
    from django.core.exceptions import ValidationError

    if need.matches.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} a déjà reçu cette demande."})
    match = _create_match(
        need, organisation=organisation, subject=subject, via=Match.Via.MANUAL, actor=by
    )
    timeline(need, f"Demande {need.reference} orientée vers {organisation.name}", actor=by)
    return match
