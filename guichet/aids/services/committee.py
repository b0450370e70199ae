"""Committee sessions (commission permanente) and their decisions.

A decision is taken in one transaction: the file is locked, the amount checked against the
eligible amount and the envelope of the decision year, the state-aid ledger line written
(its ceiling check refuses an aid that would exceed the single undertaking's headroom), the
state changed, the decision letter generated. Any refusal leaves everything as it was.
The right to the aid is acquired at the decision: its date is the ledger's grant date.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.aids.models import Application, BudgetEnvelope, CommitteeSession
from guichet.aids.models import ApplicationStatus as S
from guichet.aids.selectors import envelope_position
from guichet.aids.services.states import application_log, application_move
from guichet.core.money import euros

DECISIONS = (S.APPROVED, S.REJECTED)


def committee_session_create(
    *, title: str, held_on: date, place: str = "", organisation, by
) -> CommitteeSession:
    errors = {}
    if not (title or "").strip():
        errors["title"] = ["Indiquez l'intitulé de la séance."]
    if held_on is None:
        errors["held_on"] = ["Indiquez la date de la séance."]
    if errors:
        raise ValidationError(errors)
    return CommitteeSession.objects.create(
        title=title.strip()[:200],
        held_on=held_on,
        place=(place or "").strip()[:200],
        organisation=organisation,
        created_by=by,
    )


def _session_problem(session: CommitteeSession, application: Application) -> str | None:
    if session.status != CommitteeSession.Status.PLANNED:
        return "Cette séance est déjà tenue : inscrivez le dossier à une prochaine commission."
    if application.scheme.provider_id != session.organisation_id:
        return (
            f"Le dispositif « {application.scheme.name} » relève de "
            f"{application.scheme.provider.name}, pas de l'organisme de cette séance."
        )
    return None


def committee_session_add(*, session: CommitteeSession, application: Application, by) -> None:
    """Put a file proposed to committee on the agenda of a planned session."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("scheme__provider", "company")
            .get(pk=application.pk)
        )
        if locked.status != S.COMMITTEE:
            raise ValidationError(
                {"application": ["Seuls les dossiers proposés en commission sont inscrits."]}
            )
        problem = _session_problem(session, locked)
        if problem:
            raise ValidationError({"application": [problem]})
        locked.session = session
        locked.save(update_fields=["session", "updated_at"])
        application_log(
            application=locked,
            title=f"Inscrit à l'ordre du jour : {session}",
            by=by,
        )


def committee_session_hold(*, session: CommitteeSession, by) -> list[Application]:
    """Mark the session held. Files of its agenda still without a decision are postponed:
    they leave the agenda (still proposed to committee) for a next session. Returns them."""
    with transaction.atomic():
        locked = CommitteeSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == CommitteeSession.Status.HELD:
            raise ValidationError({"status": ["Cette séance est déjà marquée comme tenue."]})
        postponed = list(
            Application.objects.select_for_update(of=("self",))
            .filter(session=locked, status=S.COMMITTEE)
            .select_related("scheme", "company", "organisation")
            .order_by("pk")
        )
        for application in postponed:
            application.session = None
            application.save(update_fields=["session", "updated_at"])
            application_log(
                application=application,
                title="Dossier reporté à une prochaine commission",
                text=f"Pas de décision lors de la séance « {locked} ».",
                by=by,
            )
        locked.status = CommitteeSession.Status.HELD
        locked.save(update_fields=["status"])
    session.status = locked.status
    return postponed


# --- decisions ---------------------------------------------------------------------------------


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"amount": ["Le montant n'est pas un nombre."]}) from None


def _approval_problems(application: Application, amount: Decimal | None) -> list[str]:
    """What prevents granting `amount` (the envelope is checked separately, locked)."""
    if amount is None:
        return ["Indiquez le montant accordé."]
    if amount <= 0:
        return ["Le montant accordé doit être positif."]
    if amount != amount.quantize(Decimal("0.01")):
        return ["Le montant accordé s'exprime en euros et centimes."]
    cap = application.eligible_amount
    if cap is None:
        return ["Le montant éligible n'est pas calculé : le dossier doit d'abord être instruit."]
    if amount > cap:
        return [
            f"Le montant accordé ({euros(amount)}) dépasse le montant éligible calculé à "
            f"l'instruction ({euros(cap)})."
        ]
    return []


