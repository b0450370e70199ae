from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "guichet.companies"
    label = "companies"
    verbose_name = "Registre des entreprises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from guichet.companies import permissions

        post_migrate.connect(_repair_search_schema, sender=self, dispatch_uid="companies_fts")
        from guichet.core.registry import HomePanel, NavEntry, register_home_panel, register_nav

        register_nav(
            NavEntry(
                label="Entreprises",
                url_name="companies:search",
                order=100,
                visible=permissions.can_search_registry,
                active_prefix="/entreprises/",
            )
        )

        def registry_panel(user):
            if not permissions.can_search_registry(user):
                return None
            from guichet.companies.panels import registry_figures

            return {**registry_figures(), "can_import": permissions.can_run_imports(user)}

        from guichet.core.registry import Retention, register_retention

        def purge_contacts():
            from guichet.companies.retention import contacts_purge

            return contacts_purge()

        def contacts_pending():
            from guichet.companies.retention import contacts_past_retention

            return contacts_past_retention().count()

        register_retention(
            Retention(
                key="contacts",
                label="contact(s)",
                infinitive="supprimer",
                done="supprimé(s)",
                rule="3 ans après le dernier contact",
                pending=contacts_pending,
                purge=purge_contacts,
            )
        )
        register_home_panel(
            HomePanel(
                key="registry",
                template="companies/panels/registry.html",
                order=8,
                context=registry_panel,
            )
        )


def _repair_search_schema(sender, using="default", **kwargs) -> None:
    """A later migration that alters `companies_company` makes SQLite rebuild the table, which
    drops the triggers feeding the full-text index: put them back after every migrate."""
    from django.db import connections

    from guichet.companies.search.schema import ensure_search_schema

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if "companies_company" in connection.introspection.table_names():
        ensure_search_schema(connection)
