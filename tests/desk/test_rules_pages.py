"""Routing administration pages: rules, preview, service levels and subjects (administrators
only). Coverage has its own module (test_coverage.py)."""

import html
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from guichet.core.models import AuditEvent
from guichet.desk.models import DeskPolicy, Match, Need, RoutingRule, Subject
from guichet.reference.models import HeadcountBand
from tests.companies.conftest import make_company
from tests.conftest import make_user
from tests.desk.conftest import submit

pytestmark = pytest.mark.django_db

PAGES = [
    "/guichet/regles/",
    "/guichet/regles/nouvelle/",
    "/guichet/regles/apercu/",
    "/guichet/regles/couverture/",
    "/guichet/reglages/",
    "/guichet/sujets/",
]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def rule_data(subject, organisation, **overrides) -> dict:
    data = {
        "subject": subject.pk,
        "organisation": organisation.pk,
        "person": "",
        "priority": "1",
        "communes": "",
        "naf_codes": "",
        "min_employees": "",
        "max_employees": "",
        "min_age_years": "",
        "max_age_years": "",
        "is_active": "on",
        "note": "",
    }
    data.update(overrides)
    return data


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_admin_sees_each_page(client_for, admin_user, desk, url):
    response = client_for(admin_user).get(url)

    assert response.status_code == 200
    assert "Règles d'orientation" in text_of(response)


@pytest.mark.parametrize("url", [*PAGES, "/guichet/regles/1/modifier/"])
def test_advisor_is_refused(client_for, advisor_a, desk, url):
    assert client_for(advisor_a).get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_goes_to_login(client_for, desk, url):
    response = client_for(None).get(url)

    assert response.status_code == 302
    assert "/connexion" in response["Location"] or "login" in response["Location"]
    assert f"next={url}" in response["Location"].replace("%2F", "/")


def test_advisor_cannot_post_a_rule(client_for, advisor_a, desk, subjects, org_a):
    response = client_for(advisor_a).post(
        "/guichet/regles/nouvelle/", rule_data(subjects["autre"], org_a)
    )

    assert response.status_code == 403
    assert not RoutingRule.objects.filter(subject=subjects["autre"]).exists()


# --- Rule list ---------------------------------------------------------------------------------


def test_list_groups_rules_by_subject_with_summaries(client_for, admin_user, desk, subjects):
    rule = desk["second"]
    rule.naf_codes.add("10")
    rule.min_employees, rule.max_employees = 10, 49
    rule.export_statuses = ["new"]
    rule.save()

    page = text_of(client_for(admin_user).get("/guichet/regles/"))

    assert "3 règles" in page
    customers = page.index('id="sujet-clients-etranger"')
    finance = page.index('id="sujet-financer-prospection"')
    assert customers < finance
    section = page[customers:finance]
    assert section.index("CCI Test") < section.index("Région Test")  # rank 1 before rank 2
    assert "Côte-d'Or (21)" in section
    assert "NAF 10 ; effectif de 10 à 49 salariés ; statut export : Primo-exportateur" in section
    assert "Tout le territoire" in page[finance:]
    assert "Aucun filtre" in page
    assert f"/guichet/regles/{rule.pk}/modifier/" in page
    for link in ("/guichet/regles/couverture/", "/guichet/regles/apercu/", "/guichet/reglages/"):
        assert link in page


def test_list_filters_by_subject_organisation_and_departement(client_for, admin_user, desk, bpi):
    client = client_for(admin_user)

    by_subject = text_of(client.get("/guichet/regles/?sujet=financer-prospection"))
    by_org = text_of(client.get("/guichet/regles/?organisation=cci-test"))
    in_doubs = text_of(client.get("/guichet/regles/?departement=25"))
    in_dijon = text_of(client.get("/guichet/regles/?departement=21"))

    assert "1 règle" in by_subject
    assert "Bpifrance Test" in by_subject
    assert "CCI Test" not in by_subject.split("1 règle")[1]
    assert "1 règle" in by_org
    assert "Région Test</td>" not in by_org
    # In the Doubs only the rule without territory applies; in Côte-d'Or all three.
    assert "1 règle" in in_doubs
    assert "Bpifrance Test" in in_doubs
    assert "3 règles" in in_dijon


