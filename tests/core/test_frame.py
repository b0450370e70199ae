import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from config.env import env_bool, env_int, env_list
from guichet.core.exports import export_response

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_naming_the_failing_part(db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr("guichet.core.views.connection", BrokenConnection())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/mentions-legales/", "[Nom de l&#x27;opérateur de la plateforme]"),
        ("/donnees-personnelles/", "CNIL"),
        ("/accessibilite/", "partiellement conforme"),
    ],
)
def test_legal_pages_are_public_and_in_the_footer(db, url, text):
    page = Client().get(url).content.decode()
    assert text in page
    assert f'href="{url}"' in page


def test_security_headers_are_sent(db):
    response = Client().get("/compte/connexion/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_load_no_outside_resource(client_for, admin_user):
    html = client_for(admin_user).get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html.replace("https://www.w3.org", "")


def test_header_shows_platform_and_region(client_for, advisor_a):
    html = client_for(advisor_a).get("/").content.decode()
    assert "Guichet Export" in html
    assert "Région Bourgogne-Franche-Comté" in html


def test_advisor_home_explains_portfolio_and_inbox(client_for, advisor_a):
    html = client_for(advisor_a).get("/").content.decode()
    assert "Mon portefeuille" in html
    assert "Ma boîte de réception" in html
    assert "désignez-vous comme conseiller référent" in html
    assert "Chiffres clés" not in html


def test_manager_home_shows_key_figures(client_for, manager_a, advisor_b):
    html = client_for(manager_a).get("/").content.decode()
    assert "Chiffres clés" in html
    assert '<p class="guichet-figure">2</p>' in html  # two organisations, two users
    assert "Mon portefeuille" not in html


def test_home_page_query_count(client_for, admin_user, django_assert_max_num_queries):
    client = client_for(admin_user)
    # Frame and session: 9 queries; each capability panel adds at most two (registry, desk).
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GUICHET_DEBUG", "peut-être", "GUICHET_DEBUG='peut-être' is not a boolean"),
        ("GUICHET_REGION", "99", "GUICHET_REGION='99' is not an INSEE région code"),
        ("GUICHET_HSTS_SECONDS", "un an", "GUICHET_HSTS_SECONDS='un an' is not an integer"),
        ("GUICHET_SECRET_KEY", "court", "GUICHET_SECRET_KEY must be at least 32"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL"),
    ],
)
def test_malformed_variable_stops_startup_naming_it(variable, value, message):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "GUICHET_SECRET_KEY": "x" * 40,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        variable: value,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_env_parsers(monkeypatch):
    monkeypatch.setenv("GUICHET_X", "yes")
    assert env_bool("GUICHET_X", False) is True
    monkeypatch.setenv("GUICHET_X", "a, b,c")
    assert env_list("GUICHET_X", []) == ["a", "b", "c"]
    monkeypatch.setenv("GUICHET_X", "a,,b")
    with pytest.raises(Exception, match="empty item"):
        env_list("GUICHET_X", [])
    monkeypatch.setenv("GUICHET_X", "3")
    with pytest.raises(Exception, match="at least 5"):
        env_int("GUICHET_X", 10, minimum=5)


def test_csv_export_neutralises_formulas_and_keeps_accents():
    response = export_response(
        rows=[('=HYPERLINK("x")', "Dijon-Côte d'Or", -3)],
        headers=["A", "B", "C"],
        filename="essai",
        fmt="csv",
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ['\'=HYPERLINK("x")', "Dijon-Côte d'Or", "-3"]
    assert 'filename="essai-' in response["Content-Disposition"]
