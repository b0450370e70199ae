from django.urls import path

# Importing the registry's URLs registers the "siren" path converter they define.
from guichet.companies import urls as _companies_urls  # noqa: F401
from guichet.journeys.views import actions, funnel, journey, portfolio, timeline

app_name = "journeys"
urlpatterns = [
    path("entreprises/<siren:siren>/historique/", timeline.timeline, name="timeline"),
    path("entreprises/<siren:siren>/historique/nouveau/", timeline.note_create, name="note_create"),
    path("entreprises/<siren:siren>/parcours/etape/", journey.stage_change, name="stage_change"),
    path("entreprises/<siren:siren>/parcours/referent/", journey.lead_set, name="lead_set"),
    path(
        "entreprises/<siren:siren>/parcours/actions/nouvelle/",
        journey.action_create,
        name="action_create",
    ),
    path("parcours/actions/", actions.my_actions, name="my_actions"),
    path("parcours/actions/<int:pk>/faite/", actions.action_done, name="action_done"),
    path("parcours/actions/<int:pk>/rouvrir/", actions.action_reopen, name="action_reopen"),
    path("parcours/portefeuille/", portfolio.portfolio, name="portfolio"),
    path("parcours/portefeuille/transfert/", portfolio.transfer, name="transfer"),
    path("parcours/entonnoir/", funnel.funnel_page, name="funnel"),
]
