"""Follow-up surveys of collective actions (PAREX 2 measure 6: follow the companies after the
action so that its results can be measured).

Each participant who attended is asked at +3, +6 and +12 calendar months after the last day of
the action (clamped to the end of a shorter month: an action ending on 31 August is followed
up on 30 November). The daily job e-mails the signed link of each survey due, and ONE reminder
REMINDER_AFTER_DAYS days later when it is still unanswered. An advisor may enter the answers
after a call; answering again replaces the previous answers.

The questions count what happened "since the action", so a later wave supersedes an earlier
one: the results take each participant's latest answered wave.
"""

import calendar
import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from guichet.collective.models import (
    CollectiveAction,
    FollowUpSurvey,
    Registration,
    RegistrationStatus,
    SurveyWave,
)
from guichet.collective.services.states import registration_log

logger = logging.getLogger(__name__)

WAVES = tuple(SurveyWave.values)  # 3, 6, 12 months
REMINDER_AFTER_DAYS = 14
DAILY_RUN_AT = time(6, 45)
COMMENT_MAX = 2000
SATISFACTION_RANGE = (1, 5)
COUNT_FIELDS = {
    "contacts_made": "contacts établis",
    "meetings_held": "rendez-vous tenus",
    "quotes_sent": "devis envoyés",
    "contracts_signed": "contrats signés",
}
MONEY_MAX = Decimal("999999999999.99")


# --- scheduling ---------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the last day of the month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def survey_due_on(action: CollectiveAction, wave: int) -> date:
    return add_months(action.ends_on, wave)


def surveys_schedule(*, registration: Registration) -> list[FollowUpSurvey]:
    """The three surveys of a participant who attended (idempotent: one row per wave)."""
    if registration.status != RegistrationStatus.ATTENDED:
        return []
    surveys = []
    for wave in WAVES:
        survey, _created = FollowUpSurvey.objects.get_or_create(
            registration=registration,
            wave=wave,
            defaults={"due_on": survey_due_on(registration.action, wave)},
        )
        surveys.append(survey)
    return surveys


def surveys_schedule_missing() -> int:
    """Create the surveys that attendance recorded elsewhere did not schedule. Returns how
    many rows were created."""
    created = 0
    attended = (
        Registration.objects.filter(status=RegistrationStatus.ATTENDED)
        .exclude(action__status=CollectiveAction.Status.CANCELLED)
        .select_related("action")
        .prefetch_related("surveys")
    )
    for registration in attended:
        have = {s.wave for s in registration.surveys.all()}
        missing = [w for w in WAVES if w not in have]
        if not missing:
            continue
        FollowUpSurvey.objects.bulk_create(
            [
                FollowUpSurvey(
                    registration=registration,
                    wave=wave,
                    due_on=survey_due_on(registration.action, wave),
                )
                for wave in missing
            ],
            ignore_conflicts=True,
        )
        created += len(missing)
    return created


# --- sending -------------------------------------------------------------------------------


