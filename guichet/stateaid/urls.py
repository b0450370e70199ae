from django.urls import path, re_path

from guichet.stateaid.views import groups, ledger, register

app_name = "stateaid"

_COMPANY = r"^entreprises/(?P<siren>[0-9]{9})/aides-d-etat/"

urlpatterns = [
    re_path(_COMPANY + r"$", ledger.ledger, name="ledger"),
    re_path(_COMPANY + r"declarer/$", ledger.declare, name="declare"),
    path("aides-d-etat/aides/<int:pk>/annuler/", ledger.grant_cancel, name="grant_cancel"),
    path("aides-d-etat/entreprises-uniques/", groups.groups, name="groups"),
    path("aides-d-etat/entreprises-uniques/<int:pk>/", groups.group_detail, name="group_detail"),
    path(
        "aides-d-etat/entreprises-uniques/<int:pk>/rattacher/",
        groups.group_link,
        name="group_link",
    ),
    path(
        "aides-d-etat/entreprises-uniques/<int:pk>/retirer/",
        groups.group_unlink,
        name="group_unlink",
    ),
    path("aides-d-etat/registre/", register.register_export, name="register_export"),
]
