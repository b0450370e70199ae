"""Documents of the committee: the decision letter sent to the company (kept with the file, in
private storage) and the agenda of a session. Rendered by WeasyPrint from templates that
reference nothing outside themselves (the machine's DejaVu fonts; any URL fetch is refused).

The letter states the legal regime of the aid: a de minimis aid must be notified to the
company as such, with its regulation and its gross grant equivalent, so that the company
can declare it when it applies for another aid within three years.
"""

import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from guichet.aids.models import Application, CommitteeSession, SchemeRegime
from guichet.aids.storage import private_storage
from guichet.core.money import euros

logger = logging.getLogger(__name__)

REGIME_SENTENCES = {
    SchemeRegime.DE_MINIMIS: (
        "Cette aide est accordée au titre du règlement (UE) 2023/2831 de la Commission du "
        "13 décembre 2023 relatif aux aides de minimis. Son montant, exprimé en "
        "équivalent-subvention brut, est de {amount}. Conservez cette lettre : toute aide de "
        "minimis reçue sur trois ans glissants doit être déclarée lors d'une nouvelle demande."
    ),
    SchemeRegime.DE_MINIMIS_AGRI: (
        "Cette aide est accordée au titre du règlement (UE) 2024/3118 de la Commission du "
        "10 décembre 2024 relatif aux aides de minimis dans le secteur de la production "
        "agricole primaire. Son montant, exprimé en équivalent-subvention brut, est de "
        "{amount}. Conservez cette lettre : elle vous sera demandée pour toute nouvelle aide "
        "de minimis sur trois ans glissants."
    ),
    SchemeRegime.DE_MINIMIS_SGEI: (
        "Cette aide est accordée au titre du règlement (UE) 2023/2832 de la Commission du "
        "13 décembre 2023 relatif aux aides de minimis accordées à des entreprises fournissant "
        "des services d'intérêt économique général. Son montant, exprimé en "
        "équivalent-subvention brut, est de {amount}."
    ),
    SchemeRegime.GBER_18: (
        "Cette aide est accordée au titre de l'article 18 (aides aux PME pour des services de "
        "conseil) du règlement (UE) n° 651/2014 de la Commission du 17 juin 2014 déclarant "
        "certaines catégories d'aides compatibles avec le marché intérieur. Son intensité ne "
        "dépasse pas 50 % des coûts admissibles, toutes aides confondues."
    ),
    SchemeRegime.GBER_19: (
        "Cette aide est accordée au titre de l'article 19 (aides aux PME pour la participation "
        "à des foires) du règlement (UE) n° 651/2014 de la Commission du 17 juin 2014 "
        "déclarant certaines catégories d'aides compatibles avec le marché intérieur. Son "
        "intensité ne dépasse pas 50 % des coûts admissibles, toutes aides confondues."
    ),
    SchemeRegime.NOT_AID: (
        "Ce soutien ne constitue pas une aide d'État au sens de l'article 107 du traité sur le "
        "fonctionnement de l'Union européenne. {justification}"
    ),
}


class ExternalResourceRefused(Exception):
    pass


def _refuse_fetch(url: str, *args, **kwargs):
    """The documents embed everything; fetching a URL would leak them or hang the worker."""
    raise ExternalResourceRefused(f"Ressource externe refusée : {url}")


def _pdf(html: str, **options) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(**options)


def _percent(rate) -> str:
    if rate is None:
        return ""
    value = (Decimal(rate) * 100).normalize()
    return f"{value:f}".replace(".", ",") + " %"


def regime_sentence(application: Application) -> str:
    scheme = application.scheme
    return REGIME_SENTENCES[scheme.regime].format(
        amount=euros(application.granted_amount),
        justification=scheme.not_aid_justification.strip(),
    )


def _headquarters(company):
    return (
        company.establishments.filter(is_headquarters=True).order_by("pk").first()
        or company.establishments.order_by("pk").first()
    )


