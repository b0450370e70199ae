"""E-mails of a registration to a collective action: to the company's contact (its signed link,
the decisions, the confirmation, the cancellation, the reminders before the event) and to the
advisor who prepares it. Sent after the commit that justified them, by id (the row is read
again); a failure is logged, never raised (the registration is saved either way)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)

DECISION_SUBJECTS = {
    "selected": "Votre entreprise est retenue pour « {title} »",
    "promoted": "Une place s'est libérée : votre entreprise est retenue pour « {title} »",
    "waiting": "Votre inscription à « {title} » est sur liste d'attente",
    "not_selected": "Votre candidature à « {title} » n'a pas été retenue",
}


def registration_link_url(registration) -> str:
    from guichet.collective.links import registration_token

    path = reverse("collective:registration_link", args=[registration_token(registration)])
    return settings.GUICHET_BASE_URL + path


def _registration(pk: int):
    from guichet.collective.models import Registration

    return (
        Registration.objects.select_related("action__organiser", "company", "advisor")
        .filter(pk=pk)
        .first()
    )


def _context(registration) -> dict:
    from guichet.collective.services.registrations import fee_kept_on

    return {
        "registration": registration,
        "action": registration.action,
        "company": registration.company,
        "link": registration_link_url(registration),
        "platform_name": settings.GUICHET_PLATFORM_NAME,
        "fee_kept_on": fee_kept_on,
    }


def _send(to: list[str], *, subject: str, template: str, context: dict) -> bool:
    recipients = [address for address in to if address]
    if not recipients:
        return False
    body = render_to_string(template, context)
    try:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        logger.exception("Collective action e-mail not sent (%s)", subject)
        return False
    return True


def _to_contact(registration, *, subject: str, template: str, extra: dict | None = None) -> bool:
    return _send(
        [registration.contact_email],
        subject=subject,
        template=template,
        context={**_context(registration), **(extra or {})},
    )


def send_registered(pk: int) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    _to_contact(
        registration,
        subject=f"Votre inscription à « {registration.action.title} » est enregistrée",
        template="collective/registrations/email/registered.txt",
    )
    if registration.registered_by_company and registration.advisor_id:
        _send(
            [registration.advisor.email],
            subject=f"{registration.company.name} s'inscrit à « {registration.action.title} »",
            template="collective/registrations/email/advisor_registered.txt",
            context={**_context(registration), "detail_url": detail_url(registration)},
        )


def send_decision(pk: int, kind: str) -> None:
    registration = _registration(pk)
    if registration is None or kind not in DECISION_SUBJECTS:
        return
    _to_contact(
        registration,
        subject=DECISION_SUBJECTS[kind].format(title=registration.action.title),
        template="collective/registrations/email/decision.txt",
        extra={"kind": kind},
    )


def send_confirmed(pk: int) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    _to_contact(
        registration,
        subject=f"Votre participation à « {registration.action.title} » est confirmée",
        template="collective/registrations/email/confirmed.txt",
    )


def send_cancelled(pk: int) -> None:
    registration = _registration(pk)
    if registration is None:
        return
    _to_contact(
        registration,
        subject=f"Votre inscription à « {registration.action.title} » est annulée",
        template="collective/registrations/email/cancelled.txt",
    )


def detail_url(registration) -> str:
    path = reverse("collective:registration_detail", args=[registration.pk])
    return settings.GUICHET_BASE_URL + path


def send_reminder(registration, *, days: int, todo: list[str]) -> int:
    """The reminder N days before the action: to the contact and to the advisor, with the
    preparation steps not done yet. Returns the number of e-mails sent."""
    context = {**_context(registration), "days": days, "todo": todo}
    title = registration.action.title
    sent = int(
        _send(
            [registration.contact_email],
            subject=f"« {title} » commence dans {days} jour(s) : votre préparation",
            template="collective/registrations/email/reminder.txt",
            context=context,
        )
    )
    if registration.advisor_id and registration.advisor.email:
        sent += int(
            _send(
                [registration.advisor.email],
                subject=f"{registration.company.name} — « {title} » dans {days} jour(s)",
                template="collective/registrations/email/advisor_reminder.txt",
                context={**context, "detail_url": detail_url(registration)},
            )
        )
    return sent