def test_list_exports_csv_and_xlsx(client_for, admin_user, desk):
    client = client_for(admin_user)

    csv_response = client.get("/guichet/regles/?format=csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    xlsx = client.get("/guichet/regles/?sujet=clients-etranger&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert lines[0].startswith("Sujet;Rang;Organisation;Personne nommée;Régions;Départements")
    assert "Trouver des clients à l'étranger;1;CCI Test;;;21;" in lines[1]
    assert len(lines) == 4
    assert rows[0][:3] == ("Sujet", "Rang", "Organisation")
    assert [r[2] for r in rows[1:]] == ["CCI Test", "Région Test"]


def test_empty_state_explains_rules(client_for, admin_user, reference):
    page = text_of(client_for(admin_user).get("/guichet/regles/"))

    assert "Aucune règle d'orientation" in page
    assert "quelle organisation partenaire reçoit les demandes" in page
    assert "Créer la première règle" in page


# --- Rule form ---------------------------------------------------------------------------------


def test_admin_creates_a_rule_with_territory_and_filters(
    client_for, admin_user, reference, subjects, org_a
):
    client = client_for(admin_user)
    data = rule_data(
        subjects["salon-mission"],
        org_a,
        person=admin_user.pk,
        priority="2",
        regions=["27"],
        departements=["21", "25"],
        communes="21231, 25056 2a004",
        naf_codes="10, 11.02B, 0121z",
        min_employees="10",
        max_employees="250",
        min_age_years="2",
        max_age_years="20",
        export_statuses=["new", "occasional"],
        note="Accord 2026",
    )

    response = client.post("/guichet/regles/nouvelle/", data)

    assert response.status_code == 302
    rule = RoutingRule.objects.get(subject=subjects["salon-mission"])
    assert (rule.organisation, rule.person, rule.priority) == (org_a, admin_user, 2)
    assert sorted(rule.departements.values_list("code", flat=True)) == ["21", "25"]
    assert list(rule.regions.values_list("code", flat=True)) == ["27"]
    assert rule.communes == ["21231", "25056", "2A004"]
    assert sorted(rule.naf_codes.values_list("code", flat=True)) == ["01.21Z", "10", "11.02B"]
    assert (rule.min_employees, rule.max_employees) == (10, 250)
    assert (rule.min_age_years, rule.max_age_years) == (2, 20)
    assert rule.export_statuses == ["new", "occasional"]
    assert rule.note == "Accord 2026"
    assert rule.is_active
    assert "est créée" in text_of(client.get("/guichet/regles/"))
    events = list(
        AuditEvent.objects.filter(object_type="desk.RoutingRule", object_id=str(rule.pk))
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert events[0][0] == AuditEvent.Action.CREATE
    assert "2A004" in str(events[0][1]["communes"][1])
    assert ("update", {"departements": ["ajout", ["21", "25"]]}) in events


def test_edit_form_shows_saved_codes_and_deactivates(client_for, admin_user, desk, subjects):
    rule = desk["first"]
    rule.communes = ["21231", "21054"]
    rule.save()
    rule.naf_codes.add("10", "11.02B")
    client = client_for(admin_user)

    page = text_of(client.get(f"/guichet/regles/{rule.pk}/modifier/"))
    data = rule_data(rule.subject, rule.organisation, departements=["21"], is_active="")
    response = client.post(f"/guichet/regles/{rule.pk}/modifier/", data)

    assert "21231, 21054" in page
    assert "10, 11.02B" in page
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.is_active is False
    assert rule.communes == []
    assert not rule.naf_codes.exists()
    assert RoutingRule.objects.filter(pk=rule.pk).exists()  # deactivated, never deleted
    assert "est désactivée" in text_of(client.get("/guichet/regles/"))
    changes = AuditEvent.objects.filter(
        object_type="desk.RoutingRule", object_id=str(rule.pk), action="update"
    ).values_list("changes", flat=True)
    deactivation = next(c for c in changes if "is_active" in c)
    assert deactivation["is_active"] == [True, False]
    assert "21054" in str(deactivation["communes"][0])
    assert {"naf_codes": ["retrait", ["10", "11.02B"]]} in list(changes)


def test_unknown_naf_code_is_named_and_input_kept(
    client_for, admin_user, reference, subjects, org_a
):
    data = rule_data(
        subjects["autre"], org_a, naf_codes="10, 99.99X", communes="21231", note="Gardez-moi"
    )

    response = client_for(admin_user).post("/guichet/regles/nouvelle/", data)

    page = text_of(response)
    assert response.status_code == 200
    assert "Codes NAF inconnus : 99.99X" in page
    assert "10, 99.99X" in page
    assert "Gardez-moi" in page
    assert "21231" in page
    assert not RoutingRule.objects.exists()


def test_bad_communes_are_named(client_for, admin_user, reference, subjects, org_a):
    data = rule_data(subjects["autre"], org_a, communes="21231, 2123, 98735, ABCDE")

    page = text_of(client_for(admin_user).post("/guichet/regles/nouvelle/", data))

    assert "Codes commune invalides : 2123, 98735, ABCDE" in page
    assert not RoutingRule.objects.exists()


def test_min_above_max_is_refused(client_for, admin_user, reference, subjects, org_a):
    data = rule_data(
        subjects["autre"],
        org_a,
        min_employees="50",
        max_employees="10",
        min_age_years="8",
        max_age_years="3",
    )

    page = text_of(client_for(admin_user).post("/guichet/regles/nouvelle/", data))

    assert "L'effectif maximum doit être supérieur ou égal à l'effectif minimum." in page
    assert "L'âge maximum doit être supérieur ou égal à l'âge minimum." in page
    assert not RoutingRule.objects.exists()


def test_person_must_be_an_active_member_of_the_organisation(
    client_for, admin_user, reference, subjects, org_a, advisor_b
):
    client = client_for(admin_user)
    leaver = make_user("jean.parti@test.example", org_a, ["advisor"], is_active=False)

    other = text_of(
        client.post(
            "/guichet/regles/nouvelle/", rule_data(subjects["autre"], org_a, person=advisor_b.pk)
        )
    )
    inactive = text_of(
        client.post(
            "/guichet/regles/nouvelle/", rule_data(subjects["autre"], org_a, person=leaver.pk)
        )
    )

    assert "Bruno Autre n'est pas un membre actif de Région Test." in other
    assert "Jean Parti n'est pas un membre actif de Région Test." in inactive
    assert not RoutingRule.objects.exists()


def test_create_form_is_prefilled_from_coverage_link(client_for, admin_user, reference, subjects):
    response = client_for(admin_user).get(
        "/guichet/regles/nouvelle/?sujet=recruter-vie&departement=58"
    )

    form = response.context["form"]
    assert form["subject"].value() == subjects["recruter-vie"].pk
    assert [str(v) for v in form["departements"].value()] == ["58"]
    assert 'value="58" selected' in response.content.decode()


# --- Preview -----------------------------------------------------------------------------------


def test_preview_company_in_cote_dor_shows_first_and_next_partner(client_for, admin_user, desk):
    company = make_company("552100554", "FROMAGERIE DIJONNAISE", naf="10.51C", commune_code="21231")
    company.headcount_band = HeadcountBand.objects.get(code="12")
    company.creation_date = date(2015, 4, 1)
    company.export_status = "occasional"
    company.save()

    response = client_for(admin_user).get(
        "/guichet/regles/apercu/?identifier=552+100+554&subject=clients-etranger"
    )

    page = text_of(response)
    assert "FROMAGERIE DIJONNAISE (552100554)" in page
    assert "Bourgogne-Franche-Comté" in page
    assert "Côte-d'Or (21)" in page
    assert "10.51C – " in page
    assert "Exportateur occasionnel" in page
    assert "20 à 49 salariés" in page
    assert "ans</td>" in page
    first = page.index("Reçoit la demande en premier")
    then = page.index("Ensuite, en cas de refus")
    last = page.index("En dernier recours")
    assert first < page.index("CCI Test", first) < then < page.index("Région Test", then) < last
    assert "Team France Export Test (organisation de secours)" in page[last:]
    assert not Need.objects.exists()
    assert not Match.objects.exists()


def test_preview_by_siret_uses_the_establishment_commune(client_for, admin_user, desk):
    make_company("552100554", "FROMAGERIE DIJONNAISE", commune_code="25056", nic="00034")

    page = text_of(
        client_for(admin_user).get(
            "/guichet/regles/apercu/?identifier=55210055400034&subject=clients-etranger"
        )
    )

    assert "Doubs (25)" in page
    assert "Aucune règle ne couvre cette demande" in page
    assert "Team France Export Test" in page


def test_preview_postal_code_outside_rules_goes_to_fallback(client_for, admin_user, desk):
    page = text_of(
        client_for(admin_user).get(
            "/guichet/regles/apercu/?postal_code=69001&subject=clients-etranger"
        )
    )

    assert "Entreprise absente du fichier, code postal 69001" in page
    assert "Aucune règle ne couvre cette demande" in page
    assert "Elle partirait à l'organisation de secours : Team France Export Test." in page
    assert "/guichet/regles/nouvelle/?sujet=clients-etranger&departement=69" in page


def test_preview_without_fallback_warns(client_for, admin_user, desk):
    policy = DeskPolicy.current()
    policy.fallback_organisation = None
    policy.save()

    page = text_of(
        client_for(admin_user).get("/guichet/regles/apercu/?postal_code=69001&subject=autre")
    )

    assert "Aucune organisation de secours n'est définie" in page


def test_preview_errors_are_french(client_for, admin_user, desk):
    make_company("552100554", "FROMAGERIE DIJONNAISE")
    client = client_for(admin_user)

    unknown = text_of(client.get("/guichet/regles/apercu/?identifier=999999999&subject=autre"))
    postal = text_of(client.get("/guichet/regles/apercu/?postal_code=00100&subject=autre"))
    both = text_of(
        client.get("/guichet/regles/apercu/?identifier=552100554&postal_code=21000&subject=autre")
    )
    nothing = text_of(client.get("/guichet/regles/apercu/?subject=autre"))
    bad = text_of(client.get("/guichet/regles/apercu/?identifier=12ab&subject=autre"))

    assert "Aucune entreprise du fichier n'a le numéro 999999999" in unknown
    assert "Code postal inconnu" in postal
    assert "pas les deux" in both
    assert "Indiquez le SIREN ou le SIRET d'une entreprise, ou un code postal." in nothing
    assert "Indiquez un SIREN (9 chiffres) ou un SIRET (14 chiffres)." in bad
    assert 'value="12ab"' in bad


# --- Service levels ----------------------------------------------------------------------------


def policy_data(fallback, **overrides) -> dict:
    data = {
        "first_answer_days": "5",
        "escalation_day": "9",
        "reroute_day": "21",
        "abandon_day": "45",
        "close_reminder_day": "30",
        "survey_delay_days": "10",
        "fallback_organisation": fallback.pk,
        "desk_phone": "0380443300",
        "desk_email": "guichet@region.example",
        "submissions_per_hour": "5",
    }
    data.update(overrides)
    return data


def test_policy_page_explains_working_days(client_for, admin_user, desk):
    page = text_of(client_for(admin_user).get("/guichet/reglages/"))

    assert "jours ouvrés" in page
    assert "jours fériés français" in page
    assert 'value="45"' in page


def test_policy_is_saved(client_for, admin_user, desk, bpi):
    client = client_for(admin_user)

    response = client.post(
        "/guichet/reglages/", policy_data(bpi, first_answer_days="3", escalation_day="6")
    )

    assert response.status_code == 302
    policy = DeskPolicy.current()
    assert (policy.first_answer_days, policy.escalation_day) == (3, 6)
    assert policy.fallback_organisation == bpi
    assert policy.desk_phone == "03 80 44 33 00"
    assert "sont enregistrés" in text_of(client.get("/guichet/reglages/"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"escalation_day": "4"}, "L'alerte au responsable ne peut pas précéder"),
        ({"reroute_day": "9"}, "La réorientation doit venir après l'alerte au responsable"),
        ({"abandon_day": "20"}, "La clôture sans réponse doit venir après la réorientation"),
        ({"first_answer_days": "0"}, "Indiquez un nombre supérieur ou égal à 1."),
        ({"desk_phone": "12"}, "téléphone"),
    ],
)
def test_policy_validation(client_for, admin_user, desk, overrides, message):
    response = client_for(admin_user).post(
        "/guichet/reglages/", policy_data(desk["policy"].fallback_organisation, **overrides)
    )

    page = text_of(response)
    assert response.status_code == 200
    assert message in page
    policy = DeskPolicy.current()
    assert (policy.escalation_day, policy.reroute_day, policy.abandon_day) == (9, 21, 45)
    assert policy.desk_phone == "03 80 00 00 00"
    for value in overrides.values():
        assert f'value="{value}"' in page  # what was typed is kept


