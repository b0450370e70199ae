"""Pages of schemes and of the filing of applications (advisor and company)."""

from django.urls import path

from guichet.aids.views import company, filing, schemes

urlpatterns = [
    path("aides/dispositifs/", schemes.scheme_list, name="schemes"),
    path("aides/dispositifs/nouveau/", schemes.scheme_create, name="scheme_create"),
    path("aides/dispositifs/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("aides/dispositifs/<slug:slug>/modifier/", schemes.scheme_edit, name="scheme_edit"),
    path("aides/demande/", company.apply, name="apply"),
    path("aides/demande/envoyee/", company.apply_done, name="apply_done"),
    path("aides/mon-dossier/<str:token>/", company.company_file, name="company_file"),
    path(
        "aides/mon-dossier/<str:token>/pieces/<int:pk>/",
        company.company_document,
        name="company_document",
    ),
    path(
        "aides/mon-dossier/<str:token>/decision.pdf",
        company.company_decision_letter,
        name="company_decision_letter",
    ),
    path(
        "entreprises/<siren:siren>/aides/nouvelle/",
        filing.application_new,
        name="application_new",
    ),
    path(
        "aides/dossiers/<str:reference>/modifier/",
        filing.application_edit,
        name="application_edit",
    ),
    path(
        "aides/dossiers/<str:reference>/lien/",
        filing.application_send_link,
        name="application_send_link",
    ),
]
