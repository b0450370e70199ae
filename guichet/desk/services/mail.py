"""Rendering and sending of the desk's e-mails (to companies and the partners' daily digest)."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from guichet.desk.models import CompanyEmail, DeskPolicy

SURVEY_SALT = "guichet.desk.survey"
SURVEY_MAX_AGE = 60 * 24 * 3600  # the link works for 60 days

SUBJECTS = {
    CompanyEmail.Kind.CONFIRMATION: "Votre demande {ref} a bien été reçue",
    CompanyEmail.Kind.ATTACHED: "Votre demande {ref} a été rattachée à votre demande en cours",
    CompanyEmail.Kind.TAKEN: "Votre demande {ref} est prise en charge",
    CompanyEmail.Kind.CLOSED: "Votre demande {ref} est close",
    CompanyEmail.Kind.APOLOGY: "Votre demande {ref} : toutes nos excuses",
    CompanyEmail.Kind.SURVEY: "Votre avis sur le traitement de votre demande {ref}",
}


def survey_token(need) -> str:
    return signing.dumps({"need": need.pk, "ref": need.reference}, salt=SURVEY_SALT)


def survey_url(need) -> str:
    return settings.GUICHET_BASE_URL + reverse("desk:survey", args=[survey_token(need)])


def render_company_email(mail: CompanyEmail) -> tuple[str, str]:
    need = mail.need
    shown = need.duplicate_of if mail.kind == CompanyEmail.Kind.ATTACHED else need
    context = {
        "need": need,
        "original": need.duplicate_of,
        "policy": DeskPolicy.current(),
        "platform_name": settings.GUICHET_PLATFORM_NAME,
        "taken": need.matches.filter(taken_at__isnull=False)
        .select_related("organisation", "assignee")
        .order_by("taken_at")
        .first(),
        "survey_url": survey_url(need) if mail.kind == CompanyEmail.Kind.SURVEY else "",
    }
    subject = SUBJECTS[mail.kind].format(ref=(shown or need).reference)
    body = render_to_string(f"desk/email/company_{mail.kind}.txt", context)
    return subject, body


def send_company_email_now(mail: CompanyEmail) -> None:
    subject, body = render_company_email(mail)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [mail.to])


def send_digest(*, user, sections: dict, day) -> None:
    body = render_to_string(
        "desk/email/digest.txt",
        {
            "user": user,
            "sections": sections,
            "day": day,
            "inbox_url": settings.GUICHET_BASE_URL + reverse("desk:inbox"),
            "platform_name": settings.GUICHET_PLATFORM_NAME,
        },
    )
    count = sum(len(items) for items in sections.values())
    subject = (
        f"Guichet export : {count} demandes vous attendent"
        if count > 1
        else "Guichet export : 1 demande vous attend"
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
