"""Demo V.I.E. missions and student awareness sessions (idempotent: created once,
deterministically, through the services, as partners would record them).

About 60 missions started from 2022 to a few weeks from now, in the countries where regional
companies send most volunteers (Germany, the United States, Italy, Spain, the United Kingdom,
China, Singapore, Canada first), lasting 12 to 24 months, some extended, with an outcome for
most of those that ended (about 60 % hired) and monthly costs of 2,500 to 4,500 €. Missions of
companies whose V.I.E. support was granted are linked to that aid. About 20 awareness sessions
in lycées, BTS classes, business and engineering schools of Bourgogne-Franche-Comté.

`load_vie_demo` does the work (the aids demo may call it with its own companies and random
generator); `load` is what `manage.py load_demo` calls and skips what already exists.
"""

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.partners.models import Organisation, User
from guichet.reference.models import Country, Departement
from guichet.vie import durations, permissions, services
from guichet.vie.models import MAX_MONTHS, AwarenessSession, HiredWhere, VieMission

DEMO_SIREN_FROM = "990000000"
SEED = 7
MISSIONS = 60
SESSIONS = 20
FIRST_YEAR = 2022
# (ISO code, weight, cities)
COUNTRIES = [
    ("DE", 14, ["Munich", "Düsseldorf", "Hambourg", "Francfort", "Stuttgart"]),
    ("US", 10, ["Chicago", "New York", "Atlanta", "Houston", "San Francisco"]),
    ("IT", 7, ["Milan", "Padoue", "Turin", "Bologne"]),
    ("ES", 6, ["Madrid", "Barcelone", "Valence"]),
    ("GB", 6, ["Londres", "Manchester", "Birmingham"]),
    ("CN", 4, ["Shanghai", "Shenzhen", "Pékin"]),
    ("SG", 4, ["Singapour"]),
    ("CA", 4, ["Montréal", "Toronto", "Québec"]),
    ("BE", 2, ["Bruxelles", "Anvers"]),
    ("CH", 2, ["Zurich", "Genève"]),
    ("JP", 1, ["Tokyo"]),
    ("AE", 1, ["Dubaï"]),
    ("MX", 1, ["Mexico"]),
]
JOBS = [
    "Développeur commercial",
    "Chargée d'affaires export",
    "Ingénieur technico-commercial",
    "Cheffe de projet marketing international",
    "Responsable de zone",
    "Business developer",
    "Ingénieure d'application",
    "Acheteur international",
    "Chargé de développement distributeurs",
]
MONTHS = [12, 12, 12, 12, 15, 18, 18, 18, 24, 24]
# Who records missions: Business France manages V.I.E., the CCI and the Région follow some.
RECORDERS = [("business-france", 5), ("cci-bfc", 3), ("region-bfc", 2)]
HIRED_SHARE = 0.6
OUTCOME_KNOWN_SHARE = 0.85
EXTENDED_SHARE = 0.25
PLACES = [(HiredWhere.HOST_COUNTRY, 5), (HiredWhere.FRANCE, 3), (HiredWhere.OTHER_COUNTRY, 1)]
NOTES = {
    HiredWhere.HOST_COUNTRY: ["Recruté pour ouvrir la filiale.", "Responsable de la zone."],
    HiredWhere.FRANCE: ["Rejoint le service export au siège.", "Responsable export Europe."],
    HiredWhere.OTHER_COUNTRY: ["Part développer un pays voisin.", ""],
}
NOT_HIRED_NOTES = ["Poursuit ses études.", "Rejoint un autre groupe.", ""]
# (school, city, département, level)
SCHOOLS = [
    ("Lycée Carnot", "Dijon", "21", "lycee"),
    ("BTS Commerce international, lycée Le Castel", "Dijon", "21", "bts"),
    ("BSB — Burgundy School of Business", "Dijon", "21", "business"),
    ("L'Institut Agro Dijon", "Dijon", "21", "engineering"),
    ("Licence LEA, université de Bourgogne", "Dijon", "21", "licence"),
    ("BTS Commerce international, lycée Jules Haag", "Besançon", "25", "bts"),
    ("IAE de Besançon", "Besançon", "25", "master"),
    ("ENSMM", "Besançon", "25", "engineering"),
    ("Lycée Pasteur Mont-Roland", "Dole", "39", "bts"),
    ("ISAT", "Nevers", "58", "engineering"),
    ("Lycée Raoul Follereau", "Nevers", "58", "lycee"),
    ("Lycée Édouard Belin", "Vesoul", "70", "bts"),
    ("Lycée Niépce-Balleure", "Chalon-sur-Saône", "71", "bts"),
    ("IUT de Chalon-sur-Saône", "Chalon-sur-Saône", "71", "bts"),
    ("Lycée Jacques Amyot", "Auxerre", "89", "lycee"),
    ("UTBM", "Belfort", "90", "engineering"),
    ("ESTA School of Business and Engineering", "Belfort", "90", "business"),
    ("Lycée Condorcet", "Belfort", "90", "lycee"),
]
SPEAKERS = [
    "CCE",
    "CCE et conseiller CCI",
    "Conseillère Business France et ancien V.I.E.",
    "Conseiller export de la Région",
    "CCE, Team France Export",
]
SESSION_RECORDERS = [("cce-bfc", 4), ("cci-bfc", 2), ("business-france", 2), ("region-bfc", 1)]
GRANTED = ["approved", "signed", "paying", "paid", "closed"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(hour=rng.randint(9, 17), minute=rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(datetime.combine(day, moment))


def _recorder(organisation: Organisation) -> User | None:
    """A member of the organisation who may record (None: recorded without an author)."""
    for user in User.objects.filter(organisation=organisation, is_active=True).order_by("pk"):
        if permissions.can_record_vie(user):
            return user
    return None


def _start(rng: random.Random, today: date) -> date:
    first = date(FIRST_YEAR, 1, 1)
    last = today + timedelta(days=60)  # a few missions are about to start
    day = first + timedelta(days=rng.randrange((last - first).days))
    return day.replace(day=1 if day.day < 15 else 15)


def _aid_applications(companies: Sequence[Company]) -> list:
    """Granted V.I.E. support of the demo companies, oldest first."""
    from guichet.aids.models import Application

    return list(
        Application.objects.filter(
            company__in=companies, scheme__slug="soutien-vie", status__in=GRANTED
        )
        .select_related("company")
        .order_by("pk")
    )


def _plan(companies, rng, today) -> list[tuple]:
    """(company, start, aid application or None) for each mission: first the companies
    granted a V.I.E. support (the mission starts with the aid's programme), then others,
    some hosting two or three volunteers over the years."""
    plan = []
    for application in _aid_applications(companies)[: MISSIONS // 4]:
        start = application.project_start or _start(rng, today)
        plan.append((application.company, start.replace(day=1), application))
    hosts = rng.sample(list(companies), k=min(len(companies), 35))
    while len(plan) < MISSIONS:
        plan.append((rng.choice(hosts), _start(rng, today), None))
    return plan


def _mission(ctx: dict, company, start: date, application) -> VieMission | None:
    rng, today = ctx["rng"], ctx["today"]
    code = _weighted(rng, [(c, w) for c, w, _cities in COUNTRIES])
    cities = next(cities for c, _w, cities in COUNTRIES if c == code)
    organisation = ctx["organisations"][_weighted(rng, ctx["recorders"])]
    by = ctx["users"].get(organisation.pk)
    months = rng.choice(MONTHS)
    recorded = _at(min(start - timedelta(days=rng.randint(10, 40)), today), rng)
    try:
        mission = services.vie_mission_create(
            company=company,
            job_title=rng.choice(JOBS),
            country=ctx["countries"][code],
            city=rng.choice(cities),
            starts_on=start,
            ends_on=durations.earliest_end(start, months),
            monthly_cost=Decimal(rng.randrange(2500, 4501, 10)),
            organisation=organisation,
            aid_application=application,
            by=by,
            at=recorded,
        )
    except ValidationError:
        return None  # a start too far from today for the rules: skip it
    VieMission.objects.filter(pk=mission.pk).update(created_at=recorded)
    return mission


def _extend(ctx: dict, mission: VieMission) -> None:
    rng, today = ctx["rng"], ctx["today"]
    latest = durations.latest_end(mission.starts_on, MAX_MONTHS)
    decided = mission.ends_on - timedelta(days=rng.randint(20, 60))
    if latest <= mission.ends_on or decided > today or rng.random() > EXTENDED_SHARE:
        return
    planned = durations.duration(mission.starts_on, mission.ends_on)[0]
    months = min(planned + rng.choice([6, 6, 12]), MAX_MONTHS)
    until = durations.earliest_end(mission.starts_on, months)
    if until <= mission.ends_on:
        return
    services.vie_mission_extend(
        mission=mission, until=until, by=mission.created_by, at=_at(decided, ctx["rng"])
    )
    mission.refresh_from_db()


def _outcome(ctx: dict, mission: VieMission) -> None:
    rng, today = ctx["rng"], ctx["today"]
    known_on = (mission.extended_until or mission.ends_on) + timedelta(days=rng.randint(3, 45))
    if known_on > today or rng.random() > OUTCOME_KNOWN_SHARE:
        return
    hired = rng.random() < HIRED_SHARE
    where = _weighted(rng, PLACES) if hired else ""
    note = rng.choice(NOTES[where]) if hired else rng.choice(NOT_HIRED_NOTES)
    services.vie_mission_outcome(
        mission=mission,
        hired=hired,
        hired_where=where,
        note=note,
        by=mission.created_by,
        at=_at(known_on, rng),
    )


def _sessions(ctx: dict) -> int:
    rng, today = ctx["rng"], ctx["today"]
    departements = {
        d.code: d
        for d in Departement.objects.filter(
            code__in=["21", "25", "39", "58", "70", "71", "89", "90"]
        )
    }
    made = 0
    for index in range(SESSIONS):
        school, city, code, level = SCHOOLS[index % len(SCHOOLS)]
        first = date(FIRST_YEAR, 9, 1)
        held_on = first + timedelta(days=rng.randrange(max((today - first).days, 1)))
        if held_on.month in (7, 8):  # no classes in summer
            held_on = held_on.replace(month=rng.choice([3, 5, 10, 11]), day=min(held_on.day, 28))
        held_on = min(held_on, today)
        students = rng.randint(20, 150)
        known = rng.random() < 0.6
        organisation = ctx["organisations"][_weighted(rng, ctx["session_recorders"])]
        session = services.awareness_session_create(
            school=f"{school}, {city}",
            level=level,
            held_on=held_on,
            departement=departements.get(code),
            speakers=rng.choice(SPEAKERS),
            students=students,
            vie_candidates=round(students * rng.uniform(0, 0.1)) if known else None,
            organisation=organisation,
            by=ctx["users"].get(organisation.pk),
        )
        recorded = _at(min(held_on + timedelta(days=rng.randint(1, 10)), today), rng)
        AwarenessSession.objects.filter(pk=session.pk).update(created_at=recorded)
        made += 1
    return made


def load_vie_demo(
    *,
    companies: Sequence[Company],
    organisations: Sequence[Organisation],
    today: date,
    rng: random.Random,
) -> tuple[int, int]:
    """Create the demo missions (on `companies`) and sessions, recorded by `organisations`
    (the demo partners: Business France, the CCI, the Région and the CCE section are used when
    present, else any of them). Returns (missions, sessions) created. Call it inside
    acting_as(...) like the other demo loaders."""
    organisations = list(organisations)
    if not companies or not organisations:
        return 0, 0
    by_slug = {o.slug: o for o in organisations}

    def weights(pairs):
        known = [(by_slug[slug].pk, w) for slug, w in pairs if slug in by_slug]
        return known or [(o.pk, 1) for o in organisations]

    ctx = {
        "rng": rng,
        "today": today,
        "organisations": {o.pk: o for o in organisations},
        "users": {o.pk: _recorder(o) for o in organisations},
        "recorders": weights(RECORDERS),
        "session_recorders": weights(SESSION_RECORDERS),
        "countries": Country.objects.in_bulk([c for c, _w, _cities in COUNTRIES]),
    }
    missions = 0
    for company, start, application in _plan(companies, rng, today):
        mission = _mission(ctx, company, start, application)
        if mission is None:
            continue
        missions += 1
        _extend(ctx, mission)
        _outcome(ctx, mission)
    return missions, _sessions(ctx)


def load(*, password: str, stdout) -> list:
    companies = list(Company.objects.filter(siren__gte=DEMO_SIREN_FROM).order_by("siren"))
    organisations = list(Organisation.objects.filter(is_active=True).order_by("slug"))
    if not companies or not organisations:
        stdout.write("V.I.E. : ni entreprises ni partenaires de démonstration")
        return []
    if (
        VieMission.objects.filter(company__in=companies).exists()
        or AwarenessSession.objects.exists()
    ):
        stdout.write("V.I.E. et sensibilisation : déjà chargés")
        return []
    with acting_as(None, path="load_demo"):
        missions, sessions = load_vie_demo(
            companies=companies,
            organisations=organisations,
            today=timezone.localdate(),
            rng=random.Random(SEED),  # noqa: S311 (demo data)
        )
    stdout.write(f"V.I.E. : {missions} missions, {sessions} sessions de sensibilisation")
    return []
