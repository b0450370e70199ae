"""The demo's regional export survey (guichet.plans.demo_survey): who answers, what the wave
records, the planted effect of the support, idempotence."""

import io
from datetime import date
from statistics import mean

import pytest

from guichet.companies.models import Company, ExportFact, ExportStatus
from guichet.companies.services import export_fact_record
from guichet.plans import demo_survey
from guichet.plans.demo_survey import ACCOMPANIED, OTHERS
from tests.companies.conftest import make_company
from tests.plans.computation_records import vie_mission

TODAY = date(2026, 6, 15)
BASELINE = date(2025, 3, 1)
Attribute = ExportFact.Attribute


def profiled(siren, status, share, *, active=True, name=None):
    """A company whose export profile (advisor, 2025) gives `status` and `share`."""
    company = make_company(siren, name or f"Entreprise {siren}", is_active=active)
    for attribute, value in ((Attribute.STATUS, status), (Attribute.EXPORT_SHARE, share)):
        export_fact_record(
            company=company,
            attribute=attribute,
            value=value,
            observed_on=BASELINE,
            source=ExportFact.Source.ADVISOR,
            by=None,
        )
    return company


def survey_facts():
    return ExportFact.objects.filter(source=ExportFact.Source.SURVEY, comment=demo_survey.COMMENT)


def latest(company, attribute):
    return company.export_facts.filter(attribute=attribute).order_by("-observed_on", "-pk")[0]


class Fixed:
    """A random stream whose draws are given: random() returns `draw`, gauss its mean,
    randint its lower bound."""

    def __init__(self, draw):
        self.draw = draw

    def random(self):
        return self.draw

    def gauss(self, mu, sigma):
        return mu

    def randint(self, low, high):
        return low


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "draw", "if_accompanied", "otherwise"),
    [
        # 0.12 < 0.2 < 0.35: starts exporting only if accompanied.
        (ExportStatus.NEVER, 0.2, ExportStatus.NEW, ExportStatus.NEVER),
        (ExportStatus.NEVER, 0.05, ExportStatus.NEW, ExportStatus.NEW),
        (ExportStatus.NEVER, 0.5, ExportStatus.NEVER, ExportStatus.NEVER),
        # A primo-exportateur settles (0.55 against 0.30) or stops (0.10 against 0.30).
        (ExportStatus.NEW, 0.5, ExportStatus.OCCASIONAL, ExportStatus.NEVER),
        (ExportStatus.NEW, 0.62, ExportStatus.NEVER, ExportStatus.NEW),
        (ExportStatus.NEW, 0.7, ExportStatus.NEW, ExportStatus.NEW),
        # An occasional exporter becomes regular (0.25 against 0.10).
        (ExportStatus.OCCASIONAL, 0.2, ExportStatus.REGULAR, ExportStatus.OCCASIONAL),
        (ExportStatus.REGULAR, 0.0, ExportStatus.REGULAR, ExportStatus.REGULAR),
    ],
)
def test_accompanied_companies_progress_with_a_higher_probability(
    status, draw, if_accompanied, otherwise
):
    assert demo_survey.next_status(status, ACCOMPANIED, Fixed(draw)) == if_accompanied
    assert demo_survey.next_status(status, OTHERS, Fixed(draw)) == otherwise


def test_the_export_share_gains_four_points_if_accompanied_one_otherwise():
    def reply(status, share, accompanied, draw=0.99):
        return demo_survey.answer(
            status=status, share=share, accompanied=accompanied, rng=Fixed(draw)
        )

    assert reply(ExportStatus.REGULAR, 45, True) == demo_survey.Answer(ExportStatus.REGULAR, 49)
    assert reply(ExportStatus.REGULAR, 45, False) == demo_survey.Answer(ExportStatus.REGULAR, 46)
    assert reply(ExportStatus.REGULAR, 98, True).export_share == 100  # a share stays ≤ 100 %
    # Starting to export: the share declared is 2 % at least; not exporting: 0 %.
    assert reply(ExportStatus.NEVER, 0, True, draw=0.0) == demo_survey.Answer(ExportStatus.NEW, 2)
    assert reply(ExportStatus.NEVER, 0, False) == demo_survey.Answer(ExportStatus.NEVER, 0)
    assert reply(ExportStatus.NEW, 3, False, draw=0.5) == demo_survey.Answer(ExportStatus.NEVER, 0)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 6, 15), date(2026, 4, 18), date(2026, 6, 1)),
        (date(2026, 1, 20), date(2026, 1, 1), date(2026, 1, 6)),
        (date(2026, 1, 5), date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1)),  # nothing earlier this year
    ],
)
def test_the_wave_is_dated_this_year_before_today(today, first, last):
    assert demo_survey.wave_window(today) == (first, last)


def test_the_default_period_is_the_impact_pages_for_the_demo_plan():
    # The demo plan runs from three years back to next year; the page stops at this year.
    assert demo_survey.default_period(TODAY) == (2023, 2026)


# --- the wave ------------------------------------------------------------------------------


