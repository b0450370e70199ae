"""Signed links without account: a company's registration (follow its state, cancel) and a
follow-up survey (answer it). A registration's nonce revokes both when rotated."""

from django.core import signing

from guichet.collective.models import FollowUpSurvey, Registration

REGISTRATION_SALT = "guichet.collective.registration"
SURVEY_SALT = "guichet.collective.survey"
MAX_AGE = 2 * 365 * 24 * 3600  # the +12-month survey comes well after the action


def registration_token(registration: Registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "n": registration.access_nonce}, salt=REGISTRATION_SALT
    )


def registration_for_token(token: str) -> Registration | None:
    data = _load(token, REGISTRATION_SALT)
    if data is None:
        return None
    registration = (
        Registration.objects.select_related("action", "company").filter(pk=data.get("r")).first()
    )
    if registration is None or registration.access_nonce != data.get("n"):
        return None
    return registration


def survey_token(survey: FollowUpSurvey) -> str:
    return signing.dumps({"s": survey.pk, "n": survey.registration.access_nonce}, salt=SURVEY_SALT)


def survey_for_token(token: str) -> FollowUpSurvey | None:
    data = _load(token, SURVEY_SALT)
    if data is None:
        return None
    survey = (
        FollowUpSurvey.objects.select_related("registration__action", "registration__company")
        .filter(pk=data.get("s"))
        .first()
    )
    if survey is None or survey.registration.access_nonce != data.get("n"):
        return None
    return survey


def _load(token: str, salt: str) -> dict | None:
    try:
        data = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None
