from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "guichet.journeys"
    label = "journeys"
    verbose_name = "Parcours et suivi des entreprises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guichet.companies.sections import CompanySection, register_company_section
        from guichet.journeys.sections import timeline_section

        register_company_section(
            CompanySection(
                key="timeline",
                template="journeys/_company_section.html",
                order=100,
                context=timeline_section,
            )
        )
