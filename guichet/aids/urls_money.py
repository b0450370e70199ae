"""Pages of committee sessions, decisions, agreements, payments, results and envelopes."""

from django.urls import path

from guichet.aids.views import committee, money

urlpatterns = [
    path("aides/commissions/", committee.session_list, name="sessions"),
    path("aides/commissions/nouvelle/", committee.session_create, name="session_create"),
    path("aides/commissions/<int:pk>/", committee.session_detail, name="session_detail"),
    path("aides/commissions/<int:pk>/inscrire/", committee.session_add, name="session_add"),
    path("aides/commissions/<int:pk>/tenue/", committee.session_hold, name="session_hold"),
    path(
        "aides/commissions/<int:pk>/ordre-du-jour.pdf",
        committee.session_agenda,
        name="session_agenda",
    ),
    path(
        "aides/dossiers/<str:reference>/decision/",
        committee.application_decide,
        name="application_decide",
    ),
    path(
        "aides/dossiers/<str:reference>/lettre-de-decision.pdf",
        committee.decision_letter,
        name="decision_letter",
    ),
    path(
        "aides/dossiers/<str:reference>/convention/",
        money.application_agreement,
        name="application_agreement",
    ),
    path(
        "aides/dossiers/<str:reference>/versement/",
        money.application_payment,
        name="application_payment",
    ),
    path(
        "aides/dossiers/<str:reference>/versements/<int:pk>/justificatif/",
        money.payment_proof,
        name="payment_proof",
    ),
    path(
        "aides/dossiers/<str:reference>/resultats/",
        money.application_results,
        name="application_results",
    ),
    path("aides/enveloppes/", money.envelopes, name="envelopes"),
]
