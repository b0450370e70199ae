"""E-mails to the company's contact for its application: the link to the file, and the
acknowledgement when the file is submitted (or completed). Sent after the commit that
justified them, by id (the row is read again)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _context(application) -> dict:
    from guichet.aids.links import company_link_path

    return {
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "link": settings.GUICHET_BASE_URL + company_link_path(application),
        "platform_name": settings.GUICHET_PLATFORM_NAME,
    }


def _send(application, *, subject: str, template: str, extra: dict | None = None) -> None:
    body = render_to_string(template, {**_context(application), **(extra or {})})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.contact_email])
    except OSError:
        # The file is saved; the advisor can send the link again from the file.
        logger.exception("Aid application e-mail not sent (%s)", application.reference)


def _application(pk: int):
    from guichet.aids.models import Application

    return Application.objects.select_related("scheme", "company").filter(pk=pk).first()


def send_link(pk: int) -> None:
    application = _application(pk)
    if application is None:
        return
    _send(
        application,
        subject=f"Votre demande d'aide {application.reference} : le lien de votre dossier",
        template="aids/company/email/link.txt",
    )


def send_acknowledgement(pk: int, *, completed: bool = False) -> None:
    application = _application(pk)
    if application is None:
        return
    subject = (
        f"Votre dossier {application.reference} complété a bien été reçu"
        if completed
        else f"Votre demande d'aide {application.reference} a bien été déposée"
    )
    _send(
        application,
        subject=subject,
        template="aids/company/email/acknowledgement.txt",
        extra={"completed": completed},
    )
