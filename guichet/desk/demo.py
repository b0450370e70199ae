"""Demo data of the desk: service levels, routing rules covering the whole of
Bourgogne-Franche-Comté, and ~200 needs of the last ten months in every state (idempotent:
needs are created once). E-mails of the past are recorded, not sent."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from guichet.companies.demo_companies import COMMUNES
from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.desk.calendar import add_working_days
from guichet.desk.models import (
    CompanyEmail,
    DeskPolicy,
    MatchStatus,
    Need,
    NeedEvent,
    RoutingRule,
    Subject,
    SurveyResponse,
)
from guichet.partners.models import Organisation, User
from guichet.reference.models import Departement, NafCode, Region

NEED_COUNT = 200
BFC = "27"

# (subject code, organisation slug, rank, named person e-mail, départements, NAF codes)
RULES = [
    ("clients-etranger", "cci-bfc", 1, "conseiller.cci@demo.example", [], []),
    ("clients-etranger", "business-france", 2, "", [], []),
    ("strategie-diagnostic", "cci-bfc", 1, "", [], []),
    ("strategie-diagnostic", "cce-bfc", 2, "mentor.cce@demo.example", [], []),
    ("salon-mission", "business-france", 1, "conseiller.bf@demo.example", [], []),
    ("salon-mission", "vitagora", 1, "", ["21", "71", "89", "58"], ["10", "11"]),
    ("salon-mission", "pole-vehicule-du-futur", 1, "", ["25", "90", "70", "39"], ["29", "30"]),
    ("salon-mission", "cci-bfc", 2, "", [], []),
    ("financer-prospection", "bpifrance-bfc", 1, "expert.bpi@demo.example", [], []),
    ("financer-prospection", "region-bfc", 2, "", [], []),
    ("assurance-garanties", "bpifrance-bfc", 1, "expert.bpi@demo.example", [], []),
    ("recruter-vie", "business-france", 1, "", [], []),
    ("recruter-vie", "region-bfc", 2, "", [], []),
    ("reglementation-douane", "cci-bfc", 1, "", [], []),
    ("propriete-intellectuelle", "cci-bfc", 1, "", [], []),
    ("partenaires-implantation", "business-france", 1, "", [], []),
    ("partenaires-implantation", "cce-bfc", 2, "", [], []),
    ("autre", "cci-bfc", 1, "", [], []),
]

DESCRIPTIONS = [
    "Nous souhaitons trouver des distributeurs en Allemagne et en Suisse pour notre gamme.",
    "Premier salon à l'étranger envisagé l'an prochain : par où commencer ?",
    "Un client canadien nous demande un devis : quelles formalités douanières ?",
    "Nous cherchons un financement pour une mission de prospection aux États-Unis.",
    "Recrutement d'un V.I.E. pour ouvrir le marché japonais.",
    "Protéger notre marque en Chine avant de signer avec un importateur.",
    "Faire le point sur notre stratégie export : trois pays visés, peu de ressources.",
    "Un partenaire italien propose une coentreprise : besoin d'un avis.",
    "Assurer un contrat au Maroc contre le risque d'impayé.",
    "Nos normes produits sont-elles reconnues au Royaume-Uni depuis le Brexit ?",
]
FIRST = ["Sophie", "Julien", "Camille", "Thomas", "Nathalie", "Pierre", "Élodie", "Karim"]
LAST = ["Faivre", "Girard", "Bonnet", "Jacquot", "Courvoisier", "Vuillemin", "Roux", "Mercier"]
NEW_COMPANIES = ["Atelier Vauban", "Jura Bois Design", "Distillerie du Morvan", "Nivernais Tech"]

# Outcome of each generated need and its weight.
OUTCOMES = [
    ("done", 34),
    ("done_no_help", 9),
    ("unreachable", 5),
    ("taken", 14),
    ("refused_then_done", 6),
    ("abandoned", 5),
    ("waiting", 13),
    ("duplicate", 6),
    ("spam", 3),
    ("rerouted", 5),
]


def _setup(stdout) -> dict[str, Organisation]:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    policy = DeskPolicy.current()
    if policy.fallback_organisation is None and "cci-bfc" in organisations:
        policy.fallback_organisation = organisations["cci-bfc"]
        policy.desk_phone = policy.desk_phone or "03 80 00 00 00"
        policy.desk_email = policy.desk_email or "guichet-export@demo.example"
        policy.save()
    subjects = {s.code: s for s in Subject.objects.all()}
    region = Region.objects.get(code=BFC)
    created = 0
    for code, slug, rank, person, departements, naf in RULES:
        if slug not in organisations or code not in subjects:
            continue
        rule, new = RoutingRule.objects.get_or_create(
            subject=subjects[code],
            organisation=organisations[slug],
            defaults={
                "priority": rank,
                "person": User.objects.filter(email=person).first() if person else None,
            },
        )
        if new:
            created += 1
            if departements:
                rule.departements.set(Departement.objects.filter(code__in=departements))
            else:
                rule.regions.set([region])
            if naf:
                rule.naf_codes.set(NafCode.objects.filter(code__in=naf))
    stdout.write(f"Règles d'orientation du guichet créées : {created}")
    return organisations


def _moment(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))


def _member(organisation, rng):
    members = list(organisation.members.filter(is_active=True).exclude(roles__code="readonly"))
    return rng.choice(members) if members else None


def _answer(match, status, when, rng, **extra):
    from guichet.desk.services import match_answer

    user = match.assignee or _member(match.organisation, rng)
    if user is None:
        return False
    match_answer(match=match, user=user, status=status, at=when, **extra)
    return True


def _closed_at_most(need) -> datetime | None:
    return max((m.closed_at for m in need.matches.all() if m.closed_at), default=None)


def _generate(rng: random.Random, today) -> int:
    from guichet.desk.services import need_submit

    subjects = list(Subject.objects.filter(is_active=True))
    companies = list(
        Company.objects.filter(is_active=True).exclude(headquarters_siret="").order_by("siren")[:60]
    )
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    made = 0
    previous: list[Need] = []
    for index in range(NEED_COUNT):
        outcome = rng.choice(outcomes)
        age = rng.randint(0, 12) if outcome == "waiting" else rng.randint(14, 300)
        if outcome == "abandoned":
            age = rng.randint(70, 300)
        if outcome == "rerouted":
            age = rng.randint(35, 60)  # re-routed to the fallback, which has not answered yet
        received_day = today - timedelta(days=age)
        if received_day.weekday() >= 5:
            received_day -= timedelta(days=received_day.weekday() - 4)
        received = _moment(received_day, rng)
        chosen = rng.sample(subjects, k=1 if rng.random() < 0.8 else 2)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if outcome == "duplicate" and previous:
            original = rng.choice(previous)
            data = {
                "siret": original.siret,
                "company_name": original.company_name,
                "postal_code": original.postal_code,
                "contact_first_name": original.contact_first_name,
                "contact_last_name": original.contact_last_name,
                "contact_email": original.contact_email,
            }
            chosen = list(original.subjects.all())[:1]
            received = max(received, original.submitted_at + timedelta(days=1))
        elif companies and rng.random() < 0.65:
            company = rng.choice(companies)
            head = company.establishments.filter(is_headquarters=True).first()
            data = {
                "siret": company.headquarters_siret,
                "company_name": company.name,
                "postal_code": head.postal_code if head else "21000",
                "contact_first_name": first,
                "contact_last_name": last,
                "contact_email": f"{first}.{last}.{index}@entreprise.example".lower(),
            }
        else:
            _code, _city, postal = rng.choice(COMMUNES)
            data = {
                "siret": "",
                "company_name": f"{rng.choice(NEW_COMPANIES)} {index}",
                "postal_code": postal,
                "contact_first_name": first,
                "contact_last_name": last,
                "contact_email": f"{first}.{last}.{index}@projet.example".lower(),
            }
        data.update(
            description=rng.choice(DESCRIPTIONS),
            contact_role=rng.choice(["Dirigeant", "Responsable export", "Gérante"]),
            contact_phone=f"03 80 {rng.randint(10, 99)} {rng.randint(10, 99)} {index % 90 + 10}",
        )
        for key in ("siret", "company_name", "postal_code"):
            data.setdefault(key, "")
        result = need_submit(
            data=data,
            subjects=chosen,
            channel=rng.choice(["web"] * 6 + ["api", "phone", "email", "visit"]),
            consent=True,
            is_spam=outcome == "spam",
            spam_reason="Champ piège rempli" if outcome == "spam" else "",
            at=received,
        )
        need = result.need
        made += 1
        if result.attached_to is not None or outcome == "spam":
            continue
        previous.append(need)
        _play(need, outcome, received, today, rng)
    _settle(today)
    return made


def _settle(today) -> None:
    """What the daily job would have done by today to needs still waiting: abandonment on
    the day it fell due, then re-routing and escalation as of today."""
    from guichet.desk.calendar import working_days_between
    from guichet.desk.services.reminders import _escalate, _reroute
    from guichet.desk.status import NeedStatus, with_status

    policy = DeskPolicy.current()
    for need in with_status(Need.objects.all()).filter(status=NeedStatus.WAITING):
        received = timezone.localtime(need.submitted_at).date()
        if working_days_between(received, today) >= policy.abandon_day:
            _abandon(need, add_working_days(received, policy.abandon_day))
    now = timezone.now()
    _reroute(today, policy, now)
    _escalate(today, policy, now)


def _play(need, outcome, received, today, rng) -> None:
    day0 = timezone.localtime(received).date()
    if outcome == "duplicate":  # its original was closed: a need of its own
        outcome = "done"
    matches = list(need.matches.select_related("organisation", "assignee"))
    if not matches or outcome == "waiting":
        _escalate_if_due(need, day0, today)
        return
    match = matches[0]
    answer_day = add_working_days(day0, rng.choice([1, 1, 2, 2, 3, 4, 6, 8, 11]))
    answered = _moment(min(answer_day, today), rng)
    if outcome == "abandoned":
        _abandon(need, add_working_days(day0, 45))
        return
    if outcome == "rerouted":
        from guichet.desk.services.reminders import _reroute

        _reroute(
            add_working_days(day0, 21),
            DeskPolicy.current(),
            _moment(add_working_days(day0, 21), rng),
        )
        return
    if outcome == "refused_then_done":
        _answer(
            match,
            MatchStatus.REFUSED,
            answered,
            rng,
            refusal_reason=rng.choice(
                ["out_of_scope", "out_of_territory", "already_followed", "not_eligible"]
            ),
        )
        following = (
            need.matches.filter(status=MatchStatus.PENDING)
            .select_related("organisation", "assignee")
            .first()
        )
        if following is None:
            return
        match, answered = following, answered + timedelta(days=rng.randint(1, 5))
        outcome = "done"
    if not _answer(match, MatchStatus.TAKEN, answered, rng):
        return
    if outcome == "taken":
        return
    closed = answered + timedelta(days=rng.randint(3, 40))
    if closed.date() >= today:
        return
    comment = {
        "done": "Rendez-vous tenu, plan d'action remis.",
        "done_no_help": "Besoin déjà couvert par un autre dispositif.",
        "unreachable": "Trois appels et deux courriels sans réponse.",
    }[outcome]
    _answer(match, outcome, closed, rng, comment=comment)
    if outcome in ("done", "done_no_help") and (today - closed.date()).days > 10:
        CompanyEmail.objects.get_or_create(
            need=need,
            kind=CompanyEmail.Kind.SURVEY,
            defaults={"to": need.contact_email, "sent_at": closed + timedelta(days=10)},
        )
        if rng.random() < 0.6:
            SurveyResponse.objects.create(
                need=need,
                contacted=rng.random() < 0.93,
                useful=rng.choice(["yes", "yes", "yes", "partly", "no"]),
                comment=rng.choice(["", "Conseiller très réactif.", "Réponse utile mais tardive."]),
                comment_shared=rng.random() < 0.7,
                answered_at=closed + timedelta(days=rng.randint(10, 20)),
            )


def _escalate_if_due(need, day0, today) -> None:
    from guichet.desk.calendar import working_days_between

    if working_days_between(day0, today) >= DeskPolicy.current().escalation_day:
        at = timezone.make_aware(datetime.combine(add_working_days(day0, 9), time(6, 30)))
        need.matches.filter(status=MatchStatus.PENDING).update(escalated_at=at)


def _abandon(need, day) -> None:
    from guichet.desk.services.answers import after_change
    from guichet.desk.services.common import event
    from guichet.desk.status import NeedStatus

    at = timezone.make_aware(datetime.combine(day, time(6, 30)))
    need.matches.filter(status=MatchStatus.PENDING).update(status=MatchStatus.EXPIRED, closed_at=at)
    event(need, NeedEvent.Kind.ABANDONED, text="Aucune prise en charge en 45 jours ouvrés", at=at)
    after_change(need, NeedStatus.WAITING, at=at)


def load(*, password: str, stdout) -> list:
    from guichet.desk.services.common import quiet_company_emails

    _setup(stdout)
    if Need.objects.exists():
        stdout.write("Demandes du guichet : déjà chargées")
        return []
    with acting_as(None, path="load_demo"), quiet_company_emails():
        made = _generate(random.Random(4), timezone.localdate())  # noqa: S311 (demo data)
    stdout.write(f"Demandes du guichet créées : {made}")
    return []
