from django.urls import path, register_converter

from guichet.companies.views import company, filieres, imports, search


class SirenConverter:
    regex = r"[0-9]{9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SirenConverter, "siren")

app_name = "companies"

urlpatterns = [
    path("entreprises/", search.search, name="search"),
    path("entreprises/filieres/", filieres.filiere_list, name="filiere_list"),
    path("entreprises/filieres/nouvelle/", filieres.filiere_create, name="filiere_create"),
    path(
        "entreprises/filieres/<slug:slug>/modifier/",
        filieres.filiere_edit,
        name="filiere_edit",
    ),
    path("entreprises/imports/", imports.import_list, name="import_list"),
    path("entreprises/imports/nouveau/", imports.import_create, name="import_create"),
    path("entreprises/imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("entreprises/imports/<int:pk>/etat.json", imports.import_status, name="import_status"),
    path("entreprises/<siren:siren>/", company.detail, name="detail"),
    path(
        "entreprises/<siren:siren>/profil-export/",
        company.export_profile_edit,
        name="export_profile",
    ),
    path(
        "entreprises/<siren:siren>/contacts/nouveau/",
        company.contact_create,
        name="contact_create",
    ),
    path(
        "entreprises/<siren:siren>/contacts/<int:pk>/modifier/",
        company.contact_edit,
        name="contact_edit",
    ),
    path(
        "entreprises/<siren:siren>/contacts/<int:pk>/opposition/",
        company.contact_opt_out,
        name="contact_opt_out",
    ),
]
