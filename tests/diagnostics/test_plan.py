"""The action plan: proposed from the gaps and the catalogue, edited by the advisor of the
organisation that ran the diagnostic, frozen once shared (follow-up action, timeline)."""

from datetime import date, datetime, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from guichet.diagnostics.models import Diagnostic, PlanItem
from guichet.diagnostics.services.plan import (
    diagnostic_share,
    plan_countries_set,
    plan_generate,
    plan_item_add,
    plan_item_delete,
    plan_item_move,
    plan_item_update,
)
from guichet.journeys.models import NextAction, TimelineEvent
from guichet.reference.models import Country
from tests.companies.conftest import make_company
from tests.diagnostics.results_factory import make_diagnostic, make_offer, make_version

COMPLETED = timezone.make_aware(datetime(2025, 3, 10, 15, 0))


@pytest.fixture
def company(reference):
    return make_company("552100554", "Biscuiterie de Dijon", naf=None, size_category="PME")


@pytest.fixture
def version(db):
    return make_version()


@pytest.fixture
def diagnostic(company, version, advisor_a):
    # Finances 0/100 and marketing 50/100 are gaps (under 50? 50 is not); strategy 100.
    return make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "low", "marketing": "mid"},
        completed_at=COMPLETED,
    )


@pytest.fixture
def catalogue(org_b):
    return {
        "assurance": make_offer(org_b, "assurance-prospection", ["finance"], title="Assurance"),
        "pret": make_offer(org_b, "pret-export", ["finance"], title="Prêt export"),
        "cheque": make_offer(org_b, "cheque-export", ["finance", "strategy"], title="Chèque"),
        "ge": make_offer(
            org_b, "grands-comptes", ["finance"], title="Grands comptes", sizes=["GE"]
        ),
        "digital": make_offer(org_b, "vitrine", ["marketing"], title="Vitrine numérique"),
    }


def _lines(diagnostic):
    return list(diagnostic.plan_items.order_by("order", "pk"))


def test_plan_recommends_two_eligible_offers_per_gap_with_the_reason(diagnostic, catalogue):
    plan_generate(diagnostic=diagnostic)
    offers = [i for i in _lines(diagnostic) if i.kind == PlanItem.Kind.OFFER]
    # Only finances (0/100) is a gap: two offers at most, never the one reserved to large
    # companies (the company is an SME); eligible ones by title.
    assert [o.offer for o in offers] == [catalogue["assurance"], catalogue["cheque"]]
    assert offers[0].why == (
        "Score Finances et risques 0/100 : Ce que fait l'offre assurance-prospection."
    )
    assert offers[0].owner == "CCI Test"
    assert offers[0].dimension == "finance"


def test_plan_steps_have_owners_and_due_dates_from_the_completion_day(diagnostic, catalogue):
    plan_generate(diagnostic=diagnostic)
    steps = [i for i in _lines(diagnostic) if i.kind == PlanItem.Kind.STEP]
    by_title = {s.title: s for s in steps}
    countries = by_title["Définir 3 pays cibles"]
    assert countries.owner == "Entreprise"
    assert countries.due_on == date(2025, 4, 9)
    finances = next(s for s in steps if s.dimension == "finance")
    assert finances.title.startswith("Établir le budget de prospection")
    assert finances.owner == "Région Test"  # the advisor's organisation
    assert finances.why == "Score Finances et risques 0/100"
    review = steps[-1]
    assert review.title.startswith("Faire le point")
    assert review.due_on == date(2025, 6, 8)
    assert [s.due_on for s in steps] == sorted(s.due_on for s in steps)


def test_plan_is_generated_once_and_keeps_the_advisors_edits(diagnostic, catalogue, advisor_a):
    first = plan_generate(diagnostic=diagnostic)
    item = first[0]
    plan_item_update(item=item, by=advisor_a, title="Assurance prospection accompagnée")
    again = plan_generate(diagnostic=diagnostic)
    assert len(again) == len(first)
    assert diagnostic.plan_items.count() == len(first)
    assert diagnostic.plan_items.get(pk=item.pk).title == "Assurance prospection accompagnée"


def test_no_gap_still_works_on_the_weakest_dimension(company, version, advisor_a, catalogue):
    diagnostic = make_diagnostic(
        company,
        version,
        advisor=advisor_a,
        answers={"strategy": "high", "finance": "high", "marketing": "mid"},
    )
    plan_generate(diagnostic=diagnostic)
    offers = [i.offer for i in _lines(diagnostic) if i.kind == PlanItem.Kind.OFFER]
    assert offers == [catalogue["digital"]]


def test_a_diagnostic_in_progress_gets_no_plan(company, version, advisor_a, catalogue):
    diagnostic = make_diagnostic(
        company, version, advisor=advisor_a, status=Diagnostic.Status.IN_PROGRESS
    )
    assert plan_generate(diagnostic=diagnostic) == []
    with pytest.raises(ValidationError, match="pas terminé"):
        plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="X", owner="Y")


