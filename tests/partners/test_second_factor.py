"""Second factor (TOTP): setup with a QR code, code at each login, mandatory per role.

The phone and the server share one clock here (`clock` fixture): codes are computed for a fixed
instant, so no test depends on where the real clock falls within a 30-second step.
"""

import re
from base64 import b32encode
from types import SimpleNamespace

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.partners.models import Role
from tests.conftest import PASSWORD

SETUP = "/compte/double-authentification/activer/"
VERIFY = "/compte/double-authentification/"
DISABLE = "/compte/double-authentification/desactiver/"
ROLES = "/administration/roles/"
NOW = 1_750_000_005.0  # a fixed instant, 5 s into a 30-second step


@pytest.fixture
def clock(monkeypatch):
    """The server's clock as django-otp reads it; tests move it forward like real time."""
    state = SimpleNamespace(now=NOW)
    fake_time = SimpleNamespace(time=lambda: state.now)
    monkeypatch.setattr("django_otp.plugins.otp_totp.models.time", fake_time)
    return state


def code_for(device: TOTPDevice, at: float) -> str:
    """The 6-digit code an authenticator app shows at instant `at` for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def wrong_code_for(device: TOTPDevice, at: float) -> str:
    """A code accepted at no step the server tolerates around `at`."""
    accepted = {code_for(device, at + k * device.step) for k in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in accepted)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def password_login(email: str) -> Client:
    client = Client()
    response = client.post("/compte/connexion/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, "the password step must succeed"
    return client


def html(response) -> str:
    return response.content.decode()


# --- Setup -------------------------------------------------------------------------------


def test_setup_page_shows_an_inline_svg_qr_code_and_the_secret(client_for, advisor_a, clock):
    page = client_for(advisor_a).get(SETUP)
    assert page.status_code == 200
    body = html(page)
    assert "Activer la double authentification" in body
    assert '<div class="guichet-qr fr-my-2w" aria-hidden="true"><svg' in body
    device = TOTPDevice.objects.get(user=advisor_a)
    assert device.confirmed is False
    secret = b32encode(device.bin_key).decode()
    shown = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f"Clé : <code>{shown}</code>" in body
    # The page is not mandatory for an advisor: no warning.
    assert "Votre rôle impose la double authentification" not in body


def test_reloading_the_setup_page_keeps_the_same_secret(client_for, advisor_a, clock):
    client = client_for(advisor_a)
    client.get(SETUP)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=advisor_a).count() == 1


def test_a_wrong_setup_code_shows_a_french_error_and_confirms_nothing(client_for, advisor_a, clock):
    client = client_for(advisor_a)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=advisor_a)
    response = client.post(SETUP, {"code": wrong_code_for(device, clock.now)})
    assert response.status_code == 200
    assert "Code incorrect. Vérifiez l&#x27;heure de votre téléphone et réessayez." in html(
        response
    )
    assert not TOTPDevice.objects.filter(user=advisor_a, confirmed=True).exists()


def test_a_non_numeric_setup_code_is_refused_in_french(client_for, advisor_a, clock):
    client = client_for(advisor_a)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "12a456"})
    assert "Le code ne contient que des chiffres." in html(response)
    assert not TOTPDevice.objects.filter(user=advisor_a, confirmed=True).exists()


def test_the_right_setup_code_confirms_the_device(client_for, advisor_a, clock):
    client = client_for(advisor_a)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=advisor_a)
    response = client.post(SETUP, {"code": code_for(device, clock.now)}, follow=True)
    assert response.redirect_chain[-1][0] == "/compte/"
    body = html(response)
    assert "La double authentification est activée." in body
    assert "Activée" in body
    assert TOTPDevice.objects.filter(user=advisor_a, confirmed=True).count() == 1
    # The session that set it up is already verified: pages open without a code.
    assert client.get("/").status_code == 200


def test_setup_when_already_active_says_so(client_for, advisor_a, clock):
    confirmed_device(advisor_a)
    client = client_for(advisor_a)
    # force_login has no second factor: verify first, as at a real login.
    device = TOTPDevice.objects.get(user=advisor_a)
    client.post(VERIFY, {"code": code_for(device, clock.now)})
    response = client.get(SETUP, follow=True)
    assert response.redirect_chain[-1][0] == "/compte/"
    assert "La double authentification est déjà activée sur votre compte." in html(response)
    assert TOTPDevice.objects.filter(user=advisor_a).count() == 1


# --- Login with a device ------------------------------------------------------------------


def test_after_setup_a_fresh_login_asks_for_the_code(client_for, advisor_a, clock):
    setup_client = client_for(advisor_a)
    setup_client.get(SETUP)
    device = TOTPDevice.objects.get(user=advisor_a)
    setup_client.post(SETUP, {"code": code_for(device, clock.now)})

    clock.now += 60  # the next day, or one minute later: a new code is shown
    client = password_login(advisor_a.email)
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == f"{VERIFY}?next=/"
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": code_for(device, clock.now), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Bonjour Claire" in html(client.get("/"))


@pytest.mark.parametrize("url", ["/", "/compte/", "/partenaires/", "/partenaires/region-test/"])
def test_pages_are_blocked_until_the_code_is_given(advisor_a, clock, url):
    confirmed_device(advisor_a)
    client = password_login(advisor_a.email)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={url}"


def test_the_verify_page_is_french(advisor_a, clock):
    confirmed_device(advisor_a)
    page = password_login(advisor_a.email).get(VERIFY)
    assert page.status_code == 200
    body = html(page)
    assert "Double authentification" in body
    assert "Saisissez le code à 6 chiffres affiché par votre application" in body
    assert "Valider" in body


def test_a_wrong_login_code_is_refused_in_french(advisor_a, clock):
    device = confirmed_device(advisor_a)
    client = password_login(advisor_a.email)
    response = client.post(VERIFY, {"code": wrong_code_for(device, clock.now), "next": "/"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré. Saisissez le code affiché maintenant." in html(response)
    assert client.get("/").status_code == 302


def test_a_right_code_after_a_wrong_one_lets_the_user_in(settings, advisor_a, clock):
    # django-otp makes a second try wait 1 s after a failure; a person always takes longer.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = confirmed_device(advisor_a)
    client = password_login(advisor_a.email)
    client.post(VERIFY, {"code": wrong_code_for(device, clock.now)})
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": code_for(device, clock.now), "next": "/partenaires/"})
    assert response["Location"] == "/partenaires/"
    assert client.get("/partenaires/").status_code == 200


def test_a_code_cannot_be_used_twice(advisor_a, clock):
    """A code seen over someone's shoulder is useless once its owner has typed it."""
    device = confirmed_device(advisor_a)
    code = code_for(device, clock.now)
    first = password_login(advisor_a.email)
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    second = password_login(advisor_a.email)
    response = second.post(VERIFY, {"code": code})
    assert "Code incorrect ou expiré." in html(response)
    assert second.get("/").status_code == 302


