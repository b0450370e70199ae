from django.urls import path

from guichet.offers import views

app_name = "offers"
urlpatterns = [
    path("offres/", views.catalogue, name="catalogue"),
    path("offres/nouvelle/", views.create, name="create"),
    path("offres/guide/", views.guide, name="guide"),
    path("offres/guide.pdf", views.guide_pdf_view, name="guide_pdf"),
    path("offres/<slug:slug>/", views.detail, name="detail"),
    path("offres/<slug:slug>/modifier/", views.edit, name="edit"),
    path("offres/<slug:slug>/retrait/", views.archive, name="archive"),
]