def test_known_target_countries_replace_the_countries_step(diagnostic, catalogue, advisor_a):
    germany = Country.objects.get(iso2="DE")
    plan_countries_set(diagnostic=diagnostic, by=advisor_a, countries=[germany])
    plan_generate(diagnostic=diagnostic)
    assert not diagnostic.plan_items.filter(title="Définir 3 pays cibles").exists()
    assert list(diagnostic.target_countries.all()) == [germany]


def test_line_validation_speaks_french(diagnostic, advisor_a):
    with pytest.raises(ValidationError) as refused:
        plan_item_add(
            diagnostic=diagnostic,
            by=advisor_a,
            kind="step",
            title="  ",
            owner="",
            due_on=date(2025, 1, 1),
        )
    errors = refused.value.message_dict
    assert errors["title"] == ["Donnez un intitulé à la ligne du plan."]
    assert errors["owner"] == ["Indiquez qui mène cette étape (par exemple « Entreprise »)."]
    assert errors["due_on"] == [
        "L'échéance ne peut pas précéder la fin du diagnostic (10/03/2025)."
    ]
    with pytest.raises(ValidationError) as refused:
        plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="x" * 201, owner="A")
    assert "201 caractères" in refused.value.message_dict["title"][0]


def test_lines_are_added_at_the_end_moved_and_deleted(diagnostic, advisor_a):
    a = plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="A", owner="E")
    b = plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="B", owner="E")
    c = plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="C", owner="E")
    plan_item_move(item=c, by=advisor_a, direction="up")
    assert [i.title for i in _lines(diagnostic)] == ["A", "C", "B"]
    plan_item_move(item=a, by=advisor_a, direction="up")  # already first: nothing moves
    plan_item_move(item=a, by=advisor_a, direction="down")
    assert [i.title for i in _lines(diagnostic)] == ["C", "A", "B"]
    assert [i.order for i in _lines(diagnostic)] == [1, 2, 3]
    plan_item_delete(item=b, by=advisor_a)
    assert [i.title for i in _lines(diagnostic)] == ["C", "A"]


def test_too_many_target_countries_are_refused(diagnostic, advisor_a):
    countries = list(Country.objects.order_by("iso2")[:11])
    with pytest.raises(ValidationError) as refused:
        plan_countries_set(diagnostic=diagnostic, by=advisor_a, countries=countries)
    assert refused.value.message_dict["countries"][0].startswith("Vous avez choisi 11 pays")
    assert not diagnostic.target_countries.exists()


def test_sharing_freezes_the_plan_and_plans_the_follow_up(diagnostic, catalogue, advisor_a):
    plan_generate(diagnostic=diagnostic)
    count = diagnostic.plan_items.count()
    diagnostic_share(diagnostic=diagnostic, by=advisor_a)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SHARED
    assert diagnostic.shared_at is not None
    action = NextAction.objects.get(company=diagnostic.company)
    assert action.title == "Suivre le plan d'action export"
    assert action.assignee == advisor_a
    assert action.due_on == timezone.localdate() + timedelta(days=30)
    assert (action.source, action.source_id) == ("diagnostics.plan", str(diagnostic.pk))
    event = TimelineEvent.objects.get(company=diagnostic.company, source="diagnostics.plan")
    assert event.kind == TimelineEvent.Kind.DIAGNOSTIC
    assert event.title == "Plan d'action export transmis à l'entreprise"
    assert event.text == f"{count} lignes au plan d'action."
    assert event.link == reverse("diagnostics:result", args=[diagnostic.pk])
    item = diagnostic.plan_items.first()
    with pytest.raises(ValidationError, match="il n'est plus modifiable"):
        plan_item_update(item=item, by=advisor_a, title="Autre", owner="E")
    with pytest.raises(ValidationError, match="il n'est plus modifiable"):
        diagnostic_share(diagnostic=diagnostic, by=advisor_a)
    assert NextAction.objects.count() == 1


def test_an_empty_plan_is_not_shared(diagnostic, advisor_a):
    with pytest.raises(ValidationError, match="Le plan d'action est vide"):
        diagnostic_share(diagnostic=diagnostic, by=advisor_a)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.COMPLETED


# --- pages -----------------------------------------------------------------------------------


def _url(diagnostic) -> str:
    return reverse("diagnostics:plan_edit", args=[diagnostic.pk])


def test_plan_page_proposes_the_plan_and_adds_a_line(client_for, diagnostic, catalogue, advisor_a):
    client = client_for(advisor_a)
    page = unescape(client.get(_url(diagnostic)).content.decode())
    assert "Modifier le plan d'action" in page
    assert "Chèque" in page
    assert "Définir 3 pays cibles" in page
    response = client.post(
        _url(diagnostic),
        {
            "action": "step",
            "etape-title": "Rencontrer un importateur allemand",
            "etape-owner": "Entreprise",
            "etape-due_on": "2025-09-30",
        },
    )
    assert response.status_code == 302
    last = diagnostic.plan_items.order_by("-order").first()
    assert (last.title, last.owner, last.due_on) == (
        "Rencontrer un importateur allemand",
        "Entreprise",
        date(2025, 9, 30),
    )


