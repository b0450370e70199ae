from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "guichet.collective"
    label = "collective"
    verbose_name = "Actions collectives"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.collective.permissions import can_view_actions
        from guichet.core.registry import NavEntry, register_nav

        register_nav(
            NavEntry(
                label="Actions collectives",
                url_name="collective:actions",
                order=450,
                visible=can_view_actions,
                active_prefix="/actions-collectives/",
            )
        )

        from guichet.collective.sections import collective_section
        from guichet.companies.sections import CompanySection, register_company_section

        register_company_section(
            CompanySection(
                key="collective",
                template="collective/registrations/_company_section.html",
                order=50,
                context=collective_section,
            )
        )

        from guichet.core.registry import Retention, register_retention

        def anonymise():
            from guichet.collective.retention import registrations_anonymise

            return registrations_anonymise()

        def pending():
            from guichet.collective.retention import registrations_past_retention

            return registrations_past_retention().count()

        register_retention(
            Retention(
                key="collective-registrations",
                label="contact(s) d'inscriptions aux actions collectives",
                infinitive="effacer",
                done="effacé(s)",
                rule="3 ans après la fin de l'action",
                pending=pending,
                purge=anonymise,
            )
        )