def decision_letter_html(application: Application) -> str:
    from guichet.aids.services.payments import (
        ADVANCE_MAX_SHARE,
        RESULTS_DELAY_MONTHS,
        applicable_rate,
    )

    granted = application.granted_amount
    context = {
        "application": application,
        "scheme": application.scheme,
        "company": application.company,
        "headquarters": _headquarters(application.company),
        "provider": application.scheme.provider,
        "approved": granted is not None,
        "regime_sentence": regime_sentence(application) if granted is not None else "",
        "rate": _percent(applicable_rate(application)),
        "advance_share": _percent(ADVANCE_MAX_SHARE),
        "advance_max": euros((granted or 0) * ADVANCE_MAX_SHARE),
        "results_delay": RESULTS_DELAY_MONTHS,
        "platform_name": settings.GUICHET_PLATFORM_NAME,
        "generated_on": timezone.localdate(),
    }
    return render_to_string("aids/pdf/decision_letter.html", context)


def decision_letter_pdf(application: Application, **options) -> bytes:
    return _pdf(decision_letter_html(application), **options)


def decision_letter_filename(application: Application) -> str:
    return f"decision-{application.reference}.pdf"


def decision_letter_store(*, application: Application) -> None:
    """Generate the letter and keep it with the file (a previous letter is replaced)."""
    content = decision_letter_pdf(application)
    previous = application.decision_letter.name if application.decision_letter else ""
    name = private_storage.save(
        f"aids/{application.pk}/decision-{secrets.token_hex(8)}.pdf", ContentFile(content)
    )
    application.decision_letter.name = name
    application.save(update_fields=["decision_letter", "updated_at"])
    if previous:
        transaction.on_commit(lambda: private_storage.delete(previous))


@task()
def send_decision_letter(*, application_id: int) -> bool:
    """E-mail the decision letter to the company's contact. Safe to run twice (the same
    letter is sent again)."""
    application = (
        Application.objects.select_related("scheme__provider", "company")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.decision_letter or not application.contact_email:
        return False
    body = render_to_string(
        "aids/money/email_decision.txt",
        {
            "application": application,
            "approved": application.granted_amount is not None,
            "platform_name": settings.GUICHET_PLATFORM_NAME,
        },
    )
    message = EmailMessage(
        f"Votre demande d'aide {application.reference} : décision de "
        f"{application.scheme.provider.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [application.contact_email],
    )
    with application.decision_letter.open("rb") as letter:
        message.attach(decision_letter_filename(application), letter.read(), "application/pdf")
    message.send()
    return True


def decision_letter_send_on_commit(*, application: Application) -> None:
    pk = application.pk

    def enqueue():
        try:
            send_decision_letter.enqueue(application_id=pk)
        except Exception:  # the decision stands; the letter can be downloaded and sent again
            logger.exception("Decision letter of application %s not sent", pk)

    transaction.on_commit(enqueue)


# --- the agenda of a session -------------------------------------------------------------------


def session_agenda_files(session: CommitteeSession) -> list[Application]:
    return list(
        session.applications.select_related("scheme", "company", "instructor")
        .prefetch_related("expenses")
        .order_by("company__name", "reference")
    )


def session_agenda_html(session: CommitteeSession) -> str:
    files = session_agenda_files(session)
    proposed = sum((a.proposed_amount or 0 for a in files), Decimal("0"))
    return render_to_string(
        "aids/pdf/session_agenda.html",
        {
            "session": session,
            "files": files,
            "proposed_total": proposed,
            "generated_on": timezone.localdate(),
            "platform_name": settings.GUICHET_PLATFORM_NAME,
        },
    )


def session_agenda_pdf(session: CommitteeSession, **options) -> bytes:
    return _pdf(session_agenda_html(session), **options)


def session_agenda_filename(session: CommitteeSession) -> str:
    return f"ordre-du-jour-commission-{session.held_on:%Y-%m-%d}.pdf"
