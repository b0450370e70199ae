from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "guichet.companies"
    label = "companies"
    verbose_name = "Registre des entreprises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies import permissions
        from guichet.core.registry import NavEntry, register_nav

        register_nav(
            NavEntry(
                label="Entreprises",
                url_name="companies:search",
                order=100,
                visible=permissions.can_search_registry,
                active_prefix="/entreprises/",
            )
        )
