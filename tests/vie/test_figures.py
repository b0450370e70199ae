"""Figures of V.I.E. missions and awareness on a small known set: the selectors the plan's
indicators reuse (counts and the records behind them), the figures page and its export."""

import html
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.companies.models import Filiere
from guichet.reference.models import Country
from guichet.vie import selectors, services
from tests.vie.conftest import make_mission, make_session


@pytest.fixture
def known(company, other_company, org_a, org_b):
    """Fromagerie (agri-food): Germany 2023 (hired in France), Germany 2024–25 (not hired).
    Lunetterie (eyewear): United States 2024–25 (outcome unknown), United States started a
    month ago (ongoing). Sessions: 2024 lycée 100 students, 2024 BTS 40 (3 candidates), 2025
    business school 60 (10 candidates)."""
    Filiere.objects.create(name="Agroalimentaire", slug="agro").naf_codes.add("10")
    Filiere.objects.create(name="Lunetterie", slug="lunetterie").naf_codes.add("32.50A")
    usa = Country.objects.get(iso2="US")
    today = timezone.localdate()
    m1 = make_mission(company, org_a, starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31))
    services.vie_mission_outcome(mission=m1, hired=True, hired_where="france")
    m2 = make_mission(company, org_a)
    services.vie_mission_outcome(mission=m2, hired=False)
    m3 = make_mission(
        other_company,
        org_b,
        country=usa,
        city="Chicago",
        starts_on=date(2024, 6, 1),
        ends_on=date(2025, 5, 31),
    )
    m4 = make_mission(
        other_company,
        org_b,
        country=usa,
        city="Boston",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=335),
    )
    make_session(org_a, level="lycee", held_on=date(2024, 5, 10), students=100, vie_candidates=None)
    make_session(org_a)  # 14 November 2024, BTS, 40 students, 3 candidates
    make_session(
        org_b,
        school="BSB Dijon",
        level="business",
        held_on=date(2025, 2, 1),
        students=60,
        vie_candidates=10,
    )
    return {"m1": m1, "m2": m2, "m3": m3, "m4": m4, "today": today}


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_missions_per_year_with_the_records(known):
    tallies = selectors.missions_per_year()
    last = known["m4"].starts_on.year
    expected = {2023: 1, 2024: 2} | dict.fromkeys(range(2025, last + 1), 0)
    expected[last] = expected.get(last, 0) + 1
    assert {t.key: t.count for t in tallies} == expected
    assert [t.key for t in tallies] == list(range(2023, last + 1))
    assert _ids(tallies[1].records) == sorted([known["m2"].pk, known["m3"].pk])


def test_missions_by_country_and_filiere(known, company):
    countries = selectors.missions_by_country()
    assert [(t.key, t.label, t.count) for t in countries] == [
        ("DE", "Allemagne", 2),
        ("US", "États-Unis", 2),
    ]
    assert _ids(countries[1].records) == sorted([known["m3"].pk, known["m4"].pk])
    assert [(t.label, t.count) for t in selectors.missions_by_country(2024)] == [
        ("Allemagne", 1),
        ("États-Unis", 1),
    ]
    filieres = selectors.missions_by_filiere()
    assert [(t.label, t.count) for t in filieres] == [("Agroalimentaire", 2), ("Lunetterie", 2)]
    assert _ids(filieres[0].records) == sorted([known["m1"].pk, known["m2"].pk])
    # A company in no filière is counted apart.
    Filiere.objects.get(slug="agro").naf_codes.clear()
    filieres = selectors.missions_by_filiere(2023)
    assert [(t.label, t.count) for t in filieres] == [
        ("Agroalimentaire", 0),
        ("Lunetterie", 0),
        ("Hors filière", 1),
    ]


