"""URLs of the programme and the actions (public pages and members' pages)."""

from django.urls import path

from guichet.collective.views import actions, programme

urlpatterns = [
    path("actions-collectives/", actions.action_list, name="actions"),
    path("actions-collectives/gestion/nouvelle/", actions.action_create, name="action_create"),
    path("actions-collectives/gestion/<slug:slug>/", actions.action_detail, name="action_detail"),
    path(
        "actions-collectives/gestion/<slug:slug>/modifier/",
        actions.action_edit,
        name="action_edit",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/publier/",
        actions.action_publish,
        name="action_publish",
    ),
    path(
        "actions-collectives/gestion/<slug:slug>/annuler/",
        actions.action_cancel,
        name="action_cancel",
    ),
    path("actions-collectives/programme/", programme.programme_current, name="programme"),
    path("actions-collectives/programme/<int:year>/", programme.programme, name="programme"),
    path(
        "actions-collectives/programme/<int:year>/pdf/",
        programme.programme_pdf_view,
        name="programme_pdf",
    ),
    path(
        "actions-collectives/programme/<int:year>/calendrier.ics",
        programme.programme_ics,
        name="programme_ics",
    ),
    path(
        "actions-collectives/programme/<int:year>/modifier/",
        programme.programme_edit,
        name="programme_edit",
    ),
    path("actions-collectives/calendrier/", programme.calendar_view, name="calendar"),
    path("actions-collectives/action/<slug:slug>/", programme.public_action, name="public_action"),
]
