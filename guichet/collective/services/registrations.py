"""Registrations to a collective action: from the application to the attendance.

Every change of state goes through `states.registration_move` (history + company timeline).
Every write that may change who holds a place locks the action's row first (then the
registration's): selections of the same action are serialised, so two requests for the last
place give one selected company and one on the waiting list. On PostgreSQL the lock is
`SELECT … FOR UPDATE`; SQLite's IMMEDIATE transactions already serialise writers.

The subsidy is an aid granted at confirmation (the day the company acquires the right to it):
its line is written to the state-aid ledger then, after a check of the company's headroom,
and cancelled with the participation."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.collective import mail
from guichet.collective.models import (
    ActionRegime,
    CollectiveAction,
    FeeStatus,
    Registration,
)
from guichet.collective.models import RegistrationStatus as R
from guichet.collective.services.states import (
    HOLDS_PLACE,
    SUBSIDISED,
    can_move,
    registration_log,
    registration_move,
)
from guichet.collective.services.subsidy import eligible_base, subsidy_for
from guichet.core.money import euros

REASON_MAX = 2000
TEXT_MAX = 3000


def source_ref(registration: Registration) -> str:
    return f"collective.registration:{registration.pk}"


def _after_commit(function, *args) -> None:
    transaction.on_commit(lambda: function(*args))


# --- locks and places ----------------------------------------------------------------------


def _lock(registration: Registration) -> Registration:
    """Lock the action's row, then the registration's; return the registration re-read."""
    action = CollectiveAction.objects.select_for_update().get(pk=registration.action_id)
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("company", "organisation")
        .get(pk=registration.pk)
    )
    locked.action = action
    return locked


def places_taken(action: CollectiveAction) -> int:
    return action.registrations.filter(status__in=HOLDS_PLACE).count()


def places_left(action: CollectiveAction) -> int:
    return max(action.capacity - places_taken(action), 0)


def _waiting(action: CollectiveAction):
    return action.registrations.filter(status=R.WAITING).order_by(
        "waiting_rank", "created_at", "pk"
    )


def _next_rank(action: CollectiveAction) -> int:
    ranks = [r.waiting_rank or 0 for r in _waiting(action)]
    return max(ranks, default=0) + 1


def _renumber_waiting(action: CollectiveAction) -> None:
    """Ranks 1, 2, 3… in the current order, after someone left the list."""
    for rank, registration in enumerate(_waiting(action), start=1):
        if registration.waiting_rank != rank:
            registration.waiting_rank = rank
            registration.save(update_fields=["waiting_rank", "updated_at"])


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: ["Indiquez le motif."]})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: [f"Le motif : {REASON_MAX} caractères au plus."]})
    return reason


def _require_move(registration: Registration, to: str) -> None:
    if not can_move(registration, to):
        raise ValidationError(
            {
                "status": [
                    f"L'inscription est « {registration.get_status_display()} » : elle ne peut "
                    f"pas passer à l'état « {R(to).label} »."
                ]
            }
        )


# --- registering ---------------------------------------------------------------------------


def registration_open_problem(action: CollectiveAction, today: date) -> str | None:
    """Why the action takes no registration today (None when it does)."""
    if action.status != CollectiveAction.Status.PUBLISHED:
        return "Les inscriptions à cette action ne sont pas ouvertes."
    if today > action.registration_deadline:
        return (
            f"La date limite d'inscription ({action.registration_deadline:%d/%m/%Y}) est "
            "passée : les inscriptions à cette action sont closes."
        )
    return None


def duplicate_message(registration: Registration) -> str:
    return (
        f"{registration.company.name} est déjà inscrite à cette action (état : "
        f"« {registration.get_status_display()} »). Une entreprise ne s'inscrit qu'une fois ; "
        "le lien reçu par courriel permet de suivre l'inscription."
    )


def _contact_errors(name: str, email: str, phone: str, motivation: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["contact_name"] = ["Indiquez le nom de la personne à contacter."]
    elif len(name.strip()) > 200:
        errors["contact_name"] = ["Le nom : 200 caractères au plus."]
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["contact_email"] = ["Saisissez une adresse électronique valide (nom@domaine.fr)."]
    if len(phone.strip()) > 30:
        errors["contact_phone"] = ["Le téléphone : 30 caractères au plus."]
    if len(motivation.strip()) > TEXT_MAX:
        errors["motivation"] = [f"Vos objectifs : {TEXT_MAX} caractères au plus."]
    return errors


def registration_create(
    *,
    action: CollectiveAction,
    company,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    motivation: str = "",
    advisor=None,
    organisation,
    by=None,
    by_company: bool,
    interested: bool = False,
    today: date | None = None,
) -> Registration:
    """A company applies (or says it is interested) — itself through the public form, or
    registered by an advisor. One registration per company and action."""
    today = today or timezone.localdate()
    problem = registration_open_problem(action, today)
    if problem:
        raise ValidationError({"action": [problem]})
    errors = _contact_errors(contact_name, contact_email, contact_phone, motivation)
    if errors:
        raise ValidationError(errors)
    existing = Registration.objects.filter(action=action, company=company).first()
    if existing is not None:
        raise ValidationError({"company": [duplicate_message(existing)]})
    status = R.INTERESTED if interested else R.APPLIED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                action=action,
                company=company,
                status=status,
                motivation=motivation.strip(),
                contact_name=contact_name.strip(),
                contact_email=contact_email.strip(),
                contact_phone=contact_phone.strip(),
                advisor=advisor,
                organisation=organisation,
                registered_by_company=by_company,
            )
            title = "Intérêt signalé" if interested else "Candidature reçue"
            who = "par l'entreprise" if by_company else "par un conseiller"
            registration_log(
                registration=registration,
                title=f"{title} ({who})",
                text=motivation.strip()[:TEXT_MAX],
                by=by,
                to_status=status,
            )
            _after_commit(mail.send_registered, registration.pk)
    except IntegrityError:
        # Another request registered the same company a moment earlier.
        existing = Registration.objects.filter(action=action, company=company).first()
        if existing is None:
            raise
        raise ValidationError({"company": [duplicate_message(existing)]}) from None
    return registration


def registration_apply(*, registration: Registration, by=None) -> Registration:
    """An interested company confirms its application."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_move(registration, R.APPLIED)
        registration_move(
            registration=registration, to=R.APPLIED, by=by, title="Candidature confirmée"
        )
    return registration


