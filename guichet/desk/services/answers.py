"""A partner's answer to a match, and what follows: the company told, the need re-routed
after a refusal, the timeline kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.desk.models import (
    ANSWER_STATUSES,
    OPEN_MATCH_STATUSES,
    CompanyEmail,
    Match,
    MatchStatus,
    Need,
    NeedEvent,
    RefusalReason,
)
from guichet.desk.services.common import company_email, event, timeline
from guichet.desk.services.routing import need_route, route_next
from guichet.desk.status import NeedStatus, need_status

COMMENT_MAX = 4000
_CLOSING = (
    MatchStatus.DONE,
    MatchStatus.DONE_NO_HELP,
    MatchStatus.UNREACHABLE,
    MatchStatus.REFUSED,
)


def _fresh_status(need: Need) -> str:
    return need_status(Need.objects.prefetch_related("matches").get(pk=need.pk))


def after_change(need: Need, before: str, *, at=None) -> str:
    """Tell the company what changed: taken in charge, closed, or closed without an answer."""
    after = _fresh_status(need)
    if after == NeedStatus.IN_PROGRESS and before != NeedStatus.IN_PROGRESS:
        company_email(need, CompanyEmail.Kind.TAKEN, at=at)
    if after in NeedStatus.CLOSED and before not in NeedStatus.CLOSED:
        if after in (NeedStatus.ABANDONED, NeedStatus.REFUSED):
            company_email(need, CompanyEmail.Kind.APOLOGY, at=at)
        else:
            company_email(need, CompanyEmail.Kind.CLOSED, at=at)
        timeline(need, f"Demande {need.reference} close : {NeedStatus.label(after)}", at=at)
    return after


def _organisation_id(user) -> int | None:
    """The organisation of a user, or of an API key standing for one (ApiKeyActor)."""
    if user is None:
        return None
    if getattr(user, "pk", None):
        return user.organisation_id
    organisation = getattr(user, "organisation", None)
    return organisation.pk if organisation is not None else None


def _check_member(match: Match, user) -> None:
    if _organisation_id(user) is None or _organisation_id(user) != match.organisation_id:
        raise ValidationError("Seule l'organisation destinataire peut répondre à cette demande.")


@transaction.atomic
def match_answer(
    *,
    match: Match,
    user,
    status: str,
    refusal_reason: str = "",
    comment: str = "",
    at=None,
) -> Match:
    """Record the partner's answer. A refusal requires a reason (and a comment for "other")
    and sends the need to the next rule; a closed match cannot be answered again."""
    at = at or timezone.now()
    match = (
        Match.objects.select_for_update().select_related("need", "organisation").get(pk=match.pk)
    )
    _check_member(match, user)
    comment = (comment or "").strip()
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": "Réponse inconnue."})
    if match.status not in OPEN_MATCH_STATUSES:
        raise ValidationError(
            {"status": f"Cette orientation est déjà close ({match.get_status_display()})."}
        )
    if match.need.is_spam:
        raise ValidationError({"status": "Cette demande est marquée indésirable."})
    if status == MatchStatus.TAKEN and match.status == MatchStatus.TAKEN:
        raise ValidationError({"status": "La demande est déjà prise en charge."})
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"Le commentaire dépasse {COMMENT_MAX} caractères."})
    if status == MatchStatus.REFUSED:
        if refusal_reason not in RefusalReason.values:
            raise ValidationError(
                {
                    "refusal_reason": "Indiquez le motif du refus : l'entreprise et le guichet "
                    "doivent savoir pourquoi la demande est réorientée."
                }
            )
        if refusal_reason == RefusalReason.OTHER and not comment:
            raise ValidationError({"comment": "Précisez le motif du refus dans le commentaire."})
    elif refusal_reason:
        raise ValidationError({"refusal_reason": "Un motif ne s'indique que pour un refus."})

    need = match.need
    person = user if getattr(user, "pk", None) else None  # None for a partner's system (API)
    before = _fresh_status(need)
    match.status = status
    match.answered_by = person
    match.first_answer_at = match.first_answer_at or at
    if status in (MatchStatus.TAKEN, MatchStatus.DONE, MatchStatus.DONE_NO_HELP):
        # Help given straight away counts as taken in charge at that moment.
        match.taken_at = match.taken_at or at
        match.assignee = match.assignee or person
    if status in _CLOSING:
        match.closed_at = at
    match.refusal_reason = refusal_reason
    if comment:
        match.comment = comment
    match.save()

    text = match.get_status_display()
    if status == MatchStatus.REFUSED:
        text += f" — {RefusalReason(refusal_reason).label}"
    if comment:
        text += f" : {comment}"
    if person is None:
        text += " (par l'API)"
    event(
        need,
        NeedEvent.Kind.ANSWERED,
        actor=person,
        organisation=match.organisation,
        match=match,
        text=text,
        at=at,
    )
    timeline(
        need,
        f"Demande {need.reference} — {match.organisation.name} : {match.get_status_display()}",
        text=comment[:500],
        actor=person,
        organisation=match.organisation,
        at=at,
    )
    if status == MatchStatus.REFUSED:
        route_next(need, match.subject, actor=person, at=at)
    after_change(need, before, at=at)
    return match


@transaction.atomic
def match_assign(*, match: Match, assignee, by, at=None) -> Match:
    """Give an open match to a colleague of the same organisation."""
    if assignee.organisation_id != match.organisation_id or not assignee.is_active:
        raise ValidationError({"assignee": "Choisissez un membre actif de l'organisation."})
    if match.status not in OPEN_MATCH_STATUSES:
        raise ValidationError({"assignee": "Cette orientation est close."})
    match.assignee = assignee
    match.save(update_fields=["assignee"])
    event(
        match.need,
        NeedEvent.Kind.REASSIGNED,
        actor=by,
        match=match,
        text=f"Confiée à {assignee.get_full_name()}",
        at=at,
    )
    return match


@transaction.atomic
def need_flag_spam(*, need: Need, by, reason: str) -> Need:
    """Flag a need as spam (kept, never deleted): its open matches are cancelled quietly."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez pourquoi la demande est indésirable."})
    need.is_spam = True
    need.spam_reason = reason[:200]
    need.save(update_fields=["is_spam", "spam_reason"])
    now = timezone.now()
    need.matches.filter(status__in=OPEN_MATCH_STATUSES).update(
        status=MatchStatus.CANCELLED, closed_at=now
    )
    event(need, NeedEvent.Kind.SPAM, actor=by, text=need.spam_reason)
    return need


@transaction.atomic
def need_unflag_spam(*, need: Need, by) -> Need:
    """A need flagged by mistake is routed as if it had just arrived."""
    need.is_spam = False
    need.spam_reason = ""
    need.save(update_fields=["is_spam", "spam_reason"])
    event(need, NeedEvent.Kind.UNSPAM, actor=by)
    need.matches.filter(status=MatchStatus.CANCELLED).delete()
    need_route(need=need, actor=by)
    return need
