from django.urls import path

# Importing the registry's URLs registers the "siren" path converter they define.
from guichet.companies import urls as _companies_urls  # noqa: F401
from guichet.journeys import views

app_name = "journeys"
urlpatterns = [
    path("entreprises/<siren:siren>/historique/", views.timeline, name="timeline"),
    path("entreprises/<siren:siren>/historique/nouveau/", views.note_create, name="note_create"),
]
