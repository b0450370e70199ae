from django.contrib import admin
from django.urls import include, path

from config.api import api

admin.site.site_header = "Administration technique — Guichet Export"

urlpatterns = [
    path("", include("guichet.core.urls")),
    path("", include("guichet.partners.urls")),
    path("", include("guichet.companies.urls")),
    path("", include("guichet.journeys.urls")),
    path("", include("guichet.desk.urls")),
    path("", include("guichet.offers.urls")),
    path("", include("guichet.diagnostics.urls")),
    path("", include("guichet.stateaid.urls")),
    path("", include("guichet.aids.urls")),
    path("", include("guichet.vie.urls")),
    path("", include("guichet.collective.urls")),
    path("", include("guichet.markets.urls")),
    path("", include("guichet.plans.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