# --- Subjects ----------------------------------------------------------------------------------


def test_subjects_list_counts_needs_and_rules(client_for, admin_user, desk):
    submit(("clients-etranger",))
    page = text_of(client_for(admin_user).get("/guichet/sujets/"))

    row = page[page.index("Trouver des clients à l'étranger") :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td>" in row  # one need
    assert ">2</a>" in row  # two rules, linked to the filtered rule list


def test_admin_adds_a_subject_with_a_generated_code(client_for, admin_user, reference):
    client = client_for(admin_user)

    response = client.post(
        "/guichet/sujets/",
        {"action": "create", "label": "Sécuriser ses paiements à l'export", "order": "15"},
    )

    assert response.status_code == 302
    subject = Subject.objects.get(label="Sécuriser ses paiements à l'export")
    assert subject.code == "securiser-ses-paiements-a-lexport"
    assert subject.is_active is False  # unchecked box: not offered yet
    assert "(code securiser-ses-paiements-a-lexport)" in text_of(client.get("/guichet/sujets/"))


def test_edit_keeps_the_code(client_for, admin_user, reference):
    client = client_for(admin_user)
    page = text_of(client.get("/guichet/sujets/?modifier=autre"))

    client.post(
        "/guichet/sujets/",
        {
            "action": "update",
            "code": "autre",
            "label": "Autre question",
            "description": "Tout le reste",
            "order": "200",
            "is_active": "on",
        },
    )

    assert "Modifier le sujet « Autre besoin »" in page
    subject = Subject.objects.get(code="autre")
    assert (subject.label, subject.description, subject.order) == (
        "Autre question",
        "Tout le reste",
        200,
    )


def test_duplicate_label_is_refused_and_kept(client_for, admin_user, reference):
    response = client_for(admin_user).post(
        "/guichet/sujets/", {"action": "create", "label": "autre besoin", "order": "5"}
    )

    page = text_of(response)
    assert "Un sujet porte déjà ce libellé." in page
    assert 'value="autre besoin"' in page
    assert Subject.objects.filter(label__iexact="autre besoin").count() == 1


def test_used_subject_is_never_deleted(client_for, admin_user, desk):
    submit(("strategie-diagnostic",))
    client = client_for(admin_user)

    with_need = client.post(
        "/guichet/sujets/", {"action": "delete", "code": "strategie-diagnostic"}
    )
    with_rule = client.post(
        "/guichet/sujets/", {"action": "delete", "code": "financer-prospection"}
    )
    unused = client.post(
        "/guichet/sujets/", {"action": "delete", "code": "propriete-intellectuelle"}
    )

    assert with_need.status_code == with_rule.status_code == unused.status_code == 302
    assert Subject.objects.filter(code="strategie-diagnostic").exists()
    assert Subject.objects.filter(code="financer-prospection").exists()
    assert not Subject.objects.filter(code="propriete-intellectuelle").exists()
    page = text_of(client.get("/guichet/sujets/"))
    assert "ne peut pas être supprimé" in page


def test_subjects_export(client_for, admin_user, reference):
    lines = (
        client_for(admin_user).get("/guichet/sujets/?format=csv").content.decode("utf-8-sig")
    ).splitlines()

    assert lines[0] == "Code;Libellé;Précision;Ordre;Proposé;Demandes;Règles"
    assert lines[1].startswith("clients-etranger;Trouver des clients à l'étranger;")
    assert len(lines) == 11


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_rules(client_for, admin_user, desk, subjects, org_a):
    client = client_for(admin_user)
    before = _queries(client, "/guichet/regles/")
    for code in ("salon-mission", "autre", "recruter-vie"):
        rule = RoutingRule.objects.create(
            subject=subjects[code], organisation=org_a, person=admin_user
        )
        rule.departements.add("21", "25")
        rule.naf_codes.add("10")

    assert _queries(client, "/guichet/regles/") == before