def moment_of(today: date) -> datetime:
    """When a run "for `today`" happens: now for today, 06:45 for another day (tests, replays)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, DAILY_RUN_AT))


def survey_link(survey: FollowUpSurvey) -> str:
    from guichet.collective.links import survey_token

    return settings.GUICHET_BASE_URL + reverse("collective:survey", args=[survey_token(survey)])


def _mail(survey: FollowUpSurvey, *, reminder: bool) -> None:
    registration = survey.registration
    action = registration.action
    context = {
        "survey": survey,
        "registration": registration,
        "action": action,
        "company": registration.company,
        "link": survey_link(survey),
        "reminder": reminder,
        "platform_name": settings.GUICHET_PLATFORM_NAME,
    }
    body = render_to_string("collective/results/email/survey.txt", context)
    prefix = "Rappel — " if reminder else ""
    subject = f"{prefix}{action.title} : vos résultats {survey.get_wave_display().lower()}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.contact_email])


def _sendable():
    return FollowUpSurvey.objects.filter(
        answered_at__isnull=True, registration__status=RegistrationStatus.ATTENDED
    ).exclude(registration__action__status=CollectiveAction.Status.CANCELLED)


def _superseded(survey: FollowUpSurvey, due_today: dict[int, int]) -> bool:
    """A wave is not sent when a later wave of the same participant is due too (a late
    start of the job), or was already sent or answered."""
    if due_today.get(survey.registration_id, 0) > survey.wave:
        return True
    return (
        FollowUpSurvey.objects.filter(registration_id=survey.registration_id, wave__gt=survey.wave)
        .filter(Q(sent_at__isnull=False) | Q(answered_at__isnull=False))
        .exists()
    )


def _send_one(pk: int, *, at: datetime, reminder: bool) -> bool:
    """Mark and send one e-mail in one transaction: when sending fails, the mark is undone and
    the next run tries again."""
    field = "reminded_at" if reminder else "sent_at"
    try:
        with transaction.atomic():
            survey = (
                _sendable()
                .select_for_update()
                .select_related("registration__action", "registration__company")
                .filter(pk=pk, **{f"{field}__isnull": True})
                .first()
            )
            if survey is None:
                return False
            setattr(survey, field, at)
            survey.save(update_fields=[field])
            _mail(survey, reminder=reminder)
            wave = survey.get_wave_display().lower()
            registration_log(
                registration=survey.registration,
                title=f"Relance de l'enquête de suivi {wave}"
                if reminder
                else f"Enquête de suivi {wave} envoyée",
                text=f"Courriel à {survey.registration.contact_email}",
                at=at,
            )
    except OSError:
        logger.exception("Follow-up survey e-mail not sent (survey %s)", pk)
        return False
    return True


def surveys_send_due(*, today: date | None = None) -> dict:
    """E-mail the surveys due on or before `today` and not sent yet (the latest due wave of
    each participant only), then one reminder for those sent REMINDER_AFTER_DAYS days ago or
    more and still unanswered. Safe to run twice a day: each e-mail is sent once."""
    today = today or timezone.localdate()
    at = moment_of(today)
    due = list(
        _sendable()
        .filter(sent_at__isnull=True, due_on__lte=today)
        .order_by("registration_id", "wave")
        .only("pk", "registration_id", "wave")
    )
    latest_due: dict[int, int] = {}
    for survey in due:
        latest_due[survey.registration_id] = max(
            survey.wave, latest_due.get(survey.registration_id, 0)
        )
    sent = sum(
        _send_one(s.pk, at=at, reminder=False) for s in due if not _superseded(s, latest_due)
    )
    sent_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=REMINDER_AFTER_DAYS - 1), time.min)
    )
    to_remind = (
        _sendable()
        .filter(sent_at__lt=sent_before, reminded_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reminded = sum(_send_one(pk, at=at, reminder=True) for pk in list(to_remind))
    return {"sent": sent, "reminded": reminded}


# --- answers -------------------------------------------------------------------------------


def _count(value, label: str, errors: dict, field: str, *, required: bool = True):
    if value in (None, ""):
        if required:
            errors[field] = [f"Indiquez le nombre de {label} (0 s'il n'y en a pas)."]
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = [f"Le nombre de {label} doit être un nombre entier."]
        return None
    if number < 0:
        errors[field] = [f"Le nombre de {label} ne peut pas être négatif."]
        return None
    return number


def _money(value, label: str, errors: dict, field: str):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(
            str(value)
            .strip()
            .replace(" ", "")
            .replace("\u202f", "")
            .replace("\u00a0", "")
            .replace("€", "")
            .replace(",", ".")
        )
    except InvalidOperation:
        errors[field] = [f"{label} doit être un montant en euros (par exemple 12500)."]
        return None
    if not amount.is_finite():
        errors[field] = [f"{label} doit être un montant en euros (par exemple 12500)."]
        return None
    if amount < 0:
        errors[field] = [f"{label} ne peut pas être négatif."]
        return None
    if amount > MONEY_MAX:
        errors[field] = [f"{label} est trop élevé."]
        return None
    return amount.quantize(Decimal("0.01"))


def _countries(values, errors: dict) -> list:
    from guichet.reference.models import Country

    codes, given = [], []
    for value in values or []:
        if isinstance(value, Country):
            given.append(value)
        else:
            codes.append(str(value).strip().upper())
    found = {c.iso2: c for c in Country.objects.filter(iso2__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors["contract_countries"] = [
            f"Pays inconnu : {', '.join(unknown)}. Choisissez les pays dans la liste."
        ]
    return given + [found[c] for c in codes if c in found]


def _satisfaction(value, errors: dict):
    low, high = SATISFACTION_RANGE
    if value in (None, ""):
        errors["satisfaction"] = [f"Indiquez votre satisfaction, de {low} à {high}."]
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        errors["satisfaction"] = [
            f"La satisfaction se note de {low} (pas du tout) à {high} (tout à fait)."
        ]
        return None
    return number


def survey_clean(data: dict) -> dict:
    """The answers, checked, or a ValidationError with a French message per field."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        field: _count(data.get(field), label, errors, field)
        for field, label in COUNT_FIELDS.items()
    }
    cleaned["contracts_value"] = _money(
        data.get("contracts_value"), "Le montant des contrats", errors, "contracts_value"
    )
    cleaned["expected_export_revenue"] = _money(
        data.get("expected_export_revenue"),
        "Le chiffre d'affaires export attendu",
        errors,
        "expected_export_revenue",
    )
    cleaned["contract_countries"] = _countries(data.get("contract_countries"), errors)
    cleaned["satisfaction"] = _satisfaction(data.get("satisfaction"), errors)
    comment = (data.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [f"Le commentaire compte {COMMENT_MAX} caractères au plus."]
    cleaned["comment"] = comment
    signed = cleaned["contracts_signed"]
    if signed and "contracts_value" not in errors and cleaned["contracts_value"] is None:
        errors["contracts_value"] = [
            "Indiquez le montant total des contrats signés (une estimation suffit)."
        ]
    if signed == 0 and cleaned["contracts_value"]:
        errors["contracts_value"] = ["Aucun contrat signé : laissez le montant vide ou indiquez 0."]
    if signed == 0 and cleaned["contract_countries"]:
        errors["contract_countries"] = [
            "Aucun contrat signé : n'indiquez pas de pays, ou corrigez le nombre de contrats."
        ]
    if errors:
        raise ValidationError(errors)
    if signed == 0:
        cleaned["contracts_value"] = Decimal("0.00")
    return cleaned


def answer_summary(survey: FollowUpSurvey) -> str:
    from guichet.core.money import euros

    parts = [
        f"{survey.contacts_made} contact(s)",
        f"{survey.meetings_held} rendez-vous",
        f"{survey.quotes_sent} devis",
        f"{survey.contracts_signed} contrat(s)"
        + (f" pour {euros(survey.contracts_value)}" if survey.contracts_signed else ""),
    ]
    if survey.satisfaction:
        parts.append(f"satisfaction {survey.satisfaction}/5")
    return ", ".join(parts)


def survey_answer(*, survey: FollowUpSurvey, data: dict, by=None) -> FollowUpSurvey:
    """Record the answers (the company through its link, or `by` — an advisor — after a
    call). Answering again replaces the previous answers; the step goes to the history."""
    if survey.registration.status != RegistrationStatus.ATTENDED:
        raise ValidationError(
            "Seules les entreprises présentes à l'action répondent aux enquêtes de suivi."
        )
    cleaned = survey_clean(data)
    countries = cleaned.pop("contract_countries")
    advisor = by if by is not None and getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        locked = (
            FollowUpSurvey.objects.select_for_update()
            .select_related("registration__action", "registration__company")
            .get(pk=survey.pk)
        )
        again = locked.answered_at is not None
        for field, value in cleaned.items():
            setattr(locked, field, value)
        locked.answered_at = timezone.now()
        locked.answered_by = advisor
        locked.save()
        locked.contract_countries.set(countries)
        wave = locked.get_wave_display().lower()
        verb = "mises à jour" if again else "enregistrées"
        who = (
            f" (saisies par {advisor.get_full_name() or advisor.email} après un appel)"
            if advisor
            else ""
        )
        registration_log(
            registration=locked.registration,
            title=f"Enquête de suivi {wave} : réponses {verb}",
            text=answer_summary(locked) + who,
            by=advisor,
            at=locked.answered_at,
        )
    return locked
