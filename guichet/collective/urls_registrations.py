"""Pages of the registrations (namespace "collective", under /actions-collectives/)."""

from django.urls import path

from guichet.collective.views import company, registrations

urlpatterns = [
    # The company, without an account.
    path("actions-collectives/<slug:slug>/inscription/", company.register, name="register"),
    path(
        "actions-collectives/<slug:slug>/inscription/envoyee/",
        company.register_done,
        name="register_done",
    ),
    path(
        "actions-collectives/mon-inscription/<str:token>/",
        company.registration_link,
        name="registration_link",
    ),
    path(
        "actions-collectives/mon-inscription/<str:token>/annuler/",
        company.registration_link_cancel,
        name="registration_link_cancel",
    ),
    path(
        "actions-collectives/mon-inscription/<str:token>/candidature/",
        company.registration_link_apply,
        name="registration_link_apply",
    ),
    # Members.
    path(
        "actions-collectives/gestion/<slug:slug>/inscrire-une-entreprise/",
        registrations.register_company,
        name="register_company",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/selection/",
        registrations.selection,
        name="selection",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/presence/",
        registrations.attendance,
        name="attendance",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/inscriptions/export/",
        registrations.registrations_export,
        name="registrations_export",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/",
        registrations.registration_detail,
        name="registration_detail",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/confirmer/",
        registrations.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/annuler/",
        registrations.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/participation-payee/",
        registrations.registration_fee_paid,
        name="registration_fee_paid",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/candidature/",
        registrations.registration_apply,
        name="registration_apply",
    ),
    path(
        "actions-collectives/inscriptions/<int:pk>/preparation/",
        registrations.checklist_tick,
        name="checklist_tick",
    ),
]
