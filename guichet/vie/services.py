"""Writes of V.I.E. missions and student awareness sessions.

Rules (DOMAIN.md "V.I.E."): a mission lasts 6 to 24 months, counted in calendar months from its
first day (durations.py); it may be extended once, and the extension keeps it within 24 months
of its start. Its outcome (was the volunteer hired, and where) is recorded once it has ended.
A session counts the students made aware, and the candidates to the V.I.E. platform when known,
which cannot outnumber them. Every check is here, in French, so that the pages, the API and the
demo refuse the same things with the same words. A mission's steps go on the company timeline.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guichet.core.money import euros
from guichet.reference.models import Country, Departement
from guichet.vie import durations
from guichet.vie.models import (
    MAX_MONTHS,
    MIN_MONTHS,
    AwarenessSession,
    HiredWhere,
    SchoolLevel,
    VieMission,
)

FIRST_YEAR = 2000  # dates before are typing mistakes
YEARS_AHEAD = 3  # a mission is recorded at most this many years before it starts
MAX_MONTHLY_COST = Decimal("99999999.99")
MAX_STUDENTS = 10_000
# "embauché …": the place as a sentence reads it.
HIRED_WHERE_PHRASE = {
    HiredWhere.HOST_COUNTRY: "dans le pays de la mission",
    HiredWhere.FRANCE: "en France",
    HiredWhere.OTHER_COUNTRY: "dans un autre pays",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _text(errors: _Errors, field: str, value, *, label: str, limit: int, required=True) -> str:
    text = " ".join(str(value or "").split())
    if _CONTROL.search(text):
        errors.add(field, f"Le champ « {label} » contient des caractères non autorisés.")
    elif required and not text:
        errors.add(field, f"Indiquez le champ « {label} ».")
    elif len(text) > limit:
        errors.add(field, f"« {label} » fait {len(text)} caractères ; {limit} au plus.")
    return text


def _day_in_range(errors: _Errors, field: str, day, *, label: str, latest: date) -> bool:
    if day is None:
        errors.add(field, f"Indiquez la date de {label}.")
        return False
    if not isinstance(day, date) or isinstance(day, datetime):
        errors.add(field, f"La date de {label} est invalide.")
        return False
    if not date(FIRST_YEAR, 1, 1) <= day <= latest:
        errors.add(
            field,
            f"La date de {label} doit être comprise entre le 01/01/{FIRST_YEAR} et le "
            f"{_d(latest)}.",
        )
        return False
    return True


def _latest_start() -> date:
    return date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


def _money(errors: _Errors, value) -> Decimal | None:
    if value is None or value == "":
        errors.add("monthly_cost", "Indiquez le coût mensuel de la mission pour l'entreprise.")
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add("monthly_cost", "Le coût mensuel doit être un montant en euros.")
        return None
    if not amount.is_finite():
        errors.add("monthly_cost", "Le coût mensuel doit être un montant en euros.")
    elif amount < 0:
        errors.add("monthly_cost", "Le coût mensuel ne peut pas être négatif.")
    elif amount > MAX_MONTHLY_COST:
        errors.add("monthly_cost", f"Le coût mensuel dépasse {euros(MAX_MONTHLY_COST)}.")
    elif amount != amount.quantize(Decimal("0.01")):
        errors.add("monthly_cost", "Le coût mensuel s'exprime en euros et centimes.")
    else:
        return amount
    return None


def _duration_errors(errors: _Errors, starts_on: date, ends_on: date, extended_until=None):
    """Dates in order, 6 to 24 months, an extension after the planned end and within 24."""
    if ends_on <= starts_on:
        errors.add(
            "ends_on",
            f"La fin de la mission ({_d(ends_on)}) doit suivre son début ({_d(starts_on)}).",
        )
        return
    length = durations.describe(starts_on, ends_on)
    if not durations.lasts_at_least(starts_on, ends_on, MIN_MONTHS):
        errors.add(
            "ends_on",
            f"Une mission V.I.E. dure au moins {MIN_MONTHS} mois : commencée le "
            f"{_d(starts_on)}, elle finit au plus tôt le "
            f"{_d(durations.earliest_end(starts_on, MIN_MONTHS))} (ici {length}).",
        )
    elif not durations.lasts_at_most(starts_on, ends_on, MAX_MONTHS):
        errors.add(
            "ends_on",
            f"Une mission V.I.E. dure au plus {MAX_MONTHS} mois : commencée le "
            f"{_d(starts_on)}, elle finit au plus tard le "
            f"{_d(durations.latest_end(starts_on, MAX_MONTHS))} (ici {length}).",
        )
    elif extended_until is not None and extended_until <= ends_on:
        errors.add(
            "ends_on",
            f"La mission est prolongée jusqu'au {_d(extended_until)} : sa fin prévue doit "
            "précéder cette date.",
        )
    elif extended_until is not None and not durations.lasts_at_most(
        starts_on, extended_until, MAX_MONTHS
    ):
        errors.add(
            "starts_on",
            f"Prolongée jusqu'au {_d(extended_until)}, la mission dépasserait {MAX_MONTHS} mois "
            f"avec ce début ({durations.describe(starts_on, extended_until)}).",
        )


def _mission_fields(*, company, fields: dict, extended_until=None) -> dict:
    errors = _Errors()
    clean = {
        "job_title": _text(
            errors, "job_title", fields.get("job_title"), label="Intitulé de la mission", limit=200
        ),
        "city": _text(errors, "city", fields.get("city"), label="Ville", limit=120),
    }
    country = fields.get("country")
    if not isinstance(country, Country):
        errors.add("country", "Choisissez le pays de la mission.")
    clean["country"] = country
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    latest = _latest_start()
    start_ok = _day_in_range(errors, "starts_on", starts_on, label="début", latest=latest)
    end_ok = _day_in_range(
        errors, "ends_on", ends_on, label="fin prévue", latest=durations.add_months(latest, 24)
    )
    if start_ok and end_ok:
        _duration_errors(errors, starts_on, ends_on, extended_until)
    clean["starts_on"], clean["ends_on"] = starts_on, ends_on
    clean["monthly_cost"] = _money(errors, fields.get("monthly_cost"))
    application = fields.get("aid_application")
    if application is not None and application.company_id != company.pk:
        errors.add(
            "aid_application",
            f"Le dossier d'aide {application.reference} concerne une autre entreprise "
            f"(SIREN {application.company.siren}) : liez une aide de {company.name}.",
        )
    clean["aid_application"] = application
    errors.raise_if_any()
    return clean


def _moment(at: datetime | None) -> datetime:
    return at or timezone.now()


def _timeline(mission: VieMission, *, title: str, text: str, at: datetime | None, by) -> None:
    from guichet.journeys.services import timeline_event_record

    timeline_event_record(
        company=mission.company,
        kind="aid",
        title=title[:200],
        text=text,
        occurred_at=_moment(at),
        author=by,
        organisation=mission.organisation,
        source="vie.mission",
        source_id=mission.pk,
        link=reverse("vie:mission_detail", args=[mission.pk]),
    )


def mission_summary(mission: VieMission) -> str:
    end = mission.extended_until or mission.ends_on
    return (
        f"Du {_d(mission.starts_on)} au {_d(end)} "
        f"({durations.describe(mission.starts_on, end)}), coût mensuel "
        f"{euros(mission.monthly_cost)}, suivie par {mission.organisation.name}."
    )


# --- missions ------------------------------------------------------------------------------


@transaction.atomic
def vie_mission_create(
    *,
    company,
    job_title: str,
    country,
    city: str,
    starts_on: date,
    ends_on: date,
    monthly_cost: Decimal,
    organisation,
    aid_application=None,
    by=None,
    at: datetime | None = None,
) -> VieMission:
    """Record a mission for `organisation` (which then follows and edits it). `at`: when the
    step is dated on the company timeline (now by default)."""
    fields = locals().copy()
    clean = _mission_fields(company=company, fields=fields)
    mission = VieMission.objects.create(
        company=company, organisation=organisation, created_by=by, **clean
    )
    _timeline(
        mission,
        title=f"Mission V.I.E. : {mission.job_title} à {mission.city} ({mission.country.name_fr})",
        text=mission_summary(mission),
        at=at,
        by=by,
    )
    return mission


@transaction.atomic
def vie_mission_update(
    *,
    mission: VieMission,
    job_title: str,
    country,
    city: str,
    starts_on: date,
    ends_on: date,
    monthly_cost: Decimal,
    aid_application=None,
    by=None,
) -> VieMission:
    """Correct a mission; its host company does not change (record another mission)."""
    fields = locals().copy()
    mission = VieMission.objects.select_for_update().get(pk=mission.pk)
    clean = _mission_fields(
        company=mission.company, fields=fields, extended_until=mission.extended_until
    )
    if mission.hired is not None and clean["starts_on"] and clean["ends_on"]:
        end = mission.extended_until or clean["ends_on"]
        if end >= timezone.localdate():
            raise ValidationError(
                {
                    "ends_on": "L'issue de la mission est enregistrée : sa fin ne peut pas "
                    "être reportée au-delà d'aujourd'hui."
                }
            )
    for name, value in clean.items():
        setattr(mission, name, value)
    mission.save()
    return mission


@transaction.atomic
def vie_mission_extend(
    *, mission: VieMission, until: date, by=None, at: datetime | None = None
) -> VieMission:
    """The one extension of a mission: it ends after the planned end and keeps the whole
    mission within 24 months of its start."""
    mission = VieMission.objects.select_for_update().select_related("country").get(pk=mission.pk)
    errors = _Errors()
    if mission.extended_until is not None:
        errors.add(
            NON_FIELD_ERRORS,
            f"Cette mission est déjà prolongée jusqu'au {_d(mission.extended_until)} : "
            "une seule prolongation est possible.",
        )
    elif mission.hired is not None:
        errors.add(
            NON_FIELD_ERRORS,
            "L'issue de cette mission est enregistrée : elle ne peut plus être prolongée.",
        )
    elif _day_in_range(
        errors,
        "until",
        until,
        label="fin de la prolongation",
        latest=durations.add_months(_latest_start(), 24),
    ):
        if until <= mission.ends_on:
            errors.add(
                "until",
                f"La prolongation doit finir après la fin prévue de la mission "
                f"({_d(mission.ends_on)}).",
            )
        elif not durations.lasts_at_most(mission.starts_on, until, MAX_MONTHS):
            errors.add(
                "until",
                f"Prolongation comprise, une mission V.I.E. dure au plus {MAX_MONTHS} mois : "
                f"commencée le {_d(mission.starts_on)}, elle finit au plus tard le "
                f"{_d(durations.latest_end(mission.starts_on, MAX_MONTHS))} "
                f"(ici {durations.describe(mission.starts_on, until)}).",
            )
    errors.raise_if_any()
    mission.extended_until = until
    mission.save(update_fields=["extended_until", "updated_at"])
    _timeline(
        mission,
        title=f"Mission V.I.E. prolongée jusqu'au {_d(until)} : {mission.job_title}",
        text=mission_summary(mission),
        at=at,
        by=by,
    )
    return mission


def effective_end(mission: VieMission) -> date:
    return mission.extended_until or mission.ends_on


@transaction.atomic
def vie_mission_outcome(
    *,
    mission: VieMission,
    hired: bool,
    hired_where: str = "",
    note: str = "",
    by=None,
    at: datetime | None = None,
) -> VieMission:
    """What became of the volunteer: recorded once the mission has ended (from the day after
    its planned or extended end), and corrected the same way."""
    mission = VieMission.objects.select_for_update().select_related("country").get(pk=mission.pk)
    today = timezone.localtime(at).date() if at else timezone.localdate()
    errors = _Errors()
    end = effective_end(mission)
    if end >= today:
        errors.add(
            NON_FIELD_ERRORS,
            f"La mission se termine le {_d(end)} : son issue s'enregistre à partir du lendemain.",
        )
    if not isinstance(hired, bool):
        errors.add("hired", "Indiquez si le volontaire a été embauché à l'issue de la mission.")
    elif hired and hired_where not in HiredWhere.values:
        errors.add("hired_where", "Indiquez où le volontaire a été embauché.")
    note = _text(errors, "note", note, label="Commentaire", limit=300, required=False)
    errors.raise_if_any()
    mission.hired = hired
    mission.hired_where = hired_where if hired else ""
    mission.outcome_note = note
    mission.save(update_fields=["hired", "hired_where", "outcome_note", "updated_at"])
    if hired:
        title = f"Fin de la mission V.I.E. : volontaire embauché {HIRED_WHERE_PHRASE[hired_where]}"
    else:
        title = "Fin de la mission V.I.E. : volontaire non embauché par l'entreprise"
    _timeline(mission, title=title, text=note or mission_summary(mission), at=at, by=by)
    return mission


# --- awareness sessions --------------------------------------------------------------------


def _count(errors: _Errors, field: str, value, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            errors.add(field, "Indiquez le nombre d'étudiants présents.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, "Indiquez un nombre entier.")
        return None
    return value


def _session_fields(fields: dict) -> dict:
    errors = _Errors()
    clean = {
        "school": _text(errors, "school", fields.get("school"), label="Établissement", limit=200),
        "speakers": _text(
            errors,
            "speakers",
            fields.get("speakers"),
            label="Intervenants",
            limit=300,
            required=False,
        ),
    }
    level = fields.get("level")
    if level not in SchoolLevel.values:
        errors.add("level", "Choisissez le niveau des étudiants.")
    clean["level"] = level
    held_on = fields.get("held_on")
    today = timezone.localdate()
    if isinstance(held_on, date) and not isinstance(held_on, datetime) and held_on > today:
        errors.add(
            "held_on",
            f"La session doit avoir eu lieu (au plus tard aujourd'hui, {_d(today)}) : "
            "enregistrez-la une fois tenue, avec le nombre d'étudiants présents.",
        )
    else:
        _day_in_range(errors, "held_on", held_on, label="la session", latest=today)
    clean["held_on"] = held_on
    departement = fields.get("departement")
    if departement is not None and not isinstance(departement, Departement):
        errors.add("departement", "Département inconnu.")
    clean["departement"] = departement
    students = _count(errors, "students", fields.get("students"), required=True)
    if students is not None and students <= 0:
        errors.add("students", "Une session réunit au moins un étudiant.")
    elif students is not None and students > MAX_STUDENTS:
        errors.add(
            "students",
            f"Une session réunit au plus {MAX_STUDENTS:,} étudiants : ".replace(",", "\u202f")
            + "enregistrez plusieurs sessions.",
        )
    candidates = _count(errors, "vie_candidates", fields.get("vie_candidates"), required=False)
    if candidates is not None and candidates < 0:
        errors.add("vie_candidates", "Le nombre de candidats ne peut pas être négatif.")
    elif candidates is not None and students and 0 < students < candidates:
        errors.add(
            "vie_candidates",
            f"Les candidats au V.I.E. ({candidates}) ne peuvent pas être plus nombreux que "
            f"les étudiants présents ({students}).",
        )
    clean["students"], clean["vie_candidates"] = students, candidates
    errors.raise_if_any()
    return clean


@transaction.atomic
def awareness_session_create(
    *,
    school: str,
    level: str,
    held_on: date,
    students: int,
    organisation,
    departement=None,
    speakers: str = "",
    vie_candidates: int | None = None,
    by=None,
) -> AwarenessSession:
    clean = _session_fields(locals().copy())
    return AwarenessSession.objects.create(organisation=organisation, created_by=by, **clean)


@transaction.atomic
def awareness_session_update(
    *,
    session: AwarenessSession,
    school: str,
    level: str,
    held_on: date,
    students: int,
    departement=None,
    speakers: str = "",
    vie_candidates: int | None = None,
    by=None,
) -> AwarenessSession:
    clean = _session_fields(locals().copy())
    session = AwarenessSession.objects.select_for_update().get(pk=session.pk)
    for name, value in clean.items():
        setattr(session, name, value)
    session.save()
    return session
