"""The evaluator's export (PAREX 2 measure 6): one XLSX with every participation and every
survey of a programme year, for managers and administrators only."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from guichet.collective.models import FollowUpSurvey
from guichet.collective.services.surveys import survey_answer, surveys_schedule
from tests.collective.conftest import make_action
from tests.collective.test_surveys import ANSWER, attended


@pytest.fixture
def programme(action, companies, org_a):
    present = attended(action, companies[0], org_a, subsidy_amount=Decimal("4000"))
    attended(action, companies[1], org_a, status="waiting")
    surveys_schedule(registration=present)
    three = present.surveys.get(wave=3)
    FollowUpSurvey.objects.filter(pk=three.pk).update(
        sent_at=timezone.make_aware(datetime(2027, 1, 22, 6, 45))
    )
    survey_answer(survey=three, data={**ANSWER, "comment": "=HYPERLINK(1)"})
    older = make_action(org_a, slug="sial-2024", year=2024)
    attended(older, companies[2], org_a)
    return action


def _workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_one_workbook_with_participations_answers_and_definitions(
    client_for, programme, manager_org_a
):
    url = reverse("collective:evaluator_export") + "?year=2026"
    response = client_for(manager_org_a).get(url)
    assert "actions-collectives-2026-evaluation" in response["Content-Disposition"]
    book = _workbook(response)
    assert book.sheetnames == ["Participations", "Réponses aux enquêtes", "Définitions"]
    participations = list(book["Participations"].iter_rows(values_only=True))
    header, rows = participations[0], participations[1:]
    assert header[9:13] == ("SIREN", "Entreprise", "État de l'inscription", "Inscrite le")
    assert len(rows) == 2  # the 2024 programme is left out
    by_name = {row[10]: dict(zip(header, row, strict=True)) for row in rows}
    present = by_name["Fromagerie de Bourgogne"]
    assert present["SIREN"] == "552100554"
    assert present["Année"] == 2026
    assert present["État de l'inscription"] == "Présente"
    assert present["Présence"] == "Présente"
    assert present["Participation demandée (€)"] == 5000
    assert present["Prise en charge publique (€)"] == 4000
    assert by_name["Moutarderie de Dijon"]["État de l'inscription"] == "Liste d'attente"
    answers = list(book["Réponses aux enquêtes"].iter_rows(values_only=True))
    header, rows = answers[0], answers[1:]
    assert len(rows) == 3  # the three waves of the participant, answered or not
    first = dict(zip(header, rows[0], strict=True))
    assert first["Vague (mois)"] == 3
    assert first["Envoyée le"] == datetime(2027, 1, 22, 6, 45)
    assert first["Contrats signés"] == 1
    assert first["Montant des contrats (€)"] == 45000
    assert first["Pays des contrats (ISO)"] == "DE"
    assert first["Satisfaction (1 à 5)"] == 4
    assert first["Commentaire"] == "'=HYPERLINK(1)"  # no formula runs in the evaluator's Excel
    assert first["Vague comptée dans les résultats"] == "Oui"
    later = dict(zip(header, rows[1], strict=True))
    assert (later["Vague (mois)"], later["Répondue le"], later["Contacts établis"]) == (
        6,
        None,
        None,
    )


def test_without_a_year_every_programme(client_for, programme, admin_user):
    book = _workbook(client_for(admin_user).get(reverse("collective:evaluator_export")))
    assert book["Participations"].max_row == 1 + 3


@pytest.mark.parametrize(
    ("who", "status"), [("advisor_a", 403), ("readonly_a", 403), ("advisor_b", 403)]
)
def test_only_managers_and_administrators_export(request, client_for, programme, who, status):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("collective:evaluator_export")).status_code == status


def test_anonymous_is_sent_to_login(client, programme):
    assert client.get(reverse("collective:evaluator_export")).status_code == 302


def test_an_unknown_year_is_a_404(client_for, programme, manager_org_a):
    url = reverse("collective:evaluator_export") + "?year=1990"
    assert client_for(manager_org_a).get(url).status_code == 404
