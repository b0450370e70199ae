from django.urls import path

from guichet.companies import views

app_name = "companies"

urlpatterns = [
    path("entreprises/", views.search, name="search"),
]
