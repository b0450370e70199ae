"""Pages of the applications list, the application page and its instruction."""

from django.urls import path

from guichet.aids.views import applications, instruction

urlpatterns = [
    path("aides/dossiers/", applications.application_list, name="applications"),
    path(
        "aides/dossiers/<str:reference>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "aides/dossiers/<str:reference>/pieces/<int:pk>/",
        applications.document_download,
        name="document_download",
    ),
    path(
        "aides/dossiers/<str:reference>/instruction/",
        instruction.application_instruct,
        name="application_instruct",
    ),
    path(
        "aides/dossiers/<str:reference>/incomplet/",
        instruction.application_incomplete,
        name="application_incomplete",
    ),
    path(
        "aides/dossiers/<str:reference>/retrait/",
        instruction.application_withdraw,
        name="application_withdraw",
    ),
]