def test_share_hired_among_known_outcomes(known):
    share = selectors.hired_share(today=known["today"])
    assert (share.hired, share.not_hired, share.unknown, share.known, share.ended) == (
        1,
        1,
        1,
        2,
        3,
    )
    assert share.percent == 50
    assert _ids(share.unknown_records) == [known["m3"].pk]
    assert _ids(share.hired_records) == [known["m1"].pk]
    assert [(t.key, t.count) for t in share.by_place] == [
        ("host_country", 0),
        ("france", 1),
        ("other_country", 0),
    ]
    in_2025 = selectors.hired_share(2025, today=known["today"])
    assert (in_2025.hired, in_2025.not_hired, in_2025.unknown, in_2025.percent) == (0, 1, 1, 0)
    assert selectors.hired_share(2022, today=known["today"]).percent is None


def test_an_extension_moves_the_end_year(known):
    m3 = known["m3"]
    services.vie_mission_extend(mission=m3, until=date(2026, 5, 31))
    assert selectors.hired_share(2025, today=known["today"]).unknown == 0
    assert selectors.hired_share(2026, today=known["today"]).unknown == 1
    # Ended in 2026 and not yet known: not part of the share until someone records it.
    assert selectors.hired_share(2026, today=known["today"]).percent is None


def test_students_made_aware(known):
    total = selectors.students_made_aware()
    assert (total.sessions, total.students, total.candidates, total.sessions_with_candidates) == (
        3,
        200,
        13,
        2,
    )
    in_2024 = selectors.students_made_aware(2024)
    assert (in_2024.sessions, in_2024.students, in_2024.candidates) == (2, 140, 3)
    assert [(t.key, t.count) for t in in_2024.by_level] == [("lycee", 100), ("bts", 40)]
    assert in_2024.records.count() == 2
    assert [(y, a.students) for y, a in selectors.students_per_year()] == [(2024, 140), (2025, 60)]


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _visible(response) -> str:
    """The page's text without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_figures_page(client_for, readonly_a, known):
    response = client_for(readonly_a).get("/vie/chiffres/")
    text = _visible(response)
    assert "Volontaires embauchés à l'issue 50 %" in text
    assert "Étudiants sensibilisés 200 en 3 sessions" in text
    page = _text(response)
    assert "Chiffres du V.I.E. et de la sensibilisation" in page
    assert (
        "1 sur 2 missions terminées dont l'issue est connue ; 1 mission terminée sans issue "
        "renseignée" in page
    )
    assert "connus pour 2 sessions sur 3" in page
    # Charts are SVG images with a table alternative.
    assert page.count('role="img"') == 6
    assert '<th scope="row">Allemagne</th><td>2</td>' in page.replace("> <", "><")
    assert '<th scope="row">Lunetterie</th><td>2</td>' in page.replace("> <", "><")
    assert "renseignez la" in page
    assert 'href="/vie/missions/?status=unknown"' in page


def test_the_figures_of_one_year(client_for, readonly_a, known):
    page = _visible(client_for(readonly_a).get("/vie/chiffres/?year=2024"))
    assert "Chiffres du V.I.E. et de la sensibilisation — 2024" in page
    assert "Missions V.I.E. commencées 2 en 2024" in page
    assert "Étudiants sensibilisés 140 en 2 sessions" in page
    page = _text(client_for(readonly_a).get("/vie/chiffres/?year=1999"))
    assert "Aucune mission ni session cette année-là." in page


def test_the_figures_export(client_for, readonly_a, known):
    response = client_for(readonly_a).get("/vie/chiffres/?format=csv&year=2024")
    assert 'filename="chiffres-vie-2024-' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tableau;Catégorie;Valeur;Détail"
    assert "Missions par année de début;2024;2;" in lines
    assert "Missions par pays (2024);Allemagne;1;DE" in lines
    assert "Issue des missions terminées (2024);Embauchés;0;" in lines
    assert "Sensibilisation par année;2024;140;2 sessions" in lines
    assert "Étudiants par niveau (2024);Lycée;100;" in lines
    response = client_for(readonly_a).get("/vie/chiffres/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_empty_figures_page(client_for, readonly_a, reference):
    page = _text(client_for(readonly_a).get("/vie/chiffres/"))
    assert "Aucune mission ni session enregistrée" in page
    assert 'role="img"' not in page