def test_active_demo_companies_with_a_profile_answer(reference, org_a):
    answering = profiled("990000011", ExportStatus.OCCASIONAL, 12)
    profiled("990000012", ExportStatus.REGULAR, 40, active=False)  # ceased
    make_company("990000013", "Sans profil export")
    profiled("123456782", ExportStatus.NEVER, 0)  # not a demo company

    assert demo_survey.record_wave(today=TODAY, accompanied=set(), organisation=org_a) == 1

    facts = list(survey_facts().order_by("attribute"))
    assert [(f.company_id, f.attribute) for f in facts] == [
        (answering.pk, Attribute.EXPORT_SHARE),
        (answering.pk, Attribute.STATUS),
    ]
    first, last = demo_survey.wave_window(TODAY)
    for fact in facts:
        assert fact.source == ExportFact.Source.SURVEY
        assert fact.comment == "Enquête export régionale (démonstration)"
        assert fact.organisation == org_a
        assert fact.recorded_by is None
        assert first <= fact.observed_on <= last < TODAY
        assert fact.observed_on.year == TODAY.year
    assert facts[0].observed_on == facts[1].observed_on
    # The answers are now the company's current profile.
    answering.refresh_from_db()
    assert answering.export_status == latest(answering, Attribute.STATUS).value
    assert latest(answering, Attribute.STATUS).source == ExportFact.Source.SURVEY


def test_the_planted_effect_on_accompanied_and_other_companies(reference, org_a):
    """Non-exporters and occasional exporters, half of them accompanied in the period: the
    wave records what each company's seeded stream gives, and the accompanied progress more."""
    groups = {}
    for prefix, status, share, supported_on in (
        ("991", ExportStatus.NEVER, 0, date(2024, 3, 1)),
        ("992", ExportStatus.NEVER, 0, None),
        ("993", ExportStatus.OCCASIONAL, 12, date(2026, 2, 1)),
        ("994", ExportStatus.OCCASIONAL, 12, None),
    ):
        groups[prefix] = [profiled(f"{prefix}00{n:04d}", status, share) for n in range(30)]
        for company in groups[prefix] if supported_on else []:
            vie_mission(company, org_a, starts_on=supported_on)
    # Accompanied before the period (2023-2026) only: progresses as the others do.
    vie_mission(groups["992"][0], org_a, starts_on=date(2020, 9, 1))
    everyone = [c for group in groups.values() for c in group]

    supported = demo_survey.accompanied_in_default_period(TODAY)
    assert supported == {c.pk for c in groups["991"] + groups["993"]}
    first, last = demo_survey.wave_window(TODAY)
    expected = {
        c.pk: demo_survey.draw(
            c, year=TODAY.year, first=first, last=last, accompanied=c.pk in supported
        )
        for c in everyone
    }

    assert demo_survey.record_wave(today=TODAY, accompanied=supported) == len(everyone)

    def recorded(company):
        facts = survey_facts().filter(company=company)
        status = facts.get(attribute=Attribute.STATUS)
        share = facts.get(attribute=Attribute.EXPORT_SHARE)
        assert status.observed_on == share.observed_on == expected[company.pk][0]
        return demo_survey.Answer(status.value, share.value)

    answers = {c.pk: recorded(c) for c in everyone}
    assert answers == {pk: reply for pk, (_day, reply) in expected.items()}

    def started(prefix):
        return sum(answers[c.pk].status == ExportStatus.NEW for c in groups[prefix])

    def regular(prefix):
        return sum(answers[c.pk].status == ExportStatus.REGULAR for c in groups[prefix])

    def gain(prefix):
        return mean(answers[c.pk].export_share - 12 for c in groups[prefix])

    # The effect shows: more new exporters, more regular ones, a larger share gain.
    assert started("991") > started("992") > 0
    assert regular("993") > regular("994")
    assert gain("993") > gain("994")


def test_recording_twice_changes_nothing(reference):
    company = profiled("990000021", ExportStatus.NEVER, 0)
    assert demo_survey.record_wave(today=TODAY, accompanied={company.pk}) == 1
    before = list(survey_facts().values_list("pk", "value", "observed_on"))
    assert demo_survey.record_wave(today=TODAY, accompanied={company.pk}) == 0
    assert list(survey_facts().values_list("pk", "value", "observed_on")) == before
    assert len(before) == 2


def test_the_demo_load_adds_comparison_companies_and_the_wave_once(reference):
    out = io.StringIO()
    answered = demo_survey.load(today=TODAY, stdout=out)

    demo = Company.objects.filter(siren__gte="990000000")
    assert 0 < demo.count() <= demo_survey.REGISTRY_COUNT
    respondents = demo.filter(is_active=True, export_facts__attribute=Attribute.STATUS).distinct()
    assert answered == respondents.count() > 0
    assert survey_facts().count() == 2 * answered
    assert set(survey_facts().values_list("company_id", flat=True)) == set(
        respondents.values_list("pk", flat=True)
    )
    assert f"{answered} réponses (2026)" in out.getvalue()

    companies, facts = demo.count(), ExportFact.objects.count()
    out = io.StringIO()
    assert demo_survey.load(today=TODAY, stdout=out) == 0
    assert "Enquête export régionale : déjà chargée" in out.getvalue()
    assert (demo.count(), ExportFact.objects.count()) == (companies, facts)
