"""Pages of the plan (capability 10). Each views module owns its block of routes.

Fixed words first ("plans/nouveau/", "plans/bibliotheque/…", ".../indicateurs/nouveau/"): they
are matched before the routes that read a plan's identifier or an indicator's code, and the
services refuse them as identifiers and codes (``services.RESERVED_SLUGS``, ``RESERVED_CODES``).
"""

from django.urls import path

from guichet.plans.views import dashboard, drilldown, editing, impact, library, report

app_name = "plans"

urlpatterns = [
    path("plans/", dashboard.plan_list, name="plan_list"),
    *library.urlpatterns,
    *editing.urlpatterns,
    path("plans/<slug:slug>/", dashboard.plan_dashboard, name="dashboard"),
    path(
        "plans/<slug:slug>/indicateurs/<str:code>/",
        dashboard.indicator_detail,
        name="indicator",
    ),
    path(
        "plans/<slug:slug>/indicateurs/<str:code>/enregistrements/",
        drilldown.indicator_records,
        name="records",
    ),
    path("plans/<slug:slug>/bilan/", report.report_download, name="report"),
    path("plans/<slug:slug>/impact/", impact.impact_page, name="impact"),
]
