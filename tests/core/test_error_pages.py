"""Error pages are in French, in the platform's frame, and say what was not found."""


def test_unknown_page_is_a_french_404(client_for, advisor_a):
    response = client_for(advisor_a).get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert "La page que vous cherchez n'existe pas" in page


def test_a_404_with_a_message_shows_it(client_for, advisor_a):
    response = client_for(advisor_a).get("/guichet/demandes/26-ZZZZZZ/")
    assert response.status_code == 404
    assert "Aucune demande n&#x27;a cette référence." in response.content.decode()


def test_forbidden_is_a_french_403(client_for, readonly_a):
    response = client_for(readonly_a).get("/guichet/regles/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
