from django.contrib.auth.decorators import login_not_required
from django.urls import path

from guichet.partners.views import auth, organisations, users

app_name = "partners"

urlpatterns = [
    path("compte/connexion/", auth.login_view, name="login"),
    path("compte/deconnexion/", auth.LogoutView.as_view(), name="logout"),
    path("compte/", auth.account, name="account"),
    path(
        "compte/mot-de-passe-oublie/",
        login_not_required(auth.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "compte/mot-de-passe-oublie/envoye/",
        login_not_required(auth.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        login_not_required(auth.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/enregistre/",
        login_not_required(auth.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "compte/double-authentification/",
        auth.second_factor_verify,
        name="second_factor_verify",
    ),
    path(
        "compte/double-authentification/activer/",
        auth.second_factor_setup,
        name="second_factor_setup",
    ),
    path(
        "compte/double-authentification/desactiver/",
        auth.second_factor_disable,
        name="second_factor_disable",
    ),
    path("partenaires/", organisations.directory, name="organisation_list"),
    path("partenaires/nouvelle/", organisations.create, name="organisation_create"),
    path("partenaires/<slug:slug>/", organisations.detail, name="organisation_detail"),
    path("partenaires/<slug:slug>/modifier/", organisations.edit, name="organisation_edit"),
    path("partenaires/<slug:slug>/cles-api/", organisations.api_key_create, name="api_key_create"),
    path(
        "partenaires/<slug:slug>/cles-api/<int:pk>/revoquer/",
        organisations.api_key_revoke,
        name="api_key_revoke",
    ),
    path("administration/utilisateurs/", users.user_list, name="user_list"),
    path("administration/utilisateurs/nouveau/", users.user_create, name="user_create"),
    path("administration/utilisateurs/<int:pk>/", users.user_detail, name="user_detail"),
    path("administration/utilisateurs/<int:pk>/modifier/", users.user_edit, name="user_edit"),
    path("administration/roles/", users.role_settings, name="role_settings"),
]
