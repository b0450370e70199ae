"""Rules of V.I.E. missions and awareness sessions, as the services enforce them: 6 to 24
months counted in calendar months, one extension within 24 months, the outcome after the end,
costs, the linked aid of the same company; students and candidates. A refusal changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from guichet.journeys.models import TimelineEvent
from guichet.vie import durations, services
from guichet.vie.models import AwarenessSession, VieMission
from tests.vie.conftest import make_aid, make_mission, make_session


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


# --- durations (pure) ------------------------------------------------------------------------


def test_a_mission_from_1_march_to_31_august_lasts_6_months():
    assert durations.duration(date(2025, 3, 1), date(2025, 8, 31)) == (6, 0)
    assert durations.describe(date(2025, 3, 1), date(2025, 8, 31)) == "6 mois"
    assert durations.describe(date(2025, 3, 1), date(2025, 8, 30)) == "5 mois et 30 jours"
    assert durations.describe(date(2025, 3, 1), date(2027, 2, 28)) == "24 mois"
    assert durations.describe(date(2025, 3, 1), date(2025, 3, 1)) == "1 jour"


def test_months_from_the_31st_end_on_the_last_day_of_shorter_months():
    assert durations.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert durations.add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert durations.earliest_end(date(2025, 1, 31), 1) == date(2025, 2, 27)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(start=days, months=st.integers(min_value=1, max_value=30))
def test_the_earliest_end_is_the_first_day_that_makes_the_months(start, months):
    end = durations.earliest_end(start, months)
    assert durations.lasts_at_least(start, end, months)
    assert not durations.lasts_at_least(start, end - timedelta(days=1), months)
    assert durations.lasts_at_most(start, end, months)
    assert not durations.lasts_at_most(start, end + timedelta(days=1), months)
    assert durations.duration(start, end) == (months, 0)


@given(start=days, length=st.integers(min_value=0, max_value=900))
def test_whole_months_and_days_add_up_to_the_mission(start, length):
    end = start + timedelta(days=length)
    months, rest = durations.duration(start, end)
    assert durations.add_months(start, months) + timedelta(days=rest) == end + timedelta(days=1)
    assert rest < 31


# --- missions --------------------------------------------------------------------------------


def test_6_and_24_months_are_accepted(company, org_a, advisor_a):
    six = make_mission(company, org_a, starts_on=date(2025, 3, 1), ends_on=date(2025, 8, 31))
    longest = make_mission(company, org_a, starts_on=date(2025, 3, 1), ends_on=date(2027, 2, 28))
    assert VieMission.objects.filter(pk__in=[six.pk, longest.pk]).count() == 2


def test_a_day_short_of_6_months_is_refused(company, org_a):
    with pytest.raises(ValidationError) as error:
        make_mission(company, org_a, starts_on=date(2025, 3, 1), ends_on=date(2025, 8, 30))
    assert _messages(error)["ends_on"] == [
        "Une mission V.I.E. dure au moins 6 mois : commencée le 01/03/2025, elle finit au plus "
        "tôt le 31/08/2025 (ici 5 mois et 30 jours)."
    ]
    assert not VieMission.objects.exists()


def test_a_day_beyond_24_months_is_refused(company, org_a):
    with pytest.raises(ValidationError) as error:
        make_mission(company, org_a, starts_on=date(2025, 3, 1), ends_on=date(2027, 3, 1))
    assert _messages(error)["ends_on"] == [
        "Une mission V.I.E. dure au plus 24 mois : commencée le 01/03/2025, elle finit au plus "
        "tard le 28/02/2027 (ici 24 mois et 1 jour)."
    ]
    assert not VieMission.objects.exists()


def test_dates_in_the_wrong_order_are_refused(company, org_a):
    with pytest.raises(ValidationError) as error:
        make_mission(company, org_a, starts_on=date(2025, 3, 1), ends_on=date(2024, 3, 1))
    assert _messages(error)["ends_on"] == [
        "La fin de la mission (01/03/2024) doit suivre son début (01/03/2025)."
    ]


def test_missing_and_absurd_values_get_french_messages(company, org_a):
    with pytest.raises(ValidationError) as error:
        make_mission(
            company,
            org_a,
            job_title="  ",
            city="Mu\x00nich",
            country=None,
            starts_on=date(1990, 1, 1),
            ends_on=None,
            monthly_cost=Decimal("-1"),
        )
    messages = _messages(error)
    assert messages["job_title"] == ["Indiquez le champ « Intitulé de la mission »."]
    assert messages["city"] == ["Le champ « Ville » contient des caractères non autorisés."]
    assert messages["country"] == ["Choisissez le pays de la mission."]
    assert messages["starts_on"][0].startswith(
        "La date de début doit être comprise entre le 01/01/2000"
    )
    assert messages["ends_on"] == ["Indiquez la date de fin prévue."]
    assert messages["monthly_cost"] == ["Le coût mensuel ne peut pas être négatif."]


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (Decimal("3200.555"), "Le coût mensuel s'exprime en euros et centimes."),
        (Decimal("NaN"), "Le coût mensuel doit être un montant en euros."),
        ("beaucoup", "Le coût mensuel doit être un montant en euros."),
        (None, "Indiquez le coût mensuel de la mission pour l'entreprise."),
    ],
)
def test_bad_costs_are_refused(company, org_a, cost, message):
    with pytest.raises(ValidationError) as error:
        make_mission(company, org_a, monthly_cost=cost)
    assert _messages(error)["monthly_cost"] == [message]


def test_a_free_mission_is_accepted(company, org_a):
    assert make_mission(company, org_a, monthly_cost=Decimal("0")).monthly_cost == 0


def test_the_linked_aid_must_be_the_same_companys(company, other_company, org_a):
    foreign = make_aid(org_a, other_company)
    with pytest.raises(ValidationError) as error:
        make_mission(company, org_a, aid_application=foreign)
    assert _messages(error)["aid_application"] == [
        f"Le dossier d'aide {foreign.reference} concerne une autre entreprise (SIREN 732829320) "
        ": liez une aide de Fromagerie de Bourgogne."
    ]
    own = make_aid(org_a, company)
    assert make_mission(company, org_a, aid_application=own).aid_application == own


def test_creation_is_a_step_of_the_company_timeline(company, org_a, advisor_a):
    mission = make_mission(company, org_a, by=advisor_a)
    event = TimelineEvent.objects.get(company=company)
    assert event.kind == "aid"
    assert event.title == "Mission V.I.E. : Développeur commercial à Munich (Allemagne)"
    assert event.text == (
        "Du 01/03/2024 au 28/02/2025 (12 mois), coût mensuel 3\u202f200\u202f€, suivie par "
        "Région Test."
    )
    assert event.link == f"/vie/missions/{mission.pk}/"
    assert event.author == advisor_a
    assert mission.created_by == advisor_a


def test_an_update_keeps_the_rules(company, org_a):
    mission = make_mission(company, org_a)
    with pytest.raises(ValidationError):
        services.vie_mission_update(
            mission=mission,
            job_title="Chef de zone",
            country=mission.country,
            city="Berlin",
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 5, 1),
            monthly_cost=Decimal("3000"),
        )
    mission.refresh_from_db()
    assert (mission.city, mission.ends_on) == ("Munich", date(2025, 2, 28))
    services.vie_mission_update(
        mission=mission,
        job_title="Chef de zone",
        country=mission.country,
        city="Berlin",
        starts_on=date(2024, 3, 1),
        ends_on=date(2024, 12, 31),
        monthly_cost=Decimal("3000"),
    )
    mission.refresh_from_db()
    assert (mission.job_title, mission.city, mission.ends_on) == (
        "Chef de zone",
        "Berlin",
        date(2024, 12, 31),
    )


# --- extension -------------------------------------------------------------------------------


def test_one_extension_within_24_months(company, org_a, advisor_a):
    mission = make_mission(company, org_a)  # 1 March 2024 – 28 February 2025
    services.vie_mission_extend(mission=mission, until=date(2026, 2, 28), by=advisor_a)
    mission.refresh_from_db()
    assert mission.extended_until == date(2026, 2, 28)
    assert TimelineEvent.objects.filter(
        company=company,
        title="Mission V.I.E. prolongée jusqu'au 28/02/2026 : Développeur commercial",
    ).exists()
    with pytest.raises(ValidationError) as error:
        services.vie_mission_extend(mission=mission, until=date(2026, 2, 1), by=advisor_a)
    assert _messages(error)["__all__"] == [
        "Cette mission est déjà prolongée jusqu'au 28/02/2026 : une seule prolongation est "
        "possible."
    ]


def test_an_extension_beyond_24_months_is_refused(company, org_a):
    mission = make_mission(company, org_a)
    with pytest.raises(ValidationError) as error:
        services.vie_mission_extend(mission=mission, until=date(2026, 3, 1))
    assert _messages(error)["until"] == [
        "Prolongation comprise, une mission V.I.E. dure au plus 24 mois : commencée le "
        "01/03/2024, elle finit au plus tard le 28/02/2026 (ici 24 mois et 1 jour)."
    ]
    mission.refresh_from_db()
    assert mission.extended_until is None


def test_an_extension_ends_after_the_planned_end(company, org_a):
    mission = make_mission(company, org_a)
    with pytest.raises(ValidationError) as error:
        services.vie_mission_extend(mission=mission, until=date(2025, 2, 28))
    assert _messages(error)["until"] == [
        "La prolongation doit finir après la fin prévue de la mission (28/02/2025)."
    ]


def test_a_planned_end_after_the_extension_is_refused(company, org_a):
    mission = make_mission(company, org_a)
    services.vie_mission_extend(mission=mission, until=date(2025, 8, 31))
    mission.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.vie_mission_update(
            mission=mission,
            job_title=mission.job_title,
            country=mission.country,
            city=mission.city,
            starts_on=mission.starts_on,
            ends_on=date(2025, 9, 30),
            monthly_cost=mission.monthly_cost,
        )
    assert _messages(error)["ends_on"] == [
        "La mission est prolongée jusqu'au 31/08/2025 : sa fin prévue doit précéder cette date."
    ]


# --- outcome ---------------------------------------------------------------------------------


def test_the_outcome_waits_for_the_end(company, org_a):
    today = timezone.localdate()
    mission = make_mission(
        company, org_a, starts_on=today - timedelta(days=300), ends_on=today + timedelta(days=100)
    )
    with pytest.raises(ValidationError) as error:
        services.vie_mission_outcome(mission=mission, hired=True, hired_where="france")
    end = today + timedelta(days=100)
    assert _messages(error)["__all__"] == [
        f"La mission se termine le {end:%d/%m/%Y} : son issue s'enregistre à partir du lendemain."
    ]
    mission.refresh_from_db()
    assert mission.hired is None


def test_the_outcome_waits_for_the_extended_end(company, org_a):
    today = timezone.localdate()
    start = today - timedelta(days=400)
    mission = make_mission(company, org_a, starts_on=start, ends_on=today - timedelta(days=10))
    services.vie_mission_extend(mission=mission, until=today)
    with pytest.raises(ValidationError):
        services.vie_mission_outcome(mission=mission, hired=False)


def test_the_outcome_of_an_ended_mission(company, org_a, advisor_a):
    mission = make_mission(company, org_a)
    with pytest.raises(ValidationError) as error:
        services.vie_mission_outcome(mission=mission, hired=True, hired_where="")
    assert _messages(error)["hired_where"] == ["Indiquez où le volontaire a été embauché."]
    services.vie_mission_outcome(
        mission=mission, hired=True, hired_where="host_country", note="Chef de zone", by=advisor_a
    )
    mission.refresh_from_db()
    assert (mission.hired, mission.hired_where, mission.outcome_note) == (
        True,
        "host_country",
        "Chef de zone",
    )
    step = TimelineEvent.objects.filter(company=company).order_by("-pk").first()
    assert step.title == "Fin de la mission V.I.E. : volontaire embauché dans le pays de la mission"
    assert step.text == "Chef de zone"
    # Corrected later: not hired, and the place goes.
    services.vie_mission_outcome(mission=mission, hired=False, hired_where="france")
    mission.refresh_from_db()
    assert (mission.hired, mission.hired_where) == (False, "")
    with pytest.raises(ValidationError) as error:
        services.vie_mission_extend(mission=mission, until=date(2025, 6, 30))
    assert "ne peut plus être prolongée" in _messages(error)["__all__"][0]


# --- awareness sessions ----------------------------------------------------------------------


def test_a_session_is_saved(org_a, advisor_a):
    session = make_session(org_a, by=advisor_a)
    saved = AwarenessSession.objects.get(pk=session.pk)
    assert (saved.school, saved.students, saved.vie_candidates, saved.organisation) == (
        "Lycée Carnot, Dijon",
        40,
        3,
        org_a,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"students": 0}, "students", "Une session réunit au moins un étudiant."),
        ({"students": None}, "students", "Indiquez le nombre d'étudiants présents."),
        (
            {"students": 20, "vie_candidates": 21},
            "vie_candidates",
            "Les candidats au V.I.E. (21) ne peuvent pas être plus nombreux que les étudiants "
            "présents (20).",
        ),
        (
            {"vie_candidates": -1},
            "vie_candidates",
            "Le nombre de candidats ne peut pas être négatif.",
        ),
        ({"level": "doctorat"}, "level", "Choisissez le niveau des étudiants."),
        ({"school": ""}, "school", "Indiquez le champ « Établissement »."),
        ({"held_on": None}, "held_on", "Indiquez la date de la session."),
    ],
)
def test_bad_sessions_are_refused(org_a, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        make_session(org_a, **overrides)
    assert _messages(error)[field] == [message]
    assert not AwarenessSession.objects.exists()


def test_a_session_in_the_future_is_refused(org_a):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_session(org_a, held_on=tomorrow)
    assert _messages(error)["held_on"][0].startswith("La session doit avoir eu lieu")


def test_a_session_update_keeps_the_rules(org_a):
    session = make_session(org_a)
    with pytest.raises(ValidationError):
        services.awareness_session_update(
            session=session,
            school=session.school,
            level=session.level,
            held_on=session.held_on,
            students=2,
            vie_candidates=3,
        )
    services.awareness_session_update(
        session=session,
        school="Lycée Carnot",
        level="lycee",
        held_on=session.held_on,
        students=60,
        vie_candidates=None,
    )
    session.refresh_from_db()
    assert (session.school, session.level, session.students, session.vie_candidates) == (
        "Lycée Carnot",
        "lycee",
        60,
        None,
    )
