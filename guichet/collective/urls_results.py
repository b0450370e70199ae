"""Pages of the results part (follow-up surveys, results, evaluator's export). Mounted before
the actions' "<slug>/" pages so that "resultats/" is never read as an action's identifier."""

from django.urls import path

from guichet.collective.views import results

urlpatterns = [
    path("actions-collectives/enquete/<str:token>/", results.survey, name="survey"),
    path(
        "actions-collectives/enquetes/<int:pk>/saisie/",
        results.survey_enter,
        name="survey_enter",
    ),
    path("actions-collectives/resultats/", results.results, name="results"),
    path(
        "actions-collectives/resultats/export-evaluateur/",
        results.evaluator_export,
        name="evaluator_export",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/resultats/",
        results.action_results,
        name="action_results",
    ),
]