def _envelope_problem(application: Application, amount: Decimal, on: date) -> str | None:
    """Lock the envelope of the decision year (two decisions cannot both take its last
    euros) and check what remains."""
    envelope = (
        BudgetEnvelope.objects.select_for_update()
        .filter(scheme_id=application.scheme_id, year=on.year)
        .first()
    )
    if envelope is None:
        return (
            f"Aucune enveloppe budgétaire n'est votée pour « {application.scheme.name} » en "
            f"{on.year} : l'aide ne peut pas être engagée."
        )
    position = envelope_position(application.scheme, on.year)
    if amount > position.remaining:
        return (
            f"Enveloppe {on.year} insuffisante : {euros(amount)} demandés, "
            f"{euros(position.committed)} déjà engagés sur {euros(position.amount)}, "
            f"il reste {euros(max(position.remaining, Decimal('0')))}."
        )
    return None


def _record_ledger_line(application: Application, amount: Decimal, on: date, by) -> None:
    from guichet.stateaid.services import state_aid_grant_record

    scheme = application.scheme
    categories = sorted({e.category.label for e in application.expenses.select_related("category")})
    state_aid_grant_record(
        company=application.company,
        granted_on=on,
        amount=amount,
        regulation=scheme.regime,
        granting_body=scheme.provider.name,
        source="platform_aid",
        description=f"{scheme.name} — {application.title} ({application.reference})",
        source_ref=f"aids.application:{application.pk}",
        eligible_costs=application.eligible_costs,
        cost_category=", ".join(categories)[:60],
        by=by,
    )


def _check_date(application: Application, on: date | None) -> None:
    if on is None:
        raise ValidationError({"decided_on": ["Indiquez la date de la décision."]})
    if on > timezone.localdate():
        raise ValidationError({"decided_on": ["La date de la décision ne peut être future."]})
    if application.submitted_at and on < timezone.localtime(application.submitted_at).date():
        raise ValidationError(
            {
                "decided_on": [
                    "La décision ne peut précéder le dépôt de la demande "
                    f"({timezone.localtime(application.submitted_at):%d/%m/%Y})."
                ]
            }
        )


def application_decide(
    *,
    application: Application,
    decision: str,
    amount=None,
    reason: str = "",
    decided_on: date,
    by,
    session: CommitteeSession | None = None,
) -> Application:
    """Record the committee's decision on a file proposed to it (approved with an amount, or
    rejected with a reason), then generate the decision letter and e-mail it."""
    from guichet.aids import letters

    if decision not in DECISIONS:
        raise ValidationError({"decision": ["Choisissez d'accorder ou de refuser l'aide."]})
    amount = _amount(amount)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("scheme__provider", "company", "organisation", "session")
            .get(pk=application.pk)
        )
        if locked.status != S.COMMITTEE:
            raise ValidationError(
                {
                    "decision": [
                        f"Le dossier est « {locked.get_status_display()} » : seule une demande "
                        "proposée en commission reçoit une décision."
                    ]
                }
            )
        session = session or locked.session
        if session is not None and session.organisation_id != locked.scheme.provider_id:
            raise ValidationError({"session": ["Cette séance n'est pas celle du financeur."]})
        _check_date(locked, decided_on)
        if decision == S.REJECTED:
            if not reason:
                raise ValidationError({"reason": ["Indiquez le motif du refus."]})
            locked.granted_amount = None
        else:
            problems = _approval_problems(locked, amount)
            if not problems:
                problem = _envelope_problem(locked, amount, decided_on)
                problems = [problem] if problem else []
            if problems:
                raise ValidationError({"amount": problems})
            if locked.scheme.is_state_aid:
                _record_ledger_line(locked, amount, decided_on, by)
            locked.granted_amount = amount
        locked.decided_on = decided_on
        locked.decision_reason = reason
        locked.session = session
        locked.save(
            update_fields=[
                "granted_amount",
                "decided_on",
                "decision_reason",
                "session",
                "updated_at",
            ]
        )
        if decision == S.APPROVED:
            title = f"Aide accordée : {euros(amount)}"
            text = f"Décision du {decided_on:%d/%m/%Y}" + (f" — {reason}" if reason else "")
        else:
            title = "Aide refusée"
            text = f"Décision du {decided_on:%d/%m/%Y} — motif : {reason}"
        application_move(application=locked, to=decision, by=by, title=title, text=text)
        letters.decision_letter_store(application=locked)
        letters.decision_letter_send_on_commit(application=locked)
    return locked
