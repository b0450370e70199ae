"""Instruction of an application by the scheme provider: ask for missing items, start the
instruction, record the checks, the amount and the opinion, propose the file to a committee,
or withdraw it. Each service locks the file, validates everything before writing (a refusal
changes nothing) and changes the state through `application_move`, so the file's history and
the company's timeline show every step. Callers check the permission first."""

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from guichet.aids.amounts import amount_breakdown
from guichet.aids.eligibility import checks_for
from guichet.aids.models import (
    Application,
    CommitteeSession,
    MissingItem,
    Opinion,
    RequiredDocument,
)
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.selectors import source_ref
from guichet.aids.services.states import GRANTED, application_log, application_move, can_move
from guichet.core.money import euros

logger = logging.getLogger(__name__)

ITEM_MAX = 300
CENT = Decimal("0.01")


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("scheme", "scheme__provider", "company", "organisation")
        .get(pk=application.pk)
    )


def _refuse_move(application: Application, to: str, field: str, what: str) -> None:
    if not can_move(application, to):
        raise ValidationError(
            {field: [f"Le dossier est « {application.get_status_display()} » : {what}"]}
        )


# --- missing items ----------------------------------------------------------------------------


def _clean_items(items) -> list[str]:
    cleaned: list[str] = []
    for item in items or []:
        text = " ".join(str(item).split())
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def _missing_mail(pk: int) -> None:
    from guichet.aids.links import company_link_path

    application = Application.objects.select_related("scheme", "company").filter(pk=pk).first()
    if application is None:
        return
    items = application.missing_items.filter(resolved_at__isnull=True).order_by("pk")
    body = render_to_string(
        "aids/instruction/email_missing.txt",
        {
            "application": application,
            "items": [item.label for item in items],
            "link": settings.GUICHET_BASE_URL + company_link_path(application),
            "platform_name": settings.GUICHET_PLATFORM_NAME,
        },
    )
    subject = f"Votre demande d'aide {application.reference} : des éléments manquent"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.contact_email])
    except OSError:
        logger.exception("Missing-items e-mail not sent (%s)", application.reference)


def application_ask_missing(
    *,
    application: Application,
    items: list[str],
    documents: list[RequiredDocument] | None = None,
    by,
) -> Application:
    """Declare the file incomplete with the list of what is missing (free items and required
    documents of the scheme); the company's contact gets an e-mail with the link to its file."""
    items = _clean_items(items)
    documents = list(documents or [])
    errors: dict[str, list[str]] = {}
    if not items and not documents:
        errors["items"] = ["Indiquez au moins un élément ou une pièce manquante."]
    too_long = [item for item in items if len(item) > ITEM_MAX]
    if too_long:
        errors["items"] = [f"Un élément dépasse {ITEM_MAX} caractères : raccourcissez-le."]
    if any(doc.scheme_id != application.scheme_id for doc in documents):
        errors["documents"] = ["Une des pièces demandées n'est pas une pièce de ce dispositif."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application)
        _refuse_move(locked, S.INCOMPLETE, "items", "il ne peut pas être déclaré incomplet.")
        labels = [doc.label for doc in documents] + items
        MissingItem.objects.bulk_create(
            [
                MissingItem(application=locked, label=doc.label, required=doc, requested_by=by)
                for doc in documents
            ]
            + [MissingItem(application=locked, label=item, requested_by=by) for item in items]
        )
        application_move(
            application=locked,
            to=S.INCOMPLETE,
            by=by,
            title="Dossier incomplet : éléments demandés à l'entreprise",
            text="Éléments manquants : " + " ; ".join(labels) + ".",
        )
        transaction.on_commit(lambda: _missing_mail(locked.pk))
    return locked


# --- instruction ------------------------------------------------------------------------------


def application_start_instruction(*, application: Application, by) -> Application:
    """A submitted file goes under instruction; `by` becomes its instructor."""
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != S.SUBMITTED:
            raise ValidationError(
                {
                    "status": [
                        f"Le dossier est « {locked.get_status_display()} » : seule une demande "
                        "déposée (et complète) peut être mise en instruction."
                    ]
                }
            )
        locked.instructor = by
        locked.save(update_fields=["instructor", "updated_at"])
        name = by.get_full_name() if by is not None else ""
        application_move(
            application=locked,
            to=S.INSTRUCTION,
            by=by,
            title="Instruction commencée",
            text=f"Instructeur : {name}." if name else "",
        )
    return locked


