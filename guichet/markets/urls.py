from django.urls import path

from guichet.markets.views import agreements, assumptions, country, explorer, product_space

app_name = "markets"

# Pages are added by the modules that own them (views/*.py); see docs in each view module.
urlpatterns = [
    path("marches/", explorer.explorer, name="explorer"),
    path("marches/hypotheses/", assumptions.assumption_list, name="assumptions"),
    path("marches/hypotheses/<str:iso3>/", assumptions.assumption_edit, name="assumption_edit"),
    path(
        "marches/hypotheses/<str:iso3>/defaut/",
        assumptions.assumption_reset,
        name="assumption_reset",
    ),
    path("marches/espace-produits/", product_space.product_space_page, name="product_space"),
]

# E1: explorer's country sheets and cooperation agreements.
urlpatterns += [
    path("marches/pays/<str:iso3>/", country.country, name="country"),
    path("marches/accords/", agreements.agreement_list, name="agreements"),
    path("marches/accords/nouveau/", agreements.agreement_create, name="agreement_create"),
    path("marches/accords/<int:pk>/modifier/", agreements.agreement_edit, name="agreement_edit"),
]

# A: loading market data from the web (administrators).
from guichet.markets.views import loading  # noqa: E402 - appended block, see the comment above

urlpatterns += [
    path("marches/donnees/", loading.data, name="data"),
    path("marches/donnees/chargements/<int:pk>/", loading.job, name="job"),
    path("marches/donnees/chargements/<int:pk>/etat.json", loading.job_status, name="job_status"),
    path("marches/donnees/chargements/<int:pk>/rejets.csv", loading.job_report, name="job_report"),
]
