from django.urls import path

from guichet.desk.views import figures, inbox, people, public, record, rules, survey

app_name = "desk"
urlpatterns = [
    # Public pages (no account).
    path("besoin/", public.intake, name="intake"),
    path("besoin/envoyee/", public.intake_done, name="intake_done"),
    path("besoin/entreprises.json", public.company_lookup, name="company_lookup"),
    path("besoin/enquete/<str:token>/", survey.survey, name="survey"),
    path("besoin/chiffres/", figures.public_figures, name="public_figures"),
    # Partner inbox and needs.
    path("guichet/", inbox.inbox, name="inbox"),
    path("guichet/actions-groupees/", inbox.bulk, name="bulk"),
    path("guichet/demandes/nouvelle/", record.record_need, name="record_need"),
    path("guichet/demandes/<str:reference>/", inbox.need_detail, name="need_detail"),
    path(
        "guichet/demandes/<str:reference>/reponse/<int:match_pk>/",
        inbox.match_answer,
        name="match_answer",
    ),
    path(
        "guichet/demandes/<str:reference>/attribuer/<int:match_pk>/",
        inbox.match_assign,
        name="match_assign",
    ),
    path("guichet/demandes/<str:reference>/orienter/", inbox.need_reroute, name="need_reroute"),
    path("guichet/demandes/<str:reference>/indesirable/", inbox.need_spam, name="need_spam"),
    path("guichet/absences/", people.absences, name="absences"),
    path("guichet/transfert/<int:user_pk>/", people.hand_over, name="hand_over"),
    # Administration of routing.
    path("guichet/regles/", rules.rule_list, name="rules"),
    path("guichet/regles/nouvelle/", rules.rule_create, name="rule_create"),
    path("guichet/regles/<int:pk>/modifier/", rules.rule_edit, name="rule_edit"),
    path("guichet/regles/apercu/", rules.preview, name="rule_preview"),
    path("guichet/regles/couverture/", rules.coverage, name="coverage"),
    path("guichet/reglages/", rules.policy, name="policy"),
    path("guichet/sujets/", rules.subjects, name="subjects"),
    # Figures.
    path("guichet/chiffres/", figures.figures, name="figures"),
    path(
        "entreprises/<str:siren>/demandes/nouvelle/", record.record_need, name="record_for_company"
    ),
]
