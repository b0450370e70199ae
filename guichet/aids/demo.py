"""Demo individual aids: the Région's schemes (guichet.aids.demo_schemes), their yearly
envelopes since 2023, quarterly committee sessions, ~150 applications in every state with
their history and company timeline, ledger lines for every aid granted, and a few companies
close to the de minimis ceiling (aid declared elsewhere). Idempotent: created once,
deterministically. Decision letters are produced on first download."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.aids.demo_schemes import SCHEMES
from guichet.aids.eligibility import checks_for
from guichet.aids.models import (
    AidScheme,
    Application,
    ApplicationEvent,
    BudgetEnvelope,
    CommitteeSession,
    CostCategory,
    MissingItem,
    Payment,
    PlannedExpense,
    RequiredDocument,
)
from guichet.aids.models import ApplicationStatus as S
from guichet.companies.models import Company
from guichet.core.audit import acting_as
from guichet.partners.models import Organisation, User
from guichet.reference.models import Country
from guichet.stateaid.models import GrantSource
from guichet.stateaid.services import state_aid_grant_record

DEMO_SIREN_FROM = "990000000"
SEED = 6
FIRST_YEAR = 2023
# How many applications end in each state (150 in all).
TARGETS = {
    S.DRAFT: 10,
    S.SUBMITTED: 12,
    S.INCOMPLETE: 10,
    S.INSTRUCTION: 12,
    S.COMMITTEE: 10,
    S.APPROVED: 8,
    S.REJECTED: 14,
    S.WITHDRAWN: 8,
    S.SIGNED: 10,
    S.PAYING: 20,
    S.PAID: 16,
    S.CLOSED: 20,
}
# The path to each state (withdrawn and rejected branch off it).
PATH = [
    S.DRAFT,
    S.SUBMITTED,
    S.INSTRUCTION,
    S.COMMITTEE,
    S.APPROVED,
    S.SIGNED,
    S.PAYING,
    S.PAID,
    S.CLOSED,
]
NEAR_CEILING = (Decimal("286000"), Decimal("294500"), Decimal("278000"))
TITLES = {
    "recrutement-cadre-export": [
        "Recrutement d'une responsable export",
        "Recrutement d'un assistant export",
    ],
    "soutien-vie": [
        "V.I.E. à Padoue",
        "V.I.E. à Munich",
        "V.I.E. à Montréal",
        "V.I.E. à Singapour",
    ],
    "programme-prospection": [
        "Prospection Allemagne et Benelux",
        "Conquête du marché nord-américain",
    ],
    "innov-export": [
        "Lancement de notre capteur breveté au Japon",
        "Brevets et prospection en Corée",
    ],
    "diagnostic-export": ["Diagnostic export"],
    "premier-plan-action": [
        "Premières actions du plan export",
        "Traduction du site et premier salon",
    ],
    "conseil-pme-rgec": ["Étude réglementaire pour les États-Unis", "Stratégie export accompagnée"],
}
CONTACTS = ["Claire Martin", "Thomas Bernard", "Sophie Petit", "Julien Moreau", "Nadia Haddad"]
MISSING = [
    "Extrait Kbis de moins de trois mois",
    "Devis signé du prestataire",
    "RIB de l'entreprise",
]
REJECTIONS = [
    "Dépenses déjà engagées avant le dépôt de la demande.",
    "Le programme ne comporte pas de dépenses éligibles suffisantes.",
    "L'entreprise a déjà bénéficié du nombre maximal d'aides de ce dispositif.",
]


@dataclass
class Ctx:
    today: date
    rng: random.Random
    region: Organisation
    instructor: User | None
    advisors: list[User]
    sessions: list[CommitteeSession] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    pdf: bytes = b""


def _at(day: date, rng) -> datetime:
    moment = time(hour=rng.randint(8, 17), minute=rng.choice([0, 10, 20, 30, 40, 50]))
    return timezone.make_aware(datetime.combine(day, moment))


def _step(app: Application, ctx: Ctx, *, to: str, day: date, title: str, text: str = "", by=None):
    """One step of the file, dated in the past: history and company timeline."""
    from guichet.journeys.services import timeline_event_record

    at = _at(day, ctx.rng)
    ApplicationEvent.objects.create(
        application=app,
        at=at,
        from_status=app.status if to else "",
        to_status=to or "",
        title=title,
        text=text,
        by=by,
        by_company=by is None,
    )
    timeline_event_record(
        company=app.company,
        kind="aid",
        title=f"{app.scheme.name} — {title}"[:200],
        text=text,
        occurred_at=at,
        author=by,
        organisation=app.organisation,
        source="aids.application",
        source_id=app.pk,
        link=f"/aides/dossiers/{app.reference}/",
    )
    if to:
        app.status = to


def _schemes(region: Organisation) -> list[AidScheme]:
    schemes = []
    for slug, (name, purpose, fields, categories, documents, envelope) in SCHEMES.items():
        scheme, created = AidScheme.objects.get_or_create(
            slug=slug, defaults={"name": name, "purpose": purpose, "provider": region, **fields}
        )
        if created:
            for order, (code, label) in enumerate(categories, start=1):
                CostCategory.objects.create(scheme=scheme, code=code, label=label, order=order)
            for order, (code, label) in enumerate(documents, start=1):
                RequiredDocument.objects.create(scheme=scheme, code=code, label=label, order=order)
            for year in range(FIRST_YEAR, timezone.localdate().year + 1):
                BudgetEnvelope.objects.create(scheme=scheme, year=year, amount=envelope)
        schemes.append(scheme)
    return schemes


def _sessions(ctx: Ctx) -> None:
    """Quarterly sittings since 2023 (held), and the next one (planned)."""
    day = date(FIRST_YEAR, 3, 15)
    while day <= ctx.today:
        ctx.sessions.append(
            CommitteeSession.objects.create(
                title=f"Commission permanente du {day:%d/%m/%Y}",
                held_on=day,
                place="Hôtel de Région, Dijon",
                status=CommitteeSession.Status.HELD,
                organisation=ctx.region,
                created_by=ctx.instructor,
            )
        )
        month = day.month + 3
        day = date(day.year + (month > 12), (month - 1) % 12 + 1, 15)
    ctx.sessions.append(
        CommitteeSession.objects.create(
            title=f"Commission permanente du {day:%d/%m/%Y}",
            held_on=day,
            place="Hôtel de Région, Besançon",
            organisation=ctx.region,
            created_by=ctx.instructor,
        )
    )


def _session_after(ctx: Ctx, day: date) -> CommitteeSession:
    return next((s for s in ctx.sessions if s.held_on >= day), ctx.sessions[-1])


def _demo_pdf() -> bytes:
    """One small PDF standing for every document of the demo files."""
    from weasyprint import HTML

    html = (
        "<html><body style='font-family: DejaVu Sans'><h1>Pièce justificative</h1>"
        "<p>Document de démonstration, sans valeur.</p></body></html>"
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"No external resource in the demo PDF: {url}")


def _documents(ctx: Ctx, app: Application, advisor) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.aids.services.documents import application_document_add

    for document in app.scheme.required_documents.all():
        application_document_add(
            application=app,
            upload=SimpleUploadedFile(f"{document.code}.pdf", ctx.pdf, "application/pdf"),
            label=document.label,
            required=document,
            by=advisor,
            by_company=advisor is None,
        )


def _expenses(app: Application, scheme: AidScheme, rng) -> Decimal:
    total = Decimal("0")
    minimum = scheme.min_eligible_costs or Decimal("3000")
    for category in scheme.cost_categories.all():
        amount = Decimal(rng.randrange(int(minimum) // 2, int(minimum) * 2, 100))
        PlannedExpense.objects.create(
            application=app, category=category, description=category.label, amount=amount
        )
        total += amount
    if scheme.rate == 1:  # a free service: its market value
        PlannedExpense.objects.filter(application=app).update(amount=scheme.ceiling_per_aid)
        total = scheme.ceiling_per_aid * scheme.cost_categories.count()
    return total


def _amount(scheme: AidScheme, costs: Decimal, extension: bool) -> Decimal:
    rate = scheme.extension_rate if extension and scheme.extension_rate else scheme.rate
    amount = (rate * costs).quantize(Decimal("1"), rounding=ROUND_DOWN)
    return min(amount, scheme.ceiling_per_aid) if scheme.ceiling_per_aid else amount


def _file(ctx: Ctx, scheme: AidScheme, company: Company, final: str, created: date) -> None:
    rng = ctx.rng
    by_advisor = rng.random() < 0.45
    advisor = rng.choice(ctx.advisors) if by_advisor and ctx.advisors else None
    extension = scheme.extension_rate is not None and rng.random() < 0.2
    app = Application.objects.create(
        scheme=scheme,
        company=company,
        title=rng.choice(TITLES[scheme.slug]),
        description="Projet présenté par l'entreprise pour son développement à l'international.",
        is_extension=extension,
        project_start=created + timedelta(days=30),
        project_end=created + timedelta(days=30 + 30 * min(scheme.max_duration_months or 12, 18)),
        hired_on=created - timedelta(days=40) if scheme.max_months_since_hiring else None,
        export_share=Decimal(rng.randint(0, 19)) if scheme.max_export_share else None,
        contact_name=rng.choice(CONTACTS),
        contact_email=f"contact+{company.siren}@example.fr",
        declared_no_other_aid=True,
        filed_by="advisor" if advisor else "company",
        organisation=advisor.organisation if advisor else ctx.region,
        created_by=advisor,
    )
    costs = _expenses(app, scheme, rng)
    if final != S.DRAFT or rng.random() < 0.5:
        _documents(ctx, app, advisor)
    amount = _amount(scheme, costs, extension)
    app.requested_amount = amount
    Application.objects.filter(pk=app.pk).update(
        created_at=_at(created, rng), requested_amount=amount
    )
    if final == S.DRAFT:
        return _save(app)
    day = created + timedelta(days=rng.randint(1, 10))
    app.submitted_at = _at(day, rng)
    _step(app, ctx, to=S.SUBMITTED, day=day, title="Demande déposée", by=advisor)
    if final == S.INCOMPLETE or (final not in (S.SUBMITTED, S.WITHDRAWN) and rng.random() < 0.3):
        day += timedelta(days=rng.randint(3, 12))
        item = rng.choice(MISSING)
        _step(
            app,
            ctx,
            to=S.INCOMPLETE,
            day=day,
            title="Dossier incomplet",
            text=item,
            by=ctx.instructor,
        )
        missing = MissingItem.objects.create(
            application=app, label=item, requested_by=ctx.instructor
        )
        if final == S.INCOMPLETE:
            return _save(app)
        day += timedelta(days=rng.randint(2, 15))
        MissingItem.objects.filter(pk=missing.pk).update(resolved_at=_at(day, rng))
        _step(app, ctx, to=S.SUBMITTED, day=day, title="Dossier complété par l'entreprise")
    if final == S.SUBMITTED:
        return _save(app)
    if final == S.WITHDRAWN and rng.random() < 0.5:
        app.withdrawn_reason = "L'entreprise a reporté son projet."
        _step(
            app,
            ctx,
            to=S.WITHDRAWN,
            day=day + timedelta(days=5),
            title="Demande retirée",
            text=app.withdrawn_reason,
            by=advisor,
        )
        return _save(app)
    day += timedelta(days=rng.randint(3, 10))
    app.instructor = ctx.instructor
    _step(app, ctx, to=S.INSTRUCTION, day=day, title="Instruction commencée", by=ctx.instructor)
    if final in (S.INSTRUCTION, S.WITHDRAWN):
        if final == S.WITHDRAWN:
            app.withdrawn_reason = "Le recrutement prévu n'a pas eu lieu."
            _step(
                app,
                ctx,
                to=S.WITHDRAWN,
                day=day + timedelta(days=9),
                title="Demande retirée",
                text=app.withdrawn_reason,
                by=advisor,
            )
        return _save(app)
    day += timedelta(days=rng.randint(7, 25))
    unfavourable = final == S.REJECTED and rng.random() < 0.6
    app.eligible_costs = costs
    app.eligible_amount = amount
    app.proposed_amount = Decimal("0") if unfavourable else amount
    app.opinion = (
        "unfavourable" if unfavourable else rng.choice(["favourable", "favourable", "reserved"])
    )
    app.opinion_text = (
        rng.choice(REJECTIONS) if unfavourable else "Projet cohérent avec le diagnostic export."
    )
    app.instructed_at = _at(day, rng)
    app.checks = [check.as_dict() for check in checks_for(app, today=day)]
    session = _session_after(ctx, day + timedelta(days=7))
    if final != S.COMMITTEE and session.status != CommitteeSession.Status.HELD:
        session = next(
            s for s in reversed(ctx.sessions) if s.status == CommitteeSession.Status.HELD
        )
    app.session = session
    _step(
        app,
        ctx,
        to=S.COMMITTEE,
        day=day,
        title="Proposée en commission",
        text=session.title,
        by=ctx.instructor,
    )
    if final == S.COMMITTEE:
        return _save(app)
    _decide(ctx, app, final, session.held_on)
    if app.status == S.REJECTED or final == S.APPROVED:
        return _save(app)
    _pay(ctx, app, final)
    return _save(app)


def _decide(ctx: Ctx, app: Application, final: str, day: date) -> None:
    app.decided_on = day
    if final == S.REJECTED:
        app.granted_amount = None
        app.decision_reason = (
            app.opinion_text if app.opinion == "unfavourable" else ctx.rng.choice(REJECTIONS)
        )
        _step(
            app,
            ctx,
            to=S.REJECTED,
            day=day,
            title="Aide refusée",
            text=app.decision_reason,
            by=ctx.instructor,
        )
        return
    try:
        state_aid_grant_record(
            company=app.company,
            granted_on=day,
            amount=app.proposed_amount,
            regulation=app.scheme.regime,
            granting_body=app.scheme.provider.name,
            source=GrantSource.PLATFORM_AID,
            description=f"{app.scheme.name} — {app.title}",
            source_ref=f"aids.application:{app.pk}",
            eligible_costs=app.eligible_costs,
            cost_category=app.scheme.cost_categories.first().code,
            by=ctx.instructor,
        )
    except ValidationError as error:  # a company near the ceiling: the committee refuses
        app.decision_reason = " ".join(error.messages)
        _step(
            app,
            ctx,
            to=S.REJECTED,
            day=day,
            title="Aide refusée",
            text=app.decision_reason,
            by=ctx.instructor,
        )
        return
    app.granted_amount = app.proposed_amount
    _step(
        app,
        ctx,
        to=S.APPROVED,
        day=day,
        title="Aide accordée",
        text=f"{app.granted_amount} € accordés",
        by=ctx.instructor,
    )


def _pay(ctx: Ctx, app: Application, final: str) -> None:
    rng = ctx.rng
    day = app.decided_on + timedelta(days=rng.randint(15, 40))
    app.agreement_signed_on = min(day, ctx.today)
    _step(
        app,
        ctx,
        to=S.SIGNED,
        day=app.agreement_signed_on,
        title="Convention signée",
        by=ctx.instructor,
    )
    if final == S.SIGNED:
        return
    day = min(app.agreement_signed_on + timedelta(days=rng.randint(10, 30)), ctx.today)
    advance = (app.granted_amount / 2).quantize(Decimal("1"), rounding=ROUND_DOWN)
    Payment.objects.create(
        application=app, kind="advance", amount=advance, paid_on=day, recorded_by=ctx.instructor
    )
    _step(
        app,
        ctx,
        to=S.PAYING,
        day=day,
        title="Avance versée",
        text=f"{advance} €",
        by=ctx.instructor,
    )
    if final == S.PAYING:
        return
    day = min(day + timedelta(days=rng.randint(150, 300)), ctx.today)
    balance = app.granted_amount - advance
    Payment.objects.create(
        application=app,
        kind="balance",
        amount=balance,
        paid_on=day,
        justified_expenses=app.eligible_costs,
        recorded_by=ctx.instructor,
        comment="Solde sur état récapitulatif des dépenses acquittées",
    )
    app.results_due_on = day + timedelta(days=365)
    _step(app, ctx, to=S.PAID, day=day, title="Solde versé", text=f"{balance} €", by=ctx.instructor)
    if final == S.PAID:
        return
    day = min(app.results_due_on, ctx.today)
    app.jobs_created = rng.choice([0, 1, 1, 2, 3])
    app.export_revenue = Decimal(rng.randrange(20000, 600000, 1000))
    app.results_comment = "Premiers contrats signés ; l'effort se poursuit."
    app.closed_at = _at(day, rng)
    _save(app)
    app.markets_opened.set(rng.sample(ctx.countries, k=rng.randint(1, 3)))
    _step(
        app,
        ctx,
        to=S.CLOSED,
        day=day,
        title="Résultats déclarés, dossier clôturé",
        text=f"{app.jobs_created} emploi(s), {app.export_revenue} € de chiffre d'affaires export",
    )


def _save(app: Application) -> None:
    fields = [
        f.name for f in Application._meta.concrete_fields if f.name not in ("id", "created_at")
    ]
    Application.objects.filter(pk=app.pk).update(**{name: getattr(app, name) for name in fields})


def _near_ceiling(companies: list[Company], today: date) -> None:
    """Aid received elsewhere, declared: these companies have little de minimis headroom left."""
    for company, amount in zip(companies, NEAR_CEILING, strict=False):
        state_aid_grant_record(
            company=company,
            granted_on=today - timedelta(days=400),
            amount=amount,
            regulation="de_minimis",
            granting_body="Bpifrance — aide à l'innovation",
            source=GrantSource.DECLARED,
            description="Aide déclarée par l'entreprise (reçue hors plateforme)",
        )


def _plan(rng: random.Random) -> list[str]:
    finals = [state for state, count in TARGETS.items() for _ in range(count)]
    rng.shuffle(finals)
    return finals


def _created_day(final: str, today: date, rng) -> date:
    """Pending files are recent; paid and closed ones are older."""
    if final in (S.DRAFT, S.SUBMITTED, S.INCOMPLETE, S.INSTRUCTION):
        return today - timedelta(days=rng.randint(5, 50))
    if final == S.COMMITTEE:
        return today - timedelta(days=rng.randint(40, 80))
    if final in (S.PAID, S.CLOSED):
        earliest, latest = 500, (today - date(FIRST_YEAR, 1, 10)).days
        return today - timedelta(days=rng.randint(earliest, max(earliest, latest)))
    return today - timedelta(days=rng.randint(120, 700))


def load(*, password: str, stdout) -> list:
    region = Organisation.objects.filter(slug="region-bfc").first()
    companies = list(Company.objects.filter(siren__gte=DEMO_SIREN_FROM).order_by("siren"))
    if region is None or not companies:
        stdout.write("Aides individuelles : ni Région ni entreprises de démonstration")
        return []
    with acting_as(None, path="load_demo"):
        schemes = _schemes(region)
        if Application.objects.exists():
            stdout.write("Aides individuelles : déjà chargées")
            return []
        rng = random.Random(SEED)  # noqa: S311 (demo data)
        ctx = Ctx(
            today=timezone.localdate(),
            rng=rng,
            region=region,
            instructor=User.objects.filter(email="instructeur@demo.example").first(),
            advisors=list(
                User.objects.filter(
                    email__in=["conseiller.cci@demo.example", "conseiller.bf@demo.example"]
                ).order_by("email")
            ),
            countries=list(
                Country.objects.filter(
                    iso2__in=["DE", "IT", "US", "ES", "GB", "CN", "JP", "CA", "CH", "BE"]
                ).order_by("iso2")
            ),
        )
        ctx.pdf = _demo_pdf()
        _sessions(ctx)
        near = rng.sample(companies, k=len(NEAR_CEILING))
        _near_ceiling(near, ctx.today)
        finals = _plan(rng)
        for index, final in enumerate(finals):
            # the companies near the ceiling ask for more: some approvals are refused
            company = near[index % len(near)] if index % 17 == 0 else rng.choice(companies)
            scheme = rng.choice(schemes)
            _file(ctx, scheme, company, final, _created_day(final, ctx.today, rng))
    counts = {state: Application.objects.filter(status=state).count() for state in S.values}
    stdout.write(
        f"Aides individuelles : {len(schemes)} dispositifs, {Application.objects.count()} demandes "
        f"({counts[S.CLOSED]} clôturées, {counts[S.PAYING] + counts[S.PAID]} en paiement "
        "ou soldées)"
    )
    return []