def test_verify_does_not_redirect_to_another_site(advisor_a, clock):
    device = confirmed_device(advisor_a)
    client = password_login(advisor_a.email)
    code = code_for(device, clock.now)
    response = client.post(VERIFY, {"code": code, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_verify_without_a_device_goes_to_setup(client_for, advisor_a, clock):
    response = client_for(advisor_a).get(VERIFY)
    assert response["Location"] == SETUP


# --- Disabling ----------------------------------------------------------------------------


def verified_client(user, device: TOTPDevice, at: float) -> Client:
    client = password_login(user.email)
    assert client.post(VERIFY, {"code": code_for(device, at)}).status_code == 302
    return client


def test_a_verified_user_disables_the_second_factor_by_post(advisor_a, clock):
    device = confirmed_device(advisor_a)
    client = verified_client(advisor_a, device, clock.now)
    # A link (GET) changes nothing.
    assert client.get(DISABLE)["Location"] == "/compte/"
    assert TOTPDevice.objects.filter(user=advisor_a).exists()
    response = client.post(DISABLE, follow=True)
    assert "La double authentification est désactivée." in html(response)
    assert not TOTPDevice.objects.filter(user=advisor_a).exists()
    # The next login asks for the password only.
    assert password_login(advisor_a.email).get("/").status_code == 200


def test_disabling_needs_the_code_first(advisor_a, clock):
    """Someone who only knows the password must not be able to switch the second factor off.

    The middleware lets every URL under /compte/double-authentification/ through before the
    code is given, including the disable action.
    """
    confirmed_device(advisor_a)
    client = password_login(advisor_a.email)
    response = client.post(DISABLE)
    assert TOTPDevice.objects.filter(user=advisor_a, confirmed=True).exists()
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert client.get("/").status_code == 302


def test_a_role_that_requires_it_cannot_disable_it(advisor_a, clock):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    device = confirmed_device(advisor_a)
    client = verified_client(advisor_a, device, clock.now)
    account = client.get("/compte/")
    assert "Votre rôle impose la double authentification." in html(account)
    assert "Désactiver" not in html(account)
    response = client.post(DISABLE, follow=True)
    assert "Votre rôle impose la double authentification : elle reste active." in html(response)
    assert TOTPDevice.objects.filter(user=advisor_a, confirmed=True).exists()


# --- Mandatory per role -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/compte/", "/partenaires/"])
def test_a_role_that_requires_it_forces_setup_on_every_page(client_for, advisor_a, url):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    response = client_for(advisor_a).get(url)
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_the_forced_setup_page_explains_why(client_for, advisor_a, clock):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    page = client_for(advisor_a).get(SETUP)
    assert page.status_code == 200
    assert "Votre rôle impose la double authentification : activez-la pour accéder" in html(page)


def test_a_forced_user_can_still_log_out(client_for, advisor_a):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    response = client_for(advisor_a).post("/compte/deconnexion/")
    assert response["Location"] == "/compte/connexion/"


def test_a_user_whose_roles_do_not_require_it_is_not_forced(client_for, advisor_a, readonly_a):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    client = client_for(readonly_a)
    assert client.get("/").status_code == 200
    assert client.get("/compte/").status_code == 200
    assert not TOTPDevice.objects.filter(user=readonly_a).exists()


def test_once_set_up_a_forced_user_reaches_the_pages(client_for, advisor_a, clock):
    Role.objects.filter(code="advisor").update(requires_second_factor=True)
    client = client_for(advisor_a)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=advisor_a)
    client.post(SETUP, {"code": code_for(device, clock.now)})
    assert client.get("/partenaires/").status_code == 200


# --- Role settings page -------------------------------------------------------------------


def browser_for(user) -> Client:
    """A client that, like a browser, must send the CSRF token the form carries."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def submit_roles(client: Client, codes: list[str]):
    client.get(ROLES)
    token = client.cookies["csrftoken"].value
    return client.post(ROLES, {"csrfmiddlewaretoken": token, "required_roles": codes}, follow=True)


def ticked(page, code: str) -> bool:
    pattern = rf'<input type="checkbox" name="required_roles" value="{code}"[^>]*\bchecked>'
    return re.search(pattern, html(page)) is not None


def test_admin_makes_the_second_factor_mandatory_for_a_role(admin_user):
    client = browser_for(admin_user)
    page = client.get(ROLES)
    assert page.status_code == 200
    assert "Rôles et double authentification" in html(page)
    assert "Conseiller international" in html(page)
    assert not ticked(page, "advisor")
    response = submit_roles(client, ["advisor", "expert"])
    assert response.redirect_chain[-1][0] == ROLES
    assert "Les exigences de double authentification sont enregistrées." in html(response)
    required = set(Role.objects.filter(requires_second_factor=True).values_list("code", flat=True))
    assert required == {"advisor", "expert"}
    # The saved choice is shown ticked on the next visit.
    again = client.get(ROLES)
    assert ticked(again, "advisor")
    assert ticked(again, "expert")
    assert not ticked(again, "readonly")


def test_admin_lifts_every_requirement_by_unticking_all(admin_user):
    Role.objects.filter(code__in=["advisor", "expert"]).update(requires_second_factor=True)
    response = submit_roles(browser_for(admin_user), [])
    assert "Les exigences de double authentification sont enregistrées." in html(response)
    assert not Role.objects.filter(requires_second_factor=True).exists()


@pytest.mark.parametrize("who", ["advisor_a", "readonly_a", "manager_a"])
def test_a_non_admin_gets_403_on_role_settings(request, db, client_for, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(ROLES).status_code == 403
    assert client.post(ROLES, {"required_roles": ["advisor"]}).status_code == 403
    assert not Role.objects.filter(requires_second_factor=True).exists()