def test_plan_page_shows_french_errors_and_keeps_what_was_typed(client_for, diagnostic, advisor_a):
    response = client_for(advisor_a).post(
        _url(diagnostic),
        {
            "action": "step",
            "etape-title": "Salon à Cologne",
            "etape-owner": "",
            "etape-due_on": "31/02/2025",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une date valide, par exemple 15/03/2026." in page
    assert "Indiquez qui mène cette étape" in page
    assert 'value="Salon à Cologne"' in page
    response = client_for(advisor_a).post(
        _url(diagnostic),
        {
            "action": "step",
            "etape-title": "Salon à Cologne",
            "etape-owner": "Entreprise",
            "etape-due_on": "2025-01-31",
        },
    )
    assert "L&#x27;échéance ne peut pas précéder la fin du diagnostic (10/03/2025)." in (
        response.content.decode()
    )
    assert not diagnostic.plan_items.filter(title="Salon à Cologne").exists()


def test_plan_page_offer_line_takes_the_offers_title_and_provider(
    client_for, diagnostic, catalogue, advisor_a
):
    client_for(advisor_a).post(
        _url(diagnostic),
        {"action": "offer", "offre-offer": catalogue["pret"].pk, "offre-why": "Financer."},
    )
    line = diagnostic.plan_items.get(offer=catalogue["pret"])
    assert (line.kind, line.title, line.owner, line.why) == (
        "offer",
        "Prêt export",
        "CCI Test",
        "Financer.",
    )
    response = client_for(advisor_a).post(_url(diagnostic), {"action": "offer", "offre-offer": ""})
    assert "Choisissez une offre du catalogue." in response.content.decode()


def test_plan_page_edits_moves_and_deletes_a_line(client_for, diagnostic, advisor_a):
    a = plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="A", owner="E")
    b = plan_item_add(diagnostic=diagnostic, by=advisor_a, kind="step", title="B", owner="E")
    client = client_for(advisor_a)
    form = client.get(_url(diagnostic), {"ligne": a.pk}).content.decode()
    assert "Modifier la ligne « A »" in form
    client.post(
        _url(diagnostic),
        {"action": "update", "ligne": a.pk, "ligne-title": "A bis", "ligne-owner": "Région"},
    )
    client.post(_url(diagnostic), {"action": "up", "ligne": b.pk})
    assert [i.title for i in _lines(diagnostic)] == ["B", "A bis"]
    client.post(_url(diagnostic), {"action": "delete", "ligne": b.pk})
    assert [i.title for i in _lines(diagnostic)] == ["A bis"]
    other = make_diagnostic(diagnostic.company, diagnostic.version, advisor=advisor_a)
    stranger = plan_item_add(diagnostic=other, by=advisor_a, kind="step", title="Z", owner="E")
    assert (
        client.post(_url(diagnostic), {"action": "delete", "ligne": stranger.pk}).status_code == 404
    )


def test_plan_page_sets_target_countries(client_for, diagnostic, advisor_a):
    spain = Country.objects.get(iso2="ES")
    client_for(advisor_a).post(_url(diagnostic), {"action": "countries", "pays-countries": ["ES"]})
    assert list(diagnostic.target_countries.all()) == [spain]


@pytest.mark.parametrize("who", ["advisor_b", "readonly_a"])
def test_only_the_running_organisation_edits_the_plan(request, client_for, diagnostic, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(_url(diagnostic)).status_code == 403
    post = {"action": "step", "etape-title": "X", "etape-owner": "Y"}
    assert client.post(_url(diagnostic), post).status_code == 403
    assert client.post(reverse("diagnostics:share", args=[diagnostic.pk])).status_code == 403
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.COMPLETED
    assert not diagnostic.plan_items.exists()


def test_anonymous_is_sent_to_the_login_page(client_for, diagnostic):
    response = client_for(None).get(_url(diagnostic))
    assert response.status_code == 302
    assert "/connexion" in response["Location"] or "login" in response["Location"]


def test_share_page_explains_then_shares(client_for, diagnostic, catalogue, advisor_a):
    client = client_for(advisor_a)
    url = reverse("diagnostics:share", args=[diagnostic.pk])
    page = unescape(client.get(url).content.decode())
    assert "une action « Suivre le plan d'action export » vous est confiée" in page
    response = client.post(url, follow=True)
    assert "Le plan d'action est transmis" in unescape(response.content.decode())
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SHARED
    # Once shared, the plan page sends back to the results.
    assert client.get(_url(diagnostic)).status_code == 302


def test_a_colleague_sharing_leaves_the_follow_up_to_the_advisor(diagnostic, org_a, catalogue):
    from tests.conftest import make_user

    colleague = make_user("marie.collegue@test.example", org_a, ["advisor"])
    plan_generate(diagnostic=diagnostic)
    diagnostic_share(diagnostic=diagnostic, by=colleague)
    action = NextAction.objects.get(company=diagnostic.company)
    assert action.assignee == diagnostic.advisor
    assert action.created_by == colleague
    event = TimelineEvent.objects.get(company=diagnostic.company, source="diagnostics.plan")
    assert event.author == colleague
