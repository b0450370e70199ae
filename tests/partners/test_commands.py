"""Command-line tools of the foundation: `create_api_key` and `load_demo`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from guichet.partners.demo import USERS
from guichet.partners.models import ApiKey, Organisation, User

DEMO_PASSWORD = "demo-Bourgogne-2025"


def run(name: str, *args, **options) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


# --- create_api_key -----------------------------------------------------------------------


def test_create_api_key_prints_a_key_once_that_opens_the_api(org_a):
    output = run("create_api_key", "--organisation", "region-test", "--name", "CRM régional")
    lines = output.strip().splitlines()
    assert lines[0] == ("Clé d'API pour Région Test (conservez-la, elle ne sera plus affichée) :")
    raw = lines[-1]
    assert raw.startswith("ge_")
    assert output.count(raw) == 1
    key = ApiKey.objects.get(organisation=org_a)
    assert key.name == "CRM régional"
    assert raw not in (key.key_hash, key.prefix)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["organisation"]["slug"] == "region-test"
    assert response.json()["key"]["name"] == "CRM régional"


def test_each_run_creates_a_different_key(org_a):
    first = run("create_api_key", "--organisation", "region-test").strip().splitlines()[-1]
    second = run("create_api_key", "--organisation", "region-test").strip().splitlines()[-1]
    assert first != second
    assert (
        ApiKey.objects.filter(organisation=org_a, name="Clé créée en ligne de commande").count()
        == 2
    )


def test_create_api_key_for_an_unknown_organisation_fails_in_french(org_a):
    with pytest.raises(CommandError) as error:
        run("create_api_key", "--organisation", "inconnue")
    assert str(error.value) == "Aucune organisation active avec l'identifiant « inconnue »."
    assert not ApiKey.objects.exists()


def test_create_api_key_for_an_inactive_organisation_fails(org_a):
    Organisation.objects.filter(pk=org_a.pk).update(is_active=False)
    with pytest.raises(CommandError, match="Aucune organisation active"):
        run("create_api_key", "--organisation", "region-test")
    assert not ApiKey.objects.exists()


# --- load_demo ----------------------------------------------------------------------------


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", DEMO_PASSWORD)
    return DEMO_PASSWORD


def test_load_demo_creates_the_partners_and_prints_the_accounts(db, demo_password):
    output = run("load_demo")
    assert Organisation.objects.count() == 7
    assert User.objects.count() == 10
    assert set(Organisation.objects.values_list("slug", flat=True)) >= {
        "region-bfc",
        "cci-bfc",
        "business-france",
        "vitagora",
    }
    assert "Comptes de démonstration :" in output
    for email, *_rest in USERS:
        assert email in output
    assert "admin@demo.example" in output
    assert "Région Bourgogne-Franche-Comté — admin" in output
    # The password itself is never printed by the command.
    assert demo_password not in output


def test_demo_accounts_log_in_with_the_given_password(db, demo_password):
    run("load_demo")
    client = Client()
    response = client.post(
        "/compte/connexion/", {"username": "conseiller.cci@demo.example", "password": demo_password}
    )
    assert response.status_code == 302
    vitagora = Organisation.objects.get(slug="vitagora")
    assert sorted(vitagora.departements.values_list("code", flat=True)) == ["21", "58", "71", "89"]
    assert User.objects.get(email="expert.pvf@demo.example").role_codes == {"expert"}


def test_load_demo_twice_changes_nothing(db, demo_password):
    run("load_demo")
    first = (Organisation.objects.count(), User.objects.count())
    output = run("load_demo")
    assert (Organisation.objects.count(), User.objects.count()) == first == (7, 10)
    assert "admin@demo.example" in output


def test_load_demo_keeps_a_password_changed_since(db, demo_password, monkeypatch):
    run("load_demo")
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", "un-autre-mot-de-passe-long")
    run("load_demo")
    assert User.objects.get(email="admin@demo.example").check_password(demo_password)


@pytest.mark.parametrize("value", ["", "onze-caract"])
def test_load_demo_refuses_a_short_password_in_french(db, monkeypatch, value):
    monkeypatch.setenv("GUICHET_DEMO_PASSWORD", value)
    with pytest.raises(CommandError) as error:
        run("load_demo")
    assert str(error.value) == (
        "GUICHET_DEMO_PASSWORD doit contenir un mot de passe d'au moins 12 caractères."
    )
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_load_demo_reads_another_variable_when_asked(db, monkeypatch):
    monkeypatch.delenv("GUICHET_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv("MON_MOT_DE_PASSE", DEMO_PASSWORD)
    run("load_demo", "--password-env", "MON_MOT_DE_PASSE")
    assert User.objects.get(email="lecture@demo.example").check_password(DEMO_PASSWORD)
