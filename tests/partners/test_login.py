from django.test import Client

from tests.conftest import PASSWORD


def login(client: Client, email: str, password: str):
    return client.post("/compte/connexion/", {"username": email, "password": password})


def test_login_page_is_french_and_public(db):
    page = Client().get("/compte/connexion/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="fr"' in html
    assert "Adresse électronique" in html
    assert "Mot de passe oublié ?" in html
    assert "Se connecter" in html


def test_good_password_logs_in_case_insensitively(advisor_a):
    client = Client()
    response = login(client, "CLAIRE.Conseil@test.example", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Bonjour Claire" in client.get("/").content.decode()


def test_wrong_password_shows_a_french_message(advisor_a):
    response = login(Client(), advisor_a.email, "mauvais")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_ten_wrong_passwords_lock_the_account_with_a_french_message(advisor_a):
    client = Client()
    for _ in range(9):
        assert login(client, advisor_a.email, "mauvais").status_code == 200
    locked = login(client, advisor_a.email, "mauvais")
    assert locked.status_code == 429
    assert "Compte temporairement verrouillé" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()
    # Even the right password is refused while the lock lasts, from another browser too.
    again = login(Client(), advisor_a.email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_per_account(advisor_a, advisor_b):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(10):
        login(client, advisor_a.email, "mauvais")
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert login(other, advisor_b.email, PASSWORD).status_code == 302


def test_inactive_user_cannot_log_in(advisor_a):
    advisor_a.is_active = False
    advisor_a.save()
    response = login(Client(), advisor_a.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_logout_by_post_returns_to_login(client_for, advisor_a):
    client = client_for(advisor_a)
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/"
    assert client.get("/").status_code == 302
