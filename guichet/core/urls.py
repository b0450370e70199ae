from django.urls import path

from guichet.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("administration/journal/", views.audit_log, name="audit_log"),
    path("mentions-legales/", views.legal_page, {"slug": "mentions-legales"}, name="legal_notice"),
    path(
        "donnees-personnelles/",
        views.legal_page,
        {"slug": "donnees-personnelles"},
        name="privacy",
    ),
    path("accessibilite/", views.legal_page, {"slug": "accessibilite"}, name="accessibility"),
]
