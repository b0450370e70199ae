from django.urls import path

# Importing the registry's URLs registers the "siren" path converter they define.
from guichet.companies import urls as _companies_urls  # noqa: F401
from guichet.diagnostics.views import filling, questionnaires, results

app_name = "diagnostics"

urlpatterns = [
    # Questionnaires and their versions (administrators edit drafts and publish).
    path("diagnostics/questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path(
        "diagnostics/questionnaires/<slug:slug>/v<int:number>/",
        questionnaires.version_detail,
        name="version",
    ),
    path(
        "diagnostics/questionnaires/<slug:slug>/v<int:number>/nouvelle-version/",
        questionnaires.version_new,
        name="version_new",
    ),
    path(
        "diagnostics/questionnaires/<slug:slug>/v<int:number>/publier/",
        questionnaires.version_publish,
        name="version_publish",
    ),
    path(
        "diagnostics/questionnaires/<slug:slug>/v<int:number>/calcul/",
        questionnaires.version_notes_edit,
        name="version_notes",
    ),
    path(
        "diagnostics/questionnaires/<slug:slug>/v<int:number>/questions/<slug:code>/",
        questionnaires.question_edit,
        name="question_edit",
    ),
    # Filling, by an advisor or by the company through its signed link.
    path("entreprises/<siren:siren>/diagnostics/nouveau/", filling.start, name="start"),
    path("diagnostics/<int:pk>/", filling.fill, name="fill"),
    path("diagnostics/<int:pk>/lien/", filling.link, name="link"),
    path("diagnostics/<int:pk>/terminer/", filling.complete, name="complete"),
    path("diagnostic/<str:token>/", filling.company_fill, name="company_fill"),
    # Results, action plan, report, comparison (views/results.py).
    path("diagnostics/<int:pk>/resultats/", results.result, name="result"),
    path("diagnostics/<int:pk>/plan/", results.plan_edit, name="plan_edit"),
    path("diagnostics/<int:pk>/rapport.pdf", results.report_pdf, name="report_pdf"),
    path("diagnostics/<int:pk>/transmettre/", results.share, name="share"),
    path("entreprises/<siren:siren>/diagnostics/comparer/", results.compare, name="compare"),
]
