from django.urls import path

from guichet.markets.views import explorer

app_name = "markets"

# Pages are added by the modules that own them (views/*.py); see docs in each view module.
urlpatterns = [
    path("marches/", explorer.explorer, name="explorer"),
]