# --- selection -----------------------------------------------------------------------------


def _to_waiting_list(registration: Registration, *, by, text: str = "") -> None:
    registration.waiting_rank = _next_rank(registration.action)
    registration.save(update_fields=["waiting_rank", "updated_at"])
    registration_move(
        registration=registration,
        to=R.WAITING,
        by=by,
        title=f"Liste d'attente (rang {registration.waiting_rank})",
        text=text,
    )
    _after_commit(mail.send_decision, registration.pk, "waiting")


def _select_locked(registration: Registration, *, by, title: str, mail_kind: str) -> None:
    was_waiting = registration.status == R.WAITING
    registration.selected_at = timezone.now()
    registration.waiting_rank = None
    registration.save(update_fields=["selected_at", "waiting_rank", "updated_at"])
    registration_move(registration=registration, to=R.SELECTED, by=by, title=title)
    if was_waiting:
        _renumber_waiting(registration.action)
    _after_commit(mail.send_decision, registration.pk, mail_kind)


def registration_select(*, registration: Registration, by=None) -> Registration:
    """Select the company if a place is free; otherwise it joins the waiting list (next rank).
    The caller reads the returned registration's status to know which happened."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_move(registration, R.SELECTED)
        if places_taken(registration.action) < registration.action.capacity:
            _select_locked(registration, by=by, title="Entreprise retenue", mail_kind="selected")
        elif registration.status == R.APPLIED:
            _to_waiting_list(
                registration,
                by=by,
                text="Toutes les places sont prises : l'entreprise passe sur la liste d'attente.",
            )
        else:
            raise ValidationError(
                {
                    "status": [
                        f"Les {registration.action.capacity} places sont prises : "
                        f"{registration.company.name} reste sur la liste d'attente "
                        f"(rang {registration.waiting_rank})."
                    ]
                }
            )
    return registration


def registration_wait(*, registration: Registration, by=None) -> Registration:
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status == R.WAITING:
            return registration
        _require_move(registration, R.WAITING)
        _to_waiting_list(registration, by=by)
    return registration


def registration_not_select(*, registration: Registration, reason: str, by=None) -> Registration:
    reason = _require_reason(reason)
    with transaction.atomic():
        registration = _lock(registration)
        _require_move(registration, R.NOT_SELECTED)
        was_waiting = registration.status == R.WAITING
        registration.not_selected_reason = reason
        registration.waiting_rank = None
        registration.save(update_fields=["not_selected_reason", "waiting_rank", "updated_at"])
        registration_move(
            registration=registration, to=R.NOT_SELECTED, by=by, title="Non retenue", text=reason
        )
        if was_waiting:
            _renumber_waiting(registration.action)
        _after_commit(mail.send_decision, registration.pk, "not_selected")
    return registration


# --- confirmation, fee, cancellation, attendance -------------------------------------------


def _ledger_needed(action: CollectiveAction, amount: Decimal) -> bool:
    return action.regime != ActionRegime.NOT_AID and amount > 0


def _grant(registration: Registration, amount: Decimal, today: date, by) -> None:
    from guichet.stateaid.services import ceiling_problem, state_aid_grant_record

    action = registration.action
    problem = ceiling_problem(
        company=registration.company, regulation=action.regime, amount=amount, at=today
    )
    if problem:
        raise ValidationError(
            {"subsidy": [f"Confirmation impossible : {problem} Rien n'a été enregistré."]}
        )
    state_aid_grant_record(
        company=registration.company,
        granted_on=today,
        amount=amount,
        regulation=action.regime,
        granting_body=action.organiser.name,
        source="collective",
        description=f"Participation à l'action collective « {action.title} »",
        source_ref=source_ref(registration),
        eligible_costs=eligible_base(action),
        cost_category=cost_labels(action),
        by=by,
    )


def cost_labels(action: CollectiveAction) -> str:
    """The eligible costs named as the ledger names cost categories (GBER cumulation)."""
    labels = [str((line or {}).get("label", "")).strip() for line in action.eligible_costs or []]
    return ", ".join(label for label in labels if label)[:60] or "Participation à un salon"


def registration_confirm(*, registration: Registration, by=None, today: date) -> Registration:
    """The selected company confirms: the subsidy is computed, checked against the company's
    headroom (de minimis: refused with the figures, nothing saved), written to the ledger,
    and the fee is invoiced."""
    with transaction.atomic():
        registration = _lock(registration)
        _require_move(registration, R.CONFIRMED)
        amount, explanation = subsidy_for(action=registration.action, company=registration.company)
        if _ledger_needed(registration.action, amount):
            _grant(registration, amount, today, by)
        registration.subsidy_amount = amount
        registration.confirmed_at = timezone.now()
        if registration.action.company_fee > 0:
            registration.fee_status = FeeStatus.INVOICED
        registration.save(
            update_fields=["subsidy_amount", "confirmed_at", "fee_status", "updated_at"]
        )
        fee = euros(registration.action.company_fee)
        registration_move(
            registration=registration,
            to=R.CONFIRMED,
            by=by,
            title="Participation confirmée",
            text=f"{explanation} Participation de l'entreprise : {fee}.",
        )
        _after_commit(mail.send_confirmed, registration.pk)
    return registration


def registration_fee_paid(*, registration: Registration, by=None) -> Registration:
    with transaction.atomic():
        registration = _lock(registration)
        if registration.fee_status != FeeStatus.INVOICED:
            raise ValidationError(
                {"fee_status": ["Seule une participation facturée peut être notée payée."]}
            )
        registration.fee_status = FeeStatus.PAID
        registration.save(update_fields=["fee_status", "updated_at"])
        registration_log(
            registration=registration,
            title="Participation payée",
            text=euros(registration.action.company_fee),
            by=by,
        )
    return registration


def fee_kept_on(action: CollectiveAction, today: date) -> bool:
    """A confirmed participation cancelled after the free-cancellation date is still due."""
    return action.free_cancellation_until is not None and today > action.free_cancellation_until


def _promote_first(action: CollectiveAction, *, by) -> Registration | None:
    first = _waiting(action).select_related("company", "organisation").first()
    if first is None:
        return None
    first.action = action
    _select_locked(
        first,
        by=by,
        title="Retenue depuis la liste d'attente (une place s'est libérée)",
        mail_kind="promoted",
    )
    return first


def registration_cancel(
    *,
    registration: Registration,
    reason: str,
    by=None,
    today: date,
    by_company: bool = False,
    fee_waived: bool = False,
) -> Registration:
    """Cancel before attendance: the ledger line is cancelled, the fee stays due after the
    free-cancellation date (unless the organiser waives it: a cancellation it caused), and the
    freed place goes to the first of the waiting list."""
    reason = _require_reason(reason)
    with transaction.atomic():
        registration = _lock(registration)
        _require_move(registration, R.CANCELLED)
        action = registration.action
        held_place = registration.status in HOLDS_PLACE
        subsidised = registration.status in SUBSIDISED
        was_waiting = registration.status == R.WAITING
        if subsidised:
            from guichet.stateaid.services import state_aid_grants_cancel_for

            state_aid_grants_cancel_for(
                source_ref=source_ref(registration),
                reason=f"Participation annulée : {reason}"[:300],
                by=by,
            )
        registration.fee_kept = subsidised and not fee_waived and fee_kept_on(action, today)
        registration.cancelled_at = timezone.now()
        registration.cancellation_reason = reason
        registration.waiting_rank = None
        registration.save(
            update_fields=[
                "fee_kept",
                "cancelled_at",
                "cancellation_reason",
                "waiting_rank",
                "updated_at",
            ]
        )
        text = reason
        if registration.fee_kept:
            text += (
                " La participation reste due (annulation après la date d'annulation sans frais)."
            )
        elif subsidised:
            text += " Annulation sans frais."
        registration_move(
            registration=registration,
            to=R.CANCELLED,
            by=by,
            title="Annulée par l'entreprise" if by_company else "Inscription annulée",
            text=text,
        )
        if was_waiting:
            _renumber_waiting(action)
        if held_place and today <= action.ends_on:
            _promote_first(action, by=by)
        _after_commit(mail.send_cancelled, registration.pk)
    return registration


def registration_attendance(*, registration: Registration, attended: bool, by=None):
    to = R.ATTENDED if attended else R.NO_SHOW
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status == to:
            return registration
        _require_move(registration, to)
        registration_move(
            registration=registration,
            to=to,
            by=by,
            title="Présente à l'action" if attended else "Absente à l'action",
        )
        if attended:
            # Its follow-up surveys at +3, +6 and +12 months (the daily job sends them).
            from guichet.collective.services.surveys import surveys_schedule

            surveys_schedule(registration=registration)
    return registration


# --- preparation ---------------------------------------------------------------------------

PREPARING = frozenset({R.SELECTED, R.CONFIRMED, R.ATTENDED, R.NO_SHOW})


def checklist_tick(*, registration: Registration, item, done: bool, by=None) -> bool:
    """Tick (or untick) one preparation step of a participant; returns whether it changed."""
    from guichet.collective.models import ChecklistTick

    if item.action_id != registration.action_id:
        raise ValidationError({"item": ["Cette étape n'appartient pas à cette action."]})
    with transaction.atomic():
        registration = _lock(registration)
        if registration.status not in PREPARING:
            raise ValidationError(
                {"item": ["La préparation se suit pour les entreprises retenues ou confirmées."]}
            )
        existing = ChecklistTick.objects.filter(registration=registration, item=item).first()
        if done == (existing is not None):
            return False
        if done:
            ChecklistTick.objects.create(
                registration=registration, item=item, done_at=timezone.now(), by=by
            )
        else:
            existing.delete()
        title = f"Préparation : « {item.label} » " + ("fait" if done else "à refaire")
        registration_log(registration=registration, title=title, by=by)
    return True
