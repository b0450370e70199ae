"""The company's signed link to its application: no account, valid a year, revoked by rotating
the application's access nonce (a new link is then sent)."""

from django.core import signing
from django.urls import reverse

from guichet.aids.models import Application

SALT = "guichet.aids.application"
MAX_AGE = 365 * 24 * 3600


def application_token(application: Application) -> str:
    return signing.dumps({"a": application.pk, "n": application.access_nonce}, salt=SALT)


def application_for_token(token: str) -> Application | None:
    """The application the token opens, or None (bad signature, expired, revoked)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    application = (
        Application.objects.select_related("scheme", "company", "organisation")
        .filter(pk=data.get("a"))
        .first()
    )
    if application is None or application.access_nonce != data.get("n"):
        return None
    return application


def company_link_path(application: Application) -> str:
    return reverse("aids:company_file", args=[application_token(application)])