def _money(value, field: str, label: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        errors[field] = [f"Indiquez {label}."]
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [f"{label[0].upper()}{label[1:]} n'est pas un nombre."]
        return None
    if not amount.is_finite():
        errors[field] = [f"{label[0].upper()}{label[1:]} n'est pas un nombre."]
    elif amount < 0:
        errors[field] = [f"{label[0].upper()}{label[1:]} ne peut pas être négatif."]
    elif amount != amount.quantize(CENT):
        errors[field] = [f"{label[0].upper()}{label[1:]} s'exprime en euros et centimes."]
    elif amount >= Decimal("1e10"):
        errors[field] = [f"{label[0].upper()}{label[1:]} est trop élevé."]
    else:
        return amount
    return None


def _opinion_errors(opinion: str, opinion_text: str) -> dict[str, list[str]]:
    if opinion not in Opinion.values:
        return {
            "opinion": ["Choisissez un avis : favorable, favorable avec réserves ou défavorable."]
        }
    if opinion == Opinion.UNFAVOURABLE and not opinion_text:
        return {"opinion_text": ["Motivez l'avis défavorable."]}
    if opinion == Opinion.RESERVED and not opinion_text:
        return {"opinion_text": ["Indiquez les réserves de l'avis."]}
    return {}


def application_instruct(
    *,
    application: Application,
    eligible_costs,
    proposed_amount,
    opinion: str,
    opinion_text: str = "",
    by,
) -> Application:
    """Record the instruction: the eligibility checks (a snapshot kept on the file), the
    eligible amount computed from the retained costs, the proposed amount (never above the
    eligible amount) and the instructor's opinion (reasoned unless favourable)."""
    opinion_text = (opinion_text or "").strip()
    errors: dict[str, list[str]] = {}
    costs = _money(eligible_costs, "eligible_costs", "le montant des dépenses éligibles", errors)
    proposed = _money(proposed_amount, "proposed_amount", "le montant proposé", errors)
    errors.update(_opinion_errors(opinion, opinion_text))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != S.INSTRUCTION:
            raise ValidationError(
                {
                    "status": [
                        f"Le dossier est « {locked.get_status_display()} » : l'instruction se "
                        "saisit sur un dossier en instruction."
                    ]
                }
            )
        breakdown = amount_breakdown(locked, eligible_costs=costs, today=today)
        if proposed > breakdown.amount:
            term = breakdown.binding_term
            detail = f" ({term.detail})" if term.detail else ""
            raise ValidationError(
                {
                    "proposed_amount": [
                        f"Le montant proposé ({euros(proposed)}) dépasse le montant éligible "
                        f"({euros(breakdown.amount)}), fixé par « {term.label} »{detail}."
                    ]
                }
            )
        checks = checks_for(locked, today=today, eligible_costs=costs, amount=proposed)
        locked.checks = [check.as_dict() for check in checks]
        locked.eligible_costs = costs
        locked.eligible_amount = breakdown.amount
        locked.proposed_amount = proposed
        locked.opinion = opinion
        locked.opinion_text = opinion_text
        locked.instructed_at = timezone.now()
        if locked.instructor_id is None:
            locked.instructor = by
        locked.save(
            update_fields=[
                "checks",
                "eligible_costs",
                "eligible_amount",
                "proposed_amount",
                "opinion",
                "opinion_text",
                "instructed_at",
                "instructor",
                "updated_at",
            ]
        )
        application_log(
            application=locked,
            title=f"Instruction : avis {Opinion(opinion).label.lower()}",
            text=(
                f"Dépenses éligibles retenues {euros(costs)}, montant éligible "
                f"{euros(breakdown.amount)}, montant proposé {euros(proposed)}."
            ),
            by=by,
        )
    return locked


def planned_sessions(application: Application):
    """The planned committee sessions of the scheme's provider, soonest first."""
    return CommitteeSession.objects.filter(
        status=CommitteeSession.Status.PLANNED, organisation_id=application.scheme.provider_id
    ).order_by("held_on", "pk")


def application_propose(
    *, application: Application, session: CommitteeSession | None, by
) -> Application:
    """Propose an instructed file to a planned session of the provider's committee."""
    with transaction.atomic():
        locked = _locked(application)
        _refuse_move(locked, S.COMMITTEE, "session", "il ne peut pas être proposé en commission.")
        if locked.instructed_at is None or not locked.opinion or locked.proposed_amount is None:
            raise ValidationError(
                {"session": ["Enregistrez l'instruction (montant et avis) avant de proposer."]}
            )
        if session is None:
            raise ValidationError({"session": ["Choisissez une séance de la commission."]})
        if session.status != CommitteeSession.Status.PLANNED:
            raise ValidationError(
                {"session": [f"La séance « {session} » est déjà tenue : choisissez-en une prévue."]}
            )
        if session.organisation_id != locked.scheme.provider_id:
            raise ValidationError(
                {"session": [f"La séance « {session} » n'est pas une commission du financeur."]}
            )
        locked.session = session
        locked.save(update_fields=["session", "updated_at"])
        application_move(
            application=locked,
            to=S.COMMITTEE,
            by=by,
            title="Proposée en commission",
            text=f"Séance « {session} », montant proposé {euros(locked.proposed_amount)}, "
            f"avis {Opinion(locked.opinion).label.lower()}.",
        )
    return locked


def application_withdraw(*, application: Application, reason: str, by) -> Application:
    """Withdraw the file (reason required). An aid already granted is taken off the state-aid
    ledger: its lines are cancelled (kept, no longer counted)."""
    from guichet.stateaid.services import state_aid_grants_cancel_for

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Indiquez le motif du retrait."]})
    with transaction.atomic():
        locked = _locked(application)
        _refuse_move(locked, S.WITHDRAWN, "reason", "il ne peut plus être retiré.")
        was_granted = locked.status in GRANTED
        locked.withdrawn_reason = reason
        locked.save(update_fields=["withdrawn_reason", "updated_at"])
        cancelled = state_aid_grants_cancel_for(
            source_ref=source_ref(locked), reason=f"Demande retirée : {reason}"[:300], by=by
        )
        text = f"Motif : {reason}"
        if was_granted or cancelled:
            text += " L'aide accordée est retirée du registre des aides d'État."
        application_move(
            application=locked, to=S.WITHDRAWN, by=by, title="Demande retirée", text=text
        )
    return locked
