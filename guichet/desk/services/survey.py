"""The company's answer to the satisfaction survey (signed link sent after closure).

The company answers once. Its comment reaches the partner that handled the need only if the
company agreed (`comment_shared`); otherwise it stays with the desk's administrators, so it is
written neither in the need's history nor on the company's timeline.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.desk.forms import reject_markup
from guichet.desk.models import Match, Need, NeedEvent, SurveyResponse
from guichet.desk.services.common import event, timeline
from guichet.desk.status import NeedStatus, need_status

COMMENT_MAX = 2000
ALREADY_ANSWERED = "Vous avez déjà répondu à cette enquête, merci."
NOT_CLOSED = (
    "Cette demande n'est pas encore close : l'enquête de satisfaction s'ouvre une fois "
    "la demande traitée."
)


def _clean(*, contacted, useful: str, comment: str, comment_shared: bool) -> tuple:
    errors = {}
    if not isinstance(contacted, bool):
        errors["contacted"] = "Indiquez si un conseiller vous a contacté."
    useful = useful or ""
    if useful and useful not in SurveyResponse.Useful.values:
        errors["useful"] = "Réponse inconnue : choisissez oui, en partie ou non."
    elif contacted is True and not useful:
        errors["useful"] = "Indiquez si la réponse vous a été utile."
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Le commentaire compte {COMMENT_MAX} caractères au plus."
    else:
        try:
            reject_markup(comment)
        except ValidationError as error:
            errors["comment"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return useful, comment, bool(comment_shared and comment)


def _summary(response: SurveyResponse) -> str:
    contacted = "oui" if response.contacted else "non"
    text = f"Contactée par un conseiller : {contacted}"
    if response.useful:
        text += f" ; réponse utile : {response.get_useful_display().lower()}"
    return text


@transaction.atomic
def survey_answer(
    *, need: Need, contacted: bool, useful: str, comment: str, comment_shared: bool, at=None
) -> SurveyResponse:
    """Record the company's answer, once per need and only for a closed need. Raises a French
    ValidationError otherwise (nothing is written)."""
    at = at or timezone.now()
    need = Need.objects.select_for_update().prefetch_related("matches").get(pk=need.pk)
    if SurveyResponse.objects.filter(need=need).exists():
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    if need_status(need) not in NeedStatus.CLOSED:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    useful, comment, shared = _clean(
        contacted=contacted, useful=useful, comment=comment, comment_shared=comment_shared
    )
    response = SurveyResponse.objects.create(
        need=need,
        contacted=contacted,
        useful=useful,
        comment=comment,
        comment_shared=shared,
        answered_at=at,
    )
    summary = _summary(response)
    if shared:
        text = f"{summary}\nCommentaire transmis au partenaire : {comment}"
    elif comment:
        text = f"{summary}\nCommentaire réservé au guichet (non transmis au partenaire)."
    else:
        text = summary
    event(need, NeedEvent.Kind.SURVEY, text=text, at=at)
    timeline(need, f"Enquête de satisfaction, demande {need.reference}", text=summary, at=at)
    return response


def comment_visible_to(user, response: SurveyResponse) -> bool:
    """Whether `user` may read the comment of a survey answer: the desk's administrators
    always; otherwise only a comment the company agreed to share, and only for members of an
    organisation that dealt with the need (took it in charge or closed it)."""
    from guichet.core.permissions import is_platform_admin
    from guichet.desk.figures import HANDLED

    if is_platform_admin(user):
        return True
    if not response.comment_shared or not getattr(user, "organisation_id", None):
        return False
    return Match.objects.filter(
        need_id=response.need_id, organisation_id=user.organisation_id, status__in=HANDLED
    ).exists()


def survey_for_viewer(need: Need, user) -> dict | None:
    """The survey answer of a need as `user` may see it (None when not answered); see
    `comment_visible_to` for the comment."""
    response = SurveyResponse.objects.filter(need=need).first()
    if response is None:
        return None
    shown = bool(response.comment) and comment_visible_to(user, response)
    return {
        "answered_at": response.answered_at,
        "contacted": response.contacted,
        "useful": response.get_useful_display() if response.useful else "",
        "comment": response.comment if shown else "",
        "comment_withheld": bool(response.comment) and not shown,
        "comment_shared": response.comment_shared,
    }
