"""Desk figures: intake and routing rate, the daily job over a year of needs, the inbox and
figures pages. Needs are generated once in the bench database (2,000 over twelve months,
a tenth still waiting) and reused by later runs."""

import random
import statistics
import time
from datetime import date, datetime, timedelta

from django.test import Client
from django.utils import timezone

from guichet.core.audit import acting_as
from guichet.desk.calendar import add_working_days
from guichet.desk.models import Match, MatchStatus, Need, RoutingRule, Subject
from guichet.desk.services import desk_daily_run, match_answer, need_submit
from guichet.desk.services.common import quiet_company_emails
from guichet.partners.models import Organisation, User
from guichet.partners.services import organisation_create, user_create
from guichet.reference.models import Departement

NEEDS = 2000
SLUGS = ["bench-cci", "bench-bf", "bench-bpi", "bench-region"]


def _setup() -> tuple[list[Organisation], User, User]:
    organisations = []
    for slug in SLUGS:
        organisation = Organisation.objects.filter(slug=slug).first() or organisation_create(
            name=f"Mesure {slug}", kind="other", slug=slug
        )
        organisations.append(organisation)
        email = f"advisor@{slug}.example"
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                first_name="Conseil",
                last_name=slug,
                organisation=organisation,
                roles=["advisor"],
                invite=False,
            )
    manager = User.objects.filter(email="manager@bench-region.example").first() or user_create(
        email="manager@bench-region.example",
        first_name="Pilote",
        last_name="Mesure",
        organisation=organisations[-1],
        roles=["manager"],
        invite=False,
    )
    advisor = User.objects.get(email="advisor@bench-cci.example")
    if not RoutingRule.objects.filter(organisation__slug__startswith="bench-").exists():
        departements = list(Departement.objects.all())
        for index, subject in enumerate(Subject.objects.all()):
            for rank in (1, 2):
                for departement in departements:
                    rule = RoutingRule.objects.create(
                        subject=subject,
                        organisation=organisations[(index + rank) % len(organisations)],
                        priority=rank,
                    )
                    rule.departements.add(departement)
    return organisations, advisor, manager


def _generate(today: date) -> float:
    rng = random.Random(2026)
    subjects = list(Subject.objects.all())
    departements = list(
        Departement.objects.exclude(code__startswith="97").values_list("code", flat=True)
    )
    start = time.perf_counter()
    with acting_as(None, path="bench"), quiet_company_emails():
        for index in range(NEEDS):
            received_day = today - timedelta(days=rng.randint(0, 365))
            received = timezone.make_aware(datetime.combine(received_day, datetime.min.time()))
            code = rng.choice(departements)
            postal = "20090" if code == "2A" else "20200" if code == "2B" else f"{code:0<5}"[:5]
            result = need_submit(
                data={
                    "siret": "",
                    "company_name": f"Entreprise mesure {index}",
                    "postal_code": postal,
                    "description": "Besoin généré pour la mesure.",
                    "contact_first_name": "Camille",
                    "contact_last_name": "Mesure",
                    "contact_role": "",
                    "contact_email": f"c{index}@mesure.example",
                    "contact_phone": "",
                },
                subjects=rng.sample(subjects, k=rng.choice([1, 1, 2])),
                channel="web",
                consent=True,
                at=received,
            )
            if received_day > today - timedelta(days=40):
                continue  # still waiting: food for the daily job
            for match in result.need.matches.select_related("organisation"):
                user = match.organisation.members.first()
                answered = timezone.make_aware(
                    datetime.combine(
                        add_working_days(received_day, rng.randint(1, 9)), datetime.min.time()
                    )
                )
                match_answer(match=match, user=user, status=MatchStatus.TAKEN, at=answered)
                match_answer(
                    match=match,
                    user=user,
                    status=rng.choice([MatchStatus.DONE, MatchStatus.DONE_NO_HELP]),
                    at=answered + timedelta(days=rng.randint(1, 20)),
                )
    return time.perf_counter() - start


def _pages(client: Client, url: str, runs: int = 15) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def run() -> None:
    _organisations, advisor, manager = _setup()
    today = timezone.localdate()
    existing = Need.objects.filter(contact_email__endswith="@mesure.example").count()
    if existing < NEEDS:
        elapsed = _generate(today)
        print(
            f"desk intake + routing + answers: {NEEDS} needs in {elapsed:.1f} s "
            f"({elapsed / NEEDS * 1000:.1f} ms per need, its matches and answers)",
            flush=True,
        )
    open_matches = Match.objects.filter(status=MatchStatus.PENDING).count()
    with quiet_company_emails():
        start = time.perf_counter()
        day = today
        while day.weekday() >= 5:
            day += timedelta(days=1)
        from guichet.desk.models import DigestLog

        DigestLog.objects.filter(day=day).delete()
        summary = desk_daily_run(today=day)
        elapsed = time.perf_counter() - start
    print(
        f"desk daily job over {Need.objects.count()} needs ({open_matches} pending matches): "
        f"{elapsed:.2f} s, {summary.get('digests', 0)} digests",
        flush=True,
    )
    client = Client()
    client.force_login(advisor)
    p50, p95 = _pages(client, "/guichet/")
    print(f"desk inbox page (CCI, to do): p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)
    client.force_login(manager)
    p50, p95 = _pages(client, f"/guichet/chiffres/?annee={today.year}", runs=5)
    print(f"desk figures page (year): p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)
